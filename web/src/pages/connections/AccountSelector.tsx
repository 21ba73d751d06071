import {
  Badge,
  Button,
  Checkbox,
  Group,
  Loader,
  Paper,
  Radio,
  ScrollArea,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
} from '@mantine/core';
import { Search } from 'lucide-react';
import { type ReactNode, useMemo, useState } from 'react';
import type { AccountSelection, AccountView } from '../../../../src/contract/schemas.ts';
import { AccountName } from '../../components/AccountName.tsx';
import { formatInteger } from '../../format.ts';

// Rendering 1,200 checkboxes at once makes typing in the search lag; a search narrows it instead.
const renderLimit = 200;

/**
 * Chooses the accounts extractions may use: all of them (including accounts added later), or a
 * selection made with search, select all and "show selected only".
 */
export function AccountSelector({
  accounts,
  loading,
  initial,
  saveLabel,
  onSave,
  extraActions,
}: {
  accounts: AccountView[];
  /** True while discovery still runs: "Sync all" can be saved already, a selection cannot. */
  loading: boolean;
  initial: AccountSelection;
  saveLabel: string;
  onSave(selection: AccountSelection): Promise<void> | void;
  extraActions?: ReactNode;
}) {
  const [mode, setMode] = useState<AccountSelection['sync']>(initial.sync);
  const [chosen, setChosen] = useState<Set<string>>(
    () => new Set(initial.sync === 'selected' ? initial.accountIds : []),
  );
  const [search, setSearch] = useState('');
  const [selectedOnly, setSelectedOnly] = useState(false);
  const [saving, setSaving] = useState(false);

  const term = search.trim().toLowerCase();
  const filtered = useMemo(
    () =>
      accounts.filter(
        (account) =>
          (!selectedOnly || chosen.has(account.id)) &&
          (!term || account.name.toLowerCase().includes(term) || account.id.toLowerCase().includes(term)),
      ),
    [accounts, term, selectedOnly, chosen],
  );
  const allFilteredChosen = filtered.length > 0 && filtered.every((account) => chosen.has(account.id));
  const someFilteredChosen = filtered.some((account) => chosen.has(account.id));
  const toggleAll = () =>
    setChosen((current) => {
      const next = new Set(current);
      for (const account of filtered) {
        if (allFilteredChosen) next.delete(account.id);
        else next.add(account.id);
      }
      return next;
    });
  const toggle = (id: string) =>
    setChosen((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const canSave = mode === 'all' || (!loading && chosen.size > 0);
  const save = async () => {
    setSaving(true);
    try {
      await onSave(mode === 'all' ? { sync: 'all' } : { sync: 'selected', accountIds: [...chosen] });
    } finally {
      setSaving(false);
    }
  };

  return (
    <Stack gap="md">
      <Radio.Group value={mode} onChange={(value) => setMode(value as AccountSelection['sync'])}>
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
          <ModeCard
            value="all"
            title="Sync all accounts"
            description="Every account this login can see, including accounts added later."
          />
          <ModeCard
            value="selected"
            title="Select specific accounts"
            description="Only the accounts you choose; new accounts are not added."
          />
        </SimpleGrid>
      </Radio.Group>

      {mode === 'selected' &&
        (loading ? (
          <Paper withBorder p="xl" radius="md">
            <Group justify="center" gap="sm">
              <Loader size="sm" />
              <Text c="dimmed">Loading accounts…</Text>
            </Group>
          </Paper>
        ) : (
          <Paper withBorder radius="md">
            <Group
              p="sm"
              justify="space-between"
              wrap="nowrap"
              style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}
            >
              <Group gap="md" wrap="nowrap">
                <TextInput
                  w={280}
                  placeholder="Search by name or id"
                  aria-label="Search accounts"
                  leftSection={<Search size={16} aria-hidden />}
                  value={search}
                  onChange={(event) => setSearch(event.currentTarget.value)}
                />
                <Checkbox
                  label="Select all"
                  checked={allFilteredChosen}
                  indeterminate={!allFilteredChosen && someFilteredChosen}
                  onChange={toggleAll}
                  disabled={filtered.length === 0}
                />
                <Switch
                  label="Show selected only"
                  checked={selectedOnly}
                  onChange={(event) => setSelectedOnly(event.currentTarget.checked)}
                />
              </Group>
              <Text size="sm" fw={500} aria-live="polite" data-testid="selection-counter">
                {formatInteger(chosen.size)} of {formatInteger(accounts.length)} selected
              </Text>
            </Group>
            <ScrollArea h={320} type="auto">
              <Stack gap={0}>
                {filtered.slice(0, renderLimit).map((account) => (
                  <AccountOption
                    key={account.id}
                    account={account}
                    checked={chosen.has(account.id)}
                    onToggle={() => toggle(account.id)}
                  />
                ))}
                {filtered.length === 0 && (
                  <Text c="dimmed" ta="center" py="xl">
                    {accounts.length === 0 ? 'This connection has no accounts.' : 'No account matches.'}
                  </Text>
                )}
                {filtered.length > renderLimit && (
                  <Text size="sm" c="dimmed" ta="center" py="sm">
                    Showing {renderLimit} of {formatInteger(filtered.length)}; search to narrow the list.
                  </Text>
                )}
              </Stack>
            </ScrollArea>
          </Paper>
        ))}

      <Group justify="flex-end" gap="sm">
        {mode === 'selected' && !loading && chosen.size === 0 && (
          <Text size="sm" c="dimmed">
            Choose at least one account
          </Text>
        )}
        {extraActions}
        <Button onClick={() => void save()} disabled={!canSave} loading={saving}>
          {saveLabel}
        </Button>
      </Group>
    </Stack>
  );
}

function ModeCard({ value, title, description }: { value: string; title: string; description: string }) {
  return (
    <Radio.Card value={value} radius="md" p="md" aria-label={title}>
      <Group wrap="nowrap" align="flex-start">
        <Radio.Indicator />
        <div>
          <Text fw={600}>{title}</Text>
          <Text size="sm" c="dimmed">
            {description}
          </Text>
        </div>
      </Group>
    </Radio.Card>
  );
}

function AccountOption({
  account,
  checked,
  onToggle,
}: {
  account: AccountView;
  checked: boolean;
  onToggle(): void;
}) {
  return (
    <Group
      px="md"
      py={8}
      gap="sm"
      wrap="nowrap"
      style={{ borderBottom: '1px solid var(--mantine-color-gray-1)' }}
    >
      <Checkbox checked={checked} onChange={onToggle} aria-label={`${account.name} (${account.id})`} />
      <div style={{ minWidth: 0, flex: 1 }}>
        <AccountName account={account} />
        <Text size="xs" c="dimmed" ff="monospace">
          {account.id}
        </Text>
      </div>
      {account.lostAt && (
        <Badge color="orange" variant="light" size="sm">
          Access lost
        </Badge>
      )}
      <Text size="xs" c="dimmed" w={160} ta="right" truncate="end">
        {[account.currency, account.timezone].filter(Boolean).join(' · ')}
      </Text>
    </Group>
  );
}
