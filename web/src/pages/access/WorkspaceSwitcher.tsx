import { Badge, Button, Group, Menu, Modal, Stack, Text, TextInput } from '@mantine/core';
import { Building2, Check, ChevronDown, Plus } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import { useApiMutation, useApiQuery } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useSession } from './session.tsx';

/**
 * The header's workspace menu: the user's workspaces with their role in each; picking one makes
 * every request act in it. An admin of the current workspace can create a new one here (the permission table's
 * level for createWorkspace, as the server checks it).
 */
export function WorkspaceSwitcher() {
  const { session, switchWorkspace, can } = useSession();
  const workspaces = useApiQuery('listWorkspaces', {}, { staleTime: 30_000 });
  const [creating, setCreating] = useState(false);
  const items = workspaces.data?.items ?? session.workspaces;
  const current = session.workspace;
  return (
    <>
      <Menu position="bottom-start" width={260} withinPortal>
        <Menu.Target>
          <Button
            variant="default"
            size="sm"
            leftSection={<Building2 size={16} aria-hidden />}
            rightSection={<ChevronDown size={14} aria-hidden />}
            aria-label={`Workspace: ${current?.name ?? 'none'}`}
            data-workspace={current?.id ?? ''}
          >
            {current?.name ?? 'No workspace'}
          </Button>
        </Menu.Target>
        <Menu.Dropdown aria-label="Workspaces">
          <Menu.Label>Workspaces</Menu.Label>
          {items.map((workspace) => (
            <Menu.Item
              key={workspace.id}
              onClick={() => workspace.id !== current?.id && switchWorkspace(workspace.id)}
              leftSection={
                workspace.id === current?.id ? (
                  <Check size={14} aria-hidden />
                ) : (
                  <span style={{ width: 14 }} />
                )
              }
              rightSection={
                <Badge size="xs" variant="light" color="gray">
                  {workspace.role}
                </Badge>
              }
            >
              {workspace.name}
            </Menu.Item>
          ))}
          {can('createWorkspace') && (
            <>
              <Menu.Divider />
              <Menu.Item leftSection={<Plus size={14} aria-hidden />} onClick={() => setCreating(true)}>
                Create a workspace
              </Menu.Item>
            </>
          )}
        </Menu.Dropdown>
      </Menu>
      <CreateWorkspaceModal
        opened={creating}
        onClose={() => setCreating(false)}
        onCreated={(id) => {
          setCreating(false);
          switchWorkspace(id);
        }}
      />
    </>
  );
}

function CreateWorkspaceModal({
  opened,
  onClose,
  onCreated,
}: {
  opened: boolean;
  onClose(): void;
  onCreated(id: string): void;
}) {
  const [name, setName] = useState('');
  const create = useApiMutation('createWorkspace', ['listWorkspaces', 'getSession']);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { body: { name: name.trim() } },
      {
        onSuccess: (workspace) => {
          setName('');
          create.reset();
          onCreated(workspace.id);
        },
      },
    );
  };
  return (
    <Modal opened={opened} onClose={onClose} title="Create a workspace">
      <form onSubmit={submit}>
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            A workspace keeps its own connections, extractions, destinations and people. You become its admin.
          </Text>
          <TextInput
            label="Name"
            required
            data-autofocus
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
          />
          {create.isError && <ErrorAlert error={create.error} title="Could not create the workspace" />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending} disabled={!name.trim()}>
              Create workspace
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
