import {
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { UserPlus } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import type { EndpointResult } from '../../../../src/contract/endpoints.ts';
import { type Role, roles } from '../../../../src/domain/access.ts';
import { useApiMutation, useApiQuery } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatDate, formatDateTime } from '../../format.ts';
import { useSession } from '../access/session.tsx';
import { SecretOnce } from './SecretOnce.tsx';

type Member = EndpointResult<'listMembers'>['items'][number];
type Invitation = EndpointResult<'listInvitations'>['items'][number];

const roleLabels: Record<Role, string> = { viewer: 'Viewer', editor: 'Editor', admin: 'Admin' };
const roleOptions = roles.map((value) => ({ value, label: roleLabels[value] }));

/**
 * `/settings/members` (admins): the workspace's members with their roles (change, remove), invite
 * someone by email (the link is shown once), and the invitations still pending (revoke).
 */
export function MembersPage() {
  const [inviting, setInviting] = useState(false);
  const [invited, setInvited] = useState<EndpointResult<'createInvitation'> | null>(null);
  return (
    <Stack gap="xl">
      <Stack gap="md">
        <Group justify="space-between">
          <Title order={3} size="h4">
            Members
          </Title>
          <Button leftSection={<UserPlus size={16} aria-hidden />} onClick={() => setInviting(true)}>
            Invite someone
          </Button>
        </Group>
        {invited && (
          <SecretOnce
            title={`Invitation for ${invited.invitation.email} created`}
            secret={invited.url}
            label="Invitation link"
          >
            Send this link to {invited.invitation.email}: it is shown only now, works once, and expires{' '}
            {formatDateTime(invited.invitation.expiresAt)}.
          </SecretOnce>
        )}
        <MembersTable />
      </Stack>
      <PendingInvitations />
      <InviteModal
        opened={inviting}
        onClose={() => setInviting(false)}
        onInvited={(result) => {
          setInviting(false);
          setInvited(result);
        }}
      />
    </Stack>
  );
}

