/**
 * Shape honesty: for each recorded/constructed Meta payload in `../fixtures/`, the sandbox's matching
 * response must have the same keys and the same JSON types, recursively (values may differ). Error
 * fixtures also pin the HTTP status.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxFault } from '../../kit/types.ts';
import { entitiesOf } from './entities.ts';
import { findUserByEmail } from './seed.ts';
import {
  allRows,
  approve,
  control,
  type Fetched,
  get,
  graph,
  insights,
  login,
  REDIRECT_URI,
  type RunningSandbox,
  startSandbox,
  tokenRequest,
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

function fixture(path: string): unknown {
  // The connector's own fixtures (never /work/shared): they are the contract both sides test against.
  return JSON.parse(readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8'));
}

interface ErrorFixture {
  http_status: number;
  headers?: Record<string, string>;
  body: unknown;
}

describe('shapeOf', () => {
  it('tells different structures apart and ignores values', () => {
    expect(shapeOf({ b: 1, a: ['x'], c: null })).toEqual({ a: ['string'], b: 'number', c: 'null' });
    expect(shapeOf({ a: 1, b: 'x' })).toEqual(shapeOf({ b: 'y', a: 2 }));
    expect(shapeOf({ a: 1 })).not.toEqual(shapeOf({ a: '1' }));
    expect(shapeOf({ a: 1 })).not.toEqual(shapeOf({ a: 1, b: 1 }));
    expect(shapeOf([{ a: [{ b: true }] }])).not.toEqual(shapeOf([{ a: [{ b: 'true' }] }]));
  });
});

let sandbox: RunningSandbox;
let token: string;
beforeAll(async () => {
  sandbox = await startSandbox();
  token = (await login(sandbox, 'agency@example.com', ['ads_read', 'business_management', 'email']))
    .longToken;
});
afterAll(async () => {
  await sandbox.close();
});

async function withFault(fault: SandboxFault, call: () => Promise<Fetched>): Promise<Fetched> {
  const injected = await fetch(`${sandbox.origin}/sandbox/_control/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ provider: 'meta-ads', fault, count: 1 }),
  });
  expect(injected.status).toBe(201);
  return call();
}

const ACCOUNT_FIELDS = 'id,account_id,name,account_status,currency,timezone_name';
/** The agency account (of the first 50) with the busiest Sales campaign, so many rows carry purchases. */
const INSIGHTS_ACCOUNT = findUserByEmail('agency@example.com')!
  .accounts.slice(0, 50)
  .map((account) => {
    const ads = entitiesOf(account.accountId)!.ads.filter((ad) => ad.campaign === 0);
    return { id: account.accountId, volume: ads.reduce((sum, ad) => sum + ad.dailyImpressions, 0) };
  })
  .sort((a, b) => b.volume - a.volume)[0]!.id;

describe('success payloads have the shapes of the fixtures', () => {
  const cases: [string, () => Promise<Fetched>][] = [
    [
      'oauth_code_exchange_response.json',
      async () => {
        const location = await approve(sandbox, 'alex@example.com');
        return tokenRequest(sandbox, {
          redirect_uri: REDIRECT_URI,
          code: location.searchParams.get('code')!,
        });
      },
    ],
    [
      'oauth_long_lived_token_response.json',
      async () => {
        const location = await approve(sandbox, 'alex@example.com');
        const short = await tokenRequest(sandbox, {
          redirect_uri: REDIRECT_URI,
          code: location.searchParams.get('code')!,
        });
        return tokenRequest(sandbox, {
          grant_type: 'fb_exchange_token',
          fb_exchange_token: short.json.access_token,
        });
      },
    ],
    ['me_response.json', () => graph(sandbox, '/me?fields=id,name,email', token)],
    ['me_permissions_response.json', () => graph(sandbox, '/me/permissions', token)],
    ['adaccounts_page.json', () => graph(sandbox, `/me/adaccounts?fields=${ACCOUNT_FIELDS}&limit=3`, token)],
    [
      'adaccounts_last_page.json',
      async () => {
        let page = await graph(sandbox, `/me/adaccounts?fields=${ACCOUNT_FIELDS}&limit=500`, token);
        while (page.json.paging?.next) {
          page = await get(page.json.paging.next, { headers: { authorization: `Bearer ${token}` } });
        }
        return page;
      },
    ],
  ];

  it.each(cases)('%s', async (name, call) => {
    const expected = fixture(name);
    const response = await call();
    expect(response.status).toBe(200);
    expect(shapeOf(response.json)).toEqual(shapeOf(expected));
  });
});

