import { describe, expect, it } from 'vitest';
import { ACCOUNT_STATUS_WORDS, accountStatusWord, parseAdAccountsPage } from './accounts.ts';
import { metaAdsConnector } from './index.ts';
import { loadFixture } from './replay-fetch.ts';
import { BREAKDOWN_DIMENSIONS, metaAdsSchema } from './schema.ts';

interface SpecField {
  name: string;
  type: string;
}

const insightsFields = new Map(
  loadFixture<{ fields: SpecField[] }>('graph-api-specs/AdsInsights.json').fields.map((f) => [
    f.name,
    f.type,
  ]),
);
const breakdowns = new Set(
  loadFixture<{ name: string; values: string[] }[]>('graph-api-specs/enum_types.insights_subset.json').find(
    (e) => e.name === 'adaccountinsights_breakdowns_enum_param',
  )!.values,
);

describe('metaAdsSchema', () => {
  it('names only real AdsInsights fields or documented breakdowns', () => {
    for (const dimension of metaAdsSchema.dimensions) {
      if (BREAKDOWN_DIMENSIONS.includes(dimension.name)) expect(breakdowns.has(dimension.name)).toBe(true);
      else expect(insightsFields.get(dimension.name), dimension.name).toBe('string');
    }
    for (const metric of metaAdsSchema.metrics)
      expect(insightsFields.has(metric.name), metric.name).toBe(true);
  });

  it('types action lists as json and string numbers as numbers', () => {
    for (const metric of metaAdsSchema.metrics) {
      const specType = insightsFields.get(metric.name);
      if (specType === 'list<AdsActionStats>') expect(metric.type, metric.name).toBe('json');
      else expect(['integer', 'decimal', 'money', 'percent'], metric.name).toContain(metric.type);
    }
    const typeOf = (name: string) => metaAdsSchema.metrics.find((m) => m.name === name)?.type;
    expect([typeOf('impressions'), typeOf('spend'), typeOf('ctr'), typeOf('frequency')]).toEqual([
      'integer',
      'money',
      'percent',
      'decimal',
    ]);
    expect(metaAdsSchema.dimensions.find((d) => d.name === 'date_start')?.type).toBe('date');
  });

  it('covers every column of the recorded insights rows', () => {
    const known = new Set([...metaAdsSchema.dimensions, ...metaAdsSchema.metrics].map((f) => f.name));
    const rows = loadFixture<{ data: Record<string, unknown>[] }>('insights_page.json').data;
    const missing = [...new Set(rows.flatMap((row) => Object.keys(row)))].filter((key) => !known.has(key));
    expect(missing).toEqual([]);
  });

  it('has unique names and non-empty labels', () => {
    const all = [...metaAdsSchema.dimensions, ...metaAdsSchema.metrics];
    expect(new Set(all.map((f) => f.name)).size).toBe(all.length);
    for (const field of all) expect(field.label && field.description).toBeTruthy();
  });
});

describe('ad account status', () => {
  it.each([
    [1, 'active'],
    [2, 'disabled'],
    [3, 'unsettled'],
    [7, 'pending_risk_review'],
    [8, 'pending_settlement'],
    [9, 'in_grace_period'],
    [100, 'pending_closure'],
    [101, 'closed'],
    [201, 'any_active'],
    [202, 'any_closed'],
    [5, 'unknown_5'],
    ['101', 'closed'],
    [null, 'unknown'],
  ])('%j -> %s', (status, word) => {
    expect(accountStatusWord(status)).toBe(word);
  });

  it('documents ten statuses', () => {
    expect(Object.keys(ACCOUNT_STATUS_WORDS)).toHaveLength(10);
  });

  it('parses the recorded last page, which has no next link', () => {
    const page = parseAdAccountsPage(loadFixture('adaccounts_last_page.json'), 'GET /me/adaccounts');
    expect(page.next).toBeNull();
    expect(page.accounts[1]).toEqual({
      id: '120000000000005',
      name: 'Northwind Experiments',
      currency: 'JPY',
      timezone: 'Asia/Tokyo',
      status: 'in_grace_period',
    });
  });
});

describe('metaAdsConnector definition', () => {
  it('declares its identity and environment variables', () => {
    expect(metaAdsConnector).toMatchObject({ id: 'meta-ads', name: 'Meta Ads', authType: 'oauth2' });
    expect(metaAdsConnector.envVars).toEqual([
      'META_APP_ID',
      'META_APP_SECRET',
      'META_API_VERSION',
      'META_GRAPH_BASE_URL',
      'META_DIALOG_BASE_URL',
    ]);
  });

  it('ships the setup guide and troubleshooting docs', () => {
    const connector = metaAdsConnector.create({
      env: {},
      sandboxBaseUrl: () => null,
      http: { timeoutMs: 1000, maxRetries: 0, retryBaseMs: 1, maxQuotaWaitMs: 0 },
      fetch: globalThis.fetch,
    });
    expect(connector.docs.setupGuide).toContain('/api/v1/oauth/callback');
    expect(connector.docs.setupGuide).toContain('META_APP_SECRET');
    for (const code of ['190', '200', '613', '80004', 'is_transient']) {
      expect(connector.docs.troubleshooting).toContain(code);
    }
    expect(connector.oauth?.scopes).toEqual(['ads_read', 'business_management', 'email']);
  });
});
