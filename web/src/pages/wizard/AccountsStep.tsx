import {
  ActionIcon,
  Badge,
  Button,
  Checkbox,
  Group,
  Paper,
  ScrollArea,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { ArrowLeft, ArrowRight, Search } from 'lucide-react';
import { type ReactNode, useMemo, useState } from 'react';
import type { EndpointResult } from '../../../../src/contract/endpoints.ts';
import { AccountName } from '../../components/AccountName.tsx';
import { formatDate } from '../../format.ts';

type Account = EndpointResult<'getConnection'>['accounts'][number];
type SortOrder = 'newest' | 'oldest' | 'name';

/** Rows drawn per pane: an agency with thousands of accounts searches rather than scrolls. */
const PANE_LIMIT = 200;

const sortOptions = [
  { value: 'newest', label: 'Date added, newest first' },
  { value: 'oldest', label: 'Date added, oldest first' },
  { value: 'name', label: 'Name, A to Z' },
];

function sortAccounts(accounts: Account[], order: SortOrder): Account[] {
  return [...accounts].sort((a, b) =>
    order === 'name'
      ? a.name.localeCompare(b.name)
      : order === 'newest'
        ? b.addedAt.localeCompare(a.addedAt) || a.name.localeCompare(b.name)
        : a.addedAt.localeCompare(b.addedAt) || a.name.localeCompare(b.name),
  );
}

/** The accounts extractions may use: selected for the connection, not lost, not a manager (no data of its own). */
export function usableAccounts(accounts: Account[]): Account[] {
  return accounts.filter((account) => account.selected && !account.lostAt && !account.manager);
}

/** Step 1: available accounts on the left, chosen ones on the right, or "all, including later ones". */
export function AccountsStep({
  accounts,
  value,
  onChange,
}: {
  accounts: Account[];
  value: 'all' | string[];
  onChange: (value: 'all' | string[]) => void;
}) {
  const [search, setSearch] = useState('');
  const [order, setOrder] = useState<SortOrder>('newest');
  const all = value === 'all';
  const chosen = useMemo(() => new Set(all ? accounts.map((a) => a.id) : value), [accounts, all, value]);
  const needle = search.trim().toLowerCase();
  const visible = sortAccounts(accounts, order).filter(
    (account) => !needle || account.name.toLowerCase().includes(needle) || account.id.includes(needle),
  );
  const available = visible.filter((account) => !chosen.has(account.id));
  const selected = visible.filter((account) => chosen.has(account.id));
  const current = all ? [] : value;
  const add = (ids: string[]) => onChange([...new Set([...current, ...ids])]);
  const remove = (ids: string[]) => onChange(current.filter((id) => !ids.includes(id)));

  return (
    <Stack gap="md">
      <Paper withBorder p="md" radius="md">
        <Checkbox
          checked={all}
          onChange={(event) => onChange(event.currentTarget.checked ? 'all' : [])}
          label="All accounts, including ones added later"
          description="New ad accounts this connection discovers are extracted too, without editing the extraction."
        />
      </Paper>
      <Group gap="sm" wrap="nowrap">
        <TextInput
          flex={1}
          placeholder="Search by account name or ID"
          aria-label="Search accounts"
          leftSection={<Search size={16} aria-hidden />}
          value={search}
          onChange={(event) => setSearch(event.currentTarget.value)}
        />
        <Select
          w={240}
          aria-label="Sort accounts"
          data={sortOptions}
          value={order}
          onChange={(next) => setOrder((next as SortOrder | null) ?? 'newest')}
          allowDeselect={false}
        />
      </Group>
      <SimpleGrid cols={2} spacing="md">
        <AccountPane
          title="Available"
          count={available.length}
          accounts={available}
          disabled={all}
          moveLabel="Add"
          moveIcon={<ArrowRight size={16} aria-hidden />}
          onMove={(ids) => add(ids)}
          moveAllLabel="Add all"
          empty={
            all ? 'Every account is included.' : needle ? 'No account matches.' : 'All accounts are selected.'
          }
        />
        <AccountPane
          title="Selected"
          count={chosen.size}
          highlightCount
          accounts={selected}
          disabled={all}
          moveLabel="Remove"
          moveIcon={<ArrowLeft size={16} aria-hidden />}
          onMove={(ids) => remove(ids)}
          moveAllLabel="Remove all"
          empty={
            needle ? 'No selected account matches.' : 'Nothing selected yet: add accounts from the left.'
          }
        />
      </SimpleGrid>
    </Stack>
  );
}

function AccountPane({
  title,
  count,
  highlightCount,
  accounts,
  disabled,
  moveLabel,
  moveIcon,
  onMove,
  moveAllLabel,
  empty,
}: {
  title: string;
  count: number;
  highlightCount?: boolean;
  accounts: Account[];
  disabled: boolean;
  moveLabel: string;
  moveIcon: ReactNode;
  onMove: (ids: string[]) => void;
  moveAllLabel: string;
  empty: string;
}) {
  return (
    <Paper withBorder radius="md" aria-label={`${title} accounts`} component="section">
      <Group
        justify="space-between"
        px="md"
        py="sm"
        style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}
      >
        <Group gap="xs">
          <Text fw={600}>{title}</Text>
          <Badge
            circle={count < 100}
            size="lg"
            variant={highlightCount ? 'filled' : 'light'}
            color={highlightCount ? 'orange' : 'gray'}
            aria-label={`${count} ${title.toLowerCase()}`}
          >
            {count}
          </Badge>
        </Group>
        <Button
          size="compact-sm"
          variant="subtle"
          disabled={disabled || accounts.length === 0}
          onClick={() => onMove(accounts.map((account) => account.id))}
        >
          {moveAllLabel}
        </Button>
      </Group>
      <ScrollArea h={312}>
        {accounts.length === 0 ? (
          <Text c="dimmed" size="sm" ta="center" py="xl" px="md">
            {empty}
          </Text>
        ) : (
          accounts.slice(0, PANE_LIMIT).map((account) => (
            <Group
              key={account.id}
              justify="space-between"
              wrap="nowrap"
              px="md"
              py={8}
              style={{ borderBottom: '1px solid var(--mantine-color-gray-1)' }}
              data-testid="account-row"
            >
              <Stack gap={0} style={{ minWidth: 0 }}>
                <AccountName account={account} />
                <Text size="xs" c="dimmed" truncate>
                  ID {account.id} · {account.currency ?? '—'} · added {formatDate(account.addedAt)}
                </Text>
              </Stack>
              <Tooltip label={`${moveLabel} ${account.name}`} openDelay={400}>
                <ActionIcon
                  variant="light"
                  disabled={disabled}
                  aria-label={`${moveLabel} ${account.name}`}
                  onClick={() => onMove([account.id])}
                >
                  {moveIcon}
                </ActionIcon>
              </Tooltip>
            </Group>
          ))
        )}
        {accounts.length > PANE_LIMIT && (
          <Text size="xs" c="dimmed" ta="center" py="sm">
            Showing {PANE_LIMIT} of {accounts.length}. Search to narrow the list; Add all moves every match.
          </Text>
        )}
      </ScrollArea>
    </Paper>
  );
}
