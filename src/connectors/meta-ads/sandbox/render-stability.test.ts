/**
 * Byte-for-byte stability of the insights rows the sandbox renders. The digests below were produced by
 * the rendering code before it was optimised for CPU; any change to a single byte of any row (key order,
 * number formatting, which entries an action list keeps) changes a digest. The cases cover every level,
 * every modelled breakdown family, action lists with and without attribution windows, time increments,
 * filters, partial and restated days, Meta's reach omission, and a zero-decimal currency (JPY).
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayString, localClock } from '../../../sandbox/calendar.ts';
import { entitiesOf } from './entities.ts';
import { parseInsightsQuery } from './insights-params.ts';
import { renderRow } from './insights-render.ts';
import { InsightsRowCache, viewOf } from './insights-rows.ts';
import { findUserByEmail } from './seed.ts';
import {
  control,
  get,
  insightsQuery,
  localDate,
  login,
  type RunningSandbox,
  startSandbox,
} from './test-harness.ts';

const alex = findUserByEmail('alex@example.com')!;
const agency = findUserByEmail('agency@example.com')!;
const sam = findUserByEmail('sam.lee@example.com')!;

/** The as-of instant of every in-process case: mid-afternoon UTC, so some zones are mid-day (partial). */
const AS_OF = new Date('2025-03-15T13:30:00Z');

/** Every field the sandbox renders a value for. */
const ALL_FIELDS = [
  'account_id',
  'account_name',
  'account_currency',
  'campaign_id',
  'campaign_name',
  'objective',
  'buying_type',
  'adset_id',
  'adset_name',
  'optimization_goal',
  'attribution_setting',
  'ad_id',
  'ad_name',
  'date_start',
  'date_stop',
  'impressions',
  'reach',
  'frequency',
  'clicks',
  'unique_clicks',
  'inline_link_clicks',
  'inline_post_engagement',
  'spend',
  'cpc',
  'cpm',
  'cpp',
  'ctr',
  'unique_ctr',
  'inline_link_click_ctr',
  'cost_per_inline_link_click',
  'cost_per_unique_click',
  'cost_per_inline_post_engagement',
  'actions',
  'conversions',
  'action_values',
  'cost_per_action_type',
  'purchase_roas',
  'website_purchase_roas',
];

/** The fields the connector's `ads_by_age_gender` template asks for (the extract benchmark's query). */
const BENCH_FIELDS =
  'campaign_id,campaign_name,adset_id,adset_name,ad_id,ad_name,objective,buying_type,impressions,reach,' +
  'frequency,clicks,unique_clicks,inline_link_clicks,spend,cpc,cpm,cpp,ctr,actions,action_values,' +
  'cost_per_action_type';

interface Case {
  name: string;
  accountId: string;
  /** Days before the account-local today of the range's first and last day. */
  since: number;
  until: number;
  params: Record<string, string>;
}