describe('error payloads have the shapes and statuses of the fixtures', () => {
  const cases: [string, string, () => Promise<Fetched>][] = [
    [
      'errors/error_190_463_token_expired.json',
      'token_expired fault',
      () => withFault('token_expired', () => graph(sandbox, '/me', token)),
    ],
    [
      'errors/error_190_463_token_expired.json',
      'a token past expires_in',
      async () => {
        const late = await startSandbox();
        try {
          const { shortToken } = await login(late, 'alex@example.com');
          late.state.advance(2 * 3600 * 1000);
          return await graph(late, '/me', shortToken);
        } finally {
          await late.close();
        }
      },
    ],
    [
      'errors/error_190_460_password_changed.json',
      'revoked fault',
      () => withFault('revoked', () => graph(sandbox, '/me', token)),
    ],
    [
      'errors/error_200_requires_business_management.json',
      'permission_denied fault',
      () => withFault('permission_denied', () => graph(sandbox, '/me/adaccounts', token)),
    ],
    [
      'errors/error_1_99_unknown_500.json',
      'server_error fault',
      () => withFault('server_error', () => graph(sandbox, '/me/adaccounts', token)),
    ],
    [
      'errors/error_80004_ads_management_rate_limit.json',
      'rate_limited fault',
      () => withFault('rate_limited', () => graph(sandbox, '/me/adaccounts', token)),
    ],
    [
      'errors/error_190_458_app_not_authorized.json',
      'a token after DELETE /me/permissions',
      async () => {
        const { longToken } = await login(sandbox, 'sam.lee@example.com');
        await graph(sandbox, '/me/permissions', longToken, { method: 'DELETE' });
        return graph(sandbox, '/me', longToken);
      },
    ],
    [
      'errors/error_100_missing_permissions.json',
      'ad accounts without an ads permission',
      async () =>
        graph(sandbox, '/me/adaccounts', (await login(sandbox, 'alex@example.com', ['email'])).longToken),
    ],
  ];

  cases.push([
    'errors/error_80000_ads_insights_rate_limit.json',
    'an insights budget spent',
    async () => {
      await control(sandbox, 'meta-ads/_control/limits', { callsPerWindow: 1, windowMs: 60_000 });
      try {
        await insights(sandbox, INSIGHTS_ACCOUNT, {}, token);
        return await insights(sandbox, INSIGHTS_ACCOUNT, {}, token);
      } finally {
        await control(sandbox, 'meta-ads/_control/limits', { callsPerWindow: 600, windowMs: 60_000 });
      }
    },
  ]);

  it.each(cases)('%s (%s)', async (name, _what, call) => {
    const expected = fixture(name) as ErrorFixture;
    const response = await call();
    expect(response.status).toBe(expected.http_status);
    expect(shapeOf(response.json)).toEqual(shapeOf(expected.body));
    for (const [header, value] of Object.entries(expected.headers ?? {})) {
      const actual = response.headers.get(header);
      expect(actual, header).not.toBeNull();
      // Usage headers are keyed by object ids, which differ: compare the shape of one entry.
      const first = (json: string) => Object.values(JSON.parse(json) as Record<string, unknown>)[0];
      expect(shapeOf(first(actual!))).toEqual(shapeOf(first(value)));
    }
  });
});

describe('insights have the shape of insights_page.json', () => {
  interface InsightsFixture {
    data: Record<string, unknown>[];
    paging: unknown;
  }
  const expected = fixture('insights_page.json') as InsightsFixture;
  // The fixture's rows: ad level, age × gender, daily, three attribution windows.
  const params = {
    fields: Object.keys(expected.data[0]!).filter(
      (key) => !['date_start', 'date_stop', 'age', 'gender'].includes(key),
    ),
    level: 'ad',
    breakdowns: ['age', 'gender'],
    time_increment: 1,
    date_preset: 'last_7d',
    action_attribution_windows: ['1d_click', '7d_click', '1d_view'],
  };

  it('has rows shaped like the fixture rows with and without purchases', async () => {
    const rows = await allRows(sandbox, INSIGHTS_ACCOUNT, { ...params, limit: 500 }, token);
    const shapes = rows.map(shapeOf);
    expect(shapes).toContainEqual(shapeOf(expected.data[0]));
    expect(shapes).toContainEqual(shapeOf(expected.data[1]));
  });

  it('pages like the fixture', async () => {
    const response = await insights(sandbox, INSIGHTS_ACCOUNT, { ...params, limit: 2 }, token);
    expect(shapeOf(response.json.paging)).toEqual(shapeOf(expected.paging));
  });
});
