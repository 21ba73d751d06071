import { Button, Group, PasswordInput, Stack, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import type { DataSourceDetail } from '../../../../src/contract/schemas.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';

type CredentialField = DataSourceDetail['credentialFields'][number];

/** Checks one value against its field's rules; the server checks again, this only saves a round trip. */
function problemWith(field: CredentialField, value: string): string | null {
  if (!value.trim()) return `${field.label} is required`;
  if (value.length > field.maxLength) return `${field.label} is at most ${field.maxLength} characters`;
  if (field.pattern && !new RegExp(field.pattern).test(value)) {
    return `This does not look like a valid ${field.label.toLowerCase()}; check that you copied all of it`;
  }
  return null;
}

/** A form built from a data source's credential fields (API-key and login sources). */
export function CredentialForm({
  fields,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  fields: CredentialField[];
  submitLabel: string;
  /** Sends the values; a rejection is shown above the buttons. */
  onSubmit(values: Record<string, string>): Promise<void>;
  onCancel?: () => void;
}) {
  const [values, setValues] = useState<Record<string, string>>({});
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    for (const field of fields) {
      const problem = problemWith(field, values[field.name] ?? '');
      if (problem) found[field.name] = problem;
    }
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    setError(null);
    try {
      await onSubmit(values);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        {fields.map((field) => {
          const Input = field.secret ? PasswordInput : TextInput;
          return (
            <Input
              key={field.name}
              name={field.name}
              label={field.label}
              description={field.description}
              required
              maxLength={field.maxLength}
              autoComplete={field.secret ? 'off' : undefined}
              value={values[field.name] ?? ''}
              error={problems[field.name]}
              onChange={(event) => {
                const value = event.currentTarget.value;
                setValues((current) => ({ ...current, [field.name]: value }));
              }}
            />
          );
        })}
        {error !== null && <ErrorAlert error={error} title="The credentials were not accepted" />}
        <Group justify="flex-end">
          {onCancel && (
            <Button variant="default" onClick={onCancel} disabled={busy}>
              Cancel
            </Button>
          )}
          <Button type="submit" loading={busy}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
