/**
 * The extraction wizard (/extractions/new?connection=&step=): select accounts, choose a template,
 * configure, check the result and create. The step lives in the URL so Back works; the draft lives
 * in sessionStorage so a reload keeps it.
 */
import { Button, Group, Paper, Skeleton, Stack, Stepper, Text } from '@mantine/core';
import { ArrowLeft, ArrowRight } from 'lucide-react';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useApiQuery } from '../../api.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { NotFoundPage } from '../../components/NotFoundPage.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { AccountsStep, usableAccounts } from './AccountsStep.tsx';
import { ConfigureStep } from './ConfigureStep.tsx';
import { ConnectionPicker } from './ConnectionPicker.tsx';
import { configurationProblems } from './configProblems.ts';
import { applyTemplate, discardDraft, type Template, useWizardDraft, type WizardDraft } from './draft.ts';
import type { FieldIssues } from './fieldIssues.ts';
import { ResultStep } from './ResultStep.tsx';
import { TemplatesStep } from './TemplatesStep.tsx';

const stepLabels = ['Select accounts', 'Choose template', 'Configure', 'Check the result'];

/** Server issues that a change to `keys` may have fixed; fields and rules span both lists. */
function withoutIssuesFor(issues: FieldIssues, keys: string[]): FieldIssues {
  const touched = new Set(
    keys.flatMap((key) => (key === 'dimensions' || key === 'metrics' ? ['dimensions', 'metrics'] : [key])),
  );
  return Object.fromEntries(
    Object.entries(issues).filter(([path]) => !touched.has(path.split('.')[0] ?? path)),
  );
}

