/**
 * Shape honesty: for each recorded or documented LinkedIn payload in `fixtures/`, the sandbox's matching
 * response has the same keys and JSON types, recursively (values may differ). Where the sandbox differs on
 * purpose (a decoration it does not serve, the OpenID `id_token` beside the documented token fields), the
 * difference is set aside explicitly, never silently.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY_FIELDS, METRICS } from './analytics-params.ts';
import { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET } from './constants.ts';
import { findUserByEmail } from './seed.ts';
import {
  analyticsQuery,
  BASE,
  getUrl,
  loginTokens,
  postForm,
  rest,
  startSandbox,
  type TestSandbox,
  utcDate,
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

describe('shapeOf', () => {
  it('tells different structures apart and ignores values', () => {
    expect(shapeOf({ b: 1, a: ['x'], c: null })).toEqual({ a: ['string'], b: 'number', c: 'null' });
    expect(shapeOf({ a: 1 })).not.toEqual(shapeOf({ a: '1' }));
    expect(shapeOf({ a: 1 })).not.toEqual(shapeOf({ a: 1, b: 1 }));
  });
});

let sandbox: TestSandbox;
let token: string;
const account = findUserByEmail('alex@example.com')!.accounts[0]!;
beforeAll(async () => {
  sandbox = await startSandbox();
  token = (await loginTokens(sandbox, 'alex@example.com')).access_token;
});
afterAll(async () => {
  await sandbox.close();
});

describe('payloads have the shapes of the recorded ones', () => {
  it('adAnalytics CAMPAIGN / DAILY (airbyte recording)', async () => {
    const recorded = fixture('ad_analytics_campaign_daily_response.json');
    const fields = Object.keys(recorded.elements[0]);
    const response = await rest(
      sandbox,
      '/adAnalytics',
      analyticsQuery({
        pivot: 'CAMPAIGN',
        from: utcDate(sandbox, -3),
        to: utcDate(sandbox, -2),
        accounts: [account.id],
        fields,
      }),
      token,
    );
    expect(response.json.elements.length).toBeGreaterThan(0);
    expect(shapeOf(response.json)).toEqual(shapeOf(recorded));
  });

  it('adAccounts search with fields=id,name,test,reference and offset paging (documentation example)', async () => {
    const documented = fixture('ad_accounts_search_response_postman_reference.json');
    const response = await rest(
      sandbox,
      '/adAccounts',
      'q=search&search=(status:(values:List(ACTIVE)),test:false)&fields=id,name,test,reference&count=10&start=0',
      token,
    );
    expect(shapeOf(response.json)).toEqual(shapeOf(documented));
  });

  it('adAccounts search with fields=id,name,test,referenceInfo: the referenceInfo decoration is not served', async () => {
    const documented = fixture('ad_accounts_search_response_postman.json');
    for (const element of documented.elements) delete element.referenceInfo;
    const response = await rest(
      sandbox,
      '/adAccounts',
      'q=search&fields=id,name,test,referenceInfo&count=10&start=0',
      token,
    );
    expect(response.json.elements[0].referenceInfo).toBeUndefined();
    expect(shapeOf(response.json)).toEqual(shapeOf(documented));
  });

  it('the token response (documented fields); with openid it adds the id_token', async () => {
    const documented = fixture('oauth_token_response_fields.json');
    const plain = await loginTokens(sandbox, 'alex@example.com', {});
    const { id_token: idToken, ...rest } = plain as typeof plain & { id_token?: unknown };
    expect(typeof idToken).toBe('string');
    expect(shapeOf(rest)).toEqual(shapeOf(documented));
    const adsOnly = await loginTokens(sandbox, 'alex@example.com', { scope: 'r_ads r_ads_reporting' });
    expect(shapeOf(adsOnly)).toEqual(shapeOf(documented));
  });

  it('token introspection (documentation sample)', async () => {
    const response = await postForm(sandbox, 'introspectToken', {
      client_id: SANDBOX_CLIENT_ID,
      client_secret: SANDBOX_CLIENT_SECRET,
      token,
    });
    expect(shapeOf(response.json)).toEqual(shapeOf(fixture('token_introspection_response_doc.json')));
  });

  it('401 for a token LinkedIn does not know (real /v2 body)', async () => {
    const recorded = fixture('errors/error_401_invalid_access_token.json');
    const response = await getUrl(sandbox, `${BASE}/v2/userinfo`, { authorization: 'Bearer not-a-token' });
    expect(response.status).toBe(recorded.http_status);
    expect(response.json).toEqual(recorded.body);
  });
});

describe('metric wire types follow the catalog', () => {
  const catalog = new Map<string, string>(
    fixture('ad_analytics_metrics_catalog.json').metrics.map(
      (metric: { field: string; wire_type: string }) => [metric.field, metric.wire_type],
    ),
  );

  it.each([...METRICS.entries()])('%s', async (name, spec) => {
    expect(catalog.get(name)).toBe(spec.kind === 'decimal' ? 'string (decimal)' : 'integer (long)');
    const response = await rest(
      sandbox,
      '/adAnalytics',
      analyticsQuery({
        pivot: 'ACCOUNT',
        from: utcDate(sandbox, -2),
        to: utcDate(sandbox, -2),
        accounts: [account.id],
        fields: [...KEY_FIELDS, name],
      }),
      token,
    );
    expect(typeof response.json.elements[0][name]).toBe(spec.kind === 'decimal' ? 'string' : 'number');
  });
});