const cases: Case[] = [
  {
    name: 'account, default fields, USD, daily',
    accountId: alex.accounts[0]!.accountId,
    since: 20,
    until: 0,
    params: { level: 'account', time_increment: '1' },
  },
  {
    name: 'ad × age × gender, benchmark fields, JPY, daily to today',
    accountId: agency.accounts[7]!.accountId,
    since: 9,
    until: 0,
    params: {
      level: 'ad',
      fields: BENCH_FIELDS,
      breakdowns: 'age,gender',
      action_breakdowns: 'action_type',
      action_attribution_windows: '["7d_click","1d_view"]',
      action_report_time: 'mixed',
      time_increment: '1',
    },
  },
  {
    name: 'adset × country, every field, EUR, weekly, every window',
    accountId: alex.accounts[2]!.accountId,
    since: 40,
    until: 1,
    params: {
      level: 'adset',
      fields: ALL_FIELDS.join(','),
      breakdowns: 'country',
      action_attribution_windows:
        '["1d_click","7d_click","28d_click","1d_view","7d_view","28d_view","1d_ev","default","dda"]',
      time_increment: '7',
    },
  },
  {
    name: 'campaign × platform × position, every field, INR, monthly',
    accountId: agency.accounts[9]!.accountId,
    since: 70,
    until: 0,
    params: {
      level: 'campaign',
      fields: ALL_FIELDS.join(','),
      breakdowns: 'publisher_platform,platform_position',
      action_attribution_windows: '["28d_click","1d_ev"]',
      time_increment: 'monthly',
    },
  },
  {
    name: 'ad × device platform, filtered, USD, all days',
    accountId: alex.accounts[1]!.accountId,
    since: 30,
    until: 2,
    params: {
      level: 'ad',
      fields: ALL_FIELDS.join(','),
      breakdowns: 'device_platform',
      action_attribution_windows: '["1d_view","7d_view","28d_view"]',
      filtering: '[{"field":"ad.name","operator":"NOT_CONTAIN","value":["carousel"]}]',
      time_increment: 'all_days',
    },
  },
  {
    name: 'account × impression device, reach omitted (over 13 months back), GBP',
    accountId: sam.accounts[0]!.accountId,
    since: 430,
    until: 400,
    params: {
      level: 'account',
      fields: ALL_FIELDS.join(','),
      breakdowns: 'impression_device',
      action_attribution_windows: '["7d_click"]',
      time_increment: '10',
    },
  },
  {
    name: 'ad, unmodelled and repeated fields, JPY, daily',
    accountId: agency.accounts[21]!.accountId,
    since: 12,
    until: 0,
    params: {
      level: 'ad',
      fields:
        'ad_id,video_p25_watched_actions,impressions,date_start,impressions,spend,' +
        'cost_per_inline_post_engagement,inline_post_engagement,attribution_setting,optimization_goal,' +
        'account_currency,account_name,account_id,purchase_roas,conversions,cost_per_action_type',
      time_increment: '1',
    },
  },
  {
    name: 'adset × age, 1d_ev and 28d_view windows, INR, 3-day buckets',
    accountId: agency.accounts[23]!.accountId,
    since: 15,
    until: 0,
    params: {
      level: 'adset',
      fields: `${BENCH_FIELDS},conversions,purchase_roas,website_purchase_roas,unique_ctr,inline_link_click_ctr`,
      breakdowns: 'age',
      action_attribution_windows: '["1d_ev","28d_view"]',
      time_increment: '3',
    },
  },
  {
    name: 'campaign × gender, older conversions settled, CAD, daily',
    accountId: findUserByEmail('sam.lee@example.org')!.accounts[0]!.accountId,
    since: 25,
    until: 5,
    params: {
      level: 'campaign',
      fields: ALL_FIELDS.join(','),
      breakdowns: 'gender',
      action_attribution_windows:
        '["1d_click","7d_click","28d_click","1d_view","7d_view","28d_view","1d_ev"]',
      time_increment: '1',
    },
  },
];

/** Digest of every row of a case, rendered page by page as the routes do. */
function digestOf(testCase: Case): { rows: number; sha256: string } {
  const entities = entitiesOf(testCase.accountId)!;
  const clock = localClock(AS_OF, entities.account.timezoneName);
  const params: Record<string, string> = {
    ...testCase.params,
    time_range: JSON.stringify({
      since: dayString(clock.today - testCase.since),
      until: dayString(clock.today - testCase.until),
    }),
  };
  const parsed = parseInsightsQuery((name) => params[name], clock);
  if (!parsed.ok) throw new Error(`${testCase.name}: ${JSON.stringify(parsed.response.body)}`);
  const view = viewOf(entities, parsed.query, AS_OF, 'golden');
  const cache = new InsightsRowCache();
  const hash = createHash('sha256');
  let rows = 0;
  let from = { bucket: 0, index: 0 };
  for (;;) {
    const page = cache.page(view, from, 500);
    for (const item of page.rows) {
      hash.update(`${JSON.stringify(renderRow(view, item.row, item.bucket))}\n`);
      rows += 1;
    }
    const last = page.rows.at(-1);
    if (!page.more || !last) break;
    from = { bucket: last.position.bucket, index: last.position.index + 1 };
  }
  return { rows, sha256: hash.digest('hex') };
}

