import {
  Anchor,
  Button,
  Card,
  Group,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  TextInput,
  ThemeIcon,
} from '@mantine/core';
import { Boxes, Plug, Search } from 'lucide-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { useApiQuery } from '../../api.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useCan } from '../access/session.tsx';
import { DataSourceBadges } from './DataSourceBadges.tsx';
import { connectPath, type DataSourceSummary } from './dataSourceLabels.ts';

const cardHeight = 148;

/** The first letters of a source's name, as its mark in the catalog. */
function initialsOf(name: string): string {
  return name
    .split(/\s+/)
    .slice(0, 2)
    .map((word) => word[0]?.toUpperCase() ?? '')
    .join('');
}

function SourceCard({ source }: { source: DataSourceSummary }) {
  const canConnect = useCan('createConnection');
  return (
    <Card withBorder radius="md" padding="lg" h={cardHeight} data-testid="data-source-card">
      <Stack justify="space-between" h="100%" gap="sm">
        <Group gap="sm" wrap="nowrap" align="flex-start">
          <ThemeIcon size={40} radius="md" variant="light" aria-hidden>
            <Text fw={700} size="sm">
              {initialsOf(source.name)}
            </Text>
          </ThemeIcon>
          <Stack gap={6} miw={0}>
            <Anchor
              component={Link}
              to={`/data-sources/${encodeURIComponent(source.id)}`}
              fw={600}
              size="lg"
              c="inherit"
              underline="hover"
              truncate="end"
            >
              {source.name}
            </Anchor>
            <DataSourceBadges source={source} />
          </Stack>
        </Group>
        <Group gap="xs" justify="flex-end">
          <Button
            component={Link}
            to={`/data-sources/${encodeURIComponent(source.id)}`}
            variant="default"
            size="xs"
            aria-label={`${source.name}: setup guide and schema`}
          >
            Setup and schema
          </Button>
          {!canConnect ? null : source.configured ? (
            <Button
              component={Link}
              to={connectPath(source)}
              size="xs"
              leftSection={<Plug size={14} aria-hidden />}
              aria-label={`Connect ${source.name}`}
            >
              Connect
            </Button>
          ) : (
            <Button size="xs" disabled leftSection={<Plug size={14} aria-hidden />}>
              Connect
            </Button>
          )}
        </Group>
      </Stack>
    </Card>
  );
}

/** `/data-sources`: the catalog of sources Tributary can read, with a way to connect each. */
export function DataSourcesPage() {
  const sources = useApiQuery('listDataSources', {}, { staleTime: 60_000 });
  const [search, setSearch] = useState('');
  const needle = search.trim().toLowerCase();
  const items = (sources.data?.items ?? []).filter(
    (source) => !needle || source.name.toLowerCase().includes(needle) || source.id.includes(needle),
  );
  return (
    <>
      <PageHeader
        title="Data sources"
        description="The platforms Tributary reads from: how to set each up, what it reports, and what to do when it fails."
      />
      <TextInput
        aria-label="Search data sources"
        placeholder="Search data sources"
        leftSection={<Search size={16} aria-hidden />}
        value={search}
        onChange={(event) => setSearch(event.currentTarget.value)}
        maw={360}
        mb="lg"
      />
      {sources.error ? (
        <ErrorAlert
          error={sources.error}
          title="Could not load data sources"
          onRetry={() => sources.refetch()}
        />
      ) : sources.isPending ? (
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3, xl: 4 }} spacing="lg">
          {[0, 1, 2].map((index) => (
            <Skeleton key={index} height={cardHeight} radius="md" />
          ))}
        </SimpleGrid>
      ) : items.length === 0 ? (
        <EmptyState
          icon={<Boxes size={36} color="var(--mantine-color-gray-5)" aria-hidden />}
          title="No data source matches"
        >
          Nothing is called “{search}”. Clear the search to see every source.
        </EmptyState>
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3, xl: 4 }} spacing="lg">
          {items.map((source) => (
            <SourceCard key={source.id} source={source} />
          ))}
        </SimpleGrid>
      )}
    </>
  );
}
