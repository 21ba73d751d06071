import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../domain/errors.ts';
import * as kit from '../kit/connectorTestKit.ts';
import { tiktokAdsConnector } from './index.ts';
import {
  APP_ID,
  APP_SECRET,
  build,
  CODE,
  collect,
  errorFixture,
  okFixture,
  REDIRECT,
  SANDBOX_URL,
  TOKEN,
  tiktok,
} from './replay-fetch.ts';

describe('modes', () => {
  it('declares its id, auth type and env vars', () => {
    expect(tiktokAdsConnector).toMatchObject({ id: 'tiktok-ads', name: 'TikTok Ads', authType: 'oauth2' });
    expect(tiktokAdsConnector.envVars).toEqual([
      'TIKTOK_APP_ID',
      'TIKTOK_APP_SECRET',
      'TIKTOK_API_BASE_URL',
      'TIKTOK_AUTH_BASE_URL',
    ]);
  });

  it('is real with app credentials, sandbox without them, unconfigured with neither', () => {
    kit.expectAppCredentialModes(build, tiktok, SANDBOX_URL, { TIKTOK_APP_ID: APP_ID });
  });

  it('refuses calls when unconfigured', async () => {
    const { connector } = build(tiktok(), {});
    await expect(connector.identify(TOKEN)).rejects.toMatchObject({ code: 'provider_not_configured' });
  });

  it('ships its docs', () => {
    const { connector } = build(tiktok());
    expect(connector.docs.setupGuide).toContain('# TikTok Ads — setup guide');
    expect(connector.docs.troubleshooting).toContain('40100');
  });
});

describe('OAuth', () => {
  it('builds the /portal/auth URL without PKCE', () => {
    const { connector } = build(tiktok());
    expect(connector.oauth?.pkce).toBe(false);
    const url = new URL(connector.oauth!.authorizationUrl({ state: 's-1', redirectUri: REDIRECT }));
    expect(`${url.origin}${url.pathname}`).toBe('https://business-api.tiktok.com/portal/auth');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      app_id: APP_ID,
      state: 's-1',
      redirect_uri: REDIRECT,
    });
  });

  it('uses the sandbox app and URL in sandbox mode', () => {
    const { connector } = build(tiktok(), {}, () => SANDBOX_URL);
    const url = new URL(connector.oauth!.authorizationUrl({ state: 's', redirectUri: REDIRECT }));
    expect(url.toString()).toContain(`${SANDBOX_URL}/portal/auth?`);
    expect(url.searchParams.get('app_id')).toBe('tributary-sandbox-app');
  });

  it('exchanges the code as auth_code in a JSON body; long-term token without expiry or refresh', async () => {
    const { connector, requests } = build(tiktok());
    const token = await connector.oauth!.exchangeCode({ code: CODE, redirectUri: REDIRECT });
    expect(token).toEqual({ accessToken: 'fixture-long-term-access-token-0001', scopes: ['4', '5', '6'] });
    // The exchange, then one check that the authorized advertisers can be read.
    expect(requests).toHaveLength(2);
    const [call, check] = requests;
    expect(check!.url.pathname).toBe('/open_api/v1.3/advertiser/info/');
    expect(JSON.parse(check!.url.searchParams.get('advertiser_ids')!)).toEqual([
      '7000000000000000001',
      '7000000000000000002',
    ]);
    expect(call!.method).toBe('POST');
    expect(call!.url.toString()).toBe('https://business-api.tiktok.com/open_api/v1.3/oauth2/access_token/');
    expect(call!.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(call!.body!)).toEqual({ app_id: APP_ID, secret: APP_SECRET, auth_code: CODE });
  });

  it('sandbox exchange sends the sandbox app credentials to the sandbox', async () => {
    const { connector, requests } = build(tiktok(), {}, () => SANDBOX_URL);
    await connector.oauth!.exchangeCode({ code: CODE, redirectUri: REDIRECT });
    expect(requests[0]!.url.toString()).toBe(`${SANDBOX_URL}/open_api/v1.3/oauth2/access_token/`);
    expect(JSON.parse(requests[0]!.body!)).toMatchObject({
      app_id: 'tributary-sandbox-app',
      secret: 'tributary-sandbox-secret',
    });
  });

  it('refuses an authorization listing an advertiser the user cannot read, with what to do', async () => {
    const { connector } = build(
      tiktok({
        'GET advertiser/info/': {
          body: {
            code: 40001,
            message: 'No permission to operate advertiser 7000000000000000002.',
            request_id: 'r',
            data: {},
          },
        },
      }),
    );
    const error = (await connector
      .oauth!.exchangeCode({ code: CODE, redirectUri: REDIRECT })
      .catch((e: unknown) => e)) as Error & { code: string; category: string };
    expect([error.code, error.category]).toEqual(['permission_denied', 'permission']);
    expect(error.message).toContain('7000000000000000002');
    expect(error.message).toContain('Business Center');
    expect(error.message).not.toContain('fixture-long-term-access-token-0001');
  });

  it('surfaces a refused exchange without the code or secret', async () => {
    const { connector } = build(
      tiktok({
        'POST oauth2/access_token/': {
          body: { code: 40110, message: 'Invalid authorization code.', request_id: 'r', data: {} },
        },
      }),
    );
    const error = (await connector
      .oauth!.exchangeCode({ code: CODE, redirectUri: REDIRECT })
      .catch((e: unknown) => e)) as Error & { code: string };
    expect(error).toMatchObject({ name: 'TributaryError', code: 'provider_error' });
    expect(error.message).toContain('Invalid authorization code. (code 40110)');
    expect(error.message).not.toContain(CODE);
    expect(error.message).not.toContain(APP_SECRET);
  });
});

