import { Button, Code, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import type { EndpointResult } from '../../../../src/contract/endpoints.ts';
import { useApiQuery } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatDateTime } from '../../format.ts';

type Entry = EndpointResult<'listAudit'>['items'][number];

const pageSize = 50;

/** "createConnection" → "Create connection": endpoint names read as actions. */
function actionLabel(action: string): string {
  const words = action.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function DetailsCell({ entry }: { entry: Entry }) {
  const keys = Object.keys(entry.details);
  if (keys.length === 0) return <Text c="dimmed">—</Text>;
  return (
    <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all', maxWidth: 360 }}>
      {JSON.stringify(entry.details)}
    </Code>
  );
}

/**
 * `/settings/audit` (admins): who did what to which object and when, newest first, a page at a time
 * (older pages by the `nextBefore` cursor; the pages seen stay reachable with Newer).
 */
export function AuditPage() {
  // The cursors of the pages visited: the last one is shown; Newer pops, Older pushes.
  const [cursors, setCursors] = useState<(number | undefined)[]>([undefined]);
  const before = cursors[cursors.length - 1];
  const audit = useApiQuery('listAudit', { query: { limit: pageSize, ...(before ? { before } : {}) } });
  const items = audit.data?.items ?? [];
  if (audit.isError)
    return (
      <ErrorAlert
        error={audit.error}
        title="Could not load the audit log"
        onRetry={() => void audit.refetch()}
      />
    );
  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        Every change made in this workspace, by whom (a user, or a user’s API token) and when.
      </Text>
      <Paper withBorder radius="md">
        <Table aria-label="Audit log" verticalSpacing="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>When</Table.Th>
              <Table.Th>Who</Table.Th>
              <Table.Th>What</Table.Th>
              <Table.Th>Target</Table.Th>
              <Table.Th>Details</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((entry) => (
              <Table.Tr key={entry.id} data-audit-action={entry.action}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(entry.at)}</Table.Td>
                <Table.Td>{entry.actor}</Table.Td>
                <Table.Td>{actionLabel(entry.action)}</Table.Td>
                <Table.Td>
                  <Text size="sm">{entry.targetType}</Text>
                  {entry.targetId && (
                    <Text size="xs" c="dimmed" ff="monospace">
                      {entry.targetId}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <DetailsCell entry={entry} />
                </Table.Td>
              </Table.Tr>
            ))}
            {!audit.isPending && items.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={5}>
                  <Text c="dimmed" ta="center" py="md">
                    Nothing has been changed yet.
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
          </Table.Tbody>
        </Table>
      </Paper>
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          Page {cursors.length}
        </Text>
        <Group gap="xs">
          <Button
            variant="default"
            size="xs"
            disabled={cursors.length === 1}
            onClick={() => setCursors((current) => current.slice(0, -1))}
          >
            Newer
          </Button>
          <Button
            variant="default"
            size="xs"
            disabled={!audit.data?.nextBefore}
            onClick={() => {
              const next = audit.data?.nextBefore;
              if (next) setCursors((current) => [...current, next]);
            }}
          >
            Older
          </Button>
        </Group>
      </Group>
    </Stack>
  );
}
