import { Button, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import { api } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { AuthLayout } from './AuthLayout.tsx';
import { NewPasswordFields, newPasswordProblem } from './NewPasswordFields.tsx';
import type { Session } from './session.tsx';
import { useFormSubmit } from './useFormSubmit.ts';

/** First run: the owner account is created here (only offered to a browser on the server's machine). */
export function SetupPage({ onSignedIn }: { onSignedIn(session: Session): void }) {
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [repeated, setRepeated] = useState('');
  const problem = newPasswordProblem(password, repeated);

  const { busy, error, submit } = useFormSubmit(async () => {
    onSignedIn(await api.call('setupOwner', { body: { email: email.trim(), name: name.trim(), password } }));
  }, problem);

  return (
    <AuthLayout
      title="Create the owner account"
      description="Welcome to Tributary. This account administers the Default workspace; you can invite others later."
    >
      <form onSubmit={submit} aria-label="Create the owner account">
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
          <TextInput
            label="Name"
            autoComplete="name"
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
          />
          <NewPasswordFields
            password={password}
            repeated={repeated}
            onPassword={setPassword}
            onRepeated={setRepeated}
          />
          {error !== null && <ErrorAlert error={error} title="Could not create the account" />}
          <Button type="submit" loading={busy} disabled={problem !== null} fullWidth mt="xs">
            Create account and sign in
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
