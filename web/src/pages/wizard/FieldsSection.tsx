import {
  Alert,
  Checkbox,
  Group,
  Paper,
  ScrollArea,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { CircleAlert, Lock, Search } from 'lucide-react';
import { useState } from 'react';
import { FieldTypeBadge } from '../../components/FieldTypeBadge.tsx';
import { ruleViolations } from './configProblems.ts';
import type { Template } from './draft.ts';

type Field = Template['dimensions'][number];

/** Dimensions and metrics as two lists of checkboxes; required fields are locked, rule clashes marked. */
export function FieldsSection({
  template,
  dimensions,
  metrics,
  onChange,
  errors,
}: {
  template: Template;
  dimensions: string[];
  metrics: string[];
  onChange: (next: { dimensions?: string[]; metrics?: string[] }) => void;
  /** Messages from the server or the local checks, by list. */
  errors: { dimensions?: string | undefined; metrics?: string | undefined };
}) {
  const violations = ruleViolations(template, dimensions, metrics);
  const clashing = new Set(violations.flatMap((violation) => violation.fields));
  // Rule messages are already in the alert; the lists only repeat what the alert does not say.
  const ruleMessages = new Set(violations.map((violation) => violation.message));
  const otherDimensionErrors = errors.dimensions
    ?.split('; ')
    .filter((message) => !ruleMessages.has(message))
    .join('; ');
  return (
    <Stack gap="sm">
      {violations.length > 0 && (
        <Alert
          color="red"
          variant="light"
          icon={<CircleAlert size={18} />}
          title="Not allowed by the provider"
          role="alert"
        >
          <Stack gap={2}>
            {violations.map((violation) => (
              <Text size="sm" key={violation.message}>
                {violation.message}
              </Text>
            ))}
          </Stack>
        </Alert>
      )}
      <SimpleGrid cols={2} spacing="md">
        <FieldList
          title="Dimensions"
          fields={template.dimensions}
          selected={dimensions}
          required={template.requiredDimensions}
          clashing={clashing}
          error={otherDimensionErrors || undefined}
          empty="This template has no dimensions to choose: rows are per account and day."
          onChange={(next) => onChange({ dimensions: next })}
        />
        <FieldList
          title="Metrics"
          fields={template.metrics}
          selected={metrics}
          required={template.requiredMetrics}
          clashing={clashing}
          error={errors.metrics}
          empty="This template has no metrics."
          onChange={(next) => onChange({ metrics: next })}
        />
      </SimpleGrid>
    </Stack>
  );
}

function FieldList({
  title,
  fields,
  selected,
  required,
  clashing,
  error,
  empty,
  onChange,
}: {
  title: string;
  fields: Field[];
  selected: string[];
  required: string[];
  clashing: Set<string>;
  error: string | undefined;
  empty: string;
  onChange: (next: string[]) => void;
}) {
  const [search, setSearch] = useState('');
  const needle = search.trim().toLowerCase();
  const shown = fields.filter(
    (field) =>
      !needle || field.label.toLowerCase().includes(needle) || field.name.toLowerCase().includes(needle),
  );
  const chosen = new Set(selected);
  const toggle = (name: string, on: boolean) =>
    // Keep the template's order so the table's columns come out in a sensible order.
    onChange(fields.map((field) => field.name).filter((other) => (other === name ? on : chosen.has(other))));
  return (
    <Paper
      withBorder
      radius="md"
      component="section"
      aria-label={title}
      style={error ? { borderColor: 'var(--mantine-color-red-6)' } : undefined}
    >
      <Stack gap="xs" p="sm" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
        <Group justify="space-between">
          <Text fw={600}>{title}</Text>
          <Text size="sm" c="dimmed">
            {selected.length} of {fields.length} selected
          </Text>
        </Group>
        <TextInput
          size="xs"
          placeholder={`Search ${title.toLowerCase()}`}
          aria-label={`Search ${title.toLowerCase()}`}
          leftSection={<Search size={14} aria-hidden />}
          value={search}
          onChange={(event) => setSearch(event.currentTarget.value)}
        />
        {error && (
          <Text size="xs" c="red" role="alert">
            {error}
          </Text>
        )}
      </Stack>
      <ScrollArea h={340}>
        {fields.length === 0 || shown.length === 0 ? (
          <Text c="dimmed" size="sm" ta="center" py="xl" px="md">
            {fields.length === 0 ? empty : 'No field matches.'}
          </Text>
        ) : (
          shown.map((field) => {
            const locked = required.includes(field.name);
            const clash = clashing.has(field.name);
            return (
              <Group
                key={field.name}
                justify="space-between"
                wrap="nowrap"
                px="sm"
                py={6}
                gap="xs"
                style={{
                  borderBottom: '1px solid var(--mantine-color-gray-1)',
                  background: clash ? 'var(--mantine-color-red-0)' : undefined,
                }}
              >
                <Checkbox
                  size="sm"
                  checked={locked || chosen.has(field.name)}
                  disabled={locked}
                  onChange={(event) => toggle(field.name, event.currentTarget.checked)}
                  aria-label={field.label}
                  error={clash}
                  label={
                    <Stack gap={0}>
                      <Text size="sm" c={locked ? 'dark' : undefined}>
                        {field.label}
                      </Text>
                      <Text size="xs" c="dimmed" ff="monospace">
                        {field.name}
                      </Text>
                    </Stack>
                  }
                  styles={{ body: { alignItems: 'flex-start' }, labelWrapper: { minWidth: 0 } }}
                />
                <Group gap={6} wrap="nowrap">
                  {locked && (
                    <Tooltip label="Required by the template: it cannot be removed" withArrow>
                      <span
                        role="img"
                        aria-label={`${field.label} is required by the template`}
                        style={{ display: 'inline-flex', color: 'var(--mantine-color-gray-6)' }}
                      >
                        <Lock size={14} aria-hidden />
                      </span>
                    </Tooltip>
                  )}
                  <FieldTypeBadge type={field.type} />
                </Group>
              </Group>
            );
          })
        )}
      </ScrollArea>
    </Paper>
  );
}
