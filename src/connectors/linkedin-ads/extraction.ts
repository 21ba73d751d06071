/**
 * The extraction part of the LinkedIn Ads connector: templates, columns, reading `adAnalytics` window by window
 * (split so no answer can reach the 15,000-element cap, fields chunked by 18 metrics and joined), entity names from
 * the finders, and the account-level daily totals the engine reconciles loads against. LinkedIn's application
 * throttles are daily: one APPLICATION 429 blocks every read of this connector until the next UTC midnight.
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
import { type EntityInfo, readEntities } from './entities.ts';
import { LINKEDIN_PAID_ADS_FIELDS, LINKEDIN_PAID_ADS_TEMPLATES } from './paid-ads.ts';
import { analyticsUrl, planColumns, planReport, type ReportPlan } from './report-query.ts';
import { analyticsElements, type EntityDirectory, joinElements, rowsOfWindow } from './report-rows.ts';
import {
  ANALYTICS_ELEMENT_CAP,
  type AnalyticsPlan,
  type AnalyticsWindow,
  entityGroupsOf,
  evenWindows,
  planAnalytics,
} from './report-windows.ts';
import { callLinkedIn, type LinkedInSettings, requireLinkedInSettings } from './rest-api.ts';
import { idOf } from './restli.ts';
import { findLinkedInTemplate, linkedinAdsTemplates } from './templates.ts';

/** The metrics (column names) whose destination sums are compared with the account-level report. */
export const LINKEDIN_RECONCILABLE_METRICS = [
  'cost_in_local_currency',
  'impressions',
  'clicks',
  'external_website_conversions',
];

/** The template totals are read with: the ACCOUNT pivot, one row per day. */
const TOTALS_TEMPLATE_ID = 'linkedin-ads.account_daily';
/** The budget key of the whole developer application (LinkedIn's APPLICATION DAY limits). */
const APP_KEY = 'app';

function checkAccountId(id: string): string {
  if (idOf(id) !== id)
    throw new TributaryError('validation_failed', 'LinkedIn Ads: the ad account id must be numeric');
  return id;
}

