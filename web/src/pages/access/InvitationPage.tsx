import { Button, Loader, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api, chooseWorkspace, useApiQuery } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatDateTime } from '../../format.ts';
import { useAdoptSession } from './AuthGate.tsx';
import { AuthLayout } from './AuthLayout.tsx';
import { NewPasswordFields, newPasswordProblem } from './NewPasswordFields.tsx';
import { SignInRefusal } from './SignInPage.tsx';
import { useFormSubmit } from './useFormSubmit.ts';

/**
 * `/invitation?token=`: what the invitation offers (workspace, email, role); a new user chooses a
 * password, an existing one proves theirs. Accepting signs in and opens the invited workspace.
 */
export default function InvitationPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const preview = useApiQuery(
    'inspectInvitation',
    { query: { token } },
    { enabled: token !== '', retry: false },
  );

  if (!token || preview.isError) {
    return (
      <AuthLayout title="This invitation cannot be used">
        {preview.isError ? (
          <ErrorAlert error={preview.error} title="Invitation not valid" />
        ) : (
          <Text size="sm">The link has no invitation in it. Open the whole link you were sent.</Text>
        )}
        <Button component={Link} to="/" variant="light">
          Go to sign-in
        </Button>
      </AuthLayout>
    );
  }
  if (!preview.data) {
    return (
      <AuthLayout title="Invitation">
        <Loader aria-label="Loading" mx="auto" />
      </AuthLayout>
    );
  }
  return <AcceptForm token={token} invitation={preview.data} />;
}

function AcceptForm({
  token,
  invitation,
}: {
  token: string;
  invitation: { workspaceName: string; email: string; role: string; expiresAt: string; userExists: boolean };
}) {
  const navigate = useNavigate();
  const adopt = useAdoptSession();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [repeated, setRepeated] = useState('');
  const problem = invitation.userExists
    ? password
      ? null
      : 'password'
    : newPasswordProblem(password, repeated);

  const { busy, error, submit } = useFormSubmit(async () => {
    const session = await api.call('acceptInvitation', {
      body: { token, password, ...(invitation.userExists ? {} : { name: name.trim() }) },
    });
    // The session comes back in the invited workspace: open it, whatever was chosen before.
    chooseWorkspace(session.workspace?.id ?? null);
    adopt(session);
    navigate('/connections', { replace: true });
  }, problem);

  return (
    <AuthLayout
      title={`Join ${invitation.workspaceName}`}
      description={
        <>
          You are invited as <b>{invitation.role}</b> with {invitation.email}. The invitation expires{' '}
          {formatDateTime(invitation.expiresAt)}.
        </>
      }
    >
      <form onSubmit={submit} aria-label="Accept the invitation">
        <Stack gap="sm">
          <TextInput label="Email" value={invitation.email} readOnly autoComplete="username" />
          {invitation.userExists ? (
            <>
              <Text size="sm" c="dimmed">
                You already have an account: enter your password to join.
              </Text>
              <TextInput
                label="Password"
                type="password"
                autoComplete="current-password"
                required
                autoFocus
                value={password}
                onChange={(event) => setPassword(event.currentTarget.value)}
              />
            </>
          ) : (
            <>
              <TextInput
                label="Name"
                autoComplete="name"
                autoFocus
                value={name}
                onChange={(event) => setName(event.currentTarget.value)}
              />
              <NewPasswordFields
                password={password}
                repeated={repeated}
                onPassword={setPassword}
                onRepeated={setRepeated}
              />
            </>
          )}
          {error !== null && <SignInRefusal error={error} />}
          <Button type="submit" loading={busy} disabled={problem !== null} fullWidth mt="xs">
            Accept and join
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
