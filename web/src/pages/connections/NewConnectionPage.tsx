import {
  Anchor,
  Badge,
  Button,
  Card,
  Divider,
  Group,
  Paper,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { ArrowLeft, KeyRound, LogIn, Search } from 'lucide-react';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { DataSourceDetail, DataSourceSummary } from '../../../../src/contract/schemas.ts';
import { api, useApiQuery } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { CredentialForm } from './CredentialForm.tsx';
import { NewConnectionSteps } from './NewConnectionSteps.tsx';

/** Where the OAuth callback sends the browser back to after the provider's page. */
export const accountsStepPath = '/connections/new/accounts';

const authLabels: Record<DataSourceSummary['authType'], string> = {
  oauth2: 'Sign in with the provider',
  api_key: 'API key',
  service_account: 'Service-account key',
  login: 'Login and password',
};

/** `/connections/new`: pick a data source, then authorize it (`?source=` holds the choice, e.g. from a source's page). */
export function NewConnectionPage() {
  const [params, setParams] = useSearchParams();
  const sourceId = params.get('source');
  return (
    <>
      <PageHeader
        title="Make a new connection"
        actions={
          <Button component={Link} to="/connections" variant="default" leftSection={<ArrowLeft size={16} />}>
            Back to connections
          </Button>
        }
      />
      <NewConnectionSteps active={sourceId ? 1 : 0} />
      {sourceId ? (
        <CredentialStep sourceId={sourceId} onBack={() => setParams({})} />
      ) : (
        <SourcePicker onPickForm={(id) => setParams({ source: id })} />
      )}
    </>
  );
}

/**
 * Starts an OAuth authorization: a pending connection, then the browser goes to the provider's page
 * (the sandbox's consent page in sandbox mode), which sends it back to the accounts step.
 */
function useStartAuthorization() {
  const [starting, setStarting] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const start = async (sourceId: string) => {
    setStarting(sourceId);
    setError(null);
    try {
      const created = await api.call('createConnection', {
        body: { dataSource: sourceId, returnTo: accountsStepPath },
      });
      if (created.authorizationUrl) window.location.assign(created.authorizationUrl);
    } catch (failure) {
      setError(failure);
      setStarting(null);
    }
  };
  return { start, starting, error };
}

function SourcePicker({ onPickForm }: { onPickForm(id: string): void }) {
  const sources = useApiQuery('listDataSources', {}, { staleTime: 5 * 60_000 });
  const [search, setSearch] = useState('');
  const { start, starting, error } = useStartAuthorization();
  const pick = async (source: DataSourceSummary) => {
    if (source.authType !== 'oauth2') onPickForm(source.id);
    else await start(source.id);
  };
  const term = search.trim().toLowerCase();
  const shown = (sources.data?.items ?? []).filter((source) => source.name.toLowerCase().includes(term));
  return (
    <Stack gap="md">
      <TextInput
        w={360}
        placeholder="Search data sources"
        aria-label="Search data sources"
        leftSection={<Search size={16} aria-hidden />}
        value={search}
        onChange={(event) => setSearch(event.currentTarget.value)}
      />
      {error !== null && <ErrorAlert error={error} title="Could not start the authorization" />}
      {sources.isError && (
        <ErrorAlert
          error={sources.error}
          title="Could not load the data sources"
          onRetry={() => void sources.refetch()}
        />
      )}
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3, xl: 4 }} spacing="md">
        {sources.isPending &&
          ['s1', 's2', 's3'].map((key) => <Skeleton key={key} height={132} radius="md" />)}
        {shown.map((source) => (
          <SourceCard
            key={source.id}
            source={source}
            starting={starting === source.id}
            onPick={() => void pick(source)}
            onPickForm={() => onPickForm(source.id)}
          />
        ))}
      </SimpleGrid>
      {sources.isSuccess && shown.length === 0 && <Text c="dimmed">No data source matches “{search}”.</Text>}
    </Stack>
  );
}