describe('identify', () => {
  it('reads user/info/ with the token in the Access-Token header only', async () => {
    const built = build(tiktok());
    await kit.expectIdentity(built, TOKEN, {
      identity: { businessAccount: 'dana.fixture@example.com', businessAccountId: '7100000000000000042' },
      url: 'https://business-api.tiktok.com/open_api/v1.3/user/info/',
      headers: { 'access-token': TOKEN.accessToken, authorization: null },
    });
    expect(built.requests).toHaveLength(1);
  });

  it('falls back to the display name when the email is hidden', async () => {
    const body = { code: 0, message: 'OK', data: { core_user_id: '9', display_name: 'No Email', email: '' } };
    const { connector } = build(tiktok({ 'GET user/info/': { body } }));
    expect(await connector.identify(TOKEN)).toEqual({ businessAccount: 'No Email', businessAccountId: '9' });
  });

  it.each([
    ['error_40102_token_expired.json', 'auth_token_expired', 1],
    ['error_40105_invalid_token.json', 'auth_token_revoked', 1],
    ['error_40104_access_token_null.json', 'auth_token_revoked', 1],
    ['error_40001_no_permission.json', 'permission_denied', 1],
    ['error_40100_rate_limited.json', 'rate_limited', 1],
    ['error_50000_system_error.json', 'provider_unavailable', 3],
    ['error_60001_maintenance.json', 'provider_unavailable', 3],
    ['error_40002_parameter_error_doc.json', 'provider_error', 1],
  ] as [string, ErrorCode, number][])('%s -> %s after %i call(s)', async (fixture, code, calls) => {
    const built = build(tiktok({ 'GET user/info/': errorFixture(fixture) }));
    await kit.expectRefusedAfter(built, kit.identifying(TOKEN), code, calls);
  });

  it('retries a system error and then succeeds', async () => {
    const answers = [errorFixture('error_50000_system_error.json'), okFixture('user_info_response.json')];
    const built = build(tiktok({ 'GET user/info/': answers }));
    await kit.expectIdentifiedAfter(built, TOKEN, '7100000000000000042', 2);
  });

  it('waits out a throttle within maxQuotaWaitMs, then succeeds', async () => {
    const answers = [errorFixture('error_40100_rate_limited.json'), okFixture('user_info_response.json')];
    const built = build(tiktok({ 'GET user/info/': answers }), undefined, undefined, {
      maxQuotaWaitMs: 1500,
    });
    await kit.expectIdentifiedAfter(built, TOKEN, '7100000000000000042', 2);
  });

  it('rejects a 200 that is not JSON, without retrying', async () => {
    const built = build(tiktok({ 'GET user/info/': { body: '<html>hi</html>', raw: true } }));
    await kit.expectRefusedAfter(built, kit.identifying(TOKEN), 'provider_malformed_response', 1);
  });
});

