import { Group, Paper, ScrollArea, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { Table2 } from 'lucide-react';
import type { EndpointResult } from '../../../../src/contract/endpoints.ts';
import { useApiQuery } from '../../api.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatDateTime } from '../../format.ts';

type Column = EndpointResult<'getExtractionData'>['columns'][number];
type Cell = EndpointResult<'getExtractionData'>['rows'][number][string];

const rowLimit = 50;
const numericTypes = new Set(['integer', 'decimal', 'money', 'percent']);
const integer = new Intl.NumberFormat('en-US');
const decimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 6 });
const money = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** One cell as its type reads: numbers grouped and right-aligned, money with cents, nulls dimmed. */
function renderCell(column: Column, value: Cell) {
  if (value === null || value === undefined) {
    return (
      <Text span size="sm" c="dimmed">
        null
      </Text>
    );
  }
  if (typeof value === 'number') {
    if (column.type === 'integer') return integer.format(value);
    if (column.type === 'money') return money.format(value);
    if (column.type === 'percent') return `${decimal.format(value)} %`;
    return decimal.format(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  // System timestamps (__insert_date) read better in the viewer's time.
  if (/^\d{4}-\d{2}-\d{2}T/.test(value)) return formatDateTime(value);
  return value;
}

/** The first rows of the extraction's table, exactly as loaded, with each column's type. */
export function FirstRowsTable({ extractionId }: { extractionId: string }) {
  const data = useApiQuery('getExtractionData', { params: { id: extractionId }, query: { limit: rowLimit } });
  if (data.error) return <ErrorAlert error={data.error} onRetry={() => data.refetch()} />;
  if (data.data && data.data.rows.length === 0) {
    return (
      <EmptyState icon={<Table2 size={36} aria-hidden />} title="The table is empty">
        Rows appear here after the first run has loaded data into{' '}
        <Text span ff="monospace">
          {data.data.table}
        </Text>
        .
      </EmptyState>
    );
  }
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="first-rows-title">
      <Group justify="space-between" mb="md">
        <Group gap="xs">
          <Table2 size={18} aria-hidden />
          <Title order={4} id="first-rows-title">
            First rows of{' '}
            <Text span ff="monospace" inherit>
              {data.data?.table ?? '…'}
            </Text>
          </Title>
        </Group>
        {data.data && (
          <Text size="sm" c="dimmed">
            {data.data.rows.length < rowLimit
              ? `${data.data.rows.length} rows`
              : `The first ${rowLimit} rows`}{' '}
            · {data.data.columns.length} columns
          </Text>
        )}
      </Group>
      {!data.data ? (
        <Stack gap="xs">
          {Array.from({ length: 8 }, (_, row) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity
            <Skeleton key={row} height={24} />
          ))}
        </Stack>
      ) : (
        <ScrollArea type="auto" offsetScrollbars scrollbars="x">
          <Table
            striped
            withColumnBorders
            verticalSpacing={6}
            fz="sm"
            style={{ whiteSpace: 'nowrap' }}
            aria-label="First rows of the table"
          >
            <Table.Thead>
              <Table.Tr>
                {data.data.columns.map((column) => (
                  <Table.Th key={column.name} ta={numericTypes.has(column.type) ? 'right' : undefined}>
                    <Stack gap={2} align={numericTypes.has(column.type) ? 'flex-end' : 'flex-start'}>
                      <Text size="sm" fw={600} ff="monospace">
                        {column.name}
                      </Text>
                      <Text size="xs" c="dimmed" fw={400}>
                        {column.type}
                      </Text>
                    </Stack>
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.data.rows.map((row, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: rows of a table preview have no key of their own
                <Table.Tr key={index}>
                  {data.data.columns.map((column) => (
                    <Table.Td key={column.name} ta={numericTypes.has(column.type) ? 'right' : undefined}>
                      {renderCell(column, row[column.name] ?? null)}
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      )}
    </Paper>
  );
}
