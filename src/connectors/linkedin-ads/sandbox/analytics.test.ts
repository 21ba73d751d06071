/**
 * `adAnalytics` against the sandbox: every pivot sums to the account totals, wire types, facets, time
 * granularities, the 20-field limit, the silent 15,000-element cap, and LinkedIn's 400/403 answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkedinAdsSandbox } from './index.ts';
import { findUserByEmail } from './seed.ts';
import {
  analyticsQuery,
  login,
  rest,
  startSandbox,
  type TestSandbox,
  thousandths,
  urnList,
  utcDate,
} from './test-harness.ts';

let sandbox: TestSandbox;
let alex: string;
let agency: string;
const account = findUserByEmail('alex@example.com')!.accounts[0]!;
const highVolume = findUserByEmail('agency@example.com')!.accounts[0]!;
beforeAll(async () => {
  sandbox = await startSandbox();
  alex = await login(sandbox, 'alex@example.com');
  agency = await login(sandbox, 'agency@example.com');
});
afterAll(async () => {
  await sandbox.close();
});

const FIELDS = [
  'dateRange',
  'pivotValues',
  'impressions',
  'clicks',
  'costInLocalCurrency',
  'externalWebsiteConversions',
];
const report = (options: Parameters<typeof analyticsQuery>[0], token = alex) =>
  rest(sandbox, '/adAnalytics', analyticsQuery(options), token);

// biome-ignore lint/suspicious/noExplicitAny: tests inspect arbitrary LinkedIn JSON.
type Json = any;

/** Σ per day of impressions, clicks, cost (thousandths) and conversions. */
function perDay(elements: Json[]): Map<string, number[]> {
  const days = new Map<string, number[]>();
  for (const element of elements) {
    const { year, month, day } = element.dateRange.start;
    const key = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    const sum = days.get(key) ?? [0, 0, 0, 0];
    sum[0]! += element.impressions;
    sum[1]! += element.clicks;
    sum[2]! += thousandths(element.costInLocalCurrency);
    sum[3]! += element.externalWebsiteConversions;
    days.set(key, sum);
  }
  return days;
}