function MembersTable() {
  const { session } = useSession();
  const members = useApiQuery('listMembers');
  const update = useApiMutation('updateMember', ['listMembers']);
  const [toRemove, setToRemove] = useState<Member | null>(null);
  if (members.isError)
    return (
      <ErrorAlert
        error={members.error}
        title="Could not load members"
        onRetry={() => void members.refetch()}
      />
    );
  return (
    <>
      {update.isError && <ErrorAlert error={update.error} title="The role was not changed" />}
      <Paper withBorder radius="md">
        <Table aria-label="Members" verticalSpacing="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Email</Table.Th>
              <Table.Th w={160}>Role</Table.Th>
              <Table.Th>Joined</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(members.data?.items ?? []).map((member) => (
              <Table.Tr key={member.userId} data-member-row={member.email}>
                <Table.Td>
                  {member.name || '—'}
                  {member.userId === session.user.id && (
                    <Badge ml="xs" size="xs" variant="light">
                      You
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>{member.email}</Table.Td>
                <Table.Td>
                  <Select
                    size="xs"
                    aria-label={`Role of ${member.email}`}
                    data={roleOptions}
                    value={member.role}
                    allowDeselect={false}
                    disabled={update.isPending}
                    onChange={(value) => {
                      if (value && value !== member.role)
                        update.mutate({ params: { id: member.userId }, body: { role: value as Role } });
                    }}
                  />
                </Table.Td>
                <Table.Td>{formatDate(member.joinedAt)}</Table.Td>
                <Table.Td>
                  <Button
                    size="xs"
                    variant="subtle"
                    color="red"
                    aria-label={`Remove ${member.email}`}
                    onClick={() => setToRemove(member)}
                  >
                    Remove
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      <RemoveMemberModal member={toRemove} onClose={() => setToRemove(null)} />
    </>
  );
}

function RemoveMemberModal({ member, onClose }: { member: Member | null; onClose(): void }) {
  const remove = useApiMutation('removeMember', ['listMembers', 'listTokens']);
  const close = () => {
    remove.reset();
    onClose();
  };
  return (
    <Modal opened={member !== null} onClose={close} title={`Remove ${member?.email ?? ''}?`}>
      {member && (
        <Stack gap="md">
          <Text size="sm">
            {member.email} loses access to this workspace at once, and their API tokens for it are revoked.
            Their account and other workspaces are not affected.
          </Text>
          {remove.isError && <ErrorAlert error={remove.error} title="The member was not removed" />}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button
              color="red"
              loading={remove.isPending}
              onClick={() => remove.mutate({ params: { id: member.userId } }, { onSuccess: close })}
            >
              Remove member
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

/** Pending, used or expired, as a badge. */
function InvitationState({ invitation }: { invitation: Invitation }) {
  if (invitation.usedAt) return <Badge color="teal">Accepted</Badge>;
  if (new Date(invitation.expiresAt).getTime() < Date.now()) return <Badge color="gray">Expired</Badge>;
  return <Badge color="blue">Pending</Badge>;
}

function PendingInvitations() {
  const invitations = useApiQuery('listInvitations');
  const revoke = useApiMutation('revokeInvitation', ['listInvitations']);
  const items = invitations.data?.items ?? [];
  return (
    <Stack gap="md">
      <Title order={3} size="h4">
        Invitations
      </Title>
      {invitations.isError && <ErrorAlert error={invitations.error} title="Could not load invitations" />}
      {revoke.isError && <ErrorAlert error={revoke.error} title="The invitation was not revoked" />}
      {items.length === 0 ? (
        <Text size="sm" c="dimmed">
          No invitations yet.
        </Text>
      ) : (
        <Paper withBorder radius="md">
          <Table aria-label="Invitations" verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Email</Table.Th>
                <Table.Th>Role</Table.Th>
                <Table.Th>Invited by</Table.Th>
                <Table.Th>Expires</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((invitation) => {
                const pending = !invitation.usedAt && new Date(invitation.expiresAt).getTime() >= Date.now();
                return (
                  <Table.Tr key={invitation.id} data-invitation-row={invitation.email}>
                    <Table.Td>{invitation.email}</Table.Td>
                    <Table.Td>{roleLabels[invitation.role]}</Table.Td>
                    <Table.Td>{invitation.invitedBy ?? '—'}</Table.Td>
                    <Table.Td>{formatDateTime(invitation.expiresAt)}</Table.Td>
                    <Table.Td>
                      <InvitationState invitation={invitation} />
                    </Table.Td>
                    <Table.Td>
                      {pending && (
                        <Button
                          size="xs"
                          variant="subtle"
                          color="red"
                          aria-label={`Revoke the invitation of ${invitation.email}`}
                          loading={revoke.isPending && revoke.variables?.params?.id === invitation.id}
                          onClick={() => revoke.mutate({ params: { id: invitation.id } })}
                        >
                          Revoke
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
    </Stack>
  );
}

function InviteModal({
  opened,
  onClose,
  onInvited,
}: {
  opened: boolean;
  onClose(): void;
  onInvited(result: EndpointResult<'createInvitation'>): void;
}) {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('editor');
  const create = useApiMutation('createInvitation', ['listInvitations']);
  const close = () => {
    setEmail('');
    create.reset();
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { body: { email: email.trim(), role, expiresInHours: 72 } },
      {
        onSuccess: (result) => {
          close();
          onInvited(result);
        },
      },
    );
  };
  return (
    <Modal opened={opened} onClose={close} title="Invite someone">
      <form onSubmit={submit}>
        <Stack gap="sm">
          <TextInput
            label="Email"
            type="email"
            required
            data-autofocus
            value={email}
            onChange={(event) => setEmail(event.currentTarget.value)}
          />
          <Select
            label="Role"
            description="Viewers read everything; editors also change connections, extractions and destinations; admins also manage people."
            data={roleOptions}
            value={role}
            allowDeselect={false}
            onChange={(value) => value && setRole(value as Role)}
          />
          <Text size="xs" c="dimmed">
            You get a link to send; it works once and expires in 3 days.
          </Text>
          {create.isError && <ErrorAlert error={create.error} title="Could not invite" />}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending} disabled={!email.trim()}>
              Create invitation
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
