import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SandboxFault } from '../../kit/types.ts';
import { findUserByEmail } from './seed.ts';
import {
  approve,
  dialogUrl,
  type Fetched,
  get,
  graph,
  login,
  REDIRECT_URI,
  type RunningSandbox,
  startSandbox,
  tokenRequest,
} from './test-harness.ts';

let sandbox: RunningSandbox;
let token: string;
beforeAll(async () => {
  sandbox = await startSandbox();
  token = (await login(sandbox, 'alex@example.com')).longToken;
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(async () => {
  await fetch(`${sandbox.origin}/sandbox/_control/faults`, { method: 'DELETE' });
});

async function inject(fault: SandboxFault, count: number): Promise<void> {
  const response = await fetch(`${sandbox.origin}/sandbox/_control/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ provider: 'meta-ads', fault, count }),
  });
  expect(response.status).toBe(201);
}

/** Faults that replace (or cut) the response of whichever call takes them. */
type ResponseShapingFault = Exclude<SandboxFault, 'hang' | 'async_job_failed' | 'async_job_hangs'>;

/** What each fault must look like on the wire. */
const expectations: Record<ResponseShapingFault, (response: Fetched) => void> = {
  token_expired: (response) => {
    expect(response.status).toBe(400);
    expect(response.json.error).toMatchObject({ type: 'OAuthException', code: 190, error_subcode: 463 });
    expect(response.json.error.message).toMatch(
      /^Error validating access token: Session has expired on \w+day, \d\d-\w{3}-\d\d \d\d:\d\d:\d\d P[SD]T\. The current time is /,
    );
  },
  revoked: (response) => {
    expect(response.status).toBe(400);
    expect(response.json.error).toMatchObject({ type: 'OAuthException', code: 190, error_subcode: 460 });
    expect(response.json.error.message).toContain('changed their password');
  },
  permission_denied: (response) => {
    expect(response.status).toBe(403);
    expect(response.json).toEqual({
      error: { code: 200, message: '(#200) Requires business_management permission to manage the object' },
    });
  },
  rate_limited: (response) => {
    expect(response.status).toBe(400);
    expect(response.json.error).toMatchObject({
      type: 'OAuthException',
      code: 80004,
      error_subcode: 2446079,
    });
    expect(response.json.error.message).toMatch(
      /^\(#80004\) There have been too many calls to this ad-account\./,
    );
    const usage = JSON.parse(response.headers.get('x-business-use-case-usage')!);
    const entries = Object.values(usage).flat() as Record<string, unknown>[];
    expect(entries[0]).toMatchObject({
      type: 'ads_management',
      call_count: 100,
      estimated_time_to_regain_access: 1,
    });
  },
  server_error: (response) => {
    expect(response.status).toBe(500);
    expect(response.json).toEqual({
      error: { code: 1, message: 'An unknown error occurred', error_subcode: 99 },
    });
  },
  malformed: (response) => {
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=UTF-8');
    expect(response.text.length).toBeGreaterThan(0);
    expect(() => JSON.parse(response.text)).toThrow();
  },
  truncated_page: (response) => {
    // The real body, cut in half: a client must notice the page is not JSON, not take it as empty.
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=UTF-8');
    expect(response.text).toMatch(/^\{"(data|id)"/);
    expect(() => JSON.parse(response.text)).toThrow();
  },
};

const faults = Object.keys(expectations) as ResponseShapingFault[];

describe('fault injection', () => {
  it.each(faults)('renders %s exactly once per count, then recovers', async (fault) => {
    await inject(fault, 2);
    const first = await graph(sandbox, '/me/adaccounts', token);
    const second = await graph(sandbox, '/me', token);
    const third = await graph(sandbox, '/me/adaccounts', token);
    expectations[fault](first);
    expectations[fault](second);
    expect(third.status).toBe(200);
    expect(third.json.data).toHaveLength(3);
    for (const response of [first, second]) {
      expect(response.headers.get('x-fb-trace-id')).toBeTruthy();
      expect(response.headers.get('x-app-usage')).toBeTruthy();
    }
    expect((await get(`${sandbox.origin}/sandbox/_control/faults`)).json.faults).toEqual([]);
  });

  it('keys the rate-limit usage header by the caller business', async () => {
    await inject('rate_limited', 1);
    const response = await graph(sandbox, '/me/adaccounts', token);
    const usage = JSON.parse(response.headers.get('x-business-use-case-usage')!);
    expect(Object.keys(usage)).toEqual([findUserByEmail('alex@example.com')!.usageKey]);
  });

  it('hits the token endpoint and permissions calls too, but not the dialog page', async () => {
    const location = await approve(sandbox, 'alex@example.com');
    await inject('server_error', 1);
    // The dialog is an HTML page on www.facebook.com, not a Graph call: it must not consume the fault.
    expect((await get(dialogUrl(sandbox))).status).toBe(200);
    const exchange = await tokenRequest(sandbox, {
      redirect_uri: REDIRECT_URI,
      code: location.searchParams.get('code')!,
    });
    expectations.server_error(exchange);
    // The faulted exchange did not consume the code.
    expect(
      (await tokenRequest(sandbox, { redirect_uri: REDIRECT_URI, code: location.searchParams.get('code')! }))
        .status,
    ).toBe(200);

    await inject('malformed', 1);
    const permissions = await graph(sandbox, '/me/permissions', token);
    expectations.malformed(permissions);
    await inject('permission_denied', 1);
    expectations.permission_denied(await graph(sandbox, '/me/permissions', token, { method: 'DELETE' }));
    expect((await graph(sandbox, '/me', token)).status).toBe(200);
  });

  it('applies queued faults in order', async () => {
    await inject('rate_limited', 1);
    await inject('server_error', 1);
    expectations.rate_limited(await graph(sandbox, '/me/adaccounts', token));
    expectations.server_error(await graph(sandbox, '/me/adaccounts', token));
    expect((await graph(sandbox, '/me/adaccounts', token)).status).toBe(200);
  });
});

describe('faults that do not replace the response', () => {
  it('async_job_* let the call that takes them through (they arm the next report run)', async () => {
    await inject('async_job_failed', 1);
    await inject('async_job_hangs', 1);
    expect((await graph(sandbox, '/me/adaccounts', token)).json.data).toHaveLength(3);
    expect((await graph(sandbox, '/me', token)).status).toBe(200);
    expect((await get(`${sandbox.origin}/sandbox/_control/faults`)).json.faults).toEqual([]);
  });

  it('hang never answers: the client times out, the next call works', async () => {
    await inject('hang', 1);
    const started = Date.now();
    await expect(graph(sandbox, '/me', token, { signal: AbortSignal.timeout(300) })).rejects.toThrow();
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect((await graph(sandbox, '/me', token)).status).toBe(200);
  });

  it('hang does not keep app.close() waiting', async () => {
    const other = await startSandbox();
    const { longToken } = await login(other, 'alex@example.com');
    other.state.addFault('meta-ads', 'hang', 1);
    const pending = graph(other, '/me', longToken).then(
      () => 'answered',
      () => 'dropped',
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await other.close();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await pending).toBe('dropped');
  });
});