describe('pivots and types', () => {
  it('every pivot sums to the same daily totals, equal to the truth', async () => {
    const window = {
      from: utcDate(sandbox, -9),
      to: utcDate(sandbox, -1),
      accounts: [account.id],
      fields: FIELDS,
    };
    const sums = [];
    for (const pivot of ['ACCOUNT', 'CAMPAIGN_GROUP', 'CAMPAIGN', 'CREATIVE']) {
      const response = await report({ ...window, pivot });
      expect(response.status, response.text).toBe(200);
      expect(response.json.paging).toEqual({ start: 0, count: 10, links: [] });
      sums.push(perDay(response.json.elements));
    }
    for (const other of sums.slice(1)) expect(other).toEqual(sums[0]);
    const truth = linkedinTruth(utcDate(sandbox, -9), utcDate(sandbox, -1));
    expect(
      [...sums[0]!.entries()].map(([day, [impressions, clicks, cost, conversions]]) => ({
        day,
        impressions,
        clicks,
        spend: cost! / 1000,
        conversions,
      })),
    ).toEqual(
      truth.map((day) => ({
        day: day.date,
        impressions: day.impressions,
        clicks: day.clicks,
        spend: day.spend,
        conversions: day.conversions,
      })),
    );
  });

  it('counts are integers, money decimal strings, URNs in pivotValues, days as records', async () => {
    const fields = [
      'dateRange',
      'pivotValues',
      'impressions',
      'costInLocalCurrency',
      'costInUsd',
      'conversionValueInLocalCurrency',
      'externalWebsitePostClickConversions',
      'externalWebsitePostViewConversions',
      'externalWebsiteConversions',
    ];
    const response = await report({
      from: utcDate(sandbox, -3),
      to: utcDate(sandbox, -1),
      accounts: [account.id],
      pivot: 'CREATIVE',
      fields,
    });
    const element = response.json.elements[0];
    expect(Object.keys(element)).toEqual(fields);
    expect(element.pivotValues[0]).toMatch(/^urn:li:sponsoredCreative:\d+$/);
    expect(element.costInLocalCurrency).toMatch(/^\d+\.\d{3}$/);
    expect(element.costInUsd).toMatch(/^\d+\.\d{3}$/);
    expect(Number.isInteger(element.impressions)).toBe(true);
    expect(element.externalWebsiteConversions).toBe(
      element.externalWebsitePostClickConversions + element.externalWebsitePostViewConversions,
    );
    expect(Object.keys(element.dateRange.start).sort()).toEqual(['day', 'month', 'year']);
  });

  it('without fields: dateRange, pivotValues, impressions and clicks', async () => {
    const response = await report({
      from: utcDate(sandbox, -2),
      to: utcDate(sandbox, -1),
      accounts: [account.id],
    });
    expect(Object.keys(response.json.elements[0])).toEqual([
      'dateRange',
      'pivotValues',
      'impressions',
      'clicks',
    ]);
  });

  it('MONTHLY and ALL sum the same days; an open-ended range runs to today; future days are empty', async () => {
    const window = {
      from: utcDate(sandbox, -40),
      to: utcDate(sandbox, -1),
      accounts: [account.id],
      fields: FIELDS,
      pivot: 'ACCOUNT',
    };
    const total = (elements: Json[]) => elements.reduce((sum, element) => sum + element.impressions, 0);
    const daily = total((await report(window)).json.elements);
    const all = (await report({ ...window, granularity: 'ALL' })).json.elements;
    expect(all).toHaveLength(1);
    expect(total(all)).toBe(daily);
    expect(total((await report({ ...window, granularity: 'MONTHLY' })).json.elements)).toBe(daily);
    const open = await report({
      from: utcDate(sandbox, -1),
      accounts: [account.id],
      fields: FIELDS,
      pivot: 'ACCOUNT',
    });
    expect(open.json.elements.length).toBeGreaterThanOrEqual(1);
    const future = await report({
      from: utcDate(sandbox, 2),
      to: utcDate(sandbox, 5),
      accounts: [account.id],
    });
    expect([future.status, future.json.elements]).toEqual([200, []]);
  });

  it('the campaigns facet narrows to those campaigns', async () => {
    const campaigns = await rest(sandbox, `/adAccounts/${account.id}/adCampaigns`, 'q=search', alex);
    const urn = `urn:li:sponsoredCampaign:${campaigns.json.elements[0].id}`;
    const response = await rest(
      sandbox,
      '/adAnalytics',
      `${analyticsQuery({ from: utcDate(sandbox, -5), to: utcDate(sandbox, -1), fields: FIELDS })}&campaigns=${urnList([urn])}`,
      alex,
    );
    expect(response.json.elements.length).toBeGreaterThan(0);
    expect(new Set(response.json.elements.map((element: Json) => element.pivotValues[0]))).toEqual(
      new Set([urn]),
    );
  });
});

describe('the 15,000-element cap', () => {
  it('a 30-day CREATIVE report of the 700-creative account is cut at 15,000 without a word', async () => {
    const response = await report(
      {
        pivot: 'CREATIVE',
        from: utcDate(sandbox, -30),
        to: utcDate(sandbox, -1),
        accounts: [highVolume.id],
        fields: ['dateRange', 'pivotValues', 'impressions'],
      },
      agency,
    );
    expect(response.status).toBe(200);
    expect(response.json.elements).toHaveLength(15_000);
    // Stable order: by day, so the cut drops the last days.
    const last = response.json.elements.at(-1).dateRange.start;
    expect(
      `${last.year}-${String(last.month).padStart(2, '0')}-${String(last.day).padStart(2, '0')}`,
    ).not.toBe(utcDate(sandbox, -1));
  });

  it('a 14-day window of the same account returns every creative-day', async () => {
    const response = await report(
      {
        pivot: 'CREATIVE',
        from: utcDate(sandbox, -14),
        to: utcDate(sandbox, -1),
        accounts: [highVolume.id],
        fields: ['pivotValues', 'impressions'],
      },
      agency,
    );
    expect(response.json.elements).toHaveLength(700 * 14);
  });
});

