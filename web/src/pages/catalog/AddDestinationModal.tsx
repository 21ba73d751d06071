import {
  Alert,
  Button,
  Group,
  List,
  Loader,
  Modal,
  SegmentedControl,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { HardDrive, Server } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import { useApiMutation } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';

type Kind = 'duckdb' | 'postgres';

const postgresUrl = /^postgres(ql)?:\/\//;
const sqlIdentifier = /^[a-z][a-z0-9_]{0,62}$/;

/** A file name from the destination's name: "Marketing warehouse" → "marketing-warehouse.duckdb". */
function fileNameFor(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `${slug || 'warehouse'}.duckdb`;
}

/**
 * Where a DuckDB destination goes when no path is given: next to the default warehouse, which the
 * server keeps in TRIBUTARY_HOME. Null when there is no default DuckDB to take the folder from.
 */
function suggestedPath(defaultLocation: string | null, name: string): string | null {
  if (!defaultLocation) return null;
  const separator = defaultLocation.includes('\\') ? '\\' : '/';
  const folder = defaultLocation.slice(0, defaultLocation.lastIndexOf(separator));
  return `${folder}${separator}${fileNameFor(name)}`;
}

function postgresProblems(url: string, schema: string) {
  return {
    url: postgresUrl.test(url.trim()) ? null : 'Enter a postgres:// URL',
    schema: sqlIdentifier.test(schema) ? null : 'Lower-case letters, digits and _; starts with a letter',
  };
}

/** The form that adds a destination; the server opens it and writes a test table before saving. */
export function AddDestinationModal({
  opened,
  defaultLocation,
  onClose,
}: {
  opened: boolean;
  defaultLocation: string | null;
  onClose: () => void;
}) {
  const [kind, setKind] = useState<Kind>('duckdb');
  const [name, setName] = useState('');
  const [path, setPath] = useState('');
  const [url, setUrl] = useState('');
  const [schema, setSchema] = useState('tributary');
  const [submitted, setSubmitted] = useState(false);
  const create = useApiMutation('createDestination', ['listDestinations']);

  const suggested = suggestedPath(defaultLocation, name);
  const nameProblem = name.trim() ? null : 'Give the destination a name';
  const pathProblem = kind === 'duckdb' && !path.trim() && !suggested ? 'Enter the file path' : null;
  const pg = postgresProblems(url, schema);
  const valid = !nameProblem && (kind === 'duckdb' ? !pathProblem : !pg.url && !pg.schema);

  const close = () => {
    if (create.isPending) return;
    setKind('duckdb');
    setName('');
    setPath('');
    setUrl('');
    setSchema('tributary');
    setSubmitted(false);
    create.reset();
    onClose();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (!valid) return;
    const body =
      kind === 'duckdb'
        ? { kind, name: name.trim(), path: path.trim() || (suggested as string) }
        : { kind, name: name.trim(), url: url.trim(), schema };
    create.mutate({ body }, { onSuccess: close });
  };

  const show = (problem: string | null) => (submitted ? problem : null);

  return (
    <Modal
      opened={opened}
      onClose={close}
      title="Add destination"
      size="lg"
      closeOnClickOutside={!create.isPending}
      closeButtonProps={{ 'aria-label': 'Close' }}
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <SegmentedControl
            aria-label="Kind of destination"
            value={kind}
            onChange={(value) => {
              setKind(value as Kind);
              create.reset();
            }}
            disabled={create.isPending}
            fullWidth
            data={[
              {
                value: 'duckdb',
                label: (
                  <Group gap={6} justify="center" wrap="nowrap">
                    <HardDrive size={16} aria-hidden /> DuckDB file
                  </Group>
                ),
              },
              {
                value: 'postgres',
                label: (
                  <Group gap={6} justify="center" wrap="nowrap">
                    <Server size={16} aria-hidden /> PostgreSQL
                  </Group>
                ),
              },
            ]}
          />
          <TextInput
            label="Name"
            placeholder={kind === 'duckdb' ? 'Local analytics' : 'Marketing warehouse'}
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            error={show(nameProblem)}
            disabled={create.isPending}
            required
            data-autofocus
          />
          {kind === 'duckdb' ? (
            <TextInput
              label="File path"
              description={
                suggested
                  ? 'Leave empty to create the file next to the default warehouse.'
                  : 'An absolute path on the Tributary server; the file is created if missing.'
              }
              placeholder={suggested ?? '/var/lib/tributary/analytics.duckdb'}
              value={path}
              onChange={(event) => setPath(event.currentTarget.value)}
              error={show(pathProblem)}
              disabled={create.isPending}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            />
          ) : (
            <>
              <TextInput
                label="Connection URL"
                description="Stored encrypted; the password is never shown again."
                placeholder="postgres://user:password@db.example.com:5432/analytics"
                value={url}
                onChange={(event) => setUrl(event.currentTarget.value)}
                error={show(pg.url)}
                disabled={create.isPending}
                autoComplete="off"
                spellCheck={false}
                required
                styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
              />
              <TextInput
                label="Schema"
                description="Tables are created here; the schema is created if it does not exist."
                value={schema}
                onChange={(event) => setSchema(event.currentTarget.value)}
                error={show(pg.schema)}
                disabled={create.isPending}
                required
              />
            </>
          )}
          {create.isPending && (
            <Alert color="indigo" variant="light" icon={<Loader size={16} aria-hidden />} role="status">
              <Text size="sm" fw={500}>
                Testing connection…
              </Text>
              <Text size="sm" c="dimmed">
                {kind === 'duckdb'
                  ? 'Opening the file and checking Tributary can create a table in it.'
                  : `Connecting and checking Tributary can create a table in schema ${schema}.`}
              </Text>
            </Alert>
          )}
          {create.error && (
            <Stack gap="xs">
              <ErrorAlert error={create.error} title="Connection test failed: nothing was saved" />
              {kind === 'postgres' && create.error.code === 'destination_unavailable' && (
                <List size="sm" c="dimmed" spacing={2}>
                  <List.Item>Check the host, port and database name in the URL.</List.Item>
                  <List.Item>
                    Check the user name and password, and that this server may connect (pg_hba.conf,
                    firewall).
                  </List.Item>
                  <List.Item>
                    The user needs CREATE rights on the database (or on the schema, if it exists).
                  </List.Item>
                </List>
              )}
            </Stack>
          )}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close} disabled={create.isPending}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Test and save
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
