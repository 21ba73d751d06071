import { describe, expect, it } from 'vitest';
import {
  build,
  collect,
  DEVELOPER_TOKEN,
  errorFixture,
  google,
  okFixture,
  REAL_ENV,
  type RecordedRequest,
  routeKey,
  TOKEN,
} from './replay-fetch.ts';

const LIST = 'GET googleads.googleapis.com/v25/customers:listAccessibleCustomers';
const searchOf = (id: string) => `POST googleads.googleapis.com/v25/customers/${id}/googleAds:search`;

function searches(requests: RecordedRequest[]) {
  return requests
    .filter((request) => routeKey(request).endsWith('googleAds:search'))
    .map((request) => ({
      customer: /customers\/(\d+)\//.exec(request.url.pathname)![1],
      login: request.headers.get('login-customer-id'),
      pageToken: (JSON.parse(request.body!) as { pageToken?: string }).pageToken ?? null,
    }));
}

describe('discovery', () => {
  it('walks accessible customers and manager hierarchies: every account once, managers flagged, paths filled', async () => {
    const { connector, requests } = build(google());
    const pages = await collect(connector.discoverAccounts(TOKEN));
    expect(pages).toEqual([
      [
        {
          id: '5550002222',
          name: 'Fixture Brand',
          currency: 'USD',
          timezone: 'America/New_York',
          status: 'active',
          managerPath: ['Fixture Group MCC'],
        },
        {
          id: '5550001111',
          name: 'Fixture Group MCC',
          currency: 'USD',
          timezone: 'America/New_York',
          status: 'active',
          manager: true,
        },
        {
          id: '5550003333',
          name: 'Fixture Retail',
          currency: 'USD',
          timezone: 'America/Los_Angeles',
          status: 'active',
          manager: true,
          managerPath: ['Fixture Group MCC'],
        },
      ],
      [
        {
          id: '5550005555',
          name: 'Fixture Outlet',
          currency: 'USD',
          timezone: 'America/Los_Angeles',
          status: 'canceled',
          managerPath: ['Fixture Group MCC'],
        },
      ],
      // Directly accessible too, but reported once: under its managers, with the path.
      [
        {
          id: '5550004444',
          name: 'Fixture DE',
          currency: 'EUR',
          timezone: 'Europe/Berlin',
          status: 'active',
          managerPath: ['Fixture Group MCC', 'Fixture Retail'],
        },
      ],
    ]);
    expect(searches(requests)).toEqual([
      { customer: '5550004444', login: null, pageToken: null },
      { customer: '5550001111', login: null, pageToken: null },
      { customer: '5550001111', login: null, pageToken: 'CPnJ5dfixture-page-2' },
      // A sub-manager is reached through the accessible manager above it.
      { customer: '5550003333', login: '5550001111', pageToken: null },
    ]);
  });

  it('sends the developer token and bearer token on every Ads call, and the hierarchy query', async () => {
    const { connector, requests } = build(google());
    await collect(connector.discoverAccounts(TOKEN));
    const ads = requests.filter((request) => request.url.host === 'googleads.googleapis.com');
    expect(ads.length).toBe(5);
    for (const request of ads) {
      expect(request.headers.get('developer-token')).toBe(DEVELOPER_TOKEN);
      expect(request.headers.get('authorization')).toBe(`Bearer ${TOKEN.accessToken}`);
    }
    const query = (JSON.parse(ads[1]!.body!) as { query: string }).query;
    expect(query).toMatch(
      /^SELECT customer_client\.client_customer, customer_client\.level, .* FROM customer_client WHERE customer_client\.level <= 1$/,
    );
    expect(query).toContain('customer_client.status');
  });

  it('a user without accounts: {} from listAccessibleCustomers, and NOT_ADS_USER, both give no pages', async () => {
    const empty = build(google({ [LIST]: { body: {} } }));
    expect(await collect(empty.connector.discoverAccounts(TOKEN))).toEqual([]);
    const notAds = build(google({ [LIST]: errorFixture('error_401_not_ads_user.json') }));
    expect(await collect(notAds.connector.discoverAccounts(TOKEN))).toEqual([]);
  });

  it('a directly accessible client without managers is reported with no path', async () => {
    const route = google({ [LIST]: { body: { resourceNames: ['customers/5550004444'] } } });
    const pages = await collect(build(route).connector.discoverAccounts(TOKEN));
    expect(pages).toEqual([
      [
        {
          id: '5550004444',
          name: 'Fixture DE',
          currency: 'EUR',
          timezone: 'Europe/Berlin',
          status: 'active',
        },
      ],
    ]);
  });

  it('a directly accessible account that is not enabled stays listed with its id', async () => {
    const route = google({
      [LIST]: { body: { resourceNames: ['customers/5550009999'] } },
      [searchOf('5550009999')]: errorFixture('error_403_customer_not_enabled.json'),
    });
    const pages = await collect(build(route).connector.discoverAccounts(TOKEN));
    expect(pages).toEqual([
      [{ id: '5550009999', name: '5550009999', currency: null, timezone: null, status: 'not_enabled' }],
    ]);
  });

  it('GOOGLE_ADS_LOGIN_CUSTOMER_ID starts the walk at that manager and goes through it', async () => {
    const { connector, requests } = build(google(), {
      ...REAL_ENV,
      GOOGLE_ADS_LOGIN_CUSTOMER_ID: '555-000-1111',
    });
    const accounts = (await collect(connector.discoverAccounts(TOKEN))).flat();
    expect(accounts.map((found) => found.id)).toEqual([
      '5550002222',
      '5550001111',
      '5550003333',
      '5550005555',
      '5550004444',
    ]);
    expect(requests.some((request) => routeKey(request) === LIST)).toBe(false);
    for (const request of requests) expect(request.headers.get('login-customer-id')).toBe('5550001111');
  });

  it('errors surface with their category: expired token, permission, malformed page, looping page token', async () => {
    const expired = build(google({ [LIST]: errorFixture('error_401_oauth_token_expired.json') }));
    await expect(collect(expired.connector.discoverAccounts(TOKEN))).rejects.toMatchObject({
      code: 'auth_token_expired',
    });
    const denied = build(
      google({ [searchOf('5550001111')]: errorFixture('error_403_user_permission_denied.json') }),
    );
    await expect(collect(denied.connector.discoverAccounts(TOKEN))).rejects.toMatchObject({
      code: 'permission_denied',
    });
    const broken = build(google({ [LIST]: { body: { resourceNames: ['5550001111'] } } }));
    await expect(collect(broken.connector.discoverAccounts(TOKEN))).rejects.toMatchObject({
      code: 'provider_malformed_response',
    });
    const page = okFixture('customer_client_search_page1.json');
    (page.body as { nextPageToken: string }).nextPageToken = 'same';
    const looping = build(google({ [searchOf('5550001111')]: page }));
    await expect(collect(looping.connector.discoverAccounts(TOKEN))).rejects.toMatchObject({
      code: 'provider_malformed_response',
    });
  });

  it('real mode without a developer token fails discovery as not configured, before any call', async () => {
    const { GOOGLE_ADS_DEVELOPER_TOKEN: _, ...env } = REAL_ENV;
    const { connector, requests } = build(google(), env);
    await expect(collect(connector.discoverAccounts(TOKEN))).rejects.toMatchObject({
      code: 'provider_not_configured',
    });
    expect(requests).toHaveLength(0);
  });
});
