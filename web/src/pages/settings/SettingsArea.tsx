import { Tabs } from '@mantine/core';
import { Navigate, Route, Routes, useNavigate, useParams } from 'react-router';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useSession } from '../access/session.tsx';
import { AuditPage } from './AuditPage.tsx';
import { MembersPage } from './MembersPage.tsx';
import { TokensPage } from './TokensPage.tsx';

/** The settings tabs, each with the endpoint whose access decides who sees it. */
const tabs = [
  { value: 'tokens', label: 'API tokens', endpoint: 'listTokens' },
  { value: 'members', label: 'Members', endpoint: 'listMembers' },
  { value: 'audit', label: 'Audit log', endpoint: 'listAudit' },
] as const;

/** `/settings/:tab`: the workspace's settings; a tab the role cannot use is not offered. */
function SettingsPage() {
  const { tab } = useParams();
  const navigate = useNavigate();
  const { can, session } = useSession();
  const visible = tabs.filter((item) => can(item.endpoint));
  const current = visible.find((item) => item.value === tab);
  if (!current) return <Navigate to={`/settings/${visible[0]?.value ?? 'tokens'}`} replace />;
  return (
    <>
      <PageHeader title="Settings" description={`Workspace ${session.workspace?.name ?? ''}`} />
      <Tabs
        value={current.value}
        onChange={(value) => value && navigate(`/settings/${value}`)}
        keepMounted={false}
      >
        <Tabs.List mb="md">
          {visible.map((item) => (
            <Tabs.Tab key={item.value} value={item.value}>
              {item.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="tokens">
          <TokensPage />
        </Tabs.Panel>
        <Tabs.Panel value="members">
          <MembersPage />
        </Tabs.Panel>
        <Tabs.Panel value="audit">
          <AuditPage />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}

/** Everything under `/settings`. */
export default function SettingsArea() {
  return (
    <Routes>
      <Route index element={<Navigate to="tokens" replace />} />
      <Route path=":tab" element={<SettingsPage />} />
    </Routes>
  );
}
