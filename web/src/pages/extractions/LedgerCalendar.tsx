import {
  Box,
  Group,
  Paper,
  ScrollArea,
  SegmentedControl,
  Skeleton,
  Stack,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { CalendarDays } from 'lucide-react';
import { type SyntheticEvent, useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import type { ExtractionView } from '../../../../src/contract/extractionSchemas.ts';
import { addDays, eachDay } from '../../../../src/domain/dates.ts';
import { useApiQuery } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatDay, type LedgerItem, localToday } from './extractionText.ts';

/** What a cell shows: completeness and finality folded into one state. */
type DayState = 'final' | 'provisional' | 'failed' | 'skipped' | 'none';

const states: { state: DayState; label: string; color: string; meaning: string }[] = [
  {
    state: 'final',
    label: 'Loaded · final',
    color: 'var(--mantine-color-teal-7)',
    meaning: 'will not change',
  },
  {
    state: 'provisional',
    label: 'Loaded · provisional',
    color: 'var(--mantine-color-teal-3)',
    meaning: 'the platform may still restate it; later runs re-read it',
  },
  { state: 'failed', label: 'Failed', color: 'var(--mantine-color-red-6)', meaning: 'not loaded' },
  { state: 'skipped', label: 'Skipped', color: 'var(--mantine-color-yellow-5)', meaning: 'not read' },
  {
    state: 'none',
    label: 'Not loaded',
    color: 'var(--mantine-color-gray-2)',
    meaning: 'no run covered it yet',
  },
];
const stateOf = Object.fromEntries(states.map((entry) => [entry.state, entry]));
const ranges = [
  { value: '14', label: '14 days' },
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
];
const nameWidth = 200;

function dayState(item: LedgerItem | undefined): DayState {
  if (!item) return 'none';
  if (item.completeness === 'loaded') return item.finality;
  return item.completeness;
}

/**
 * The completeness calendar: one row per account, one column per day, each cell coloured by
 * what the ledger says about that (account, day). Hover a cell for its reason; click it to open
 * the run that wrote it.
 */
export function LedgerCalendar({
  extraction,
  live,
}: {
  extraction: ExtractionView | undefined;
  live: boolean;
}) {
  const navigate = useNavigate();
  const [range, setRange] = useState('30');
  const [hovered, setHovered] = useState<string | null>(null);
  const to = localToday();
  const from = addDays(to, -(Number(range) - 1));
  const days = useMemo(() => eachDay(from, to), [from, to]);
  const ledger = useApiQuery(
    'getExtractionLedger',
    { params: { id: extraction?.id ?? '' }, query: { from, to, limit: 5000 } },
    {
      enabled: Boolean(extraction),
      refetchInterval: live ? 2_000 : false,
      placeholderData: (previous) => previous,
    },
  );
  const connection = useApiQuery(
    'getConnection',
    { params: { id: extraction?.connectionId ?? '' } },
    { enabled: Boolean(extraction?.connectionId), staleTime: 30_000 },
  );

  const accounts = useMemo(() => {
    const names = new Map(connection.data?.accounts.map((account) => [account.id, account.name]) ?? []);
    const ids =
      extraction?.accounts === 'all'
        ? (connection.data?.accounts.filter((account) => account.selected).map((account) => account.id) ?? [])
        : (extraction?.accounts ?? []);
    const all = new Set([...ids, ...(ledger.data?.items.map((item) => item.accountId) ?? [])]);
    return [...all].map((id) => ({ id, name: names.get(id) ?? id }));
  }, [connection.data, extraction, ledger.data]);
  const cells = useMemo(
    () => new Map(ledger.data?.items.map((item) => [`${item.accountId}|${item.day}`, item]) ?? []),
    [ledger.data],
  );
  const counts = useMemo(() => {
    const tally: Record<DayState, number> = { final: 0, provisional: 0, failed: 0, skipped: 0, none: 0 };
    for (const account of accounts)
      for (const day of days) tally[dayState(cells.get(`${account.id}|${day}`))] += 1;
    return tally;
  }, [accounts, days, cells]);

  const describe = (accountName: string, day: string, item: LedgerItem | undefined) => {
    const entry = stateOf[dayState(item)]!;
    const reason = item?.reason ? ` — ${item.reason}` : '';
    return `${accountName}, ${formatDay(day, true)}: ${entry.label} (${entry.meaning})${reason}`;
  };
  const onHover = (event: SyntheticEvent<HTMLTableElement>) => {
    const label = (event.target as HTMLElement).getAttribute('aria-label');
    setHovered((event.target as HTMLElement).dataset.state ? label : null);
  };
  // Keyboard users reach the same runs from the run history; a click on a day is a shortcut.
  const openRun = (event: SyntheticEvent<HTMLTableElement>) => {
    const runId = (event.target as HTMLElement).dataset.run;
    if (runId && extraction) navigate(`/extractions/${extraction.id}/runs/${runId}`);
  };
  const compact = days.length > 45;
  const cellSize = compact ? 12 : 18;

  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="calendar-title">
      <Group justify="space-between" mb="md" wrap="wrap" gap="sm">
        <Group gap="xs">
          <CalendarDays size={18} aria-hidden />
          <Title order={4} id="calendar-title">
            Days per account
          </Title>
        </Group>
        <SegmentedControl size="xs" data={ranges} value={range} onChange={setRange} aria-label="Range" />
      </Group>
      <Group gap="lg" mb="md" wrap="wrap" aria-label="Legend">
        {states.map((entry) => (
          <Group key={entry.state} gap={6} wrap="nowrap">
            <Box w={12} h={12} style={{ background: entry.color, borderRadius: 3 }} aria-hidden />
            <Text size="xs">
              {entry.label}{' '}
              <Text span c="dimmed" size="xs">
                {counts[entry.state]}
              </Text>
            </Text>
          </Group>
        ))}
      </Group>
      {ledger.error ? (
        <ErrorAlert error={ledger.error} onRetry={() => ledger.refetch()} />
      ) : !ledger.data || !extraction ? (
        <Stack gap={6}>
          {[0, 1, 2].map((row) => (
            <Skeleton key={row} height={cellSize} />
          ))}
        </Stack>
      ) : accounts.length === 0 ? (
        <Text c="dimmed" size="sm">
          No account yet: the calendar fills in after the first run.
        </Text>
      ) : (
        <ScrollArea type="auto" offsetScrollbars scrollbars="x">
          <Tooltip.Floating label={hovered ?? ''} disabled={!hovered} multiline w={320}>
            {/* biome-ignore lint/a11y/useKeyWithClickEvents: a click on a day is a mouse shortcut; the same runs are links in the run history */}
            <table
              aria-label={`Days per account from ${formatDay(from, true)} to ${formatDay(to, true)}`}
              onMouseOver={onHover}
              onFocus={onHover}
              onMouseLeave={() => setHovered(null)}
              onClick={openRun}
              style={{
                tableLayout: 'fixed',
                borderCollapse: 'separate',
                borderSpacing: 3,
                width: '100%',
                minWidth: nameWidth + days.length * (cellSize + 3),
              }}
            >
              <colgroup>
                <col style={{ width: nameWidth }} />
              </colgroup>
              <thead>
                <tr>
                  <th scope="col" style={{ textAlign: 'left' }}>
                    <Text size="xs" c="dimmed" fw={500}>
                      Account
                    </Text>
                  </th>
                  {days.map((day, index) => (
                    <th key={day} scope="col" aria-label={formatDay(day, true)} style={{ fontWeight: 400 }}>
                      <Text c="dimmed" ta="center" style={{ fontSize: compact ? 9 : 11 }}>
                        {!compact || index % 7 === 0 ? Number(day.slice(8)) : ''}
                      </Text>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {accounts.map((account) => (
                  <tr key={account.id}>
                    <th scope="row" style={{ textAlign: 'left', fontWeight: 400 }}>
                      <Text size="sm" truncate title={`${account.name} (${account.id})`}>
                        {account.name}
                      </Text>
                    </th>
                    {days.map((day) => {
                      const item = cells.get(`${account.id}|${day}`);
                      const state = dayState(item);
                      return (
                        <td
                          key={day}
                          data-state={state}
                          aria-label={describe(account.name, day, item)}
                          data-run={item?.runId ?? undefined}
                          style={{
                            height: cellSize,
                            padding: 0,
                            borderRadius: 3,
                            background: stateOf[state]!.color,
                            cursor: item?.runId ? 'pointer' : 'default',
                          }}
                        />
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </Tooltip.Floating>
        </ScrollArea>
      )}
      <Group justify="space-between" mt="xs">
        <Text size="xs" c="dimmed">
          {formatDay(from, true)} – {formatDay(to, true)}, in each account's time zone. Click a day to open
          the run that loaded it.
        </Text>
      </Group>
    </Paper>
  );
}
