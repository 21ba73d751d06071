/**
 * The HTTP side of Ads Insights: the synchronous `GET /act_{id}/insights` with paging, and the async report run
 * (`POST /act_{id}/insights` → `report_run_id`, poll `GET /{report_run_id}`, then `GET /{report_run_id}/insights`
 * pages). Every call goes through the kit (retries, quota waits, cancellation), counts as an API call, and is
 * paced by Meta's usage headers. Pages are converted and yielded one by one; a report is never buffered.
 */
import { TributaryError } from '../../domain/errors.ts';
import { type ProviderResponse, parseJsonBody, sendWithRetries, sleep } from '../kit/http.ts';
import type { QuotaBudget } from '../kit/quotaBudget.ts';
import type { CellValue, ConnectorEnvironment, ReadHooks, TokenSet } from '../kit/types.ts';
import { classifyGraphError, classifyMetaResponse, type GraphErrorObject } from './errors.ts';
import { graphUrl, type MetaSettings, malformed, nextPageUrl } from './graph.ts';
import { INSIGHTS_PAGE_LIMIT, type InsightsPlan, insightsParams } from './insights-query.ts';
import { convertRow, parseInsightsPage } from './insights-rows.ts';
import { InsightsPacer } from './pacing.ts';

/** Guard against a paging loop that never ends (500 rows a page: 50 M rows). */
export const MAX_INSIGHTS_PAGES = 100_000;
/** AdReportRun fields the poll asks for: status, progress, and the error fields of a failed run. */
export const REPORT_RUN_FIELDS = [
  'id',
  'async_status',
  'async_percent_completion',
  'error_code',
  'error_message',
  'error_subcode',
  'error_user_title',
  'error_user_msg',
] as const;
/** How many request timeouts a report run may take before we give up (30 min with the default 30 s). */
export const POLL_DEADLINE_TIMEOUTS = 60;
/** The poll back-off stops growing at this many `retryBaseMs` (5 s with the default 500 ms). */
export const POLL_CAP_FACTOR = 10;

/** Errors that mean "this synchronous query is too big": Meta wants the same query as an async report run. */
const tooBig = new WeakSet<TributaryError>();

/** True when a sync read failed because the query is too big for a synchronous answer. */
export function isTooMuchData(error: unknown): boolean {
  return error instanceof TributaryError && tooBig.has(error);
}

/**
 * Classifies a sync insights answer. Code 1 "Please reduce the amount of data you're asking for" (HTTP 500) and
 * the documented sync timeouts (100/1504018, 2/1504038) are generally transient, but repeating the same query
 * gets the same answer; they become a non-retried error the reader switches to an async report on.
 */
function classifySync(response: ProviderResponse): TributaryError | null {
  const error = classifyMetaResponse(response);
  if (!error) return null;
  const code = error.details?.providerCode;
  const subcode = error.details?.providerSubcode;
  const big =
    (code === 1 && /reduce the amount of data/i.test(error.message)) ||
    (code === 100 && subcode === 1504018) ||
    (code === 2 && subcode === 1504038);
  if (!big) return error;
  const marked = new TributaryError('provider_error', error.message, { details: error.details ?? {} });
  tooBig.add(marked);
  return marked;
}

/**
 * Classifies a report-run poll. Right after creation Graph can answer 100/33 "object does not exist" for the new
 * run id (creation and reads race); that is retried like a transient error instead of failing the read.
 */
function classifyPoll(response: ProviderResponse): TributaryError | null {
  const error = classifyMetaResponse(response);
  if (error?.details?.providerCode === 100 && error.details.providerSubcode === 33) {
    return new TributaryError('provider_unavailable', error.message, { details: error.details });
  }
  return error;
}

function record(body: unknown, label: string): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw malformed(label, 'a non-object');
  return body as Record<string, unknown>;
}

