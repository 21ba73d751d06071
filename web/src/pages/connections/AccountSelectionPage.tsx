import { Alert, Button, Group, Loader, Paper, Skeleton, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { CircleAlert, CircleCheck } from 'lucide-react';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { AccountSelection, ConnectionDetailView } from '../../../../src/contract/schemas.ts';
import { api, useApiQuery } from '../../api.ts';
import { ErrorAlert, remedyFor } from '../../components/ErrorAlert.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { AccountSelector } from './AccountSelector.tsx';
import { accountsLabel } from './ConnectionBadges.tsx';
import { NewConnectionSteps } from './NewConnectionSteps.tsx';

/** The selection a connection has now, as the selector's starting point. */
export function currentSelection(connection: ConnectionDetailView): AccountSelection {
  const ids = connection.accounts.filter((account) => account.selected).map((account) => account.id);
  return connection.accountSync === 'selected' && ids.length > 0
    ? { sync: 'selected', accountIds: ids }
    : { sync: 'all' };
}

/**
 * `/connections/new/accounts?connection=<id>`: where authorization lands (the OAuth callback adds
 * `connection=`, or `error=&message=` when it failed). Waits for the accounts, then saves the choice.
 */
export function AccountSelectionPage() {
  const [params] = useSearchParams();
  const id = params.get('connection');
  const errorCode = params.get('error');
  return (
    <>
      <PageHeader title="Make a new connection" />
      <NewConnectionSteps active={errorCode ? 1 : 2} />
      {errorCode ? (
        <AuthorizationFailed code={errorCode} message={params.get('message')} />
      ) : id ? (
        <ChooseAccounts id={id} />
      ) : (
        <AuthorizationFailed
          code="not_found"
          message="This page needs a connection to choose accounts for."
        />
      )}
    </>
  );
}

function AuthorizationFailed({ code, message }: { code: string; message: string | null }) {
  return (
    <Alert
      color="red"
      variant="light"
      title="Authorization did not complete"
      icon={<CircleAlert size={18} />}
      role="alert"
      maw={720}
    >
      <Text size="sm">{message || 'The provider did not authorize the connection.'}</Text>
      <Text size="sm" c="dimmed" mt={4}>
        {remedyFor(code) ?? 'Start again and approve the access the provider asks for.'}
      </Text>
      <Group mt="md" gap="sm">
        <Button component={Link} to="/connections/new" color="red">
          Try again
        </Button>
        <Button component={Link} to="/connections" variant="default">
          Back to connections
        </Button>
      </Group>
    </Alert>
  );
}

function ChooseAccounts({ id }: { id: string }) {
  const navigate = useNavigate();
  const client = useQueryClient();
  const [saveError, setSaveError] = useState<unknown>(null);
  const connection = useApiQuery(
    'getConnection',
    { params: { id } },
    {
      refetchInterval: (query) => {
        const data = query.state.data;
        return data && (data.accountStatus === 'loading' || data.status === 'pending') ? 1000 : false;
      },
    },
  );
  if (connection.isError) {
    return <ErrorAlert error={connection.error} title="Could not open the new connection" />;
  }
  if (!connection.data) return <Skeleton height={200} radius="md" />;
  const data = connection.data;
  const loading = data.accountStatus === 'loading' || data.status === 'pending';
  const save = async (selection: AccountSelection) => {
    setSaveError(null);
    try {
      await api.call('updateConnectionAccounts', { params: { id }, body: selection });
      await client.invalidateQueries({ queryKey: ['listConnections'] });
      navigate('/connections');
    } catch (failure) {
      setSaveError(failure);
    }
  };
  return (
    <Stack gap="md" maw={960}>
      <Paper withBorder p="md" radius="md">
        <Group justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <CircleCheck size={20} color="var(--mantine-color-teal-6)" aria-hidden />
            <Text>
              <strong>{data.dataSource.name}</strong> is connected as{' '}
              <strong>{data.businessAccount ?? '…'}</strong>
            </Text>
          </Group>
          <Group gap={8} wrap="nowrap" aria-live="polite">
            {loading ? (
              <>
                <Loader size="xs" />
                <Text size="sm" c="dimmed">
                  Loading accounts…
                </Text>
              </>
            ) : data.accountStatus === 'ready' ? (
              <Text size="sm" fw={500}>
                {accountsLabel(data.accounts.length)} found
              </Text>
            ) : null}
          </Group>
        </Group>
      </Paper>
      {data.status === 'error' && data.statusDetails ? (
        <Alert
          color="red"
          variant="light"
          title="The connection has a problem"
          icon={<CircleAlert size={18} />}
        >
          <Text size="sm">{data.statusDetails.message}</Text>
          <Text size="sm" c="dimmed" mt={4}>
            {data.statusDetails.remedy}
          </Text>
          <Button mt="sm" size="xs" component={Link} to="/connections/new" color="red">
            Try again
          </Button>
        </Alert>
      ) : data.accountStatus === 'error' && data.statusDetails ? (
        <Alert
          color="orange"
          variant="light"
          title="Loading the accounts failed"
          icon={<CircleAlert size={18} />}
        >
          <Text size="sm">{data.statusDetails.message}</Text>
          <Text size="sm" c="dimmed" mt={4}>
            {data.statusDetails.remedy} You can still choose “Sync all accounts”: they are added once loading
            works.
          </Text>
        </Alert>
      ) : data.accountStatus === 'none' ? (
        <Alert color="gray" variant="light" title="No ad accounts yet">
          This login has no ad accounts yet. With “Sync all accounts”, accounts created later are added
          automatically when Tributary checks again (daily, or with Sync accounts on the connection page).
        </Alert>
      ) : null}
      {saveError !== null && <ErrorAlert error={saveError} title="The selection was not saved" />}
      <AccountSelector
        accounts={data.accounts}
        loading={loading}
        initial={currentSelection(data)}
        saveLabel="Save and finish"
        onSave={save}
      />
    </Stack>
  );
}
