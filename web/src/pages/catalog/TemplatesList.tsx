import { Badge, Group, Paper, Skeleton, Table, Text } from '@mantine/core';
import { useApiQuery } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';

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
            <col style={{ width: '28%' }} />
            <col style={{ width: '12%' }} />
            <col style={{ width: '11%' }} />
            <col style={{ width: '11%' }} />
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
                        <Badge size="xs" variant="light" color={template.custom ? 'grape' : 'gray'}>
                          {template.custom ? 'Custom' : 'Global'}
                        </Badge>
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" tt="capitalize">
                        {template.level}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">
                        {template.dimensions.length}
                        <Text span size="xs" c="dimmed">
                          {' '}
                          ({template.defaultDimensions.length} default)
                        </Text>
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">
                        {template.metrics.length}
                        <Text span size="xs" c="dimmed">
                          {' '}
                          ({template.defaultMetrics.length} default)
                        </Text>
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" c="dimmed">
                        {template.description}
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
