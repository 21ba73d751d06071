import { LineChart } from '@mantine/charts';
import { Center, Group, Paper, SimpleGrid, Skeleton, Text, Title, UnstyledButton } from '@mantine/core';
import { ChartLine } from 'lucide-react';
import { useState } from 'react';
import { useApiQuery } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { fieldLabel, formatDay } from './extractionText.ts';

const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
const precise = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const chartHeight = 240;

/**
 * The loaded table's main metrics by day: a total per metric (click one to chart it) and a line
 * of the chosen metric. One metric at a time, because spend and impressions share no scale.
 */
export function DailyTotalsChart({ extractionId }: { extractionId: string }) {
  const totals = useApiQuery('getExtractionDailyTotals', { params: { id: extractionId } });
  const [chosen, setChosen] = useState<string | null>(null);
  const metrics = totals.data?.metrics ?? [];
  const metric = chosen && metrics.includes(chosen) ? chosen : (metrics[0] ?? null);
  const data = (totals.data?.items ?? []).map((item) => ({ day: formatDay(item.date), ...item.values }));

  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="daily-totals-title">
      <Group gap="xs" mb="md">
        <ChartLine size={18} aria-hidden />
        <Title order={4} id="daily-totals-title">
          Main metrics by day
        </Title>
      </Group>
      {totals.error ? (
        <ErrorAlert
          error={totals.error}
          title="The chart could not be loaded"
          onRetry={() => totals.refetch()}
        />
      ) : !totals.data ? (
        <>
          <SimpleGrid cols={4} mb="md">
            {[0, 1, 2, 3].map((key) => (
              <Skeleton key={key} height={58} />
            ))}
          </SimpleGrid>
          <Skeleton height={chartHeight} />
        </>
      ) : data.length === 0 || !metric ? (
        <Center h={chartHeight + 74}>
          <Text c="dimmed" size="sm">
            No data loaded yet: the chart fills in after the first run.
          </Text>
        </Center>
      ) : (
        <>
          <SimpleGrid cols={{ base: 2, md: 4 }} mb="md" role="group" aria-label="Metric to chart">
            {metrics.map((name) => {
              const sum = totals.data.items.reduce((total, item) => total + (item.values[name] ?? 0), 0);
              const active = name === metric;
              return (
                <UnstyledButton
                  key={name}
                  onClick={() => setChosen(name)}
                  aria-pressed={active}
                  p="sm"
                  style={{
                    borderRadius: 'var(--mantine-radius-md)',
                    border: `1px solid ${active ? 'var(--mantine-color-indigo-4)' : 'var(--mantine-color-gray-3)'}`,
                    background: active ? 'var(--mantine-color-indigo-0)' : undefined,
                  }}
                >
                  <Text size="xs" c="dimmed" truncate>
                    {fieldLabel(name)}
                  </Text>
                  <Text fw={650} size="lg" title={precise.format(sum)}>
                    {compact.format(sum)}
                  </Text>
                </UnstyledButton>
              );
            })}
          </SimpleGrid>
          <LineChart
            h={chartHeight}
            data={data}
            dataKey="day"
            series={[{ name: metric, label: fieldLabel(metric), color: 'indigo.6' }]}
            curveType="monotone"
            withDots={data.length <= 31}
            valueFormatter={(value) => precise.format(value)}
            yAxisProps={{ tickFormatter: (value: number) => compact.format(value), width: 56 }}
            gridAxis="x"
            aria-label={`${fieldLabel(metric)} by day`}
          />
        </>
      )}
    </Paper>
  );
}
