/**
 * Shape honesty: for each recorded (or our own equivalent) Google Ads payload in `fixtures/`, the sandbox's
 * matching response has the same keys and JSON types, recursively (values may differ). Where a payload is a
 * test mock that leaves out keys the real API sends (`resourceName`, `fieldMask`, `requestId`, `scope`,
 * error `details`), that part is set aside explicitly, never silently.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET } from './constants.ts';
import { findUserByEmail, reachableCustomers } from './seed.ts';
import {
  API,
  adsHeaders,
  getUrl,
  inject,
  localDate,
  loginTokens,
  postForm,
  search,
  startSandbox,
  stream,
  type TestSandbox,
} from './test-harness.ts';

/** A JSON value's structure: objects → key→shape (sorted), arrays → shape of the first element, scalars → type. */
type Shape = string | Shape[] | { [key: string]: Shape };

function shapeOf(value: unknown): Shape {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? [] : [shapeOf(value[0])];
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
    return Object.fromEntries(entries.map(([key, item]) => [key, shapeOf(item)]));
  }
  return typeof value;
}

// biome-ignore lint/suspicious/noExplicitAny: fixtures are arbitrary JSON.
function fixture(path: string): any {
  return JSON.parse(readFileSync(new URL(`./fixtures/${path}`, import.meta.url), 'utf8'));
}

/** A deep copy without the named keys at any depth. */
function without(value: unknown, keys: string[]): unknown {
  if (Array.isArray(value)) return value.map((item) => without(item, keys));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([key]) => !keys.includes(key))
      .map(([key, item]) => [key, without(item, keys)]),
  );
}

describe('shapeOf', () => {
  it('tells different structures apart and ignores values', () => {
    expect(shapeOf({ b: 1, a: ['x'], c: null })).toEqual({ a: ['string'], b: 'number', c: 'null' });
    expect(shapeOf({ a: 1 })).not.toEqual(shapeOf({ a: '1' }));
    expect(shapeOf({ a: 1 })).not.toEqual(shapeOf({ a: 1, b: 1 }));
  });
});

let sandbox: TestSandbox;
let tokens: { access_token: string; refresh_token: string };
const alex = findUserByEmail('alex@example.com')!;
const mcc = alex.accessible[0]!;
const client = reachableCustomers(alex).find((customer) => customer.name === 'Morgan Brand Search')!;
let headers: Record<string, string>;
beforeAll(async () => {
  sandbox = await startSandbox();
  tokens = await loginTokens(sandbox, alex.email);
  headers = adsHeaders(tokens.access_token, mcc.id);
});
afterAll(async () => {
  await sandbox.close();
});

const range = (days: number) =>
  `segments.date BETWEEN '${localDate(sandbox, client.timeZone, -days)}' AND '${localDate(sandbox, client.timeZone, -1)}'`;
/** The Opteo row's fields, asked of the sandbox; rows with every metric non-zero, as the recorded one. */
const opteoQuery = (days: number) =>
  `SELECT campaign.name, campaign.id, ad_group.id, ad_group.name, ad_group.status, metrics.clicks, metrics.cost_micros, metrics.all_conversions_value, metrics.all_conversions, metrics.impressions, segments.date FROM search_term_view WHERE ${range(days)} AND metrics.all_conversions > 0`;