function Wizard({ connectionId }: { connectionId: string }) {
  const [params, setParams] = useSearchParams();
  const requested = Math.min(4, Math.max(1, Number(params.get('step')) || 1));
  const connection = useApiQuery('getConnection', { params: { id: connectionId } });
  const dataSource = connection.data?.dataSource.id;
  const templates = useApiQuery(
    'listTemplates',
    { params: { id: dataSource ?? '' } },
    { enabled: Boolean(dataSource) },
  );
  const [draft, setDraft] = useWizardDraft(connectionId);
  const [serverIssues, setServerIssues] = useState<FieldIssues>({});

  const update = useCallback(
    (patch: Partial<WizardDraft>) => {
      setDraft((current) => ({ ...current, ...patch }));
      setServerIssues((current) => withoutIssuesFor(current, Object.keys(patch)));
    },
    [setDraft],
  );
  const goTo = useCallback(
    (step: number, replace = false) =>
      setParams({ connection: connectionId, step: String(step) }, { replace }),
    [connectionId, setParams],
  );

  const accounts = useMemo(() => usableAccounts(connection.data?.accounts ?? []), [connection.data]);
  const template: Template | undefined = templates.data?.items.find((item) => item.id === draft.templateId);
  const chosenAccounts =
    draft.accounts === 'all'
      ? accounts.length
      : draft.accounts.filter((id) => accounts.some((a) => a.id === id)).length;
  const localProblems = template ? configurationProblems(draft, template) : {};
  const issues: FieldIssues = { ...localProblems };
  for (const [path, messages] of Object.entries(serverIssues))
    issues[path] = [...new Set([...(issues[path] ?? []), ...messages])];
  const reachable = chosenAccounts === 0 ? 1 : !template ? 2 : Object.keys(localProblems).length ? 3 : 4;
  const loaded = Boolean(connection.data && templates.data);
  const step = loaded ? Math.min(requested, reachable) : requested;

  // A reload or a hand-typed URL may ask for a step whose earlier choices are missing.
  const stepInUrl = params.has('step');
  useEffect(() => {
    if (loaded && requested > reachable) goTo(reachable, true);
    else if (!stepInUrl) goTo(requested, true);
  }, [loaded, requested, reachable, goTo, stepInUrl]);
  const onIssues = useCallback((next: FieldIssues) => setServerIssues(next), []);

  if (connection.error?.status === 404) return <NotFoundPage what="connection" />;
  const title = 'New extraction';
  if (connection.error || templates.error)
    return (
      <>
        <PageHeader title={title} />
        <ErrorAlert error={connection.error ?? templates.error} onRetry={() => void connection.refetch()} />
      </>
    );
  const source = connection.data;
  if (source && !source.actions.extract) {
    return (
      <>
        <PageHeader title={title} />
        <EmptyState
          title="This connection cannot be extracted yet"
          action={
            <Button component={Link} to={`/connections/${source.id}`}>
              Open the connection
            </Button>
          }
        >
          Extraction needs an active connection with at least one account. This one is {source.status} with{' '}
          {source.accountsCount} accounts.
        </EmptyState>
      </>
    );
  }

  const continueHint =
    step === 1 && chosenAccounts === 0
      ? 'Select at least one account to continue.'
      : step === 2 && !template
        ? 'Pick a template to continue.'
        : step === 3 && reachable < 4
          ? 'Fix the fields marked in red to continue.'
          : '';
  return (
    <>
      <PageHeader
        title={title}
        description={
          source ? `${source.dataSource.name} · ${source.businessAccount ?? 'unnamed business account'}` : ' '
        }
        actions={
          <Button
            variant="default"
            component={Link}
            to="/connections"
            onClick={() => discardDraft(connectionId)}
          >
            Cancel
          </Button>
        }
      />
      <Stepper
        active={step - 1}
        onStepClick={(index) => index + 1 <= reachable && goTo(index + 1)}
        size="sm"
        mb="lg"
        aria-label="Wizard steps"
      >
        {stepLabels.map((label, index) => (
          <Stepper.Step
            key={label}
            label={label}
            allowStepSelect={index + 1 <= reachable}
            description={
              index === 0 && chosenAccounts > 0
                ? `${chosenAccounts} selected`
                : index === 1 && template
                  ? template.name
                  : undefined
            }
          />
        ))}
      </Stepper>
      {!loaded || !source || !templates.data ? (
        <Skeleton h={480} radius="md" />
      ) : (
        <Stack gap="lg">
          {step === 1 && (
            <AccountsStep
              accounts={accounts}
              value={draft.accounts}
              onChange={(value) => update({ accounts: value })}
            />
          )}
          {step === 2 && (
            <TemplatesStep
              templates={templates.data.items}
              selectedId={draft.templateId}
              onSelect={(picked) =>
                picked.id !== draft.templateId && setDraft(applyTemplate(draft, picked, source.dataSource.id))
              }
            />
          )}
          {step === 3 && template && (
            <ConfigureStep draft={draft} template={template} issues={issues} onChange={update} />
          )}
          {step === 4 && template && (
            <ResultStep
              draft={draft}
              template={template}
              accountCount={accounts.length}
              currencies={Object.fromEntries(accounts.map((account) => [account.id, account.currency]))}
              onChange={update}
              onIssues={onIssues}
              onFix={() => goTo(3)}
            />
          )}
        </Stack>
      )}
      <Paper withBorder p="sm" radius="md" mt="lg" component="nav" aria-label="Wizard navigation">
        <Group justify="space-between">
          <Button
            variant="default"
            leftSection={<ArrowLeft size={16} aria-hidden />}
            disabled={step === 1}
            onClick={() => goTo(step - 1)}
          >
            Back
          </Button>
          <Group gap="md">
            {continueHint && (
              <Text size="sm" c="dimmed" aria-live="polite">
                {continueHint}
              </Text>
            )}
            {step < 4 && (
              <Button
                rightSection={<ArrowRight size={16} aria-hidden />}
                disabled={!loaded || reachable <= step}
                onClick={() => goTo(step + 1)}
              >
                Continue
              </Button>
            )}
          </Group>
        </Group>
      </Paper>
    </>
  );
}

/** The wizard page: a connection picker without `?connection=`, the four steps with one. */
export default function WizardArea() {
  const [params, setParams] = useSearchParams();
  const connectionId = params.get('connection');
  if (!connectionId) {
    return (
      <>
        <PageHeader title="New extraction" description="Step 0 · Choose a connection" />
        <ConnectionPicker onPick={(id) => setParams({ connection: id, step: '1' })} />
      </>
    );
  }
  return <Wizard key={connectionId} connectionId={connectionId} />;
}
