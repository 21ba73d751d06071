import { describe, expect, it } from 'vitest';
import type { ReportRequest } from '../kit/types.ts';
import {
  build,
  drain,
  errorFixture,
  linkedin,
  type RecordedRequest,
  type ReplayAnswer,
  recordingHooks,
  routeKey,
  TOKEN,
} from './replay-fetch.ts';
import { ANALYTICS_ELEMENT_CAP } from './report-windows.ts';
import { linkedinAdsTemplates } from './templates.ts';

const ACCOUNT = { id: '508000999', name: 'High Volume', timezone: 'UTC', currency: 'USD' };
const CREATIVES = 700;

function creativeRequest(from: string, to: string): ReportRequest {
  const template = linkedinAdsTemplates.find((entry) => entry.id === 'linkedin-ads.creative_daily')!;
  return {
    template,
    account: ACCOUNT,
    dimensions: ['creative_id'],
    metrics: ['impressions'],
    settings: {},
    from,
    to,
  };
}

function accountRequest(from: string, to: string): ReportRequest {
  const template = linkedinAdsTemplates.find((entry) => entry.id === 'linkedin-ads.account_daily')!;
  return { template, account: ACCOUNT, dimensions: [], metrics: ['impressions'], settings: {}, from, to };
}

/** `dateRange=(start:(year:Y,month:M,day:D),end:(…))` of a request, as two `YYYY-MM-DD` days. */
function rangeOf(sent: RecordedRequest): [string, string] {
  const numbers = [...sent.query.matchAll(/year:(\d+),month:(\d+),day:(\d+)/g)].map(
    ([, y, m, d]) => `${y}-${m!.padStart(2, '0')}-${d!.padStart(2, '0')}`,
  );
  return [numbers[0]!, numbers[1]!];
}

function eachDay(from: string, to: string): string[] {
  const days: string[] = [];
  for (let at = Date.parse(`${from}T00:00:00Z`); at <= Date.parse(`${to}T00:00:00Z`); at += 86_400_000) {
    days.push(new Date(at).toISOString().slice(0, 10));
  }
  return days;
}

function element(pivot: string, day: string, impressions: number) {
  const [year, month, date] = day.split('-').map(Number);
  const record = { year, month, day: date };
  return { pivotValues: [pivot], dateRange: { start: record, end: record }, impressions };
}

/** 700 creatives over seven pages of 100, and an `adAnalytics` that delivers every creative every day. */
function highVolume(analytics?: (sent: RecordedRequest) => ReplayAnswer | undefined) {
  const base = linkedin();
  return (sent: RecordedRequest) => {
    const key = routeKey(sent);
    if (key === 'GET /rest/adAccounts/{id}/creatives') {
      const page = Number(/pageToken=p(\d+)/.exec(sent.query)?.[1] ?? 0);
      const elements = Array.from({ length: 100 }, (_, index) => ({
        id: `urn:li:sponsoredCreative:${7_000_000 + page * 100 + index}`,
        intendedStatus: 'ACTIVE',
        campaign: 'urn:li:sponsoredCampaign:1111',
      }));
      return { body: { paging: {}, elements, metadata: page < 6 ? { nextPageToken: `p${page + 1}` } : {} } };
    }
    if (key === 'GET /rest/adAnalytics') {
      const special = analytics?.(sent);
      if (special) return special;
      const [from, to] = rangeOf(sent);
      const elements = eachDay(from, to).flatMap((day) =>
        Array.from({ length: CREATIVES }, (_, index) =>
          element(`urn:li:sponsoredCreative:${7_000_000 + index}`, day, 1),
        ),
      );
      // LinkedIn drops everything past the cap without a word.
      return {
        body: {
          paging: { start: 0, count: 10, links: [] },
          elements: elements.slice(0, ANALYTICS_ELEMENT_CAP),
        },
      };
    }
    return base(sent);
  };
}

