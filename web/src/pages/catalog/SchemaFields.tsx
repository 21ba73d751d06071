import { Badge, Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { Search } from 'lucide-react';
import { useState } from 'react';
import type { EndpointResult } from '../../../../src/contract/endpoints.ts';
import { FieldTypeBadge } from '../../components/FieldTypeBadge.tsx';

type Field = EndpointResult<'getDataSource'>['schema']['dimensions'][number];

function matches(field: Field, needle: string): boolean {
  return (
    !needle ||
    field.name.toLowerCase().includes(needle) ||
    field.label.toLowerCase().includes(needle) ||
    field.description.toLowerCase().includes(needle)
  );
}

function FieldTable({ title, fields, total }: { title: string; fields: Field[]; total: number }) {
  const headingId = `schema-${title.toLowerCase()}`;
  return (
    <Paper withBorder radius="md">
      <Group justify="space-between" px="md" py="sm">
        <Title order={3} size="h4" id={headingId}>
          {title}
        </Title>
        <Badge
          variant="light"
          color="gray"
          aria-label={`${fields.length} of ${total} ${title.toLowerCase()}`}
        >
          {fields.length === total ? total : `${fields.length} of ${total}`}
        </Badge>
      </Group>
      {fields.length === 0 ? (
        <Text size="sm" c="dimmed" px="md" pb="md">
          No {title.toLowerCase()} match the search.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table
            className="stable-table"
            aria-labelledby={headingId}
            verticalSpacing="xs"
            horizontalSpacing="md"
          >
            <colgroup>
              <col style={{ width: '30%' }} />
              <col style={{ width: '12%' }} />
              <col />
            </colgroup>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Field</Table.Th>
                <Table.Th>Type</Table.Th>
                <Table.Th>Description</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {fields.map((field) => (
                <Table.Tr key={field.name} data-testid="schema-field">
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {field.label}
                    </Text>
                    <Text size="xs" c="dimmed" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
                      {field.name}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <FieldTypeBadge type={field.type} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{field.description}</Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}

/** The Schema tab: every dimension and metric the source can report, with its type; searchable. */
export function SchemaFields({ dimensions, metrics }: { dimensions: Field[]; metrics: Field[] }) {
  const [search, setSearch] = useState('');
  const needle = search.trim().toLowerCase();
  const shownDimensions = dimensions.filter((field) => matches(field, needle));
  const shownMetrics = metrics.filter((field) => matches(field, needle));
  return (
    <Stack gap="lg">
      <Group justify="space-between">
        <TextInput
          aria-label="Search fields"
          placeholder="Search by name, label or description"
          leftSection={<Search size={16} aria-hidden />}
          value={search}
          onChange={(event) => setSearch(event.currentTarget.value)}
          w={360}
        />
        <Text size="sm" c="dimmed" role="status">
          {dimensions.length} dimensions, {metrics.length} metrics
          {needle ? ` · ${shownDimensions.length + shownMetrics.length} match` : ''}
        </Text>
      </Group>
      <FieldTable title="Dimensions" fields={shownDimensions} total={dimensions.length} />
      <FieldTable title="Metrics" fields={shownMetrics} total={metrics.length} />
    </Stack>
  );
}
