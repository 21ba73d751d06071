import { Alert, Avatar, Button, Group, Menu, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { KeyRound, LogOut } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import { useApiMutation } from '../../api.ts';
import { NewPasswordFields, newPasswordProblem } from './NewPasswordFields.tsx';
import { SignInRefusal } from './SignInPage.tsx';
import { useSession } from './session.tsx';

/** The header's user menu: who is signed in, their role here, password change and sign-out. */
export function UserMenu() {
  const { session, role, signOut } = useSession();
  const [changing, setChanging] = useState(false);
  const initial = (session.user.name || session.user.email).slice(0, 1).toUpperCase();
  return (
    <>
      <Menu position="bottom-end" width={240} withinPortal>
        <Menu.Target>
          <Button variant="subtle" color="gray" px={6} aria-label={`Account: ${session.user.email}`}>
            <Avatar size={28} radius="xl" color="indigo">
              {initial}
            </Avatar>
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Stack gap={0} px="sm" py={6}>
            {session.user.name && (
              <Text size="sm" fw={600}>
                {session.user.name}
              </Text>
            )}
            <Text size="sm" c="dimmed" data-testid="signed-in-email">
              {session.user.email}
            </Text>
            {role && (
              <Text size="xs" c="dimmed">
                {role[0]!.toUpperCase() + role.slice(1)} in {session.workspace?.name}
              </Text>
            )}
          </Stack>
          <Menu.Divider />
          <Menu.Item leftSection={<KeyRound size={14} aria-hidden />} onClick={() => setChanging(true)}>
            Change password
          </Menu.Item>
          <Menu.Item leftSection={<LogOut size={14} aria-hidden />} onClick={() => void signOut()}>
            Sign out
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <ChangePasswordModal opened={changing} onClose={() => setChanging(false)} />
    </>
  );
}

function ChangePasswordModal({ opened, onClose }: { opened: boolean; onClose(): void }) {
  const [current, setCurrent] = useState('');
  const [password, setPassword] = useState('');
  const [repeated, setRepeated] = useState('');
  const change = useApiMutation('changePassword');
  const problem = newPasswordProblem(password, repeated);
  const close = () => {
    setCurrent('');
    setPassword('');
    setRepeated('');
    change.reset();
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (problem) return;
    change.mutate({ body: { currentPassword: current, newPassword: password } });
  };
  return (
    <Modal opened={opened} onClose={close} title="Change your password">
      {change.isSuccess ? (
        <Stack gap="sm">
          <Alert color="teal" variant="light" title="Password changed">
            Your other sessions have been signed out; this one stays signed in.
          </Alert>
          <Group justify="flex-end">
            <Button onClick={close}>Done</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit}>
          <Stack gap="sm">
            <PasswordInput
              label="Current password"
              autoComplete="current-password"
              required
              data-autofocus
              value={current}
              onChange={(event) => setCurrent(event.currentTarget.value)}
            />
            <NewPasswordFields
              label="New password"
              password={password}
              repeated={repeated}
              onPassword={setPassword}
              onRepeated={setRepeated}
            />
            {change.isError && <SignInRefusal error={change.error} />}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={change.isPending} disabled={problem !== null || !current}>
                Change password
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
