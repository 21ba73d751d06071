import {
  Badge,
  Button,
  Group,
  Modal,
  NumberInput,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { KeyRound, Plus } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import type { EndpointResult } from '../../../../src/contract/endpoints.ts';
import { type Role, roles, roleWithin } from '../../../../src/domain/access.ts';
import { useApiMutation, useApiQuery } from '../../api.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatDateTime, formatRelative } from '../../format.ts';
import { useSession } from '../access/session.tsx';
import { SecretOnce } from './SecretOnce.tsx';

type Token = EndpointResult<'listTokens'>['items'][number];

/** Active, expired or revoked, as a badge. */
function TokenState({ token }: { token: Token }) {
  if (token.revokedAt) return <Badge color="gray">Revoked</Badge>;
  if (token.expiresAt && new Date(token.expiresAt).getTime() < Date.now())
    return <Badge color="orange">Expired</Badge>;
  return <Badge color="teal">Active</Badge>;
}

/**
 * `/settings/tokens`: API tokens of this workspace (yours; an admin sees everyone's) with their last
 * use; create one (its secret is shown once), revoke one.
 */
export function TokensPage() {
  const { role, session } = useSession();
  const tokens = useApiQuery('listTokens');
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<EndpointResult<'createToken'> | null>(null);
  const [toRevoke, setToRevoke] = useState<Token | null>(null);
  const items = tokens.data?.items ?? [];
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Text size="sm" c="dimmed" maw={640}>
          A token lets a program (the CLI, a script) call the API in {session.workspace?.name} with a role no
          higher than yours. {role === 'admin' ? 'As an admin you see every member’s tokens here.' : ''}
        </Text>
        <Button leftSection={<Plus size={16} />} onClick={() => setCreating(true)}>
          New API token
        </Button>
      </Group>
      {created && (
        <SecretOnce
          title={`Token “${created.item.name}” created`}
          secret={created.token}
          label="New API token"
        >
          Copy it now: this is the only time it is shown. Use it as <code>Authorization: Bearer …</code> or{' '}
          <code>TRIBUTARY_TOKEN</code>.
        </SecretOnce>
      )}
      {tokens.isError ? (
        <ErrorAlert
          error={tokens.error}
          title="Could not load tokens"
          onRetry={() => void tokens.refetch()}
        />
      ) : !tokens.isPending && items.length === 0 ? (
        <EmptyState icon={<KeyRound size={32} aria-hidden />} title="No API tokens yet">
          Create a token to use the CLI or the API from a script.
        </EmptyState>
      ) : (
        <Paper withBorder radius="md">
          <Table aria-label="API tokens" verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Token</Table.Th>
                <Table.Th>Role</Table.Th>
                <Table.Th>Owner</Table.Th>
                <Table.Th>Created</Table.Th>
                <Table.Th>Last used</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((token) => (
                <Table.Tr key={token.id} data-token-row={token.id}>
                  <Table.Td>{token.name}</Table.Td>
                  <Table.Td>
                    <Text ff="monospace" size="sm">
                      {token.prefix}…
                    </Text>
                  </Table.Td>
                  <Table.Td>{token.role}</Table.Td>
                  <Table.Td>{token.userEmail}</Table.Td>
                  <Table.Td>{formatDateTime(token.createdAt)}</Table.Td>
                  <Table.Td title={formatDateTime(token.lastUsedAt)}>
                    {token.lastUsedAt ? formatRelative(token.lastUsedAt) : 'Never'}
                  </Table.Td>
                  <Table.Td>
                    <TokenState token={token} />
                  </Table.Td>
                  <Table.Td>
                    {!token.revokedAt && (
                      <Button size="xs" variant="subtle" color="red" onClick={() => setToRevoke(token)}>
                        Revoke
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
      <CreateTokenModal
        opened={creating}
        ceiling={role ?? 'viewer'}
        onClose={() => setCreating(false)}
        onCreated={(result) => {
          setCreating(false);
          setCreated(result);
        }}
      />
      <RevokeTokenModal token={toRevoke} onClose={() => setToRevoke(null)} />
    </Stack>
  );
}

function CreateTokenModal({
  opened,
  ceiling,
  onClose,
  onCreated,
}: {
  opened: boolean;
  ceiling: Role;
  onClose(): void;
  onCreated(result: EndpointResult<'createToken'>): void;
}) {
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>(ceiling);
  const [days, setDays] = useState<number | string>('');
  const create = useApiMutation('createToken', ['listTokens']);
  const close = () => {
    setName('');
    setDays('');
    create.reset();
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      {
        body: {
          name: name.trim(),
          role: roleWithin(role, ceiling) ? role : ceiling,
          ...(typeof days === 'number' ? { expiresInDays: days } : {}),
        },
      },
      {
        onSuccess: (result) => {
          close();
          onCreated(result);
        },
      },
    );
  };
  return (
    <Modal opened={opened} onClose={close} title="New API token">
      <form onSubmit={submit}>
        <Stack gap="sm">
          <TextInput
            label="Name"
            description="What the token is for, e.g. “nightly export script”"
            required
            data-autofocus
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
          />
          <Select
            label="Role"
            description="At most your own role"
            data={roles.filter((r) => roleWithin(r, ceiling))}
            value={roleWithin(role, ceiling) ? role : ceiling}
            onChange={(value) => value && setRole(value as Role)}
            allowDeselect={false}
          />
          <NumberInput
            label="Expires after (days)"
            description="Leave empty for a token that does not expire"
            min={1}
            max={3650}
            value={days}
            onChange={setDays}
          />
          {create.isError && <ErrorAlert error={create.error} title="Could not create the token" />}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending} disabled={!name.trim()}>
              Create token
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function RevokeTokenModal({ token, onClose }: { token: Token | null; onClose(): void }) {
  const revoke = useApiMutation('revokeToken', ['listTokens']);
  const close = () => {
    revoke.reset();
    onClose();
  };
  return (
    <Modal opened={token !== null} onClose={close} title={`Revoke “${token?.name ?? ''}”?`}>
      {token && (
        <Stack gap="md">
          <Text size="sm">
            Programs using this token are refused from now on. This cannot be undone; create a new token to
            replace it.
          </Text>
          {revoke.isError && <ErrorAlert error={revoke.error} title="The token was not revoked" />}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button
              color="red"
              loading={revoke.isPending}
              onClick={() => revoke.mutate({ params: { id: token.id } }, { onSuccess: close })}
            >
              Revoke token
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