function SourceCard({
  source,
  starting,
  onPick,
  onPickForm,
}: {
  source: DataSourceSummary;
  starting: boolean;
  onPick(): void;
  onPickForm(): void;
}) {
  const Icon = source.authType === 'oauth2' ? LogIn : KeyRound;
  return (
    <Card withBorder padding="lg" radius="md" opacity={source.configured ? 1 : 0.7}>
      <Stack gap="xs" h="100%">
        <Group justify="space-between" wrap="nowrap">
          <Title order={4}>{source.name}</Title>
          {source.sandbox && (
            <Badge color="yellow" variant="light">
              Sandbox
            </Badge>
          )}
        </Group>
        <Group gap={6} c="dimmed">
          <Icon size={14} aria-hidden />
          <Text size="sm">{authLabels[source.authType]}</Text>
        </Group>
        {source.sandbox && (
          <Text size="xs" c="dimmed">
            Runs against the built-in sandbox: realistic test data, nothing leaves this machine.
          </Text>
        )}
        {!source.configured && (
          <Text size="xs" c="orange.8">
            Not available on this server: it has no app credentials for {source.name}.{' '}
            <Anchor component={Link} to={`/data-sources/${source.id}`} size="xs">
              See the setup guide
            </Anchor>
          </Text>
        )}
        <Group mt="auto" pt="xs" gap="xs">
          <Button
            onClick={onPick}
            loading={starting}
            disabled={!source.configured}
            aria-label={`Connect ${source.name}`}
          >
            Connect
          </Button>
          {source.formAuthType && (
            <Button
              variant="default"
              onClick={onPickForm}
              disabled={!source.configured}
              aria-label={`Connect ${source.name} with a ${authLabels[source.formAuthType]}`}
            >
              Use a {authLabels[source.formAuthType].toLowerCase()}
            </Button>
          )}
        </Group>
      </Stack>
    </Card>
  );
}

function CredentialStep({ sourceId, onBack }: { sourceId: string; onBack(): void }) {
  const source = useApiQuery('getDataSource', { params: { id: sourceId } }, { staleTime: 5 * 60_000 });
  if (source.isError) {
    return <ErrorAlert error={source.error} title="Could not open this data source" onRetry={onBack} />;
  }
  if (!source.data) return <Skeleton height={240} radius="md" maw={560} />;
  const detail = source.data;
  return (
    <Paper withBorder p="xl" radius="md" maw={560}>
      <Stack gap="md">
        <Group justify="space-between">
          <Title order={3}>Connect {detail.name}</Title>
          {detail.sandbox && (
            <Badge color="yellow" variant="light">
              Sandbox
            </Badge>
          )}
        </Group>
        {detail.authType === 'oauth2' && detail.formAuthType ? (
          <>
            <OAuthStart sourceId={detail.id} name={detail.name} sandbox={detail.sandbox} onBack={onBack} />
            <Divider
              label={`or use a ${authLabels[detail.formAuthType].toLowerCase()}`}
              labelPosition="center"
            />
            <CredentialFormStep sourceId={detail.id} fields={detail.credentialFields} onBack={onBack} />
          </>
        ) : detail.authType === 'oauth2' ? (
          <OAuthStart sourceId={detail.id} name={detail.name} sandbox={detail.sandbox} onBack={onBack} />
        ) : (
          <>
            <Text size="sm" c="dimmed">
              Tributary checks the credentials with {detail.name} before saving them, and stores them
              encrypted.
            </Text>
            <CredentialFormStep sourceId={detail.id} fields={detail.credentialFields} onBack={onBack} />
          </>
        )}
      </Stack>
    </Paper>
  );
}

/** The authorize step of an OAuth source reached by a link (`?source=`): one click to the provider's page. */
function OAuthStart({
  sourceId,
  name,
  sandbox,
  onBack,
}: {
  sourceId: string;
  name: string;
  sandbox: boolean;
  onBack(): void;
}) {
  const { start, starting, error } = useStartAuthorization();
  return (
    <>
      <Text size="sm" c="dimmed">
        You sign in at {sandbox ? `the ${name} sandbox` : name} and allow Tributary to read your ad accounts'
        reports; then you come back here to choose the accounts to sync.
      </Text>
      {error !== null && <ErrorAlert error={error} title="Could not start the authorization" />}
      <Group>
        <Button onClick={() => void start(sourceId)} loading={starting === sourceId}>
          Continue to {name}
        </Button>
        <Button variant="default" onClick={onBack}>
          Choose another source
        </Button>
      </Group>
    </>
  );
}

function CredentialFormStep({
  sourceId,
  fields,
  onBack,
}: {
  sourceId: string;
  fields: DataSourceDetail['credentialFields'];
  onBack(): void;
}) {
  const navigate = useNavigate();
  return (
    <CredentialForm
      fields={fields}
      submitLabel="Connect"
      onCancel={onBack}
      onSubmit={async (credentials) => {
        const created = await api.call('createConnection', {
          body: { dataSource: sourceId, credentials },
        });
        navigate(`${accountsStepPath}?connection=${created.connection.id}`);
      }}
    />
  );
}
