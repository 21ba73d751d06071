import { Badge, Group, Paper, ScrollArea, Skeleton, Text, Title } from '@mantine/core';
import type { RunDetailView } from './extractionText.ts';

const levelColors: Record<string, string> = { info: 'gray', warn: 'orange', error: 'red', debug: 'gray' };
const time = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** A run's log, oldest first, as the engine wrote it. */
export function RunLog({ lines }: { lines: RunDetailView['log'] | undefined }) {
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="run-log-title">
      <Title order={4} id="run-log-title" mb="sm">
        Log
      </Title>
      {!lines ? (
        <Skeleton height={120} />
      ) : lines.length === 0 ? (
        <Text size="sm" c="dimmed">
          Nothing logged yet.
        </Text>
      ) : (
        <ScrollArea.Autosize mah={360} type="auto">
          <ol aria-label="Run log" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
            {lines.map((line, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: log lines are append-only and have no id
              <Group component="li" key={index} gap="sm" wrap="nowrap" align="flex-start" py={3}>
                <Text size="xs" c="dimmed" ff="monospace" style={{ flexShrink: 0 }} title={line.at}>
                  {time.format(new Date(line.at))}
                </Text>
                <Badge
                  size="xs"
                  variant="light"
                  color={levelColors[line.level] ?? 'gray'}
                  w={60}
                  style={{ flexShrink: 0 }}
                >
                  {line.level}
                </Badge>
                <Text size="sm" ff="monospace" style={{ wordBreak: 'break-word' }}>
                  {line.message}
                </Text>
              </Group>
            ))}
          </ol>
        </ScrollArea.Autosize>
      )}
    </Paper>
  );
}
