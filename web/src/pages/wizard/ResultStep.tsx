import { Badge, Button, Checkbox, Grid, Group, NumberInput, Skeleton, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, useApiMutation, useApiQuery } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { isoDayBefore } from './configProblems.ts';
import { discardDraft, extractionBody, type Template, type WizardDraft } from './draft.ts';
import { type FieldIssues, fieldIssuesOf } from './fieldIssues.ts';
import { PreviewChart, PreviewRows, ResultCard, SchemaList } from './PreviewPanels.tsx';
import { SaveTemplatePanel } from './SaveTemplatePanel.tsx';
import { SummaryPanel } from './SummaryPanel.tsx';

/** Days the preview reads: enough for a chart, few enough to answer in seconds. */
const PREVIEW_DAYS = 7;

/** Step 4: a preview of real rows and the schema, a chart, the summary, and Create. */
export function ResultStep({
  draft,
  template,
  accountCount,
  currencies,
  onChange,
  onIssues,
  onFix,
}: {
  draft: WizardDraft;
  template: Template;
  accountCount: number;
  /** Account id → currency, to show the preview's spend in money. */
  currencies: Record<string, string | null>;
  onChange: (patch: Partial<WizardDraft>) => void;
  /** Field problems the server named, to show next to the fields in Configure. */
  onIssues: (issues: FieldIssues) => void;
  onFix: () => void;
}) {
  const navigate = useNavigate();
  const body = extractionBody(draft);
  const preview = useApiQuery(
    'previewExtraction',
    { body: { ...body, days: PREVIEW_DAYS, limit: 300 } },
    { retry: false, staleTime: Number.POSITIVE_INFINITY, refetchOnWindowFocus: false },
  );
  const create = useApiMutation('createExtraction', ['listExtractions']);
  const [runError, setRunError] = useState<unknown>(null);
  const [created, setCreated] = useState<string | null>(null);
  const problem = preview.error ?? create.error;
  const issues = fieldIssuesOf(problem);
  const hasFieldIssues = Object.keys(issues).length > 0;
  // The issues object is rebuilt on every render; its content is what matters.
  const issuesKey = JSON.stringify(issues);
  useEffect(() => {
    const parsed = JSON.parse(issuesKey) as FieldIssues;
    if (Object.keys(parsed).length > 0) onIssues(parsed);
  }, [issuesKey, onIssues]);

  const submit = async () => {
    setRunError(null);
    const extraction = await create.mutateAsync({ body }).catch(() => null);
    if (!extraction) return;
    discardDraft(draft.connectionId);
    setCreated(extraction.id);
    if (draft.runNow && !draft.loadSince) {
      // The first data should not wait for a schedule. If the run cannot start, the extraction still
      // exists: say so here rather than hide it behind a navigation.
      const started = await api
        .call('startExtractionRun', {
          params: { id: extraction.id },
          body: { from: isoDayBefore(Math.max(1, draft.runNowDays) - 1), to: isoDayBefore(0) },
        })
        .catch((error: unknown) => {
          setRunError(error);
          return null;
        });
      if (!started) return;
    }
    navigate(`/extractions/${extraction.id}`);
  };

  return (
    <Stack gap="lg">
      {problem && (
        <Stack gap="xs">
          <ErrorAlert
            error={problem}
            title={preview.error ? 'The preview could not be read' : 'The extraction could not be created'}
            onRetry={preview.error && !hasFieldIssues ? () => preview.refetch() : undefined}
          />
          {hasFieldIssues && (
            <Group>
              <Button variant="light" color="red" onClick={onFix}>
                Fix in Configure
              </Button>
            </Group>
          )}
        </Stack>
      )}
      {runError !== null && created && (
        <Stack gap="xs">
          <ErrorAlert
            error={runError}
            title="The extraction was created, but its first run could not start"
          />
          <Group>
            <Button component={Link} to={`/extractions/${created}`} variant="light">
              Open the extraction
            </Button>
          </Group>
        </Stack>
      )}
      {!preview.error && (
        <>
          <ResultCard
            title="Main metrics by day"
            aside={
              preview.data && (
                <Text size="sm" c="dimmed">
                  {preview.data.account.name} · {preview.data.from} to {preview.data.to}
                </Text>
              )
            }
          >
            {preview.isPending ? (
              <Skeleton h={190} />
            ) : preview.data ? (
              <PreviewChart preview={preview.data} currency={currencies[preview.data.account.id] ?? null} />
            ) : null}
          </ResultCard>
          <Grid gap="lg">
            <Grid.Col span={{ base: 12, lg: 8 }}>
              <ResultCard
                title="Preview"
                aside={
                  preview.data && (
                    <Badge variant="light" color="gray">
                      {preview.data.rows.length} rows
                    </Badge>
                  )
                }
              >
                {preview.isPending ? (
                  <Skeleton h={360} />
                ) : preview.data ? (
                  <PreviewRows preview={preview.data} />
                ) : null}
              </ResultCard>
            </Grid.Col>
            <Grid.Col span={{ base: 12, lg: 4 }}>
              <ResultCard
                title="Schema"
                aside={
                  preview.data && <Text size="sm" c="dimmed">{`${preview.data.columns.length} columns`}</Text>
                }
              >
                {preview.isPending ? (
                  <Skeleton h={360} />
                ) : preview.data ? (
                  <SchemaList preview={preview.data} />
                ) : null}
              </ResultCard>
            </Grid.Col>
          </Grid>
        </>
      )}
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <ResultCard title="The extraction that will be created">
            <SummaryPanel draft={draft} template={template} accountCount={accountCount} />
          </ResultCard>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Stack gap="lg">
            <ResultCard title="Create">
              <Stack gap="md">
                {draft.loadSince ? (
                  <Text size="sm">
                    History from {draft.loadSince} starts loading as soon as the extraction is created, recent
                    days first.
                  </Text>
                ) : (
                  <Group gap="sm" wrap="nowrap" align="flex-start">
                    <Checkbox
                      mt={8}
                      checked={draft.runNow}
                      onChange={(event) => onChange({ runNow: event.currentTarget.checked })}
                      label="Run now for the last"
                    />
                    <NumberInput
                      w={80}
                      aria-label="Days to run now"
                      value={draft.runNowDays}
                      min={1}
                      max={31}
                      allowDecimal={false}
                      disabled={!draft.runNow}
                      onChange={(next) => onChange({ runNowDays: typeof next === 'number' ? next : 7 })}
                    />
                    <Text size="sm" mt={8}>
                      days
                    </Text>
                  </Group>
                )}
                <Button
                  size="md"
                  onClick={submit}
                  loading={create.isPending}
                  disabled={hasFieldIssues || created !== null}
                >
                  Create extraction
                </Button>
              </Stack>
            </ResultCard>
            <ResultCard title="Save as a custom template">
              <SaveTemplatePanel draft={draft} template={template} />
            </ResultCard>
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
