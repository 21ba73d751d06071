import { Badge, Button, Group, Modal, Paper, Progress, Stack, Table, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { Check, ListChecks, RefreshCw } from 'lucide-react';
import { useState } from 'react';
import type { AccountSelection, ConnectionDetailView } from '../../../../src/contract/schemas.ts';
import { api, apiKey, useApiMutation } from '../../api.ts';
import { AccountName } from '../../components/AccountName.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatDate, formatDateTime, formatInteger, formatRelative } from '../../format.ts';
import { useSession } from '../access/session.tsx';
import { currentSelection } from './AccountSelectionPage.tsx';
import { AccountSelector } from './AccountSelector.tsx';

/** The Accounts tab: what discovery found, when it last ran, Sync accounts, and the selection. */
export function ConnectionAccountsTab({ connection }: { connection: ConnectionDetailView }) {
  const client = useQueryClient();
  const sync = useApiMutation('syncConnectionAccounts', ['getConnection', 'listConnections']);
  const [choosing, setChoosing] = useState(false);
  const { can: roleCan } = useSession();
  // A connection shared from another workspace: its accounts are read here, never synced or chosen.
  const can = (name: 'updateConnectionAccounts' | 'syncConnectionAccounts') =>
    connection.sharedFrom === null && roleCan(name);
  const [saveError, setSaveError] = useState<unknown>(null);
  const syncing = connection.accountStatus === 'loading' || sync.isPending;
  const saveSelection = async (selection: AccountSelection) => {
    setSaveError(null);
    try {
      const updated = await api.call('updateConnectionAccounts', {
        params: { id: connection.id },
        body: selection,
      });
      client.setQueryData(apiKey('getConnection', { params: { id: connection.id } }), updated);
      await client.invalidateQueries({ queryKey: ['listConnections'] });
      setChoosing(false);
    } catch (failure) {
      setSaveError(failure);
    }
  };
  const selectedCount = connection.accounts.filter((account) => account.selected).length;
  return (
    <Stack gap="md">
      <Group justify="space-between" wrap="nowrap">
        <Stack gap={2}>
          <Text size="sm">
            {connection.accountSync === 'all'
              ? 'Syncing all accounts, including accounts added later.'
              : `Syncing ${formatInteger(selectedCount)} selected ${selectedCount === 1 ? 'account' : 'accounts'}.`}
          </Text>
          <Text size="sm" c="dimmed" title={formatDateTime(connection.accountsSyncedAt)}>
            {connection.accountsSyncedAt
              ? `Last synced ${formatRelative(connection.accountsSyncedAt)}`
              : 'Not synced yet'}
          </Text>
        </Stack>
        <Group gap="sm" wrap="nowrap">
          {can('updateConnectionAccounts') && (
            <Button
              variant="default"
              leftSection={<ListChecks size={16} />}
              onClick={() => setChoosing(true)}
              disabled={connection.accounts.length === 0}
            >
              Change selection
            </Button>
          )}
          {can('syncConnectionAccounts') && (
            <Button
              leftSection={<RefreshCw size={16} />}
              loading={syncing}
              loaderProps={{ type: 'dots' }}
              disabled={connection.status === 'pending'}
              onClick={() => sync.mutate({ params: { id: connection.id } })}
            >
              Sync accounts
            </Button>
          )}
        </Group>
      </Group>
      {syncing && (
        <Stack gap={4} aria-live="polite">
          <Progress value={100} animated striped size="sm" aria-label="Syncing accounts" />
          <Text size="xs" c="dimmed">
            Syncing accounts with {connection.dataSource.name}…
          </Text>
        </Stack>
      )}
      {sync.error && <ErrorAlert error={sync.error} title="Could not start syncing" />}
      {connection.accountStatus === 'error' && connection.statusDetails && (
        <ErrorAlert
          error={new Error(connection.statusDetails.message)}
          title="The last account sync failed"
        />
      )}
      <AccountsTable connection={connection} />
      <Modal
        opened={choosing}
        onClose={() => setChoosing(false)}
        title="Choose the accounts to sync"
        size="xl"
      >
        <Stack gap="md">
          {saveError !== null && <ErrorAlert error={saveError} title="The selection was not saved" />}
          <AccountSelector
            accounts={connection.accounts}
            loading={false}
            initial={currentSelection(connection)}
            saveLabel="Save selection"
            onSave={saveSelection}
            extraActions={
              <Button variant="default" onClick={() => setChoosing(false)}>
                Cancel
              </Button>
            }
          />
        </Stack>
      </Modal>
    </Stack>
  );
}

function AccountsTable({ connection }: { connection: ConnectionDetailView }) {
  if (connection.accounts.length === 0) {
    return (
      <Paper withBorder p="xl" radius="md">
        <Text c="dimmed" ta="center">
          {connection.accountStatus === 'loading'
            ? 'Loading accounts…'
            : 'No accounts found for this login. Accounts created later appear after the next sync.'}
        </Text>
      </Paper>
    );
  }
  return (
    <Paper withBorder radius="md">
      <Table.ScrollContainer minWidth={900} maxHeight={560}>
        <Table verticalSpacing="xs" stickyHeader highlightOnHover aria-label="Accounts">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Account ID</Table.Th>
              <Table.Th>Name</Table.Th>
              <Table.Th>Currency</Table.Th>
              <Table.Th>Time zone</Table.Th>
              <Table.Th>Date added</Table.Th>
              <Table.Th>Access lost</Table.Th>
              <Table.Th>Selected</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {connection.accounts.map((account) => (
              <Table.Tr key={account.id}>
                <Table.Td>
                  <Text size="sm" ff="monospace">
                    {account.id}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <AccountName account={account} />
                </Table.Td>
                <Table.Td>{account.currency ?? '—'}</Table.Td>
                <Table.Td>{account.timezone ?? '—'}</Table.Td>
                <Table.Td>{formatDate(account.addedAt)}</Table.Td>
                <Table.Td>
                  {account.lostAt ? (
                    <Badge color="orange" variant="light" title={formatDateTime(account.lostAt)}>
                      {formatDate(account.lostAt)}
                    </Badge>
                  ) : (
                    '—'
                  )}
                </Table.Td>
                <Table.Td>
                  {account.selected ? (
                    <Check size={16} color="var(--mantine-color-teal-6)" aria-label="Selected" />
                  ) : (
                    <Text size="sm" c="dimmed">
                      No
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}