/** Builds the extraction support of the LinkedIn Ads connector for one environment. */
export function createLinkedInAdsExtraction(
  environment: ConnectorEnvironment,
  /** Told the plan of every read before its first report call; benches check windows and call counts with it. */
  onPlan?: (plan: AnalyticsPlan, request: ReportRequest) => void,
): ExtractionSupport {
  // One budget per connector instance (one per process): an application throttle seen by one read stops the others.
  const budget = new QuotaBudget();

  function respectBudget(): void {
    const until = budget.blockedUntil([APP_KEY]);
    // A daily limit resets at midnight UTC: far past any wait worth sleeping through.
    if (until) {
      throw new TributaryError('rate_limited', 'LinkedIn Ads: the application day limit is reached', {
        retryAt: until,
      });
    }
  }

  /** One `adAnalytics` request; an application throttle is remembered for every read. */
  async function analyticsCall(
    settings: LinkedInSettings,
    token: TokenSet,
    url: string,
    label: string,
    hooks: ReadHooks,
  ): Promise<Record<string, unknown>[]> {
    respectBudget();
    const body = await callLinkedIn(environment, settings, {
      method: 'GET',
      url,
      label,
      accessToken: token.accessToken,
      versioned: true,
      onAttempt: () => hooks.onApiCall(),
      onQuotaWait: (ms) => hooks.onQuotaWait(ms),
      signal: hooks.signal,
    }).catch((error: unknown) => {
      if (
        error instanceof TributaryError &&
        error.code === 'rate_limited' &&
        error.retryAt &&
        /APPLICATION/.test(error.message)
      ) {
        budget.blockUntil(APP_KEY, error.retryAt);
      }
      throw error;
    });
    return analyticsElements(body, label);
  }

  /**
   * Reads one window (all field chunks, all entity groups) and returns its rows. The plan keeps windows under the
   * cap; should an answer reach it anyway (an entity the finders did not list delivered), the window is halved and
   * read again rather than loaded with silently missing rows.
   */
  async function readWindow(
    settings: LinkedInSettings,
    token: TokenSet,
    request: ReportRequest,
    plan: ReportPlan,
    entities: EntityDirectory,
    groups: (string[] | null)[],
    window: AnalyticsWindow,
    hooks: ReadHooks,
  ): Promise<Record<string, CellValue>[]> {
    const label = `GET /rest/adAnalytics (${plan.shape.pivot} ${window.from}..${window.to})`;
    const joined = new Map();
    for (const group of groups) {
      for (const fields of plan.fieldChunks) {
        hooks.signal.throwIfAborted();
        const url = analyticsUrl(settings, plan, request.account.id, window, fields, group);
        const elements = await analyticsCall(settings, token, url, label, hooks);
        if (elements.length >= ANALYTICS_ELEMENT_CAP) {
          if (window.days === 1) {
            throw new TributaryError(
              'provider_error',
              `LinkedIn Ads: ${label} reached the ${ANALYTICS_ELEMENT_CAP}-element cap for a single day`,
            );
          }
          const rows: Record<string, CellValue>[] = [];
          for (const half of evenWindows(window.from, window.to, 2)) {
            rows.push(...(await readWindow(settings, token, request, plan, entities, groups, half, hooks)));
          }
          return rows;
        }
        joinElements(joined, elements, window, label);
      }
    }
    return rowsOfWindow(joined, plan, entities, label);
  }

  async function* readPages(
    token: TokenSet,
    request: ReportRequest,
    hooks: ReadHooks,
  ): AsyncGenerator<Record<string, CellValue>[]> {
    const plan = planReport(request);
    const accountId = checkAccountId(request.account.id);
    const settings = requireLinkedInSettings(environment);
    // Validates the window before any call.
    planAnalytics({ from: request.from, to: request.to, entityCount: 1, fieldChunks: 1 });
    respectBudget();
    const entities: EntityDirectory = {};
    for (const kind of plan.finders) {
      entities[kind] = await readEntities(environment, settings, token.accessToken, accountId, kind, hooks);
    }
    const pivotEntities: Map<string, EntityInfo> | null = plan.shape.entity
      ? entities[plan.shape.entity]!
      : null;
    const analytics = planAnalytics({
      from: request.from,
      to: request.to,
      entityCount: pivotEntities ? pivotEntities.size : 1,
      fieldChunks: plan.fieldChunks.length,
    });
    onPlan?.(analytics, request);
    const groups: (string[] | null)[] =
      analytics.entityGroups > 1 && pivotEntities
        ? entityGroupsOf([...pivotEntities.keys()], analytics.entityGroups)
        : [null];
    for (const window of analytics.windows) {
      const rows = await readWindow(settings, token, request, plan, entities, groups, window, hooks);
      if (rows.length > 0) yield rows;
    }
  }

  async function* read(
    token: TokenSet,
    request: ReportRequest,
    hooks: ReadHooks,
  ): AsyncGenerator<Record<string, CellValue>[]> {
    try {
      yield* readPages(token, request, hooks);
    } catch (error) {
      throw readEndingError(error, hooks.signal, 'LinkedIn Ads');
    }
  }

  async function totals(token: TokenSet, request: ReportRequest, hooks: ReadHooks): Promise<DailyTotals[]> {
    const selected = new Set(planColumns(planReport(request)).map((column) => column.name));
    const wanted = LINKEDIN_RECONCILABLE_METRICS.filter((metric) => selected.has(metric));
    if (wanted.length === 0) return [];
    const template = findLinkedInTemplate(TOTALS_TEMPLATE_ID)!;
    // The ACCOUNT pivot gives one element per day; summing keeps us right should LinkedIn ever split one.
    return sumDailyTotals(
      read(token, { ...request, template, dimensions: [], metrics: wanted }, hooks),
      wanted,
    );
  }

  return {
    templates: [...linkedinAdsTemplates],
    columns: (selection) => planColumns(planReport(selection)),
    read,
    reconcilableMetrics: [...LINKEDIN_RECONCILABLE_METRICS],
    totals,
    paidAds: { templates: [...LINKEDIN_PAID_ADS_TEMPLATES], fields: LINKEDIN_PAID_ADS_FIELDS },
  };
}