describe('discoverAccounts', () => {
  it('lists authorized advertisers, then reads their details with the agreed fields', async () => {
    const { connector, requests } = build(tiktok());
    const pages = await collect(connector.discoverAccounts(TOKEN));
    expect(pages).toEqual([
      [
        {
          id: '7000000000000000001',
          name: 'Northwind EU',
          currency: 'EUR',
          timezone: 'Europe/Berlin',
          status: 'active',
        },
        {
          id: '7000000000000000002',
          name: 'Northwind US',
          currency: 'USD',
          timezone: 'America/New_York',
          status: 'limited',
        },
        {
          id: '7000000000000000003',
          name: 'Northwind Old',
          currency: 'USD',
          timezone: 'America/New_York',
          status: 'disabled',
        },
      ],
    ]);
    const [list, info] = requests;
    expect(list!.url.pathname).toBe('/open_api/v1.3/oauth2/advertiser/get/');
    expect(Object.fromEntries(list!.url.searchParams)).toEqual({ app_id: APP_ID, secret: APP_SECRET });
    expect(list!.headers.get('access-token')).toBe(TOKEN.accessToken);
    expect(info!.url.pathname).toBe('/open_api/v1.3/advertiser/info/');
    expect(JSON.parse(info!.url.searchParams.get('advertiser_ids')!)).toEqual([
      '7000000000000000001',
      '7000000000000000002',
      '7000000000000000003',
    ]);
    expect(JSON.parse(info!.url.searchParams.get('fields')!)).toEqual([
      'advertiser_id',
      'name',
      'currency',
      'timezone',
      'status',
    ]);
  });

  it('reads the recorded airbyte advertiser/info answer (no currency, time zone or status)', async () => {
    const { connector } = build(
      tiktok({
        'GET oauth2/advertiser/get/': {
          body: {
            code: 0,
            message: 'OK',
            data: { list: [{ advertiser_id: '872746382648', advertiser_name: 'x' }] },
          },
        },
        'GET advertiser/info/': okFixture('advertiser_info_response_airbyte.json'),
      }),
    );
    expect(await collect(connector.discoverAccounts(TOKEN))).toEqual([
      [{ id: '872746382648', name: 'test name', currency: null, timezone: null, status: 'unknown' }],
    ]);
  });

  it('asks for details in batches of at most 100 ids (250 → 100, 100, 50)', async () => {
    const ids = Array.from({ length: 250 }, (_, i) => String(7_000_000_000_000 + i));
    const { connector, requests } = build(
      tiktok({
        'GET oauth2/advertiser/get/': {
          body: {
            code: 0,
            message: 'OK',
            data: { list: ids.map((id) => ({ advertiser_id: id, advertiser_name: `Adv ${id}` })) },
          },
        },
      }),
    );
    // The default advertiser/info/ fixture knows none of these ids: each falls back to the listed name.
    const pages = await collect(connector.discoverAccounts(TOKEN));
    expect(pages.map((page) => page.length)).toEqual([100, 100, 50]);
    expect(pages.flat().map((a) => a.id)).toEqual(ids);
    expect(pages[0]![0]).toEqual({
      id: ids[0],
      name: `Adv ${ids[0]}`,
      currency: null,
      timezone: null,
      status: 'unknown',
    });
    const batches = requests
      .filter((r) => r.url.pathname.endsWith('/advertiser/info/'))
      .map((r) => JSON.parse(r.url.searchParams.get('advertiser_ids')!) as string[]);
    expect(batches.map((batch) => batch.length)).toEqual([100, 100, 50]);
    expect(batches.flat()).toEqual(ids);
  });

  it('finds nothing for a user without advertisers, with one call', async () => {
    const { connector, requests } = build(
      tiktok({ 'GET oauth2/advertiser/get/': { body: { code: 0, message: 'OK', data: { list: [] } } } }),
    );
    expect(await collect(connector.discoverAccounts(TOKEN))).toEqual([]);
    expect(requests).toHaveLength(1);
  });

  it('fails on an advertiser list without ids', async () => {
    const { connector } = build(
      tiktok({ 'GET oauth2/advertiser/get/': { body: { code: 0, message: 'OK', data: { list: [{}] } } } }),
    );
    await expect(collect(connector.discoverAccounts(TOKEN))).rejects.toMatchObject({
      code: 'provider_malformed_response',
    });
  });

  it('surfaces a revoked token from discovery', async () => {
    const { connector } = build(
      tiktok({ 'GET oauth2/advertiser/get/': errorFixture('error_40105_invalid_token.json') }),
    );
    await expect(collect(connector.discoverAccounts(TOKEN))).rejects.toMatchObject({
      code: 'auth_token_revoked',
    });
  });
});

describe('revoke', () => {
  it('posts app credentials and the token as JSON', async () => {
    const { connector, requests } = build(tiktok());
    await connector.revoke!(TOKEN);
    expect(requests[0]!.url.pathname).toBe('/open_api/v1.3/oauth2/revoke_token/');
    expect(JSON.parse(requests[0]!.body!)).toEqual({
      app_id: APP_ID,
      secret: APP_SECRET,
      access_token: TOKEN.accessToken,
    });
  });

  it('treats an already invalid token as revoked', async () => {
    const { connector } = build(
      tiktok({ 'POST oauth2/revoke_token/': errorFixture('error_40105_invalid_token.json') }),
    );
    await expect(connector.revoke!(TOKEN)).resolves.toBeUndefined();
  });
});