/** Produced by the rendering code as it was before the CPU work (commit of this test). */
const GOLDEN: Record<string, { rows: number; sha256: string }> = {
  'account, default fields, USD, daily': {
    rows: 21,
    sha256: '742fb940f8074e3a3a114c1479bc06ff4b77fe256d8e150ea520056456023852',
  },
  'ad × age × gender, benchmark fields, JPY, daily to today': {
    rows: 2183,
    sha256: 'cec1140ec9cbc8a61591479803a4e5459a793345784819884d399cd0b70ebbca',
  },
  'adset × country, every field, EUR, weekly, every window': {
    rows: 192,
    sha256: '0cc788e7a0bf88bd52d5d34dd4da73df2567d715cf6c2349fa7a52bdefbb0a08',
  },
  'campaign × platform × position, every field, INR, monthly': {
    rows: 102,
    sha256: '8a806fce276b885bd0af18acdc5767f87ecc52dc7b7d0b3f9d4a8c989a21ad22',
  },
  'ad × device platform, filtered, USD, all days': {
    rows: 24,
    sha256: '352b54827e0ca4b6dd7a73679280c7807596085551d438603a4d7f2864c6bce4',
  },
  'account × impression device, reach omitted (over 13 months back), GBP': {
    rows: 24,
    sha256: '6f4ba2edfa3f23741a2427ef29df0a37b2dac346396ae5906a47595630cc2b30',
  },
  'ad, unmodelled and repeated fields, JPY, daily': {
    rows: 267,
    sha256: '80b4509446eeac3d0d1f779cc530b31e44e7399dc044cda54e7f6857ea8b626d',
  },
  'adset × age, 1d_ev and 28d_view windows, INR, 3-day buckets': {
    rows: 161,
    sha256: '7fc7bd53b51980ee084c30a11b00cfa5d2aaf1ce59399a7e1445df5967a62b90',
  },
  'campaign × gender, older conversions settled, CAD, daily': {
    rows: 126,
    sha256: '043a57192733f67295f9cb876eb81bba0219ebb3e96f22ad376d874b359301be',
  },
};

/** Produced by the rendering code as it was before the CPU work. */
const WIRE_GOLDEN = {
  pages: 5,
  sha256: 'd295e1413eb67beb6780ea307131053cd93d90c3964cdefdd56d3f76ff8d9390',
};

describe('insights rendering is byte-stable', () => {
  it.each(cases.map((testCase) => [testCase.name, testCase] as const))('%s', (name, testCase) => {
    const digest = digestOf(testCase);
    // An empty case would prove nothing.
    expect(digest.rows).toBeGreaterThan(0);
    expect(digest).toEqual(GOLDEN[name]);
  });
});

describe('insights pages on the wire are byte-stable', () => {
  let sandbox: RunningSandbox;
  let token: string;
  beforeAll(async () => {
    sandbox = await startSandbox();
    await control(sandbox, '_control/clock', { set: '2030-06-15T15:30:00Z' });
    token = (await login(sandbox, 'alex@example.com')).longToken;
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('renders the pages of a paged ad × age × gender report exactly as before', async () => {
    const account = alex.accounts[0]!;
    const query = insightsQuery({
      level: 'ad',
      fields: BENCH_FIELDS,
      breakdowns: 'age,gender',
      action_attribution_windows: ['7d_click', '1d_view'],
      time_range: {
        since: await localDate(sandbox, account.timezoneName, -4),
        until: await localDate(sandbox, account.timezoneName, 0),
      },
      time_increment: 1,
      limit: 150,
    });
    // Raw bodies, not parsed ones: the bytes on the wire are what must not change.
    const pages: string[] = [];
    let url: string | undefined = `${sandbox.base}/v25.0/act_${account.accountId}/insights?${query}`;
    while (url) {
      const page = await get(url, { headers: { authorization: `Bearer ${token}` } });
      expect(page.status).toBe(200);
      pages.push(page.text);
      url = page.json.paging?.next;
    }
    expect(pages.length).toBeGreaterThan(1);
    // The origin (a free port) is the only part of a page that differs between runs.
    const text = pages.join('\n');
    const digest = createHash('sha256').update(text.replaceAll(sandbox.origin, 'ORIGIN')).digest('hex');
    expect({ pages: pages.length, sha256: digest }).toEqual(WIRE_GOLDEN);
  });
});