describe('the 15,000-element cap', () => {
  it('reads 30 days of 700 creatives in two windows, every row present, no call more than needed', async () => {
    const { connector, requests, plans } = build(highVolume());
    const hooks = recordingHooks();
    const rows = (
      await drain(connector.extraction!.read(TOKEN, creativeRequest('2025-03-01', '2025-03-30'), hooks))
    ).flat();
    expect(rows).toHaveLength(CREATIVES * 30);
    expect(new Set(rows.map((row) => `${row.creative_id}|${row.date}`)).size).toBe(CREATIVES * 30);
    const analytics = requests.filter((sent) => routeKey(sent) === 'GET /rest/adAnalytics');
    expect(analytics.map(rangeOf)).toEqual([
      ['2025-03-01', '2025-03-15'],
      ['2025-03-16', '2025-03-30'],
    ]);
    // Seven finder pages (names and the count the windows are planned from), then the minimum of two reports.
    expect(hooks.calls).toBe(7 + 2);
    expect(plans).toHaveLength(1);
    expect(plans[0]!.plan).toMatchObject({ calls: 2, maxElementsPerCall: 10_500 });
  });

  it('halves a window whose answer reaches the cap anyway (an entity the finder did not list)', async () => {
    let first = true;
    const full = Array.from({ length: ANALYTICS_ELEMENT_CAP }, () => ({}));
    const { connector, requests } = build(
      highVolume((sent) => {
        if (!first) {
          const [day] = rangeOf(sent);
          return { body: { elements: [element('urn:li:sponsoredAccount:508000999', day, 5)] } };
        }
        first = false;
        return { body: { elements: full } };
      }),
    );
    const rows = (
      await drain(
        connector.extraction!.read(TOKEN, accountRequest('2025-03-01', '2025-03-02'), recordingHooks()),
      )
    ).flat();
    expect(rows).toEqual([
      { date: '2025-03-01', impressions: 5 },
      { date: '2025-03-02', impressions: 5 },
    ]);
    expect(requests.map(rangeOf)).toEqual([
      ['2025-03-01', '2025-03-02'],
      ['2025-03-01', '2025-03-01'],
      ['2025-03-02', '2025-03-02'],
    ]);
  });

  it('a single day at the cap is an error, not a silent loss', async () => {
    const full = Array.from({ length: ANALYTICS_ELEMENT_CAP }, () => ({}));
    const { connector } = build(highVolume(() => ({ body: { elements: full } })));
    await expect(
      drain(connector.extraction!.read(TOKEN, accountRequest('2025-03-01', '2025-03-01'), recordingHooks())),
    ).rejects.toMatchObject({ code: 'provider_error' });
  });
});

describe('report errors', () => {
  const analyticsAnswer = (answer: ReplayAnswer) => highVolume(() => answer);

  it('429: rate_limited until the next UTC midnight, and the next read waits for it without a call', async () => {
    const { connector, requests } = build(analyticsAnswer(errorFixture('error_429_too_many_requests.json')));
    const error = await drain(
      connector.extraction!.read(TOKEN, accountRequest('2025-03-01', '2025-03-02'), recordingHooks()),
    ).catch((e: unknown) => e);
    const now = new Date();
    const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
    expect(error).toMatchObject({ code: 'rate_limited', retryAt: new Date(midnight) });
    expect(requests).toHaveLength(1);
    const hooks = recordingHooks();
    const again = await drain(
      connector.extraction!.read(TOKEN, accountRequest('2025-03-01', '2025-03-02'), hooks),
    ).catch((e: unknown) => e);
    expect(again).toMatchObject({ code: 'rate_limited', retryAt: new Date(midnight) });
    expect([requests.length, hooks.calls]).toEqual([1, 0]);
  });

  it.each([
    ['a 200 without elements', { body: { paging: { start: 0 } } }, 'provider_malformed_response'],
    ['a cut-off body', { body: '{"paging":{"start":0},"elem', raw: true }, 'provider_malformed_response'],
    [
      'an element outside the window',
      { body: { elements: [element('urn:li:sponsoredAccount:1', '2024-12-31', 1)] } },
      'provider_malformed_response',
    ],
    [
      'a fractional count',
      { body: { elements: [element('urn:li:sponsoredAccount:1', '2025-03-01', 1.5)] } },
      'provider_malformed_response',
    ],
    ['426 NONEXISTENT_VERSION', errorFixture('error_426_nonexistent_version.json'), 'provider_error'],
    ['403 ACCESS_DENIED', errorFixture('error_403_access_denied.json'), 'permission_denied'],
    ['401 EXPIRED_ACCESS_TOKEN', errorFixture('error_401_expired_access_token.json'), 'auth_token_expired'],
  ] as [string, ReplayAnswer, string][])('%s -> %s, nothing read', async (_, answer, code) => {
    const { connector } = build(analyticsAnswer(answer));
    const pages: unknown[] = [];
    const error = await (async () => {
      for await (const page of connector.extraction!.read(
        TOKEN,
        accountRequest('2025-03-01', '2025-03-02'),
        recordingHooks(),
      )) {
        pages.push(page);
      }
    })().catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'TributaryError', code });
    expect(pages).toEqual([]);
  });

  it('426 names LINKEDIN_VERSION and the version sent', async () => {
    const { connector } = build(analyticsAnswer(errorFixture('error_426_nonexistent_version.json')));
    const error = (await drain(
      connector.extraction!.read(TOKEN, accountRequest('2025-03-01', '2025-03-02'), recordingHooks()),
    ).catch((e: unknown) => e)) as Error;
    expect(error.message).toContain('LINKEDIN_VERSION');
    expect(error.message).toContain('202511');
  });

  it('a 500 is retried to the same rows', async () => {
    let failures = 1;
    const { connector, requests } = build(
      highVolume((sent) => {
        if (failures-- > 0) return errorFixture('error_500_internal.json');
        const [day] = rangeOf(sent);
        return { body: { elements: [element('urn:li:sponsoredAccount:508000999', day, 3)] } };
      }),
    );
    const rows = (
      await drain(
        connector.extraction!.read(TOKEN, accountRequest('2025-03-01', '2025-03-01'), recordingHooks()),
      )
    ).flat();
    expect(rows).toEqual([{ date: '2025-03-01', impressions: 3 }]);
    expect(requests).toHaveLength(2);
  });
});
