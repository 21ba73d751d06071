import { Alert, Anchor, Button, Paper, Skeleton, Stack, Tabs, Text } from '@mantine/core';
import { BookOpen, Combine, LifeBuoy, ListTree, Plug, Table2, TriangleAlert } from 'lucide-react';
import { Link, useNavigate, useParams } from 'react-router';
import { useApiQuery } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Markdown } from '../../components/Markdown.tsx';
import { NotFoundPage } from '../../components/NotFoundPage.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useCan } from '../access/session.tsx';
import { DataSourceBadges } from './DataSourceBadges.tsx';
import { connectPath } from './dataSourceLabels.ts';
import { SchemaFields } from './SchemaFields.tsx';
import { TemplatesList } from './TemplatesList.tsx';

const tabs = [
  { value: 'setup-guide', label: 'Setup guide', icon: BookOpen },
  { value: 'schema', label: 'Schema', icon: Table2 },
  { value: 'templates', label: 'Templates', icon: ListTree },
  { value: 'troubleshooting', label: 'Troubleshooting', icon: LifeBuoy },
  { value: 'mapping', label: 'Paid-ads model', icon: Combine },
] as const;
type Tab = (typeof tabs)[number]['value'];

function PageSkeleton() {
  return (
    <Stack gap="lg" aria-busy>
      <Skeleton height={56} width="40%" />
      <Skeleton height={36} />
      <Skeleton height={420} />
    </Stack>
  );
}

/** `/data-sources/:id/:tab`: one source's setup guide, schema, templates and troubleshooting. */
export function DataSourcePage() {
  const { id = '', tab } = useParams();
  const navigate = useNavigate();
  const canConnect = useCan('createConnection');
  const source = useApiQuery('getDataSource', { params: { id } }, { staleTime: 60_000 });
  const current: Tab | undefined =
    tab === undefined ? 'setup-guide' : tabs.find((item) => item.value === tab)?.value;

  if (current === undefined) return <NotFoundPage />;
  if (source.error) {
    if (source.error.code === 'unknown_data_source' || source.error.status === 404) {
      return <NotFoundPage what="data source" />;
    }
    return (
      <ErrorAlert
        error={source.error}
        title="Could not load this data source"
        onRetry={() => source.refetch()}
      />
    );
  }
  if (!source.data) return <PageSkeleton />;
  const data = source.data;
  const fieldCount = data.schema.dimensions.length + data.schema.metrics.length;

  return (
    <>
      <Anchor component={Link} to="/data-sources" size="sm" c="dimmed" mb={4} display="inline-block">
        Data sources
      </Anchor>
      <PageHeader
        title={data.name}
        description={<DataSourceBadges source={data} />}
        actions={
          !canConnect ? null : data.configured ? (
            <Button component={Link} to={connectPath(data)} leftSection={<Plug size={16} aria-hidden />}>
              Connect
            </Button>
          ) : (
            <Button disabled leftSection={<Plug size={16} aria-hidden />}>
              Connect
            </Button>
          )
        }
      />
      {!data.configured && (
        <Alert color="orange" variant="light" icon={<TriangleAlert size={18} aria-hidden />} mb="lg">
          Connections cannot be made yet: neither app credentials nor the sandbox are available. Follow the
          setup guide, then restart Tributary.
        </Alert>
      )}
      <Tabs
        value={current}
        onChange={(value) => value && navigate(`/data-sources/${encodeURIComponent(id)}/${value}`)}
        keepMounted={false}
      >
        <Tabs.List mb="lg">
          {tabs.map((item) => (
            <Tabs.Tab key={item.value} value={item.value} leftSection={<item.icon size={16} aria-hidden />}>
              {item.label}
              {item.value === 'schema' && (
                <Text span size="xs" c="dimmed" ml={6}>
                  {fieldCount}
                </Text>
              )}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="setup-guide">
          <Paper withBorder radius="md" p="xl" maw={1100}>
            <Markdown source={data.setupGuide} headingOffset={1} />
          </Paper>
        </Tabs.Panel>
        <Tabs.Panel value="schema">
          <SchemaFields dimensions={data.schema.dimensions} metrics={data.schema.metrics} />
        </Tabs.Panel>
        <Tabs.Panel value="templates">
          <TemplatesList dataSourceId={data.id} />
        </Tabs.Panel>
        <Tabs.Panel value="troubleshooting">
          <Paper withBorder radius="md" p="xl" maw={1100}>
            <Markdown source={data.troubleshooting} headingOffset={1} />
          </Paper>
        </Tabs.Panel>
        <Tabs.Panel value="mapping">
          <Paper withBorder radius="md" p="xl" maw={1100}>
            {data.mapping ? (
              <Markdown source={data.mapping} headingOffset={1} />
            ) : (
              <Text c="dimmed">{data.name} does not feed the paid_ads__basic_performance table.</Text>
            )}
          </Paper>
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
