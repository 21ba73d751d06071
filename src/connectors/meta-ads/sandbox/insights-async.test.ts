import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SandboxFault } from '../../kit/types.ts';
import { findUserByEmail } from './seed.ts';
import {
  allPages,
  allRows,
  control,
  type Fetched,
  type GraphJson,
  get,
  graph,
  insightsQuery,
  localDate,
  login,
  type RunningSandbox,
  startSandbox,
} from './test-harness.ts';

const account = findUserByEmail('alex@example.com')!.accounts[1]!;

let sandbox: RunningSandbox;
let token: string;
let range: { since: string; until: string };
beforeAll(async () => {
  sandbox = await startSandbox();
  await control(sandbox, '_control/clock', { set: '2030-06-15T15:30:00Z' });
  token = (await login(sandbox, 'alex@example.com')).longToken;
  range = {
    since: await localDate(sandbox, account.timezoneName, -30),
    until: await localDate(sandbox, account.timezoneName, -1),
  };
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(async () => {
  await get(`${sandbox.origin}/sandbox/_control/faults`, { method: 'DELETE' });
});

const PARAMS = {
  fields: ['ad_id', 'impressions', 'spend', 'actions'],
  level: 'ad',
  breakdowns: ['age'],
  time_increment: 1,
  action_attribution_windows: ['7d_click', '1d_view'],
};

/** Creates a report run with a form-encoded body, as the SDKs do. */
async function createRun(params: Record<string, GraphJson> = PARAMS, as = token): Promise<Fetched> {
  const body = new URLSearchParams(insightsQuery({ ...params, time_range: range }));
  return graph(sandbox, `/act_${account.accountId}/insights`, as, { method: 'POST', body });
}

async function poll(runId: string, as = token): Promise<Fetched> {
  return graph(sandbox, `/${runId}`, as);
}

async function inject(fault: SandboxFault): Promise<void> {
  expect((await control(sandbox, '_control/faults', { provider: 'meta-ads', fault, count: 1 })).status).toBe(
    201,
  );
}

describe('report runs', () => {
  it('run from creation to completion, then page exactly like the sync report', async () => {
    const created = await createRun();
    expect(created.status).toBe(200);
    expect(created.json).toEqual({ report_run_id: expect.stringMatching(/^\d{16}$/) });
    const runId = created.json.report_run_id;

    const notYet = await graph(sandbox, `/${runId}/insights`, token);
    expect(notYet.status).toBe(400);
    expect(notYet.json.error).toMatchObject({ code: 2601, error_subcode: 1815107, is_transient: true });

    const statuses: [string, number, boolean][] = [];
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const run = (await poll(runId)).json;
      expect(run).toMatchObject({ id: runId, account_id: account.accountId, ...{ date_start: range.since } });
      expect(run.date_stop).toBe(range.until);
      expect(typeof run.time_ref).toBe('number');
      statuses.push([run.async_status, run.async_percent_completion, run.is_running]);
      if (run.async_status === 'Job Completed') expect(typeof run.time_completed).toBe('number');
    }
    // 100 % is not done yet: clients must wait for "Job Completed".
    expect(statuses).toEqual([
      ['Job Running', 50, true],
      ['Job Running', 100, true],
      ['Job Completed', 100, false],
    ]);

    const first = await graph(sandbox, `/${runId}/insights?limit=40`, token);
    expect(first.json.paging.next.startsWith(`${sandbox.base}/v25.0/${runId}/insights?`)).toBe(true);
    const pages = await allPages(`${sandbox.base}/v25.0/${runId}/insights?limit=40`, token);
    const rows = pages.flatMap((page) => page.data);
    expect(pages.at(-1).paging.next).toBeUndefined();
    const keys = rows.map((row: GraphJson) => `${row.ad_id}/${row.date_start}/${row.age}`);
    expect(new Set(keys).size).toBe(keys.length);
    const sync = await allRows(
      sandbox,
      account.accountId,
      { ...PARAMS, time_range: range, limit: 500 },
      token,
    );
    expect(rows).toEqual(sync);
  });

  it('takes the parameters as a JSON body or in the query string too, and selects run fields', async () => {
    const json = await get(`${sandbox.base}/v25.0/act_${account.accountId}/insights`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...PARAMS, time_range: range, filtering: [] }),
    });
    expect(json.json.report_run_id).toMatch(/^\d+$/);
    // The body's time_range (an object, not a string) was read.
    expect((await poll(json.json.report_run_id)).json.date_start).toBe(range.since);
    const query = await graph(
      sandbox,
      `/act_${account.accountId}/insights?${insightsQuery({ ...PARAMS, time_range: range })}`,
      token,
      { method: 'POST' },
    );
    expect(query.json.report_run_id).toMatch(/^\d+$/);
    const selected = await graph(
      sandbox,
      `/${query.json.report_run_id}?fields=async_status,async_percent_completion`,
      token,
    );
    expect(selected.json).toEqual({
      async_status: 'Job Running',
      async_percent_completion: 50,
      id: query.json.report_run_id,
    });
    const invalid = await createRun({ ...PARAMS, breakdowns: ['platform_position'] });
    expect(invalid.status).toBe(400);
    expect(invalid.json.error.code).toBe(100);
  });

  it('serves more than the sync row budget', async () => {
    const params = {
      fields: 'ad_id,impressions',
      level: 'ad',
      breakdowns: ['age', 'gender'],
      time_increment: 1,
    };
    const sync = await graph(
      sandbox,
      `/act_${account.accountId}/insights?${insightsQuery({ ...params, date_preset: 'last_year' })}`,
      token,
    );
    expect(sync.status).toBe(500);
    const body = new URLSearchParams(insightsQuery({ ...params, date_preset: 'last_year' }));
    const runId = (
      await graph(sandbox, `/act_${account.accountId}/insights`, token, { method: 'POST', body })
    ).json.report_run_id;
    for (let attempt = 0; attempt < 3; attempt += 1) await poll(runId);
    const pages = await allPages(`${sandbox.base}/v25.0/${runId}/insights?limit=500`, token);
    expect(pages.reduce((total, page) => total + page.data.length, 0)).toBeGreaterThan(20_000);
  });

  it('async_job_failed: the next run ends "Job Failed" with the error fields', async () => {
    await inject('async_job_failed');
    const runId = (await createRun()).json.report_run_id;
    expect((await poll(runId)).json.async_status).toBe('Job Running');
    const failed = (await poll(runId)).json;
    expect(failed).toMatchObject({
      async_status: 'Job Failed',
      is_running: false,
      error_code: -2,
      error_subcode: 2490547,
      error_message: expect.any(String),
      error_user_title: expect.any(String),
      error_user_msg: expect.any(String),
    });
    expect(Number.isInteger(failed.error_code)).toBe(true);
    expect((await poll(runId)).json.async_status).toBe('Job Failed');
    expect((await graph(sandbox, `/${runId}/insights`, token)).json.error.code).toBe(2601);
    // Only the next run fails.
    const next = (await createRun()).json.report_run_id;
    for (let attempt = 0; attempt < 2; attempt += 1) await poll(next);
    expect((await poll(next)).json.async_status).toBe('Job Completed');
  });

  it('async_job_hangs: the next run stays "Job Running" for ever', async () => {
    await inject('async_job_hangs');
    const runId = (await createRun()).json.report_run_id;
    for (let attempt = 0; attempt < 10; attempt += 1) {
      expect((await poll(runId)).json).toMatchObject({
        async_status: 'Job Running',
        async_percent_completion: 50,
      });
    }
  });

  it('belongs to the user who created it', async () => {
    const runId = (await createRun()).json.report_run_id;
    const sam = (await login(sandbox, 'sam.lee@example.com')).longToken;
    for (const path of [`/${runId}`, `/${runId}/insights`]) {
      const response = await graph(sandbox, path, sam);
      expect(response.status).toBe(400);
      expect(response.json.error).toMatchObject({
        type: 'GraphMethodException',
        code: 100,
        error_subcode: 33,
      });
    }
    // Another user cannot create runs on Alex's account either.
    expect((await createRun(PARAMS, sam)).json.error.error_subcode).toBe(33);
    expect((await poll(runId)).json.async_status).toBe('Job Running');
  });
});
