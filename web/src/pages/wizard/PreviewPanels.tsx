import { LineChart } from '@mantine/charts';
import { Group, Paper, ScrollArea, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { EndpointResult } from '../../../../src/contract/endpoints.ts';
import { FieldTypeBadge } from '../../components/FieldTypeBadge.tsx';
import { formatInteger } from '../../format.ts';

type Preview = EndpointResult<'previewExtraction'>;

/** The metrics worth a chart, in the order a marketer reads them. */
const mainMetrics = [
  { name: 'spend', label: 'Amount spent', color: 'teal.6' },
  { name: 'impressions', label: 'Impressions', color: 'indigo.6' },
  { name: 'clicks', label: 'Clicks', color: 'orange.6' },
];

const money = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2, minimumFractionDigits: 2 });

function formatCell(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number') return Number.isInteger(value) ? formatInteger(value) : money.format(value);
  return String(value);
}

/** Sums each main metric of the preview rows per day (rows are per object and day). */
export function dailyTotals(preview: Preview) {
  const dateColumn = preview.columns.find((column) => column.type === 'date')?.name ?? 'date';
  const metrics = mainMetrics.filter((metric) =>
    preview.columns.some((column) => column.name === metric.name),
  );
  const byDay = new Map<string, Record<string, number>>();
  for (const row of preview.rows) {
    const day = String(row[dateColumn] ?? '');
    if (!day) continue;
    const totals = byDay.get(day) ?? Object.fromEntries(metrics.map((metric) => [metric.name, 0]));
    for (const metric of metrics) totals[metric.name]! += Number(row[metric.name] ?? 0);
    byDay.set(day, totals);
  }
  const data = [...byDay.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([date, totals]) => ({ date: date.slice(5), ...totals }));
  return { metrics, data };
}

/** Spend in the account's currency when it is known ("€3,992.90"), a plain amount otherwise. */
function moneyFormat(currency: string | null): (value: number) => string {
  if (!currency) return (value) => money.format(value);
  try {
    const format = new Intl.NumberFormat('en-US', { style: 'currency', currency });
    return (value) => format.format(value);
  } catch {
    return (value) => `${money.format(value)} ${currency}`;
  }
}

/** One small chart per main metric, by day, with the period's total. */
export function PreviewChart({ preview, currency }: { preview: Preview; currency: string | null }) {
  const { metrics, data } = dailyTotals(preview);
  const spend = moneyFormat(currency);
  if (metrics.length === 0 || data.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No spend, impressions or clicks in this selection to chart.
      </Text>
    );
  }
  return (
    <SimpleGrid cols={metrics.length} spacing="md" data-testid="preview-chart">
      {metrics.map((metric) => {
        const total = data.reduce((sum, day) => sum + Number(day[metric.name as keyof typeof day] ?? 0), 0);
        return (
          <Paper key={metric.name} withBorder radius="md" p="md">
            <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
              {metric.label}
            </Text>
            <Text size="xl" fw={650} mb="xs">
              {metric.name === 'spend' ? spend(total) : formatInteger(total)}
            </Text>
            <LineChart
              h={110}
              data={data}
              dataKey="date"
              series={[{ name: metric.name, label: metric.label, color: metric.color }]}
              curveType="monotone"
              withDots={data.length < 10}
              gridAxis="y"
              tickLine="none"
              yAxisProps={{ width: 64 }}
              valueFormatter={(value) => (metric.name === 'spend' ? spend(value) : formatInteger(value))}
            />
          </Paper>
        );
      })}
    </SimpleGrid>
  );
}

/** The table's columns with their warehouse types. */
export function SchemaList({ preview }: { preview: Preview }) {
  return (
    <ScrollArea.Autosize mah={360}>
      <Table verticalSpacing={4} fz="sm" aria-label="Schema" layout="fixed">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Column</Table.Th>
            <Table.Th w={96}>Type</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {preview.columns.map((column) => (
            <Table.Tr key={column.name}>
              <Table.Td>
                <Text size="sm" ff="monospace" truncate>
                  {column.name}
                </Text>
              </Table.Td>
              <Table.Td>
                <FieldTypeBadge type={column.type} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea.Autosize>
  );
}

/** The preview's rows as the table will hold them. */
export function PreviewRows({ preview }: { preview: Preview }) {
  if (preview.rows.length === 0) {
    return (
      <Stack align="center" py="xl" gap={4}>
        <Text fw={600}>No rows for these days</Text>
        <Text size="sm" c="dimmed">
          The account had no delivery from {preview.from} to {preview.to}. The extraction can still be
          created.
        </Text>
      </Stack>
    );
  }
  return (
    <Table.ScrollContainer minWidth={preview.columns.length * 130} maxHeight={360}>
      <Table stickyHeader striped highlightOnHover verticalSpacing={4} fz="xs" aria-label="Preview rows">
        <Table.Thead>
          <Table.Tr>
            {preview.columns.map((column) => (
              <Table.Th key={column.name} style={{ whiteSpace: 'nowrap' }}>
                {column.name}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {preview.rows.map((row, index) => (
            // Preview rows have no key of their own; their order is stable for one response.
            // biome-ignore lint/suspicious/noArrayIndexKey: see above
            <Table.Tr key={index}>
              {preview.columns.map((column) => (
                <Table.Td
                  key={column.name}
                  style={{ whiteSpace: 'nowrap' }}
                  ta={typeof row[column.name] === 'number' ? 'right' : undefined}
                >
                  {formatCell(row[column.name])}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** A titled block of the result step. */
export function ResultCard({
  title,
  aside,
  children,
}: {
  title: string;
  aside?: React.ReactNode;
  children: React.ReactNode;
}) {
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-label={title}>
      <Group justify="space-between" mb="sm" wrap="nowrap">
        <Title order={4}>{title}</Title>
        {aside}
      </Group>
      {children}
    </Paper>
  );
}
