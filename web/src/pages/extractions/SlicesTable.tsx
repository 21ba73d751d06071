import { Badge, Paper, Skeleton, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { formatDuration, formatInteger } from '../../format.ts';
import { categoryLabels, describeWindow, type SliceView } from './extractionText.ts';
import { SliceStatusBadge } from './StatusBadges.tsx';

const headers = [
  'Account',
  'Days',
  'Status',
  'Attempts',
  'Rows',
  'API calls',
  'Quota waits',
  'Took',
  'Error',
];
const numeric = new Set(['Attempts', 'Rows', 'API calls', 'Quota waits', 'Took']);

function took(slice: SliceView): number | null {
  if (!slice.startedAt || !slice.finishedAt) return null;
  return new Date(slice.finishedAt).getTime() - new Date(slice.startedAt).getTime();
}

/** A run's slices (account × date window): each one's progress, numbers and error. */
export function SlicesTable({ slices }: { slices: SliceView[] | undefined }) {
  return (
    <Paper withBorder radius="md" component="section" aria-labelledby="slices-title">
      <Title order={4} id="slices-title" p="lg" pb="xs">
        Slices{' '}
        {slices && (
          <Text span c="dimmed" size="sm" fw={400}>
            {slices.filter((slice) => slice.status === 'succeeded').length} of {slices.length} loaded
          </Text>
        )}
      </Title>
      <Table.ScrollContainer minWidth={960} px="xs">
        <Table verticalSpacing="xs" aria-label="Slices">
          <Table.Thead>
            <Table.Tr>
              {headers.map((header) => (
                <Table.Th
                  key={header}
                  ta={numeric.has(header) ? 'right' : undefined}
                  style={{ whiteSpace: 'nowrap', minWidth: header === 'Status' ? 110 : undefined }}
                >
                  {header}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {!slices ? (
              <Table.Tr>
                <Table.Td colSpan={headers.length}>
                  <Skeleton height={72} />
                </Table.Td>
              </Table.Tr>
            ) : slices.length === 0 ? (
              <Table.Tr>
                <Table.Td colSpan={headers.length}>
                  <Text size="sm" c="dimmed">
                    The run has not been split into slices yet.
                  </Text>
                </Table.Td>
              </Table.Tr>
            ) : (
              slices.map((slice) => (
                <Table.Tr key={slice.id}>
                  <Table.Td>
                    <Text size="sm" truncate maw={260}>
                      {slice.accountName}
                    </Text>
                    <Text size="xs" c="dimmed" ff="monospace">
                      {slice.accountId}
                    </Text>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    {describeWindow({ kind: 'range', from: slice.from, to: slice.to })}
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <SliceStatusBadge status={slice.status} />
                  </Table.Td>
                  <Table.Td ta="right">{slice.attempts}</Table.Td>
                  <Table.Td ta="right">{formatInteger(slice.rowsWritten)}</Table.Td>
                  <Table.Td ta="right">{formatInteger(slice.apiCalls)}</Table.Td>
                  <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                    {slice.quotaWaitMs > 0 ? formatDuration(slice.quotaWaitMs) : '—'}
                  </Table.Td>
                  <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                    {formatDuration(took(slice))}
                  </Table.Td>
                  <Table.Td maw={320}>
                    {slice.error ? (
                      <Stack gap={2}>
                        <Badge
                          color={slice.status === 'succeeded' ? 'gray' : 'red'}
                          variant="outline"
                          size="sm"
                        >
                          {categoryLabels[slice.error.category] ?? slice.error.category}
                          {slice.status === 'succeeded' ? ' · recovered' : ''}
                        </Badge>
                        <Tooltip label={slice.error.message} multiline w={320}>
                          <Text size="xs" c={slice.status === 'succeeded' ? 'dimmed' : 'red.8'} lineClamp={2}>
                            {slice.error.message}
                          </Text>
                        </Tooltip>
                      </Stack>
                    ) : (
                      <Text size="sm" c="dimmed">
                        —
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))
            )}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}
