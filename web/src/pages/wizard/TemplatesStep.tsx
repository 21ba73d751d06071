import {
  Badge,
  Group,
  Paper,
  ScrollArea,
  SegmentedControl,
  Stack,
  Text,
  TextInput,
  UnstyledButton,
} from '@mantine/core';
import { Check, Search } from 'lucide-react';
import { useState } from 'react';
import type { Template } from './draft.ts';
import { TemplateDetails } from './TemplateDetails.tsx';

type Kind = 'all' | 'global' | 'custom';

/** Step 2: the data source's templates (search, global/custom), and the highlighted one's details. */
export function TemplatesStep({
  templates,
  selectedId,
  onSelect,
}: {
  templates: Template[];
  selectedId: string | null;
  onSelect: (template: Template) => void;
}) {
  const [search, setSearch] = useState('');
  const [kind, setKind] = useState<Kind>('all');
  const needle = search.trim().toLowerCase();
  const shown = templates.filter(
    (template) =>
      (kind === 'all' || (kind === 'custom') === template.custom) &&
      (!needle ||
        template.name.toLowerCase().includes(needle) ||
        template.description.toLowerCase().includes(needle)),
  );
  const highlighted = templates.find((template) => template.id === selectedId) ?? null;
  const customCount = templates.filter((template) => template.custom).length;

  return (
    <Group align="flex-start" gap="md" wrap="nowrap">
      <Paper withBorder radius="md" w={400} style={{ flexShrink: 0 }}>
        <Stack gap="sm" p="md" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
          <TextInput
            placeholder="Search templates"
            aria-label="Search templates"
            leftSection={<Search size={16} aria-hidden />}
            value={search}
            onChange={(event) => setSearch(event.currentTarget.value)}
          />
          <SegmentedControl
            fullWidth
            aria-label="Template type"
            value={kind}
            onChange={(next) => setKind(next as Kind)}
            data={[
              { value: 'all', label: `All (${templates.length})` },
              { value: 'global', label: 'Global' },
              { value: 'custom', label: `Custom (${customCount})` },
            ]}
          />
        </Stack>
        <ScrollArea h={520}>
          {shown.length === 0 ? (
            <Text c="dimmed" size="sm" ta="center" py="xl" px="md">
              {kind === 'custom' && !needle
                ? 'No custom templates yet. Configure an extraction and save it as a template in the last step.'
                : 'No template matches.'}
            </Text>
          ) : (
            <Stack gap={0} role="listbox" aria-label="Templates">
              {shown.map((template) => {
                const active = template.id === selectedId;
                return (
                  <UnstyledButton
                    key={template.id}
                    role="option"
                    aria-selected={active}
                    onClick={() => onSelect(template)}
                    px="md"
                    py="sm"
                    style={{
                      borderBottom: '1px solid var(--mantine-color-gray-1)',
                      borderLeft: `3px solid ${active ? 'var(--mantine-color-indigo-6)' : 'transparent'}`,
                      background: active ? 'var(--mantine-color-indigo-0)' : undefined,
                    }}
                  >
                    <Group justify="space-between" wrap="nowrap" gap="xs">
                      <Text size="sm" fw={600} truncate>
                        {template.name}
                      </Text>
                      {active && <Check size={16} color="var(--mantine-color-indigo-6)" aria-hidden />}
                    </Group>
                    <Text size="xs" c="dimmed" lineClamp={2} mt={2}>
                      {template.description || 'No description.'}
                    </Text>
                    <Group gap={6} mt={6}>
                      <Badge size="xs" variant="light" color={template.custom ? 'grape' : 'gray'}>
                        {template.custom ? 'Custom' : 'Global'}
                      </Badge>
                      <Badge size="xs" variant="outline" color="gray">
                        {template.dataClass}
                      </Badge>
                      <Badge size="xs" variant="outline" color="gray">
                        {template.level} level
                      </Badge>
                    </Group>
                  </UnstyledButton>
                );
              })}
            </Stack>
          )}
        </ScrollArea>
      </Paper>
      <Paper withBorder radius="md" p="lg" flex={1} miw={0} mih={600}>
        {highlighted ? (
          <TemplateDetails template={highlighted} />
        ) : (
          <Stack align="center" justify="center" mih={520} gap="xs">
            <Text fw={600}>Pick a template</Text>
            <Text c="dimmed" size="sm" ta="center" maw={420}>
              A template decides the report level, which dimensions and metrics you can pick, and the settings
              the provider computes them with. You can change the fields in the next step.
            </Text>
          </Stack>
        )}
      </Paper>
    </Group>
  );
}