/** A numeric id from a report-run answer (string, or a number Graph may send), checked before it enters a path. */
function runId(value: unknown, label: string): string {
  const id = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  if (typeof id !== 'string' || !/^\d{1,30}$/.test(id)) throw malformed(label, 'no numeric report_run_id');
  return id;
}

/** Reads insights for one ad account, one request window, with one token. */
export class InsightsReader {
  private readonly pacer: InsightsPacer;

  constructor(
    private readonly environment: ConnectorEnvironment,
    private readonly settings: MetaSettings,
    private readonly token: TokenSet,
    private readonly hooks: ReadHooks,
    private readonly accountId: string,
    budget?: QuotaBudget,
  ) {
    this.pacer = new InsightsPacer(accountId, environment.http, hooks, budget);
  }

  /** One Graph call: paced, retried by the kit, counted, cancellable. */
  private async call(
    method: 'GET' | 'POST',
    url: string,
    label: string,
    options: { body?: string; classify?: (response: ProviderResponse) => TributaryError | null } = {},
  ): Promise<unknown> {
    this.hooks.signal.throwIfAborted();
    await this.pacer.beforeCall();
    // Bearer header rather than ?access_token= so the token never lands in URLs, proxies or access logs.
    const headers: Record<string, string> = {
      accept: 'application/json',
      authorization: `Bearer ${this.token.accessToken}`,
    };
    if (options.body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await sendWithRetries(
      this.environment.fetch,
      this.environment.http,
      { method, url, label, headers, ...(options.body === undefined ? {} : { body: options.body }) },
      {
        classify: options.classify ?? ((r) => classifyMetaResponse(r)),
        onAttempt: () => this.hooks.onApiCall(),
        onQuotaWait: (ms) => this.hooks.onQuotaWait(ms),
        signal: this.hooks.signal,
      },
    ).catch((error: unknown) => {
      // A rejection teaches every other read of this account when to try again.
      if (error instanceof TributaryError && error.category === 'quota' && error.retryAt)
        this.pacer.blocked(error.retryAt);
      throw error;
    });
    this.pacer.observe(response.headers);
    return parseJsonBody(response, label);
  }

  /** Follows `paging.next` from `firstUrl`, yielding each non-empty page as typed rows. */
  private async *pages(
    firstUrl: string,
    baseLabel: string,
    plan: InsightsPlan,
    window: { from: string; to: string },
    classify?: (response: ProviderResponse) => TributaryError | null,
  ): AsyncGenerator<Record<string, CellValue>[]> {
    let url: string | null = firstUrl;
    for (let page = 1; url !== null; page += 1) {
      if (page > MAX_INSIGHTS_PAGES) {
        throw malformed(baseLabel, `more than ${MAX_INSIGHTS_PAGES} pages; paging looks endless`);
      }
      const label: string = page === 1 ? baseLabel : `${baseLabel} (page ${page})`;
      const parsed = parseInsightsPage(
        await this.call('GET', url, label, classify ? { classify } : {}),
        label,
      );
      const next = parsed.next === null ? null : nextPageUrl(this.settings, parsed.next, label);
      // A next link back to the same page is a loop; fail now instead of after many identical calls.
      if (next !== null && next === url) throw malformed(label, 'a paging.next link to the same page');
      // Meta may send empty pages that still have a next link; skip them but keep following.
      if (parsed.rows.length > 0) yield parsed.rows.map((row) => convertRow(row, plan, window, label));
      url = next;
    }
  }

  /** The synchronous read; fails with an {@link isTooMuchData} error when Meta wants an async report. */
  syncRows(
    plan: InsightsPlan,
    window: { from: string; to: string },
  ): AsyncGenerator<Record<string, CellValue>[]> {
    const params = { ...insightsParams(plan, window.from, window.to), limit: String(INSIGHTS_PAGE_LIMIT) };
    const path = `/act_${this.accountId}/insights`;
    return this.pages(graphUrl(this.settings, path, params), `GET ${path}`, plan, window, classifySync);
  }

  /** The async report run: create, wait for completion, then read its result pages. */
  async *asyncRows(
    plan: InsightsPlan,
    window: { from: string; to: string },
  ): AsyncGenerator<Record<string, CellValue>[]> {
    const path = `/act_${this.accountId}/insights`;
    const createLabel = `POST ${path}`;
    // The POST takes the same parameters as the sync GET, form-encoded, so both readings ask the same question.
    const body = new URLSearchParams(insightsParams(plan, window.from, window.to)).toString();
    const created = record(
      await this.call('POST', graphUrl(this.settings, path), createLabel, { body }),
      createLabel,
    );
    const id = runId(created.report_run_id, createLabel);
    await this.waitForRun(id);
    const resultsUrl = graphUrl(this.settings, `/${id}/insights`, { limit: String(INSIGHTS_PAGE_LIMIT) });
    yield* this.pages(resultsUrl, `GET /${id}/insights`, plan, window);
  }

  /**
   * Polls a report run with back-off (retryBaseMs doubling up to {@link POLL_CAP_FACTOR}× it) until it completes,
   * fails, or the deadline ({@link POLL_DEADLINE_TIMEOUTS} request timeouts) passes.
   */
  private async waitForRun(id: string): Promise<void> {
    const { http } = this.environment;
    const deadline = Date.now() + http.timeoutMs * POLL_DEADLINE_TIMEOUTS;
    const label = `GET /${id}`;
    const url = graphUrl(this.settings, `/${id}`, { fields: REPORT_RUN_FIELDS.join(',') });
    let delay = http.retryBaseMs;
    for (;;) {
      await sleep(delay, this.hooks.signal);
      const run = record(await this.call('GET', url, label, { classify: classifyPoll }), label);
      const status = run.async_status;
      if (typeof status !== 'string') throw malformed(label, 'a report run without async_status');
      if (status === 'Job Completed') return;
      if (status === 'Job Failed' || status === 'Job Skipped') throw failedRun(id, status, run);
      if (Date.now() >= deadline) {
        const percent =
          typeof run.async_percent_completion === 'number' ? `, ${run.async_percent_completion}%` : '';
        throw new TributaryError(
          'provider_timeout',
          `Meta Ads: insights report run ${id} did not finish within ${Math.round(
            (http.timeoutMs * POLL_DEADLINE_TIMEOUTS) / 1000,
          )} s (last status: ${status}${percent})`,
          { details: { reportRunId: id } },
        );
      }
      delay = Math.min(delay * 2, http.retryBaseMs * POLL_CAP_FACTOR);
    }
  }
}

/**
 * The error of a failed (or skipped) report run. The run's `error_code` / `error_subcode` go through the same
 * table as any Graph error, so a run that failed with a transient code (1, 2) or a throttle is retried later and
 * an auth or permission failure asks the user to act; every other failure — including the documented -2/2490547
 * "Report Failed" — is `provider_error`, because re-running the identical report is not known to help. A skipped
 * run (Meta dropped it without an error) is `provider_unavailable`: nothing about the request was wrong.
 */
export function failedRun(id: string, status: string, run: Record<string, unknown>): TributaryError {
  if (status === 'Job Skipped' && run.error_code === undefined) {
    return new TributaryError(
      'provider_unavailable',
      `Meta Ads: insights report run ${id} was skipped by Meta`,
      {
        details: { reportRunId: id },
      },
    );
  }
  const message = typeof run.error_message === 'string' && run.error_message ? run.error_message : status;
  const graphError: GraphErrorObject = {
    message: `insights report run ${id} failed: ${message}`,
    code: run.error_code,
    error_subcode: run.error_subcode,
    error_user_title: run.error_user_title,
    error_user_msg: run.error_user_msg,
  };
  const error = classifyGraphError(graphError, 200, new Headers());
  return new TributaryError(error.code, error.message, {
    details: { ...error.details, reportRunId: id },
    ...(error.retryAt ? { retryAt: error.retryAt } : {}),
  });
}
