/**
 * The extraction part of the GA4 connector: templates, columns, reading `properties/{id}:runReport` page by page
 * (`offset`/`limit` until `rowCount`), and the property-level daily totals the engine reconciles loads against.
 * Every page asks for the property quota and the reader stops before a page would exhaust it (see
 * {@link PropertyQuotas}); a window whose rows Google folded into "(other)" is read again in halves.
 */
import { addDays } from '../../domain/dates.ts';
import { TributaryError } from '../../domain/errors.ts';
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
import { propertyIdOf } from './accounts.ts';
import { callGoogle, requireGa4Settings } from './google-api.ts';
import { PropertyQuotas } from './property-quota.ts';
import {
  planColumns,
  planReport,
  REPORT_PAGE_SIZE,
  type ReportPlan,
  runReportBody,
  windowDays,
} from './report-query.ts';
import { convertRow, parseReportPage } from './report-rows.ts';
import { findGa4Template, ga4Templates } from './templates.ts';

/** The columns whose destination sums are compared with the property's daily totals: they add up across rows. */
export const GA4_RECONCILABLE_METRICS = ['sessions', 'screen_page_views', 'key_events', 'total_revenue'];

/** The template totals are read with: one row per day, all four reconcilable metrics among its fields. */
const TOTALS_TEMPLATE_ID = 'ga4.traffic_daily';

/** Guard against a `rowCount` that keeps growing (10,000 rows a page: a billion rows for one window). */
export const MAX_REPORT_PAGES = 100_000;

/** Options the tests shorten. */
export interface Ga4ExtractionOptions {
  pageSize?: number;
  clock?: () => number;
}

function checkPropertyId(id: string): string {
  if (propertyIdOf(`properties/${id}`) === null) {
    throw new TributaryError('validation_failed', 'Google Analytics 4: the property id must be numeric');
  }
  return id;
}

/** Builds the extraction support of the GA4 connector for one environment. */
export function createGa4Extraction(
  environment: ConnectorEnvironment,
  options: Ga4ExtractionOptions = {},
): ExtractionSupport {
  const pageSize = options.pageSize ?? REPORT_PAGE_SIZE;
  // One memory per connector instance (one per process): a quota seen by one read holds back the others.
  const quotas = new PropertyQuotas(options.clock);

  /** Reads one window page by page; a first page that lost rows to "(other)" sends it back split in two. */
  async function* readWindow(
    token: TokenSet,
    plan: ReportPlan,
    propertyId: string,
    window: { from: string; to: string },
    hooks: ReadHooks,
  ): AsyncGenerator<Record<string, CellValue>[]> {
    const settings = requireGa4Settings(environment);
    const url = `${settings.dataBase}/properties/${propertyId}:runReport`;
    let offset = 0;
    let rowCount = Number.POSITIVE_INFINITY;
    for (let page = 1; offset < rowCount; page += 1) {
      if (page > MAX_REPORT_PAGES) {
        throw new TributaryError(
          'provider_malformed_response',
          `Google Analytics 4: runReport reported more than ${MAX_REPORT_PAGES} pages`,
        );
      }
      hooks.signal.throwIfAborted();
      await quotas.beforePage(propertyId, hooks, environment.http.maxQuotaWaitMs);
      const label =
        page === 1
          ? 'POST /v1beta/properties/{id}:runReport'
          : `POST /v1beta/properties/{id}:runReport (offset ${offset})`;
      const body = await callGoogle(environment, {
        method: 'POST',
        url,
        label,
        accessToken: token.accessToken,
        json: runReportBody(plan, window, offset, pageSize),
        onAttempt: () => hooks.onApiCall(),
        onQuotaWait: (ms) => hooks.onQuotaWait(ms),
        signal: hooks.signal,
      }).catch((error: unknown) => {
        if (error instanceof TributaryError && error.category === 'quota' && error.retryAt) {
          quotas.block(propertyId, error.code, error.retryAt);
        }
        throw error;
      });
      const parsed = parseReportPage(body, plan, label);
      quotas.observe(propertyId, parsed.quota);
      if (offset === 0 && parsed.dataLossFromOtherRow && window.from < window.to) {
        // Nothing of this window was yielded yet: read it again in halves, where fewer rows fold into "(other)".
        const days = windowDays(window.from, window.to);
        const middle = addDays(window.from, Math.floor(days / 2) - 1);
        yield* readWindow(token, plan, propertyId, { from: window.from, to: middle }, hooks);
        yield* readWindow(token, plan, propertyId, { from: addDays(middle, 1), to: window.to }, hooks);
        return;
      }
      rowCount = parsed.rowCount;
      if (parsed.rows.length === 0) {
        if (offset < rowCount) {
          throw new TributaryError(
            'provider_malformed_response',
            `Google Analytics 4: ${label} returned no rows at offset ${offset} of ${rowCount}`,
          );
        }
        break;
      }
      yield parsed.rows.map((row) => convertRow(row, parsed, plan, window, label));
      offset += parsed.rows.length;
    }
  }

  async function* read(
    token: TokenSet,
    request: ReportRequest,
    hooks: ReadHooks,
  ): AsyncGenerator<Record<string, CellValue>[]> {
    try {
      const plan = planReport(request);
      const propertyId = checkPropertyId(request.account.id);
      windowDays(request.from, request.to);
      yield* readWindow(token, plan, propertyId, { from: request.from, to: request.to }, hooks);
    } catch (error) {
      throw readEndingError(error, hooks.signal, 'Google Analytics 4');
    }
  }

  async function totals(token: TokenSet, request: ReportRequest, hooks: ReadHooks): Promise<DailyTotals[]> {
    const selected = new Set(planColumns(planReport(request)).map((column) => column.name));
    const wanted = GA4_RECONCILABLE_METRICS.filter((metric) => selected.has(metric));
    if (wanted.length === 0) return [];
    const template = findGa4Template(TOTALS_TEMPLATE_ID)!;
    return sumDailyTotals(
      read(token, { ...request, template, dimensions: [], metrics: wanted }, hooks),
      wanted,
    );
  }

  return {
    templates: [...ga4Templates],
    columns: (selection) => planColumns(planReport(selection)),
    read,
    reconcilableMetrics: [...GA4_RECONCILABLE_METRICS],
    totals,
  };
}