describe('Ads API responses match the recorded payloads', () => {
  it('searchStream daily customer report = the captured v17 body (PatrykDachwitz)', async () => {
    const response = await stream(
      sandbox,
      client.id,
      `SELECT metrics.clicks, metrics.cost_micros, segments.date FROM customer WHERE ${range(7)}`,
      headers,
    );
    const recorded = fixture('search_stream_response_real_customer_daily.json');
    expect(shapeOf(response.json)).toEqual(shapeOf(recorded));
    expect(response.json[0].fieldMask).toBe(recorded[0].fieldMask);
  });

  it('searchStream search-term rows = the Opteo REST row in the documented envelope', async () => {
    const response = await stream(sandbox, client.id, opteoQuery(7), headers);
    expect(shapeOf(response.json)).toEqual(shapeOf(fixture('search_stream_response.json')));
    expect(shapeOf(response.json[0].results[0])).toEqual(
      shapeOf(fixture('rest_row_search_term_view_opteo.json')),
    );
  });

  it('a googleAds:search page = SearchGoogleAdsResponse with nextPageToken and totalResultsCount', async () => {
    const response = await search(
      sandbox,
      client.id,
      { query: opteoQuery(200), searchSettings: { returnTotalResultsCount: true } },
      headers,
    );
    expect(typeof response.json.nextPageToken).toBe('string');
    expect(shapeOf(response.json)).toEqual(shapeOf(fixture('search_response_page.json')));
  });

  it('customer_client rows = the hierarchy mock, less the keys the mock leaves out', async () => {
    const { query } = fixture('customer_client_hierarchy_query.gaql.json');
    const selected = query.replace('customer_client.descriptive_name, customer_client.currency_code, ', '');
    const withStatus = selected.replace(' FROM', ', customer_client.status FROM');
    const response = await stream(sandbox, mcc.id, withStatus, headers);
    // The mock has no resourceName (the real API sends the FROM resource's) and no batch metadata.
    const trimmed = without(response.json, [
      'resourceName',
      'fieldMask',
      'requestId',
      'queryResourceConsumption',
    ]);
    expect(shapeOf(trimmed)).toEqual(shapeOf(fixture('search_stream_customer_client_equivalent.json')));
  });

  it('listAccessibleCustomers = ListAccessibleCustomersResponse', async () => {
    const response = await getUrl(
      sandbox,
      `${API}/customers:listAccessibleCustomers`,
      adsHeaders(tokens.access_token),
    );
    expect(shapeOf(response.json)).toEqual(shapeOf(fixture('list_accessible_customers_equivalent.json')));
  });
});

describe('errors match the recorded payloads', () => {
  it('401 authentication error = the real NOT_ADS_USER body', async () => {
    await inject(sandbox, 'token_expired');
    const response = await search(sandbox, client.id, { query: 'SELECT customer.id FROM customer' }, headers);
    const recorded = fixture('errors/error_401_not_ads_user.json');
    expect(response.status).toBe(recorded.http_status);
    expect(shapeOf(response.json)).toEqual(shapeOf(recorded.body));
  });

  it('429 quota error = the real RESOURCE_EXHAUSTED body with quotaErrorDetails', async () => {
    await inject(sandbox, 'rate_limited');
    const response = await search(sandbox, client.id, { query: 'SELECT customer.id FROM customer' }, headers);
    const recorded = fixture('errors/error_429_quota_resource_exhausted.json');
    expect(response.status).toBe(recorded.http_status);
    expect(shapeOf(response.json)).toEqual(shapeOf(recorded.body));
  });

  it('searchStream errors are array-wrapped like the mock (which omits details)', async () => {
    await inject(sandbox, 'permission_denied');
    const response = await stream(sandbox, client.id, 'SELECT customer.id FROM customer', headers);
    const recorded = fixture('errors/error_search_stream_array_wrapped_equivalent.json');
    expect(response.status).toBe(recorded.http_status);
    expect(shapeOf(without(response.json, ['details']))).toEqual(shapeOf(recorded.body));
  });
});

describe('OAuth responses match the recorded payloads', () => {
  const refresh = (refreshToken: string) =>
    postForm(sandbox, '/token', {
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: SANDBOX_CLIENT_ID,
      client_secret: SANDBOX_CLIENT_SECRET,
    });

  it('a refresh answer = the token response, plus the scope and id_token Google adds', async () => {
    const response = await refresh(tokens.refresh_token);
    expect(Object.keys(response.json)).toContain('scope');
    expect(shapeOf(without(response.json, ['scope', 'id_token']))).toEqual(
      shapeOf(fixture('oauth_refresh_token_response_equivalent.json')),
    );
  });

  it('an unknown refresh token = the real invalid_grant body', async () => {
    const response = await refresh('1//0-not-a-token');
    const recorded = fixture('errors/oauth_invalid_grant.json');
    expect(response.status).toBe(recorded.http_status);
    expect(shapeOf(response.json)).toEqual(shapeOf(recorded.body));
    expect(response.json.error_description).toBe(recorded._also_observed_error_description);
  });
});
