import { Paper, Select, SimpleGrid, Skeleton, Stack, Text, TextInput, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useEffect } from 'react';
import { useApiQuery } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import type { Template, WizardDraft } from './draft.ts';
import { FieldsSection } from './FieldsSection.tsx';
import { type FieldIssues, issueText } from './fieldIssues.ts';
import { SchedulesSection } from './SchedulesSection.tsx';
import { SettingsSection } from './SettingsSection.tsx';

function Section({
  title,
  description,
  children,
}: {
  title: string;
  description: string;
  children: ReactNode;
}) {
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-label={title}>
      <Stack gap={2} mb="md">
        <Title order={4}>{title}</Title>
        <Text size="sm" c="dimmed">
          {description}
        </Text>
      </Stack>
      {children}
    </Paper>
  );
}

/** Where the data lands: destination, table, and the extraction's name. */
function DestinationFields({
  draft,
  issues,
  onChange,
}: {
  draft: WizardDraft;
  issues: FieldIssues;
  onChange: (patch: Partial<WizardDraft>) => void;
}) {
  const destinations = useApiQuery('listDestinations');
  const fallback = destinations.data?.items.find((item) => item.isDefault) ?? destinations.data?.items[0];
  useEffect(() => {
    if (!draft.destinationId && fallback) onChange({ destinationId: fallback.id });
  }, [draft.destinationId, fallback, onChange]);
  if (destinations.error)
    return <ErrorAlert error={destinations.error} title="Destinations could not be loaded" />;
  return (
    <SimpleGrid cols={3} spacing="lg">
      <TextInput
        label="Extraction name"
        value={draft.name}
        onChange={(event) => onChange({ name: event.currentTarget.value, nameEdited: true })}
        error={issueText(issues, 'name')}
      />
      {destinations.isPending ? (
        <Skeleton h={60} />
      ) : (
        <Select
          label="Destination"
          data={(destinations.data?.items ?? []).map((item) => ({
            value: item.id,
            label: `${item.name} (${item.kind === 'duckdb' ? 'DuckDB' : 'PostgreSQL'})${item.isDefault ? ' · default' : ''}`,
          }))}
          value={draft.destinationId}
          allowDeselect={false}
          onChange={(next) => next && onChange({ destinationId: next })}
          error={issueText(issues, 'destinationId')}
        />
      )}
      <TextInput
        label="Table name"
        placeholder="lower_case_with_underscores"
        value={draft.table}
        onChange={(event) => onChange({ table: event.currentTarget.value.trim(), tableEdited: true })}
        error={issueText(issues, 'table')}
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
      />
    </SimpleGrid>
  );
}

/** Step 3: custom settings, dimensions and metrics, schedules, destination and table. */
export function ConfigureStep({
  draft,
  template,
  issues,
  onChange,
}: {
  draft: WizardDraft;
  template: Template;
  issues: FieldIssues;
  onChange: (patch: Partial<WizardDraft>) => void;
}) {
  return (
    <Stack gap="lg">
      <Section
        title="Custom settings"
        description={`How ${template.name} is read: history to load, and the settings the provider computes numbers with.`}
      >
        <SettingsSection
          template={template}
          loadSince={draft.loadSince}
          settings={draft.settings}
          issues={issues}
          onLoadSince={(loadSince) => onChange({ loadSince })}
          onSetting={(name, value) => onChange({ settings: { ...draft.settings, [name]: value } })}
        />
      </Section>
      <Section
        title="Dimensions and metrics"
        description="The table's columns. Locked fields are required by the template; every table also has the date and the account."
      >
        <FieldsSection
          template={template}
          dimensions={draft.dimensions}
          metrics={draft.metrics}
          onChange={onChange}
          errors={{ dimensions: issueText(issues, 'dimensions'), metrics: issueText(issues, 'metrics') }}
        />
      </Section>
      <Section
        title="Schedules"
        description="When the extraction runs, and how many recent days each run re-reads."
      >
        <SchedulesSection
          schedules={draft.schedules}
          issues={issues}
          onChange={(schedules) => onChange({ schedules })}
        />
      </Section>
      <Section title="Destination" description="Where the rows land. The table is created on the first run.">
        <DestinationFields draft={draft} issues={issues} onChange={onChange} />
      </Section>
    </Stack>
  );
}
