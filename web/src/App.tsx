import {
  AppShell,
  Badge,
  Burger,
  Center,
  Group,
  Loader,
  NavLink,
  ScrollArea,
  Text,
  Title,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Bell, Boxes, Database, Plug, Settings, Waves, Workflow } from 'lucide-react';
import { lazy, Suspense } from 'react';
import { Link, Navigate, Route, Routes, useLocation } from 'react-router';
import { useApiQuery } from './api.ts';
import { NotFoundPage } from './components/NotFoundPage.tsx';
import { AuthGate } from './pages/access/AuthGate.tsx';
import { RequiresAccess } from './pages/access/RequiresAccess.tsx';
import { UserMenu } from './pages/access/UserMenu.tsx';
import { WorkspaceSwitcher } from './pages/access/WorkspaceSwitcher.tsx';

// One chunk per area: the Connections page must not wait for the wizard's or the charts' code.
const ConnectionsArea = lazy(() => import('./pages/connections/ConnectionsArea.tsx'));
const ExtractionsArea = lazy(() => import('./pages/extractions/ExtractionsArea.tsx'));
const WizardArea = lazy(() => import('./pages/wizard/WizardArea.tsx'));
const CatalogArea = lazy(() => import('./pages/catalog/CatalogArea.tsx'));
const SettingsArea = lazy(() => import('./pages/settings/SettingsArea.tsx'));
const InvitationPage = lazy(() => import('./pages/access/InvitationPage.tsx'));
const SignInLinkPage = lazy(() => import('./pages/access/SignInLinkPage.tsx'));

const menu = [
  { to: '/connections', label: 'Connections', icon: Plug },
  { to: '/extractions', label: 'Extractions', icon: Workflow },
  { to: '/destinations', label: 'Destinations', icon: Database },
  { to: '/data-sources', label: 'Data sources', icon: Boxes },
  { to: '/events', label: 'Events', icon: Bell },
  { to: '/settings', label: 'Settings', icon: Settings },
];

const pageLoader = (
  <Center h={240}>
    <Loader aria-label="Loading" />
  </Center>
);

/**
 * The application: an invitation or sign-in link opens its own page, signed in or not; every other URL is
 * behind the auth gate (sign-in or first-run setup until there is a session).
 */
export function App() {
  return (
    <Suspense fallback={pageLoader}>
      <Routes>
        <Route path="/invitation" element={<InvitationPage />} />
        <Route path="/sign-in/link" element={<SignInLinkPage />} />
        <Route
          path="*"
          element={
            <AuthGate>
              <Shell />
            </AuthGate>
          }
        />
      </Routes>
    </Suspense>
  );
}

/** The signed-in shell: header (workspace, user), left menu, and one route per page. */
function Shell() {
  const [opened, { toggle }] = useDisclosure();
  const location = useLocation();
  const health = useApiQuery('health', {}, { staleTime: 60_000 });
  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 232, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="lg"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group gap="xs">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle menu" />
            <Link to="/connections" style={{ textDecoration: 'none', color: 'inherit' }}>
              <Group gap={8}>
                <Waves size={22} color="var(--mantine-color-indigo-6)" aria-hidden />
                <Title order={4} component="span">
                  Tributary
                </Title>
              </Group>
            </Link>
          </Group>
          <Group gap="sm">
            {health.data && (
              <Group gap="xs" visibleFrom="sm">
                <Text size="xs" c="dimmed">
                  v{health.data.version}
                </Text>
                <Badge variant="light" color={health.data.store === 'pglite' ? 'gray' : 'teal'}>
                  {health.data.store === 'pglite' ? 'Embedded' : 'Server'}
                </Badge>
              </Group>
            )}
            <WorkspaceSwitcher />
            <UserMenu />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" aria-label="Main menu">
        <ScrollArea>
          {menu.map((item) => (
            <NavLink
              key={item.to}
              component={Link}
              to={item.to}
              label={item.label}
              leftSection={<item.icon size={18} aria-hidden />}
              active={location.pathname.startsWith(item.to)}
              aria-current={location.pathname.startsWith(item.to) ? 'page' : undefined}
            />
          ))}
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main>
        <Suspense fallback={pageLoader}>
          <Routes>
            <Route path="/" element={<Navigate to="/connections" replace />} />
            <Route path="/connections/*" element={<ConnectionsArea />} />
            <Route
              path="/extractions/new"
              element={
                <RequiresAccess
                  endpoint="createExtraction"
                  what="set up extractions"
                  back={{ to: '/extractions', label: 'Back to extractions' }}
                >
                  <WizardArea />
                </RequiresAccess>
              }
            />
            <Route path="/extractions/*" element={<ExtractionsArea />} />
            <Route path="/events" element={<ExtractionsArea />} />
            <Route path="/destinations/*" element={<CatalogArea />} />
            <Route path="/data-sources/*" element={<CatalogArea />} />
            <Route path="/settings/*" element={<SettingsArea />} />
            <Route path="*" element={<NotFoundPage />} />
          </Routes>
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}
