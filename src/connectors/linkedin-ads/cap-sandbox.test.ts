/**
 * The 15,000-element cap over real HTTP: the sandbox's "Big Agency — High Volume" account has 700 creatives
 * delivering every day, so one CREATIVE/DAILY request for 30 days would be cut short without a word. The connector
 * must plan the fewest windows that stay under the cap and load every creative-day, equal to the sandbox's truth.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addDays, todayIn } from '../../domain/dates.ts';
import { CONFORMANCE_HTTP } from '../kit/conformance.ts';
import {
  type ConformanceSandbox,
  discoverPages,
  drainRead,
  oauthLogin,
  startLoopbackSandbox,
} from '../kit/conformance-sandbox.ts';
import type { ReportRequest } from '../kit/types.ts';
import { createLinkedInAdsConnector } from './connector.ts';
import type { AnalyticsPlan } from './report-windows.ts';
import { linkedinAdsSandbox } from './sandbox/index.ts';
import { linkedinAdsTemplates } from './templates.ts';

let sandbox: ConformanceSandbox;

beforeAll(async () => {
  sandbox = await startLoopbackSandbox(linkedinAdsSandbox);
});
afterAll(async () => {
  await sandbox?.close();
});

it('reads 30 days of the 700-creative account in the minimum of windows, every creative-day equal to the truth', async () => {
  const plans: AnalyticsPlan[] = [];
  const analyticsCalls: string[] = [];
  const connector = createLinkedInAdsConnector(
    {
      env: {},
      sandboxBaseUrl: () => sandbox.base,
      http: { ...CONFORMANCE_HTTP, timeoutMs: 30_000 },
      fetch: (input, init) => {
        const url = String(input instanceof Request ? input.url : input);
        if (url.includes('/rest/adAnalytics?')) analyticsCalls.push(url);
        return fetch(input, init);
      },
    },
    { onPlan: (plan) => plans.push(plan) },
  );
  const token = await oauthLogin(connector, 'agency@example.com');
  const accounts = (await discoverPages(connector, token)).flat();
  const account = accounts.find((candidate) => candidate.name === 'Big Agency — High Volume')!;
  expect(account).toBeDefined();
  const today = todayIn('UTC', await sandbox.now());
  const [from, to] = [addDays(today, -31), addDays(today, -2)];
  const template = linkedinAdsTemplates.find((entry) => entry.id === 'linkedin-ads.creative_daily')!;
  const request: ReportRequest = {
    template,
    account: { id: account.id, name: account.name, timezone: account.timezone, currency: account.currency },
    dimensions: ['creative_id'],
    metrics: ['impressions', 'clicks'],
    settings: {},
    from,
    to,
  };
  const { rows, error } = await drainRead(connector, token, request);
  expect(error).toBeUndefined();
  expect(plans).toHaveLength(1);
  expect(plans[0]).toMatchObject({ calls: 2, entityGroups: 1, fieldChunks: 1 });
  expect(plans[0]!.maxElementsPerCall).toBeLessThanOrEqual(15_000);
  expect(analyticsCalls).toHaveLength(2);
  // 700 creatives × 30 days, each creative-day once.
  expect(rows.length).toBeGreaterThan(15_000);
  expect(new Set(rows.map((row) => `${row.creative_id}|${row.date}`)).size).toBe(rows.length);
  const byDay = new Map<string, { impressions: number; clicks: number }>();
  for (const row of rows) {
    const day = byDay.get(String(row.date)) ?? { impressions: 0, clicks: 0 };
    day.impressions += Number(row.impressions);
    day.clicks += Number(row.clicks);
    byDay.set(String(row.date), day);
  }
  const truth = await sandbox.truth(account.id, from, to);
  expect(truth).toHaveLength(30);
  for (const day of truth) {
    expect([day.date, byDay.get(day.date)]).toEqual([
      day.date,
      { impressions: day.impressions, clicks: day.clicks },
    ]);
  }
}, 120_000);
