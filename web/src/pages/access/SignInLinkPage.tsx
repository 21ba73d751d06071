import { Alert, Button, Checkbox, Stack, Text } from '@mantine/core';
import { CircleAlert } from 'lucide-react';
import { useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { ApiError, api } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useAdoptSession } from './AuthGate.tsx';
import { AuthLayout } from './AuthLayout.tsx';
import { NewPasswordFields, newPasswordProblem } from './NewPasswordFields.tsx';
import { useFormSubmit } from './useFormSubmit.ts';

/**
 * `/sign-in/link#trl_…`: a one-time link from `tributary users sign-in-link`. Nothing is spent until the
 * visitor presses the button, so a link preview that runs the page cannot use it up. Someone who lost their
 * password (or never had one) chooses a new one on the way in.
 */
export default function SignInLinkPage() {
  const token = useLocation().hash.replace(/^#/, '');
  const navigate = useNavigate();
  const adopt = useAdoptSession();
  const [resetting, setResetting] = useState(false);
  const [password, setPassword] = useState('');
  const [repeated, setRepeated] = useState('');
  const problem = resetting ? newPasswordProblem(password, repeated) : null;
  // Called before the early return below: hooks run on every render.
  const { busy, error, submit } = useFormSubmit(async () => {
    adopt(
      await api.call('signInWithLink', {
        body: { token, ...(resetting ? { newPassword: password } : {}) },
      }),
    );
    // Replacing the entry also drops the link from the browser's history.
    navigate('/connections', { replace: true });
  }, problem);

  if (!token) {
    return (
      <AuthLayout title="This sign-in link cannot be used">
        <Text size="sm">The link has no sign-in code in it. Open the whole link you were given.</Text>
        <Button component={Link} to="/" variant="light">
          Go to sign-in
        </Button>
      </AuthLayout>
    );
  }

  return (
    <AuthLayout
      title="Sign in with a one-time link"
      description="The link works once and expires soon. If you lost your password, choose a new one now."
    >
      <form onSubmit={submit} aria-label="Sign in with the link">
        <Stack gap="sm">
          <Checkbox
            label="Choose a new password"
            checked={resetting}
            onChange={(event) => setResetting(event.currentTarget.checked)}
          />
          {resetting && (
            <NewPasswordFields
              label="New password"
              password={password}
              repeated={repeated}
              onPassword={setPassword}
              onRepeated={setRepeated}
            />
          )}
          {error !== null && <LinkRefusal error={error} />}
          <Button type="submit" loading={busy} disabled={problem !== null} fullWidth mt="xs">
            {resetting ? 'Set the password and sign in' : 'Sign in'}
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}

function LinkRefusal({ error }: { error: unknown }) {
  if (error instanceof ApiError && error.code === 'sign_in_failed') {
    return (
      <Alert
        color="red"
        variant="light"
        icon={<CircleAlert size={18} />}
        role="alert"
        title="This link cannot be used"
      >
        It is unknown, already used or expired. Ask whoever runs Tributary for a new one.
      </Alert>
    );
  }
  return <ErrorAlert error={error} title="Could not sign in" />;
}
