/**
 * The connector against the GA4 sandbox over loopback HTTP, for what the conformance suite does not cover: the
 * service-account path (key from the sandbox control API, verify, refresh, discovery, a read equal to the truth)
 * and the property-quota stop against the sandbox's own token accounting.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayIn } from '../../domain/dates.ts';
import {
  type ConformanceSandbox,
  discoverPages,
  drainRead,
  startLoopbackSandbox,
} from '../kit/conformance-sandbox.ts';
import type { Connector, TokenSet } from '../kit/types.ts';
import { createGa4Connector } from './connector.ts';
import { createGa4Extraction } from './extraction.ts';
import { ga4Sandbox } from './sandbox/index.ts';
import { findGa4Template } from './templates.ts';

const HTTP = { timeoutMs: 5_000, maxRetries: 2, retryBaseMs: 1, maxQuotaWaitMs: 0 };
const REPORTING = 'reporting@tributary-sandbox.iam.gserviceaccount.com';
const NO_ACCESS = 'no-access@tributary-sandbox.iam.gserviceaccount.com';

let sandbox: ConformanceSandbox;
let connector: Connector;
const environment = () => ({
  env: {},
  sandboxBaseUrl: () => sandbox.base,
  http: HTTP,
  fetch: (input: string | URL | Request, init?: RequestInit) => fetch(input, init),
});

async function keyOf(email: string): Promise<string> {
  const response = await fetch(
    `${sandbox.base}/_control/service-account-key?email=${encodeURIComponent(email)}`,
  );
  expect(response.status).toBe(200);
  return response.text();
}

beforeAll(async () => {
  sandbox = await startLoopbackSandbox(ga4Sandbox);
  connector = createGa4Connector(environment());
});
afterAll(async () => {
  await sandbox?.close();
});

describe('service account against the sandbox', () => {
  let token: TokenSet;

  it('verifies the reporting key, refreshes it, and discovers alex’s properties', async () => {
    const verified = await connector.credentialForm!.verify({ key: await keyOf(REPORTING) });
    expect(verified.identity.businessAccount).toBe(REPORTING);
    token = verified.token;
    expect(token.refreshToken).toBeUndefined();
    const fresh = await connector.refresh!(token);
    expect(fresh.accessToken).not.toBe(token.accessToken);
    expect((await connector.identify(fresh)).businessAccount).toBe(REPORTING);
    token = fresh;
    const accounts = (await discoverPages(connector, token)).flat();
    const alex = (await sandbox.users()).find((user) => user.email === 'alex@example.com')!;
    expect(accounts).toHaveLength(alex.accounts);
  });

  it('reads a week of traffic equal to the sandbox truth', async () => {
    const account = (await discoverPages(connector, token)).flat()[0]!;
    const today = todayIn(account.timezone, await sandbox.now());
    const [from, to] = [addDays(today, -8), addDays(today, -2)];
    const template = findGa4Template('ga4.traffic_daily')!;
    const request = {
      template,
      account,
      dimensions: [],
      metrics: ['sessions', 'screen_page_views'],
      settings: {},
      from,
      to,
    };
    const { rows, error } = await drainRead(connector, token, request);
    expect(error).toBeUndefined();
    const truth = await sandbox.truth(account.id, from, to);
    expect(rows.map((row) => [row.date, row.sessions, row.screen_page_views])).toEqual(
      truth
        .filter((day) => (day.metrics?.sessions ?? 0) > 0)
        .map((day) => [day.date, day.metrics?.sessions, day.metrics?.screenPageViews]),
    );
  });

  it('the no-access key verifies but sees no properties', async () => {
    const verified = await connector.credentialForm!.verify({ key: await keyOf(NO_ACCESS) });
    expect(await discoverPages(connector, verified.token)).toEqual([]);
  });

  it('a key with the right email but another private key is refused with category auth', async () => {
    const real = JSON.parse(await keyOf(REPORTING)) as Record<string, string>;
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forged = { ...real, private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
    const error = await connector
      .credentialForm!.verify({ key: JSON.stringify(forged) })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ category: 'auth' });
  });
});

describe('property quota against the sandbox', () => {
  it('stops before the hourly tokens run out instead of running into the 429', async () => {
    const token = await (async () => {
      const verified = await connector.credentialForm!.verify({ key: await keyOf(REPORTING) });
      return verified.token;
    })();
    const account = (await discoverPages(connector, token)).flat()[0]!;
    const response = await fetch(`${sandbox.base}/_control/quota`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ property: account.id, tokensPerHour: 5 }),
    });
    expect(response.status, await response.clone().text()).toBeLessThan(300);
    // Pages of two rows: each costs the sandbox's minimum, so a few fit and the read stops before the last.
    const extraction = createGa4Extraction(environment(), { pageSize: 2 });
    const today = todayIn(account.timezone, await sandbox.now());
    const template = findGa4Template('ga4.traffic_daily')!;
    const hooks = {
      calls: 0,
      waits: [] as number[],
      signal: new AbortController().signal,
      onApiCall() {
        hooks.calls += 1;
      },
      onQuotaWait(ms: number) {
        hooks.waits.push(ms);
      },
    };
    const pages: unknown[] = [];
    let failure: unknown;
    try {
      const request = {
        template,
        account,
        dimensions: [],
        metrics: ['sessions'],
        settings: {},
        from: addDays(today, -20),
        to: addDays(today, -1),
      };
      for await (const page of extraction.read(token, request, hooks)) pages.push(page);
    } catch (error) {
      failure = error;
    }
    expect(failure).toMatchObject({ code: 'rate_limited' });
    expect((failure as { retryAt: Date }).retryAt.getTime()).toBeGreaterThan(Date.now());
    expect(failure).toHaveProperty('message', expect.stringContaining('stopping before Google refuses'));
    expect(pages.length).toBeGreaterThan(0);
    expect(hooks.calls).toBe(pages.length);
  });
});
