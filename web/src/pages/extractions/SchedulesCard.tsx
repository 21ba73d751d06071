import { Badge, Divider, Group, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import { CalendarClock } from 'lucide-react';
import type { ExtractionView } from '../../../../src/contract/extractionSchemas.ts';
import { formatDateTime, formatRelative } from '../../format.ts';
import { describeFrequency, describeLookback, formatDay } from './extractionText.ts';

/** The extraction's schedules: when each runs (in words and in its zone), what it re-reads, and the next five runs. */
export function SchedulesCard({ extraction }: { extraction: ExtractionView | undefined }) {
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="schedules-title">
      <Group gap="xs" mb="md">
        <CalendarClock size={18} aria-hidden />
        <Title order={4} id="schedules-title">
          Schedules
        </Title>
      </Group>
      {!extraction ? (
        <Stack gap="sm">
          <Skeleton height={20} />
          <Skeleton height={80} />
        </Stack>
      ) : extraction.schedules.length === 0 ? (
        <Text size="sm" c="dimmed">
          No schedule: this extraction runs only when you click Run extraction.
        </Text>
      ) : (
        <Stack gap="md">
          {extraction.status !== 'active' && (
            <Text size="sm" c="yellow.8">
              Schedules do not run while the extraction is {extraction.status}.
            </Text>
          )}
          {extraction.schedules.map((schedule, index) => (
            <Stack key={schedule.id} gap={6}>
              {index > 0 && <Divider mb={6} />}
              <Group justify="space-between" wrap="nowrap" align="flex-start">
                <Text fw={600} size="sm">
                  {describeFrequency(schedule)}
                </Text>
                <Badge variant="light" color="gray" style={{ flexShrink: 0 }}>
                  {schedule.timezone}
                </Badge>
              </Group>
              <Text size="sm" c="dimmed">
                Re-reads: {describeLookback(schedule.lookbackDays)}
              </Text>
              <Text size="xs" c="dimmed">
                Last run: {schedule.lastRunAt ? formatDateTime(schedule.lastRunAt) : 'not yet'}
              </Text>
              <Text size="xs" fw={600} tt="uppercase" c="dimmed" mt={4}>
                Next runs (your time)
              </Text>
              <Stack gap={2} component="ol" m={0} p={0} style={{ listStyle: 'none' }}>
                {schedule.nextRuns.map((at) => (
                  <Group key={at} component="li" justify="space-between" wrap="nowrap">
                    <Text size="sm">{formatDateTime(at)}</Text>
                    <Text size="xs" c="dimmed">
                      {formatRelative(at)}
                    </Text>
                  </Group>
                ))}
              </Stack>
            </Stack>
          ))}
          {extraction.loadSince && (
            <Text size="xs" c="dimmed">
              History loaded since {formatDay(extraction.loadSince, true)} (once, recent days first).
            </Text>
          )}
        </Stack>
      )}
    </Paper>
  );
}
