import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { CircleAlert } from 'lucide-react';
import { useState } from 'react';
import { ApiError, api } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { AuthLayout } from './AuthLayout.tsx';
import type { Session } from './session.tsx';
import { useFormSubmit } from './useFormSubmit.ts';

/** How long a throttled sign-in must wait, from the error's details (seconds). */
function waitOf(error: ApiError): number | null {
  const seconds = error.details?.retryAfterSeconds;
  return typeof seconds === 'number' ? seconds : null;
}

/** The refusal of a sign-in in the user's words; anything unexpected falls to the generic alert. */
export function SignInRefusal({ error }: { error: unknown }) {
  if (error instanceof ApiError && error.code === 'sign_in_failed') {
    return (
      <Alert color="red" variant="light" icon={<CircleAlert size={18} />} role="alert" title="Wrong password">
        The email or password is not right. Check both and try again.
      </Alert>
    );
  }
  if (error instanceof ApiError && error.code === 'sign_in_throttled') {
    const seconds = waitOf(error);
    return (
      <Alert
        color="orange"
        variant="light"
        icon={<CircleAlert size={18} />}
        role="alert"
        title="Too many attempts"
      >
        Too many failed sign-ins.{' '}
        {seconds !== null
          ? `Wait ${seconds} ${seconds === 1 ? 'second' : 'seconds'}, then try again.`
          : 'Wait a little, then try again.'}
      </Alert>
    );
  }
  return <ErrorAlert error={error} title="Could not sign in" />;
}

/** The sign-in page: email and password; the app opens where the visitor was going. */
export function SignInPage({
  expired,
  onSignedIn,
}: {
  /** True when an earlier session ended (the user was signed in a moment ago). */
  expired: boolean;
  onSignedIn(session: Session): void;
}) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  const { busy, error, submit } = useFormSubmit(async () => {
    onSignedIn(await api.call('signIn', { body: { email: email.trim(), password } }));
  });

  return (
    <AuthLayout
      title="Sign in"
      description={expired ? 'Your session has ended. Sign in again to continue.' : undefined}
    >
      <form onSubmit={submit} aria-label="Sign in">
        <Stack gap="sm">
          <TextInput
            label="Email"
            type="email"
            autoComplete="username"
            required
            autoFocus
            value={email}
            onChange={(event) => setEmail(event.currentTarget.value)}
          />
          <PasswordInput
            label="Password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.currentTarget.value)}
          />
          {error !== null && <SignInRefusal error={error} />}
          <Button type="submit" loading={busy} fullWidth mt="xs">
            Sign in
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
