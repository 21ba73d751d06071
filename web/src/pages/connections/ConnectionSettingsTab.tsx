import { Alert, Badge, Button, Divider, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { RotateCw, Trash2, TriangleAlert } from 'lucide-react';
import { type ReactNode, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import type { ConnectionDetailView } from '../../../../src/contract/schemas.ts';
import { api, useApiQuery } from '../../api.ts';
import { formatDateTime, formatRelative } from '../../format.ts';
import { useSession } from '../access/session.tsx';
import { ConnectionSharingCard } from './ConnectionSharingCard.tsx';
import { CredentialForm } from './CredentialForm.tsx';
import { DeleteConnectionsModal } from './DeleteConnectionsModal.tsx';

const warnBeforeMs = 14 * 86_400_000;
const authTypeLabels = {
  oauth2: 'OAuth 2.0',
  api_key: 'API key',
  login: 'Login and password',
  service_account: 'Service-account key',
} as const;

/** The Settings tab: how the connection is authorized, reconnecting, and deleting it. */
export function ConnectionSettingsTab({
  connection,
  onReconnect,
  reconnecting,
}: {
  connection: ConnectionDetailView;
  onReconnect(): void;
  reconnecting: boolean;
}) {
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const [deleting, setDeleting] = useState(false);
  const { can } = useSession();
  // A connection shared from another workspace can be read and extracted from here, nothing more.
  const own = connection.sharedFrom === null;
  const canReconnect = own && can('reconnectConnection');
  const canDelete = own && can('deleteConnection');
  const { authType, scopes, tokenExpiresAt } = connection.configuration;
  const expiresIn = tokenExpiresAt ? Date.parse(tokenExpiresAt) - Date.now() : null;
  const usesForm = authType !== 'oauth2';
  const showForm = usesForm && params.get('reconnect') === '1';
  return (
    <Stack gap="lg" maw={880}>
      <Paper withBorder p="lg" radius="md">
        <Title order={4} mb="md">
          Authorization
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg" verticalSpacing="md">
          <Setting label="Authorization type">{authTypeLabels[authType]}</Setting>
          <Setting label="Business account">{connection.businessAccount ?? '—'}</Setting>
          <Setting label="Business account ID">
            <Text size="sm" ff="monospace">
              {connection.businessAccountId ?? '—'}
            </Text>
          </Setting>
          <Setting label="Last authorization">{formatDateTime(connection.lastAuthorizedAt)}</Setting>
          <Setting label="Scopes">
            {scopes.length > 0 ? (
              <Group gap={6}>
                {scopes.map((scope) => (
                  <Badge key={scope} variant="outline" color="gray" tt="none">
                    {scope}
                  </Badge>
                ))}
              </Group>
            ) : (
              '—'
            )}
          </Setting>
          <Setting label="Token expires">
            {tokenExpiresAt
              ? `${formatDateTime(tokenExpiresAt)} (${formatRelative(tokenExpiresAt)})`
              : 'Does not expire'}
          </Setting>
        </SimpleGrid>
        {expiresIn !== null && expiresIn < warnBeforeMs && (
          <Alert
            mt="md"
            color={expiresIn <= 0 ? 'red' : 'orange'}
            variant="light"
            icon={<TriangleAlert size={18} />}
            title={expiresIn <= 0 ? 'The access token has expired' : 'The access token expires soon'}
          >
            Reconnect before {formatDateTime(tokenExpiresAt)} so scheduled extractions keep running.
          </Alert>
        )}
        {canReconnect && <Divider my="lg" />}
        <Group justify="space-between" wrap="nowrap" display={canReconnect ? undefined : 'none'}>
          <Text size="sm" c="dimmed" maw={520}>
            Reconnecting authorizes again as the same business account; the connection keeps its accounts and
            extractions.
          </Text>
          <Button
            variant="default"
            leftSection={<RotateCw size={16} />}
            loading={reconnecting}
            onClick={() => (usesForm ? setParams({ reconnect: '1' }) : onReconnect())}
          >
            Reconnect
          </Button>
        </Group>
        {showForm && <ReconnectForm connection={connection} onDone={() => setParams({})} />}
      </Paper>
      {own && can('listConnectionShares') && <ConnectionSharingCard connection={connection} />}
      <Paper
        withBorder
        p="lg"
        radius="md"
        style={{ borderColor: 'var(--mantine-color-red-3)' }}
        display={canDelete ? undefined : 'none'}
      >
        <Group justify="space-between" wrap="nowrap">
          <div>
            <Title order={4}>Delete connection</Title>
            <Text size="sm" c="dimmed" maw={520}>
              Removes the connection and its stored credential. Data already loaded into destinations is kept.
            </Text>
          </div>
          <Button
            color="red"
            variant="light"
            leftSection={<Trash2 size={16} />}
            onClick={() => setDeleting(true)}
          >
            Delete connection
          </Button>
        </Group>
      </Paper>
      <DeleteConnectionsModal
        connections={deleting ? [connection] : null}
        onClose={() => setDeleting(false)}
        onDeleted={() => navigate('/connections')}
      />
    </Stack>
  );
}

function Setting({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} mb={2}>
        {label}
      </Text>
      {typeof children === 'string' ? <Text size="sm">{children}</Text> : children}
    </div>
  );
}

function ReconnectForm({ connection, onDone }: { connection: ConnectionDetailView; onDone(): void }) {
  const client = useQueryClient();
  const source = useApiQuery('getDataSource', { params: { id: connection.dataSource.id } });
  if (!source.data) return null;
  return (
    <Stack mt="lg" maw={520}>
      <CredentialForm
        fields={source.data.credentialFields}
        submitLabel="Reconnect"
        onCancel={onDone}
        onSubmit={async (credentials) => {
          await api.call('reconnectConnection', { params: { id: connection.id }, body: { credentials } });
          await client.invalidateQueries({ queryKey: ['getConnection'] });
          await client.invalidateQueries({ queryKey: ['listConnections'] });
          onDone();
        }}
      />
    </Stack>
  );
}
