/**
 * The connector against its sandbox over loopback HTTP, beyond the shared conformance suite: the manager
 * hierarchy of the agreement, refresh and revocation, every template's read against the truth, and the errors a
 * manager or a canceled account answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayIn } from '../../domain/dates.ts';
import {
  buildAgainst,
  type ConformanceSandbox,
  discoverPages,
  drainRead,
  oauthLogin,
  startLoopbackSandbox,
} from '../kit/conformance-sandbox.ts';
import type { ProviderAccount, ReportRequest, TokenSet } from '../kit/types.ts';
import { googleAdsConnector } from './index.ts';
import { googleAdsSandbox } from './sandbox/index.ts';
import { googleAdsTemplates } from './templates.ts';

let sandbox: ConformanceSandbox;
const connector = buildAgainst(googleAdsConnector, () => sandbox, {
  timeoutMs: 5_000,
  maxRetries: 2,
  retryBaseMs: 1,
  maxQuotaWaitMs: 0,
});
let token: TokenSet;
let accounts: ProviderAccount[];
const byName = (name: string) => accounts.find((found) => found.name === name)!;

beforeAll(async () => {
  sandbox = await startLoopbackSandbox(googleAdsSandbox);
  token = await oauthLogin(connector, 'alex@example.com');
  accounts = (await discoverPages(connector, token)).flat();
});
afterAll(async () => {
  await sandbox?.close();
});

function request(templateId: string, account: ProviderAccount, from: string, to: string): ReportRequest {
  const template = googleAdsTemplates.find((entry) => entry.id === templateId)!;
  return {
    template,
    account: { id: account.id, name: account.name, timezone: account.timezone, currency: account.currency },
    dimensions: [...template.defaultDimensions],
    metrics: ['spend', 'impressions', 'clicks', 'conversions'],
    settings: {},
    from,
    to,
  };
}

describe('discovery of a manager hierarchy', () => {
  it('finds 3 managers and 6 clients, each once, with manager paths and status words', () => {
    expect(accounts).toHaveLength(9);
    expect(accounts.filter((found) => found.manager).map((found) => found.name)).toEqual([
      'Morgan Group MCC',
      'Morgan Retail',
      'Morgan Retail EU',
    ]);
    expect(byName('Morgan Group MCC').managerPath).toBeUndefined();
    expect(byName('Morgan Brand Search')).toMatchObject({
      currency: 'USD',
      timezone: 'America/New_York',
      status: 'active',
    });
    // Directly accessible and under the managers: one account, with the full path.
    expect(byName('Retail DE')).toMatchObject({
      currency: 'EUR',
      timezone: 'Europe/Berlin',
      managerPath: ['Morgan Group MCC', 'Morgan Retail', 'Morgan Retail EU'],
    });
    expect(byName('Retail Outlet').status).toBe('canceled');
    expect(byName('Retail UK')).toMatchObject({ status: 'suspended', currency: 'GBP' });
    for (const found of accounts) expect(found.id).toMatch(/^\d{10}$/);
  });
});

describe('reads of every template', () => {
  it('account totals equal the truth; campaign, ad group and ad rows add up to it; keywords and search terms stay below', async () => {
    const account = byName('Retail US Shopping');
    const today = todayIn(account.timezone, await sandbox.now());
    const [from, to] = [addDays(today, -6), addDays(today, -1)];
    const truth = await sandbox.truth(account.id, from, to);
    const totals = await connector.extraction!.totals(
      token,
      request('google-ads.account_daily', account, from, to),
      { onApiCall() {}, onQuotaWait() {}, signal: new AbortController().signal },
    );
    expect(totals.map((day) => day.date)).toEqual(truth.map((day) => day.date));
    for (const [index, day] of truth.entries()) {
      const values = totals[index]!.values;
      expect([values.impressions, values.clicks]).toEqual([day.impressions, day.clicks]);
      expect(values.spend).toBeCloseTo(day.spend, 6);
      expect(values.conversions).toBeCloseTo(day.conversions, 6);
    }
    const sumOf = (rows: Record<string, unknown>[], metric: string) =>
      rows.reduce((total, row) => total + Number(row[metric] ?? 0), 0);
    const truthClicks = truth.reduce((total, day) => total + day.clicks, 0);
    for (const template of googleAdsTemplates) {
      const windowTo = addDays(from, Math.min(template.maxWindowDays, 6) - 1);
      const { rows, error } = await drainRead(
        connector,
        token,
        request(template.id, account, from, windowTo),
      );
      expect(error, template.id).toBeUndefined();
      const expected = truth
        .filter((day) => day.date <= windowTo)
        .reduce((total, day) => total + day.clicks, 0);
      if (template.level === 'keyword' || template.level === 'search_term') {
        expect(sumOf(rows, 'clicks'), template.id).toBeLessThanOrEqual(expected);
      } else {
        expect(sumOf(rows, 'clicks'), template.id).toBe(expected);
      }
      for (const name of template.requiredDimensions) {
        expect(
          rows.every((row) => typeof row[name] === 'string'),
          `${template.id} ${name}`,
        ).toBe(true);
      }
    }
    expect(truthClicks).toBeGreaterThan(0);
  });

  it('a manager answers REQUESTED_METRICS_FOR_MANAGER, a canceled account CUSTOMER_NOT_ENABLED', async () => {
    const today = todayIn('America/New_York', await sandbox.now());
    const window = [addDays(today, -3), addDays(today, -2)] as const;
    const manager = await drainRead(
      connector,
      token,
      request('google-ads.campaign_daily', byName('Morgan Retail'), ...window),
    );
    expect(manager.error).toMatchObject({
      code: 'provider_error',
      details: { providerCode: 'queryError.REQUESTED_METRICS_FOR_MANAGER' },
    });
    const canceled = await drainRead(
      connector,
      token,
      request('google-ads.campaign_daily', byName('Retail Outlet'), ...window),
    );
    expect(canceled.error).toMatchObject({
      code: 'permission_denied',
      details: { providerCode: 'authorizationError.CUSTOMER_NOT_ENABLED' },
    });
  });
});

describe('refresh and revoke', () => {
  it('a refresh gives a new working access token and keeps the refresh token', async () => {
    const own = await oauthLogin(connector, 'sam.lee@example.com');
    expect(own.refreshToken).toBeTruthy();
    const fresh = await connector.refresh!(own);
    expect(fresh.accessToken).not.toBe(own.accessToken);
    expect(fresh.refreshToken).toBe(own.refreshToken);
    expect(Date.parse(fresh.expiresAt!)).toBeGreaterThan(Date.now());
    expect((await connector.identify(fresh)).businessAccount).toBe('sam.lee@example.com');
  });

  it('after revoke, the refresh is auth_token_revoked and the access token fails with category auth', async () => {
    const own = await oauthLogin(connector, 'sam.lee@example.org');
    await connector.revoke!(own);
    await expect(connector.refresh!(own)).rejects.toMatchObject({ code: 'auth_token_revoked' });
    await expect(connector.identify(own)).rejects.toMatchObject({ category: 'auth' });
    // Revoking twice is fine.
    await expect(connector.revoke!(own)).resolves.toBeUndefined();
  });

  // The `revoked` fault answers the faulted call as a revoked grant would, and ends the grant's refresh token.
  it('the revoked fault ends the grant: the refresh is auth_token_revoked', async () => {
    const own = await oauthLogin(connector, 'sam.lee@example.com');
    await sandbox.injectFault('revoked', 1);
    await expect(discoverPages(connector, own)).rejects.toMatchObject({ category: 'auth' });
    await expect(connector.refresh!(own)).rejects.toMatchObject({ code: 'auth_token_revoked' });
  });
});
