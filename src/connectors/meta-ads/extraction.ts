/**
 * The extraction part of the Meta Ads connector: templates, columns, reading Ads Insights reports (sync, async,
 * or sync falling back to async), and the account-level daily totals the engine reconciles loads against.
 */
import { TributaryError } from '../../domain/errors.ts';
import { QuotaBudget } from '../kit/quotaBudget.ts';
import { readEndingError, sumDailyTotals } from '../kit/report-reading.ts';
import type {
  CellValue,
  ConnectorEnvironment,
  DailyTotals,
  ExtractionSupport,
  ReadHooks,
  ReportRequest,
  TokenSet,
} from '../kit/types.ts';
import { requireMetaSettings } from './graph.ts';
import { planColumns, planInsights, shouldUseAsync, windowDays } from './insights-query.ts';
import { InsightsReader, isTooMuchData } from './insights-reader.ts';
import { RECONCILABLE } from './insights-rows.ts';
import { META_PAID_ADS_FIELDS, META_PAID_ADS_TEMPLATES } from './paid-ads.ts';
import { findMetaTemplate, metaAdsTemplates } from './templates.ts';

/** Column names the engine may compare with {@link ExtractionSupport.totals}. */
export const META_RECONCILABLE_METRICS = RECONCILABLE.map((metric) => metric.column);

/** How many (account, template) pairs remember that sync reads are too big for them. */
const ASYNC_MEMORY_LIMIT = 10_000;

/** The template the totals are read with: account level, no breakdowns, the same metrics and settings. */
const TOTALS_TEMPLATE_ID = 'meta-ads.account_daily';

function checkAccountId(id: string): string {
  // The id is pasted into the `act_{id}` path; Tributary keeps Meta's bare numeric account_id.
  if (!/^\d{1,30}$/.test(id)) {
    throw new TributaryError(
      'validation_failed',
      'Meta Ads: the ad account id must be numeric (without act_)',
    );
  }
  return id;
}

/** Builds the extraction support of the Meta Ads connector for one environment. */
export function createMetaAdsExtraction(environment: ConnectorEnvironment): ExtractionSupport {
  // One budget per connector instance (one per process): every extraction of an account shares it.
  const budget = new QuotaBudget();
  // Once Meta has asked an (account, template) for less data, later reads of it go async straight away instead
  // of paying for a sync attempt that is expected to fail again.
  const preferAsync = new Set<string>();
  const rememberAsync = (key: string) => {
    if (preferAsync.size >= ASYNC_MEMORY_LIMIT) preferAsync.clear();
    preferAsync.add(key);
  };

  async function* read(
    token: TokenSet,
    request: ReportRequest,
    hooks: ReadHooks,
  ): AsyncGenerator<Record<string, CellValue>[]> {
    try {
      yield* readPages(token, request, hooks);
    } catch (error) {
      throw readEndingError(error, hooks.signal, 'Meta Ads');
    }
  }

  async function* readPages(
    token: TokenSet,
    request: ReportRequest,
    hooks: ReadHooks,
  ): AsyncGenerator<Record<string, CellValue>[]> {
    const plan = planInsights(request);
    const accountId = checkAccountId(request.account.id);
    const window = { from: request.from, to: request.to };
    windowDays(window.from, window.to);
    const settings = requireMetaSettings(environment);
    const reader = new InsightsReader(environment, settings, token, hooks, accountId, budget);
    const key = `${accountId}|${plan.template.id}`;
    if (!shouldUseAsync(plan, window.from, window.to) && !preferAsync.has(key)) {
      let yielded = false;
      try {
        for await (const page of reader.syncRows(plan, window)) {
          yielded = true;
          yield page;
        }
        return;
      } catch (error) {
        if (!isTooMuchData(error)) throw error;
        rememberAsync(key);
        // Rows already handed over cannot be taken back, and re-reading them through async would duplicate
        // them; the engine's retry of this slice starts over and goes async from the first call.
        if (yielded) {
          throw new TributaryError(
            'provider_unavailable',
            `${(error as Error).message}; Meta asked for less data mid-read, the retry uses an async report`,
            { details: (error as TributaryError).details ?? {} },
          );
        }
      }
    }
    yield* reader.asyncRows(plan, window);
  }

  async function totals(token: TokenSet, request: ReportRequest, hooks: ReadHooks): Promise<DailyTotals[]> {
    const plan = planInsights(request);
    const selected = new Set(plan.columns.map((column) => column.name));
    const wanted = RECONCILABLE.filter((metric) => selected.has(metric.column));
    if (wanted.length === 0) return [];
    const template = findMetaTemplate(TOTALS_TEMPLATE_ID)!;
    const pages = read(
      token,
      {
        ...request,
        template,
        dimensions: [],
        metrics: wanted.map((metric) =>
          metric.actionType ? `${metric.field}:${metric.actionType}` : metric.field,
        ),
      },
      hooks,
    );
    return sumDailyTotals(
      pages,
      wanted.map((metric) => metric.column),
    );
  }

  return {
    templates: [...metaAdsTemplates],
    columns: (selection) => planColumns(planInsights(selection)),
    read,
    reconcilableMetrics: [...META_RECONCILABLE_METRICS],
    totals,
    paidAds: { templates: [...META_PAID_ADS_TEMPLATES], fields: META_PAID_ADS_FIELDS },
  };
}
