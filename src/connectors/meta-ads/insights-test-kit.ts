/**
 * Test support for the insights tests: a connector whose extraction runs against replayed Graph payloads,
 * report requests for our templates, and hooks that record what a read reports.
 */
import { replayEnvironment } from '../kit/replay-fetch.ts';
import type { ExtractionSupport, HttpSettings, ReportRequest } from '../kit/types.ts';
import { createMetaAdsConnector } from './connector.ts';
import {
  GRAPH_NOT_FOUND,
  REAL_ENV,
  type RecordedRequest,
  type ReplayAnswer,
  type ReplayRoute,
} from './replay-fetch.ts';

export { drain, recordingHooks } from '../kit/replay-fetch.ts';

import { findMetaTemplate } from './templates.ts';

/** The recorded ad account the insights fixtures belong to. */
export const ACCOUNT_ID = '120000000000001';
/** The report run id of the async fixtures. */
export const RUN_ID = '6021000000000101';
export const INSIGHTS_PATH = `/act_${ACCOUNT_ID}/insights`;

/** Fast settings: 1 ms back-off, polls every 1–10 ms, a 12 s poll deadline (60 × 200 ms), no quota sleeping. */
export const FAST_HTTP: HttpSettings = { timeoutMs: 200, maxRetries: 2, retryBaseMs: 1, maxQuotaWaitMs: 0 };

/** A real-mode extraction over a replaying fetch, plus the requests it sent. */
export function buildExtraction(
  route: ReplayRoute,
  http: Partial<HttpSettings> = {},
  sandboxBaseUrl: () => string | null = () => null,
  env: Record<string, string> = REAL_ENV,
): { extraction: ExtractionSupport; requests: RecordedRequest[] } {
  const { environment, requests } = replayEnvironment(route, GRAPH_NOT_FOUND, {
    env,
    sandboxBaseUrl,
    http: { ...FAST_HTTP, ...http },
  });
  return { extraction: createMetaAdsConnector(environment).extraction!, requests };
}

/** A report request for `meta-ads.<slug>` with the template defaults unless overridden. */
export function reportRequest(slug: string, overrides: Partial<ReportRequest> = {}): ReportRequest {
  const template = findMetaTemplate(`meta-ads.${slug}`);
  if (!template) throw new Error(`no template ${slug}`);
  return {
    template,
    account: {
      id: ACCOUNT_ID,
      name: 'Northwind Retail US',
      timezone: 'America/Los_Angeles',
      currency: 'USD',
    },
    dimensions: [...template.defaultDimensions],
    metrics: [...template.defaultMetrics],
    settings: {},
    from: '2026-03-02',
    to: '2026-03-03',
    ...overrides,
  };
}

/** `METHOD /path` of each request, without the version prefix. */
export function callLog(requests: RecordedRequest[]): string[] {
  return requests.map(
    (r) => `${r.method} ${r.url.pathname.replace(/^(\/sandbox\/meta-ads)?\/v\d+\.\d+/, '')}`,
  );
}

/** An OK answer with extra response headers (header values are JSON strings, as Meta sends them). */
export function withHeaders(answer: ReplayAnswer, headers: Record<string, unknown>): ReplayAnswer {
  const encoded = Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [
      name,
      typeof value === 'string' ? value : JSON.stringify(value),
    ]),
  );
  return { ...answer, headers: { ...answer.headers, ...encoded } };
}
