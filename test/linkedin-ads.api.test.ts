/**
 * LinkedIn Ads end to end through the API against the LinkedIn sandbox, spoken to only over HTTP: connect a seeded
 * member through the sandbox consent page (and refuse one who unticked the ads permissions), discover ad accounts
 * (four, 1,200 over cursor pages, none), extract campaign daily for a week with exact totals against the sandbox's
 * truth, and survive a server error on the way.
 */
import { describe, expect, it } from 'vitest';
import { providerSuite } from './providerExtraction.ts';

const METRICS = ['cost_in_local_currency', 'impressions', 'clicks', 'external_website_conversions'];

/** Checks the authorization URL is LinkedIn's consent page for the sandbox client. */
function expectLinkedInAuthorization(authorize: URL): void {
  expect(authorize.pathname).toBe('/sandbox/linkedin-ads/oauth/v2/authorization');
  expect(authorize.searchParams.get('client_id')).toBe('tributary-sandbox-client');
}

describe('LinkedIn Ads through the sandbox', () => {
  const suite = providerSuite({
    provider: 'linkedin-ads',
    checkAuthorization: expectLinkedInAuthorization,
    // 1,200 accounts take a while to discover.
    discoveryTimeoutMs: 60_000,
  });
  let connectionId: string;

  it('is in the catalog with its docs, schema and templates', async () => {
    await suite.expectInCatalog({
      troubleshooting: 'EXPIRED_ACCESS_TOKEN',
      moneyMetric: 'cost_in_local_currency',
      templates: ['linkedin-ads.campaign_daily'],
    });
  });

  it('refuses a member who unticked r_ads_reporting, saving no credential', async () => {
    const { id, callback } = await suite.authorize('alex@example.com', (authorize) => {
      expectLinkedInAuthorization(authorize);
      authorize.searchParams.set('sandbox_scopes', 'r_ads,openid,profile,email');
    });
    expect(callback.status).toBeGreaterThanOrEqual(300);
    const connection = await suite.app.api.call('getConnection', { params: { id } });
    expect(connection.status).not.toBe('active');
    expect(connection.statusDetails).toMatchObject({ code: 'permission_denied', category: 'permission' });
    expect(connection.statusDetails?.message).toContain('r_ads_reporting');
    expect(connection.statusDetails?.message).not.toContain('r_ads and');
  });

  it('connects alex@example.com and discovers four accounts in UTC, the canceled one included', async () => {
    const { connection, accounts } = await suite.expectConnected('alex@example.com', 4);
    connectionId = connection.id;
    expect(accounts.map((account) => account.currency).sort()).toEqual(['EUR', 'GBP', 'USD', 'USD']);
    expect(new Set(accounts.map((account) => account.timezone))).toEqual(new Set(['UTC']));
    expect(accounts.map((account) => account.status)).toContain('canceled');
  });

  it('discovers 1,200 accounts of the agency over cursor pages, and none for nora', async () => {
    await suite.expectDiscovered('agency@example.com', 'ready', 1200);
    await suite.expectDiscovered('nora@example.com', 'none', 0);
  });

  it('extracts a week of campaign daily with totals equal to the truth, through a server error', async () => {
    const extraction = await suite.app.api.call('createExtraction', {
      body: { connectionId, templateId: 'linkedin-ads.campaign_daily', accounts: 'all', metrics: METRICS },
    });
    expect(extraction.table).toBe('linkedin_ads_campaign_daily');
    const { from, to } = await suite.runLastWeekThrough(extraction.id, ['server_error']);

    let delivered = 0;
    const compared = await suite.compareWithTruth(
      { extraction, from, to, metrics: METRICS },
      (ours, day, accountId) => {
        expect([
          accountId,
          day.date,
          ours.impressions ?? 0,
          ours.clicks ?? 0,
          ours.external_website_conversions ?? 0,
        ]).toEqual([accountId, day.date, day.impressions, day.clicks, day.conversions]);
        expect(Math.abs((ours.cost_in_local_currency ?? 0) - day.spend)).toBeLessThan(0.005);
        if (day.impressions > 0) delivered += 1;
      },
    );
    expect(compared).toBeGreaterThanOrEqual(7);
    expect(delivered).toBeGreaterThan(0);

    const columns = ['date', 'account_id', 'campaign_id', 'campaign_name', 'cost_in_local_currency'];
    await suite.expectColumns(extraction.id, columns);
  });
});
