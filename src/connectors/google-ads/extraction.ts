/**
 * The extraction part of the Google Ads connector: templates, columns, reading `googleAds:searchStream` (one call
 * per window; each batch of the stream is one page of rows), and the account-level daily totals the engine
 * reconciles loads against. A read first learns how to reach the account (directly, or through which manager in
 * `login-customer-id`), from the walk discovery already made or by walking again.
 */
import { TributaryError } from '../../domain/errors.ts';
import { sleep } from '../kit/http.ts';
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
import { callGoogleAds, requireGoogleAdsSettings } from './ads-api.ts';
import { buildQuery, checkWindow, planColumns, planReport } from './gaql.ts';
import { type AccessPaths, accessPathOf } from './hierarchy.ts';
import { GOOGLE_ADS_PAID_ADS_FIELDS, GOOGLE_ADS_PAID_ADS_TEMPLATES } from './paid-ads.ts';
import { googleAdsField } from './schema.ts';
import { convertRow, parseStreamBatches } from './stream-rows.ts';
import { googleAdsTemplates } from './templates.ts';

/** The metrics (column names) whose destination sums are compared with the provider's account-level totals. */
export const GOOGLE_ADS_RECONCILABLE_METRICS = ['spend', 'impressions', 'clicks', 'conversions'];

/** The budget key of the developer token: its daily operations are shared by every account and user. */
const DEVELOPER_KEY = 'developer-token';

/** Builds the extraction support of the Google Ads connector; `paths` is shared with discovery. */
export function createGoogleAdsExtraction(
  environment: ConnectorEnvironment,
  paths: AccessPaths,
): ExtractionSupport {
  // One budget per connector instance (one per process): a throttle seen by one read holds back the others.
  const budget = new QuotaBudget();

  /** Waits out a throttle another read saw, when that is short enough; otherwise fails with its time. */
  async function respectBudget(keys: string[], hooks: ReadHooks): Promise<void> {
    const until = budget.blockedUntil(keys);
    if (!until) return;
    const wait = until.getTime() - Date.now();
    if (wait > environment.http.maxQuotaWaitMs) {
      throw new TributaryError('rate_limited', 'Google Ads: calls are throttled (quotaError)', {
        retryAt: until,
      });
    }
    hooks.onQuotaWait(wait);
    await sleep(wait, hooks.signal);
  }

  /** One searchStream of `query` for the request's account, its batches yielded as pages of converted rows. */
  async function* stream(
    token: TokenSet,
    request: ReportRequest,
    query: { resource: string; fields: ReturnType<typeof planReport>['fields'] },
    hooks: ReadHooks,
  ): AsyncGenerator<Record<string, CellValue>[]> {
    const customerId = request.account.id.replace(/-/g, '');
    if (!/^\d{1,20}$/.test(customerId)) {
      throw new TributaryError(
        'validation_failed',
        'Google Ads: the account id must be a customer id (digits)',
      );
    }
    const window = { from: request.from, to: request.to };
    const settings = requireGoogleAdsSettings(environment);
    const keys = [DEVELOPER_KEY, `customer:${customerId}`];
    await respectBudget(keys, hooks);
    const walkHooks = {
      onApiCall: () => hooks.onApiCall(),
      onQuotaWait: (ms: number) => hooks.onQuotaWait(ms),
      signal: hooks.signal,
    };
    const login = await accessPathOf(environment, settings, token, customerId, paths, walkHooks);
    const label = `POST /customers/${customerId}/googleAds:searchStream`;
    const body = await callGoogleAds(environment, settings, {
      method: 'POST',
      path: `customers/${customerId}/googleAds:searchStream`,
      label,
      accessToken: token.accessToken,
      loginCustomerId: login,
      json: { query: buildQuery(query.resource, query.fields, window) },
      onAttempt: walkHooks.onApiCall,
      onQuotaWait: walkHooks.onQuotaWait,
      signal: hooks.signal,
    }).catch((error: unknown) => {
      // The account may have moved to another manager: forget the path so the next read walks again.
      if (
        error instanceof TributaryError &&
        error.details?.providerCode === 'authorizationError.USER_PERMISSION_DENIED'
      ) {
        paths.delete(customerId);
      }
      if (error instanceof TributaryError && error.retryAt) {
        budget.blockUntil(
          error.code === 'quota_exhausted' ? DEVELOPER_KEY : `customer:${customerId}`,
          error.retryAt,
        );
      }
      throw error;
    });
    // The whole stream is one HTTP answer: check every batch before the first page leaves, so a malformed
    // answer writes nothing.
    const batches = parseStreamBatches(body, label).map((rows) =>
      rows.map((row) => convertRow(row, query.fields, window, label)),
    );
    for (const page of batches) if (page.length > 0) yield page;
  }

  async function* read(
    token: TokenSet,
    request: ReportRequest,
    hooks: ReadHooks,
  ): AsyncGenerator<Record<string, CellValue>[]> {
    try {
      const plan = planReport(request);
      checkWindow(plan.template, request.from, request.to);
      yield* stream(token, request, { resource: plan.shape.resource, fields: plan.fields }, hooks);
    } catch (error) {
      throw readEndingError(error, hooks.signal, 'Google Ads');
    }
  }

  /**
   * Daily totals of the selected reconcilable metrics, from the customer resource (one row per day) — or, for
   * keywords and search terms, from their own view without dimensions, since those cover Search campaigns only.
   */
  async function totals(token: TokenSet, request: ReportRequest, hooks: ReadHooks): Promise<DailyTotals[]> {
    const plan = planReport(request);
    const selected = new Set(plan.fields.map((field) => field.spec.name));
    const wanted = GOOGLE_ADS_RECONCILABLE_METRICS.filter((metric) => selected.has(metric));
    if (wanted.length === 0) return [];
    const fields = wanted.map(googleAdsField);
    return sumDailyTotals(
      stream(token, request, { resource: plan.shape.totalsResource, fields }, hooks),
      wanted,
    );
  }

  return {
    templates: [...googleAdsTemplates],
    columns: (selection) => planColumns(planReport(selection)),
    read,
    reconcilableMetrics: [...GOOGLE_ADS_RECONCILABLE_METRICS],
    totals,
    paidAds: { templates: [...GOOGLE_ADS_PAID_ADS_TEMPLATES], fields: GOOGLE_ADS_PAID_ADS_FIELDS },
    // Google answers CUSTOMER_NOT_ENABLED for these: nothing to read, so runs skip them instead of failing.
    unreportableStatuses: ['canceled', 'suspended', 'closed'],
  };
}
