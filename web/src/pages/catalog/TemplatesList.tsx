import { Badge, Group, Paper, Skeleton, Table, Text } from '@mantine/core';
import { useApiQuery } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { renderInline } from '../../components/Markdown.tsx';

/** What a report row is per level, as users of ad platforms name it. */
const levelLabels: Record<string, string> = {
  account: 'Account',
  campaign: 'Campaign',
  adset: 'Ad set',
  ad: 'Ad',
};

/** The Templates tab: the ready-made reports of a source (global and custom) and their size. */
export function TemplatesList({ dataSourceId }: { dataSourceId: string }) {
  const templates = useApiQuery('listTemplates', { params: { id: dataSourceId } });
  if (templates.error) {
    return (
      <ErrorAlert
        error={templates.error}
        title="Could not load templates"
        onRetry={() => templates.refetch()}
      />
    );
  }
  return (
    <Paper withBorder radius="md">
      <Table.ScrollContainer minWidth={760}>
        <Table className="stable-table" verticalSpacing="sm" horizontalSpacing="md" aria-label="Templates">
          <colgroup>
            <col style={{ width: '26%' }} />
            <col style={{ width: '10%' }} />
            <col style={{ width: '14%' }} />
            <col style={{ width: '14%' }} />
            <col />
          </colgroup>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Template</Table.Th>
              <Table.Th>Level</Table.Th>
              <Table.Th>Dimensions</Table.Th>
              <Table.Th>Metrics</Table.Th>
              <Table.Th>Description</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {templates.isPending
              ? [0, 1, 2].map((row) => (
                  <Table.Tr key={row}>
                    {[0, 1, 2, 3, 4].map((cell) => (
                      <Table.Td key={cell}>
                        <Skeleton height={20} my={2} />
                      </Table.Td>
                    ))}
                  </Table.Tr>
                ))
              : templates.data.items.map((template) => (
                  <Table.Tr key={template.id} data-testid="template-row">
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        <Text size="sm" fw={500}>
                          {template.name}
                        </Text>
                        {template.custom && (
                          <Badge size="xs" variant="light" color="grape">
                            Custom
                          </Badge>
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{levelLabels[template.level] ?? template.level}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                        {template.dimensions.length}
                        <Text span size="xs" c="dimmed">
                          {' '}
                          ({template.defaultDimensions.length} default)
                        </Text>
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                        {template.metrics.length}
                        <Text span size="xs" c="dimmed">
                          {' '}
                          ({template.defaultMetrics.length} default)
                        </Text>
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                        {renderInline(template.description)}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {templates.data && templates.data.items.length === 0 && (
        <Text size="sm" c="dimmed" p="md">
          This source has no templates yet.
        </Text>
      )}
    </Paper>
  );
}