describe('bad requests', () => {
  const base = () => ({ from: utcDate(sandbox, -3), to: utcDate(sandbox, -1), accounts: [account.id] });

  it('more than 20 fields is 400; 20 is fine; an unknown field is 400', async () => {
    const metrics = [
      'impressions',
      'clicks',
      'costInLocalCurrency',
      'costInUsd',
      'landingPageClicks',
      'externalWebsiteConversions',
      'externalWebsitePostClickConversions',
      'externalWebsitePostViewConversions',
      'conversionValueInLocalCurrency',
      'oneClickLeads',
      'totalEngagements',
      'likes',
      'comments',
      'shares',
      'follows',
      'videoViews',
      'videoStarts',
      'videoCompletions',
      'approximateUniqueImpressions',
    ];
    expect((await report({ ...base(), fields: ['dateRange', ...metrics] })).status).toBe(200);
    const tooMany = await report({ ...base(), fields: ['dateRange', 'pivotValues', ...metrics] });
    expect([tooMany.status, tooMany.json.status]).toEqual([400, 400]);
    expect((await report({ ...base(), fields: ['impressions', 'spend'] })).status).toBe(400);
  });

  it.each([
    [
      'no pivot',
      'q=analytics&timeGranularity=DAILY&dateRange=(start:(year:2025,month:1,day:1))&accounts=ACC',
    ],
    [
      'no timeGranularity',
      'q=analytics&pivot=CAMPAIGN&dateRange=(start:(year:2025,month:1,day:1))&accounts=ACC',
    ],
    ['no dateRange', 'q=analytics&pivot=CAMPAIGN&timeGranularity=DAILY&accounts=ACC'],
    [
      'no facet',
      'q=analytics&pivot=CAMPAIGN&timeGranularity=DAILY&dateRange=(start:(year:2025,month:1,day:1))',
    ],
    [
      'a demographic pivot',
      'q=analytics&pivot=MEMBER_COUNTRY_V2&timeGranularity=DAILY&dateRange=(start:(year:2025,month:1,day:1))&accounts=ACC',
    ],
    [
      'dotted dateRange (Rest.li 1.0)',
      'q=analytics&pivot=CAMPAIGN&timeGranularity=DAILY&dateRange.start.year=2025&dateRange.start.month=1&dateRange.start.day=1&accounts=ACC',
    ],
    [
      'a raw URN inside List',
      'q=analytics&pivot=CAMPAIGN&timeGranularity=DAILY&dateRange=(start:(year:2025,month:1,day:1))&accounts=List(urn:li:sponsoredAccount:ID)',
    ],
    [
      'an encoded List',
      'q=analytics&pivot=CAMPAIGN&timeGranularity=DAILY&dateRange=(start:(year:2025,month:1,day:1))&accounts=List%28urn%253Ali%253AsponsoredAccount%253AID%29',
    ],
    [
      'an impossible date',
      'q=analytics&pivot=CAMPAIGN&timeGranularity=DAILY&dateRange=(start:(year:2025,month:2,day:30))&accounts=ACC',
    ],
    [
      'end before start',
      'q=analytics&pivot=CAMPAIGN&timeGranularity=DAILY&dateRange=(start:(year:2025,month:2,day:3),end:(year:2025,month:2,day:1))&accounts=ACC',
    ],
    [
      'the statistics finder',
      'q=statistics&pivots=List(CAMPAIGN)&timeGranularity=DAILY&dateRange=(start:(year:2025,month:1,day:1))&accounts=ACC',
    ],
  ])('%s is 400', async (_name, query) => {
    const filled = query
      .replace('ACC', urnList([`urn:li:sponsoredAccount:${account.id}`]))
      .replaceAll('ID', String(account.id));
    const response = await rest(sandbox, '/adAnalytics', filled, alex);
    expect([response.status, response.json.status], response.text).toEqual([400, 400]);
  });

  it("another member's account is 403 ACCESS_DENIED", async () => {
    const foreign = findUserByEmail('sam.lee@example.com')!.accounts[0]!;
    const response = await report({ ...base(), accounts: [foreign.id] });
    expect([response.status, response.json.code, response.json.serviceErrorCode]).toEqual([
      403,
      'ACCESS_DENIED',
      100,
    ]);
  });
});

function linkedinTruth(from: string, to: string) {
  return linkedinAdsSandbox.truth!(String(account.id), from, to, sandbox.state)!;
}
