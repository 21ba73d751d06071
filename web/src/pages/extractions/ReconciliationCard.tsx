import { Anchor, Group, Paper, ScrollArea, Skeleton, Table, Text, ThemeIcon, Title } from '@mantine/core';
import { CircleCheck, CircleMinus, Scale, TriangleAlert } from 'lucide-react';
import { Link } from 'react-router';
import type { RunView } from '../../../../src/contract/extractionSchemas.ts';
import { formatDateTime } from '../../format.ts';
import { fieldLabel, formatDay, isRunActive } from './extractionText.ts';

const number = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/**
 * The reconciliation of one run: the destination's totals per (account, day) against the
 * provider's own totals, and every difference found.
 */
export function ReconciliationCard({
  run,
  loading,
  title = 'Reconciliation',
  linkToRun = true,
}: {
  run: RunView | null;
  loading: boolean;
  title?: string;
  linkToRun?: boolean;
}) {
  const result = run?.reconciliation ?? null;
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-label={title}>
      <Group justify="space-between" mb="md">
        <Group gap="xs">
          <Scale size={18} aria-hidden />
          <Title order={4}>{title}</Title>
        </Group>
        {run && linkToRun && (
          <Anchor component={Link} to={`/extractions/${run.extractionId}/runs/${run.id}`} size="sm">
            Open the run
          </Anchor>
        )}
      </Group>
      {loading ? (
        <Skeleton height={48} />
      ) : !run ? (
        <Text size="sm" c="dimmed">
          No finished run yet. After each run, the loaded totals are compared with the provider's own.
        </Text>
      ) : !result ? (
        <Text size="sm" c="dimmed">
          {isRunActive(run.status)
            ? 'Totals are compared with the provider when the run ends.'
            : `This run ended (${run.status}) before totals could be compared.`}
        </Text>
      ) : (
        <>
          <Group gap="sm" wrap="nowrap" align="flex-start">
            <ThemeIcon
              variant="light"
              size="lg"
              color={
                result.status === 'matched' ? 'teal' : result.status === 'mismatched' ? 'orange' : 'gray'
              }
            >
              {result.status === 'matched' ? (
                <CircleCheck size={18} aria-hidden />
              ) : result.status === 'mismatched' ? (
                <TriangleAlert size={18} aria-hidden />
              ) : (
                <CircleMinus size={18} aria-hidden />
              )}
            </ThemeIcon>
            <div>
              <Text fw={600} size="sm">
                {result.status === 'matched'
                  ? `All ${result.daysCompared} account-days match the provider`
                  : result.status === 'mismatched'
                    ? `${result.mismatches.length} difference${result.mismatches.length === 1 ? '' : 's'} over ${result.daysCompared} account-days compared`
                    : 'Not compared'}
              </Text>
              <Text size="xs" c="dimmed">
                {result.reason ? `${result.reason.charAt(0).toUpperCase()}${result.reason.slice(1)} · ` : ''}
                Checked {formatDateTime(result.checkedAt)}
              </Text>
            </div>
          </Group>
          {result.mismatches.length > 0 && (
            <ScrollArea.Autosize mah={280} mt="md">
              <Table striped verticalSpacing={4} fz="sm" aria-label="Reconciliation differences">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Day</Table.Th>
                    <Table.Th>Account</Table.Th>
                    <Table.Th>Metric</Table.Th>
                    <Table.Th ta="right">Warehouse</Table.Th>
                    <Table.Th ta="right">Provider</Table.Th>
                    <Table.Th ta="right">Difference</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {result.mismatches.map((mismatch) => (
                    <Table.Tr key={`${mismatch.accountId}-${mismatch.date}-${mismatch.metric}`}>
                      <Table.Td>{formatDay(mismatch.date, true)}</Table.Td>
                      <Table.Td ff="monospace">{mismatch.accountId}</Table.Td>
                      <Table.Td>{fieldLabel(mismatch.metric)}</Table.Td>
                      <Table.Td ta="right">{number.format(mismatch.destination)}</Table.Td>
                      <Table.Td ta="right">{number.format(mismatch.provider)}</Table.Td>
                      <Table.Td ta="right" c="orange.8">
                        {number.format(mismatch.destination - mismatch.provider)}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollArea.Autosize>
          )}
        </>
      )}
    </Paper>
  );
}
