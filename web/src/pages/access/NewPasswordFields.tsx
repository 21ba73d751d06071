import { PasswordInput } from '@mantine/core';
import { MIN_PASSWORD_LENGTH } from '../../../../src/domain/access.ts';

/** A new password typed twice; the problem with it, or null when it is acceptable. */
export function newPasswordProblem(password: string, repeated: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH)
    return `The password needs at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (password !== repeated) return 'The two passwords differ.';
  return null;
}

/** Two password inputs (new, repeated), showing what is wrong once the user has typed both. */
export function NewPasswordFields({
  password,
  repeated,
  onPassword,
  onRepeated,
  label = 'Password',
}: {
  password: string;
  repeated: string;
  onPassword(value: string): void;
  onRepeated(value: string): void;
  label?: string;
}) {
  const tooShort = password.length > 0 && password.length < MIN_PASSWORD_LENGTH;
  const differs = repeated.length > 0 && password !== repeated;
  return (
    <>
      <PasswordInput
        label={label}
        description={`At least ${MIN_PASSWORD_LENGTH} characters`}
        autoComplete="new-password"
        required
        value={password}
        onChange={(event) => onPassword(event.currentTarget.value)}
        error={tooShort ? `At least ${MIN_PASSWORD_LENGTH} characters` : undefined}
      />
      <PasswordInput
        label={`Repeat the ${label.toLowerCase()}`}
        autoComplete="new-password"
        required
        value={repeated}
        onChange={(event) => onRepeated(event.currentTarget.value)}
        error={differs ? 'The two passwords differ' : undefined}
      />
    </>
  );
}
