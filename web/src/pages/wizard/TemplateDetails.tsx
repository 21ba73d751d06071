import { Badge, Code, Group, List, SimpleGrid, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { Lock } from 'lucide-react';
import { FieldTypeBadge } from '../../components/FieldTypeBadge.tsx';
import { formatInteger } from '../../format.ts';
import type { Template } from './draft.ts';

function settingDefault(value: unknown): string {
  return Array.isArray(value) ? value.join(', ') : String(value);
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="sm">{value}</Text>
    </Stack>
  );
}

function FieldTable({
  fields,
  required,
  defaults,
}: {
  fields: Template['dimensions'];
  required: string[];
  defaults: string[];
}) {
  return (
    <Table.ScrollContainer minWidth={420} maxHeight={300}>
      <Table stickyHeader verticalSpacing={6} fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Field</Table.Th>
            <Table.Th w={90}>Type</Table.Th>
            <Table.Th w={120}>In template</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {fields.map((field) => {
            const status = required.includes(field.name)
              ? 'Required'
              : defaults.includes(field.name)
                ? 'Default'
                : 'Available';
            return (
              <Table.Tr key={field.name}>
                <Table.Td>
                  <Text size="sm">{field.label}</Text>
                  <Text size="xs" c="dimmed" ff="monospace">
                    {field.name}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <FieldTypeBadge type={field.type} />
                </Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    {status === 'Required' && <Lock size={12} aria-hidden />}
                    <Text size="xs" c={status === 'Available' ? 'dimmed' : undefined}>
                      {status}
                    </Text>
                  </Group>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** The details panel of a template: what it reads, its settings with defaults, its fields and the provider's rules. */
export function TemplateDetails({ template }: { template: Template }) {
  return (
    <Stack gap="md" aria-label="Template details">
      <Stack gap={4}>
        <Group gap="xs">
          <Title order={3}>{template.name}</Title>
          <Badge variant="light" color={template.custom ? 'grape' : 'gray'}>
            {template.custom ? 'Custom' : 'Global'}
          </Badge>
        </Group>
        <Text size="sm" c="dimmed">
          {template.description}
        </Text>
      </Stack>
      <SimpleGrid cols={{ base: 2, lg: 4 }} spacing="md">
        <Fact label="Level" value={template.level} />
        <Fact label="Data class" value={template.dataClass} />
        <Fact label="Historical depth" value={`${formatInteger(template.historicalDepthDays)} days`} />
        <Fact label="Default lookback" value={`${template.defaultLookbackDays} days`} />
      </SimpleGrid>
      {template.settings.length > 0 && (
        <Stack gap={6}>
          <Title order={5}>Settings</Title>
          <Table verticalSpacing={6} fz="sm" withTableBorder>
            <Table.Tbody>
              {template.settings.map((setting) => (
                <Table.Tr key={setting.name}>
                  <Table.Td w="32%">
                    <Text size="sm" fw={500}>
                      {setting.label}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      Default: <Code>{settingDefault(setting.default)}</Code>
                    </Text>
                    {setting.options && (
                      <Text size="xs" c="dimmed">
                        Allowed: {setting.options.join(', ')}
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      )}
      <Tabs defaultValue="dimensions" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="dimensions">Dimensions ({template.dimensions.length})</Tabs.Tab>
          <Tabs.Tab value="metrics">Metrics ({template.metrics.length})</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="dimensions" pt="xs">
          {template.dimensions.length === 0 ? (
            <Text size="sm" c="dimmed" py="sm">
              No dimensions beyond the date and the account, which every table has.
            </Text>
          ) : (
            <FieldTable
              fields={template.dimensions}
              required={template.requiredDimensions}
              defaults={template.defaultDimensions}
            />
          )}
        </Tabs.Panel>
        <Tabs.Panel value="metrics" pt="xs">
          <FieldTable
            fields={template.metrics}
            required={template.requiredMetrics}
            defaults={template.defaultMetrics}
          />
        </Tabs.Panel>
      </Tabs>
      {template.rules.length > 0 && (
        <Stack gap={6}>
          <Title order={5}>Provider rules</Title>
          <List size="sm" spacing={4}>
            {template.rules.map((rule) => (
              <List.Item key={`${rule.kind}:${rule.fields.join(',')}`}>
                <Text size="sm" span fw={500}>
                  {rule.kind === 'exclusive'
                    ? `${rule.fields.join(' or ')}, not both`
                    : `${rule.fields[0]} needs ${rule.fields.slice(1).join(', ')}`}
                </Text>
                <Text size="sm" span c="dimmed">
                  {' '}
                  — {rule.message}
                </Text>
              </List.Item>
            ))}
          </List>
        </Stack>
      )}
    </Stack>
  );
}
