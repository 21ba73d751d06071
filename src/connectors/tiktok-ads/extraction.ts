/**
 * The extraction part of the TikTok Ads connector: templates, columns, reading `report/integrated/get/` page by
 * page, and the advertiser-level daily totals the engine reconciles loads against. TikTok's rate limits are per
 * developer app, so one throttle blocks every read of this connector until the back-off has passed.
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
import { idText } from './accounts.ts';
import { callOpenApi, openApiUrl, requireTiktokSettings } from './open-api.ts';
import { TIKTOK_PAID_ADS_FIELDS, TIKTOK_PAID_ADS_TEMPLATES } from './paid-ads.ts';
import { planColumns, planReport, reportParams, windowDays } from './report-query.ts';
import { convertRow, parseReportPage, parseReportText } from './report-rows.ts';
import { findTiktokTemplate, tiktokAdsTemplates } from './templates.ts';

/** The metrics (column names) whose destination sums are compared with the advertiser-level report. */
export const TIKTOK_RECONCILABLE_METRICS = ['spend', 'impressions', 'clicks', 'conversion'];

/** The template totals are read with: advertiser level, BASIC, one row per day. */
const TOTALS_TEMPLATE_ID = 'tiktok-ads.advertiser_daily';

/** Guard against a `total_page` that keeps growing (1000 rows a page: 10 M rows for one window). */
export const MAX_REPORT_PAGES = 10_000;

/** The budget key of the whole developer app: TikTok counts QPS/QPM per app and endpoint. */
const APP_KEY = 'app';

function checkAdvertiserId(id: string): string {
  if (idText(id) === null) {
    throw new TributaryError('validation_failed', 'TikTok Ads: the advertiser id must be numeric');
  }
  return id;
}

/** Builds the extraction support of the TikTok Ads connector for one environment. */
export function createTiktokAdsExtraction(environment: ConnectorEnvironment): ExtractionSupport {
  // One budget per connector instance (one per process): a throttle seen by one read holds back the others.
  const budget = new QuotaBudget();

  /** Waits out a throttle another read saw, when that is short enough; otherwise fails with its time. */
  async function respectBudget(hooks: ReadHooks): Promise<void> {
    const until = budget.blockedUntil([APP_KEY]);
    if (!until) return;
    const wait = until.getTime() - Date.now();
    if (wait > environment.http.maxQuotaWaitMs) {
      throw new TributaryError('rate_limited', 'TikTok Ads: the app is throttled (code 40100)', {
        retryAt: until,
      });
    }
    hooks.onQuotaWait(wait);
    await sleep(wait, hooks.signal);
  }

  async function* readPages(
    token: TokenSet,
    request: ReportRequest,
    hooks: ReadHooks,
  ): AsyncGenerator<Record<string, CellValue>[]> {
    const plan = planReport(request);
    const advertiserId = checkAdvertiserId(request.account.id);
    const window = { from: request.from, to: request.to };
    windowDays(window.from, window.to);
    const settings = requireTiktokSettings(environment);
    let totalPages = 1;
    for (let page = 1; page <= totalPages; page += 1) {
      if (page > MAX_REPORT_PAGES) {
        throw new TributaryError(
          'provider_malformed_response',
          `TikTok Ads: GET /report/integrated/get/ reported more than ${MAX_REPORT_PAGES} pages`,
        );
      }
      hooks.signal.throwIfAborted();
      await respectBudget(hooks);
      const label = page === 1 ? 'GET /report/integrated/get/' : `GET /report/integrated/get/ (page ${page})`;
      const body = await callOpenApi(environment, {
        method: 'GET',
        url: openApiUrl(settings, 'report/integrated/get/', reportParams(plan, advertiserId, window, page)),
        label,
        accessToken: token.accessToken,
        parse: parseReportText,
        onAttempt: () => hooks.onApiCall(),
        onQuotaWait: (ms) => hooks.onQuotaWait(ms),
        signal: hooks.signal,
      }).catch((error: unknown) => {
        if (error instanceof TributaryError && error.code === 'rate_limited' && error.retryAt) {
          budget.blockUntil(APP_KEY, error.retryAt);
        }
        throw error;
      });
      const parsed = parseReportPage(body, label);
      // Without page_info (as in some recorded answers) the page is the whole report.
      totalPages = parsed.totalPages ?? page;
      if (parsed.rows.length > 0) yield parsed.rows.map((row) => convertRow(row, plan, window, label));
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
      throw readEndingError(error, hooks.signal, 'TikTok Ads');
    }
  }

  async function totals(token: TokenSet, request: ReportRequest, hooks: ReadHooks): Promise<DailyTotals[]> {
    const selected = new Set(planColumns(planReport(request)).map((column) => column.name));
    const wanted = TIKTOK_RECONCILABLE_METRICS.filter((metric) => selected.has(metric));
    if (wanted.length === 0) return [];
    const template = findTiktokTemplate(TOTALS_TEMPLATE_ID)!;
    return sumDailyTotals(
      read(token, { ...request, template, dimensions: [], metrics: wanted }, hooks),
      wanted,
    );
  }

  return {
    templates: [...tiktokAdsTemplates],
    columns: (selection) => planColumns(planReport(selection)),
    read,
    reconcilableMetrics: [...TIKTOK_RECONCILABLE_METRICS],
    totals,
    paidAds: { templates: [...TIKTOK_PAID_ADS_TEMPLATES], fields: TIKTOK_PAID_ADS_FIELDS },
  };
}
