import { Anchor, Breadcrumbs, Button, Group, Skeleton, Stack, Tabs, Text, Title } from '@mantine/core';
import { RotateCw } from 'lucide-react';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { NotFoundPage } from '../../components/NotFoundPage.tsx';
import { useSession } from '../access/session.tsx';
import { ConnectionAccountsTab } from './ConnectionAccountsTab.tsx';
import { AccountStatusLabel, accountsLabel, SharedFromBadge, StatusBadge } from './ConnectionBadges.tsx';
import { ConnectionOverviewTab } from './ConnectionOverviewTab.tsx';
import { ConnectionSettingsTab } from './ConnectionSettingsTab.tsx';
import { useConnection } from './useConnection.ts';
import { useReconnect } from './useReconnect.ts';

const tabs = ['overview', 'accounts', 'settings'] as const;

/** `/connections/:id/:tab?`: a connection's header and its Overview, Accounts and Settings tabs. */
export function ConnectionDetailsPage() {
  const { id = '', tab = 'overview' } = useParams();
  const navigate = useNavigate();
  const connection = useConnection(id);
  const { can: roleCan } = useSession();
  // A connection shared from another workspace is read here, never changed.
  const can: typeof roleCan = (name) =>
    roleCan(name) && !(connection.data?.sharedFrom && name !== 'createExtraction');
  const { reconnect, reconnectingId, error: reconnectError } = useReconnect(`/connections/${id}`);
  if (!(tabs as readonly string[]).includes(tab)) return <NotFoundPage />;
  if (connection.error instanceof ApiError && connection.error.status === 404) {
    return <NotFoundPage what="connection" />;
  }
  if (connection.isError) {
    return (
      <ErrorAlert
        error={connection.error}
        title="Could not load the connection"
        onRetry={() => void connection.refetch()}
      />
    );
  }
  const data = connection.data;
  return (
    <>
      <Breadcrumbs mb="xs">
        <Anchor component={Link} to="/connections" size="sm">
          Connections
        </Anchor>
        <Text size="sm" c="dimmed">
          {data?.dataSource.name ?? '…'}
        </Text>
      </Breadcrumbs>
      <Group justify="space-between" align="flex-start" mb="lg" wrap="nowrap">
        {data ? (
          <Stack gap={6}>
            <Group gap="sm">
              <Title order={2}>{data.dataSource.name}</Title>
              <StatusBadge status={data.status} />
              <SharedFromBadge sharedFrom={data.sharedFrom} />
            </Group>
            <Group gap="lg">
              <Text size="sm" c="dimmed">
                {data.businessAccount ?? 'Not authorized yet'}
              </Text>
              {data.accountStatus === 'ready' ? (
                <Text size="sm" c="dimmed">
                  {accountsLabel(data.accountsCount)} active
                </Text>
              ) : (
                <AccountStatusLabel connection={data} />
              )}
            </Group>
          </Stack>
        ) : (
          <Stack gap={6}>
            <Skeleton height={32} width={240} />
            <Skeleton height={18} width={320} />
          </Stack>
        )}
        <Group gap="sm" wrap="nowrap">
          {can('reconnectConnection') && (
            <Button
              variant="default"
              leftSection={<RotateCw size={16} />}
              loading={reconnectingId === id}
              disabled={!data?.actions.reconnect}
              onClick={() => data && void reconnect(data)}
            >
              Reconnect
            </Button>
          )}
          {!can('createExtraction') ? null : data?.actions.extract ? (
            <Button component={Link} to={`/extractions/new?connection=${id}`}>
              Extract
            </Button>
          ) : (
            <Button disabled title="Needs an active connection with at least one account">
              Extract
            </Button>
          )}
        </Group>
      </Group>
      {reconnectError !== null && (
        <Stack mb="md">
          <ErrorAlert error={reconnectError} title="Could not start reconnecting" />
        </Stack>
      )}
      <Tabs
        value={tab}
        onChange={(next) => navigate(`/connections/${id}/${next ?? 'overview'}`)}
        keepMounted={false}
      >
        <Tabs.List mb="lg">
          <Tabs.Tab value="overview">Overview</Tabs.Tab>
          <Tabs.Tab value="accounts">Accounts</Tabs.Tab>
          <Tabs.Tab value="settings">Settings</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="overview">
          <ConnectionOverviewTab
            connectionId={id}
            canExtract={(data?.actions.extract ?? false) && can('createExtraction')}
          />
        </Tabs.Panel>
        <Tabs.Panel value="accounts">
          {data ? <ConnectionAccountsTab connection={data} /> : <Skeleton height={240} />}
        </Tabs.Panel>
        <Tabs.Panel value="settings">
          {data ? (
            <ConnectionSettingsTab
              connection={data}
              onReconnect={() => void reconnect(data)}
              reconnecting={reconnectingId === id}
            />
          ) : (
            <Skeleton height={240} />
          )}
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
