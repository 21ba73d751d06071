/**
 * The `tributary` CLI against a running server: the README's flow, create → authorize in the
 * sandbox → accounts → list/search/sort → fault → reconnect → delete.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { injectFault, startTestApp, type TestApp, testOwner } from './harness.ts';

const bin = path.resolve(import.meta.dirname, '../bin/tributary.js');

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI against `app` as the owner (its admin token), unless `token` says otherwise (null: none). */
function cli(
  app: TestApp,
  args: string[],
  input?: string,
  token: string | null = app.token,
): Promise<Result> {
  return new Promise((resolve) => {
    const child = execFile(
      'node',
      [bin, '--url', app.url, ...(token ? ['--token', token] : []), ...args],
      { timeout: 60_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

describe('tributary CLI', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp('pglite');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('runs the connection lifecycle', async () => {
    const created = await cli(app, [
      '--json',
      'connections',
      'create',
      'meta-ads',
      '--sandbox-user',
      'alex@example.com',
    ]);
    expect(created.stderr).toBe('');
    const connection = JSON.parse(created.stdout) as { id: string; accountsCount: number; status: string };
    expect([connection.status, connection.accountsCount]).toEqual(['active', 3]);
    const { id } = connection;

    const other = await cli(app, ['connections', 'create', 'meta-ads', '--sandbox-user', 'nora@example.com']);
    expect(other.stdout).toContain('No accounts');

    const table = await cli(app, [
      'connections',
      'list',
      '--search',
      'META',
      '--sort',
      'accountStatus',
      '--order',
      'desc',
    ]);
    expect(table.code).toBe(0);
    const lines = table.stdout.trim().split('\n');
    expect(lines[0]).toMatch(
      /Data Source\s+Business Account\s+Status\s+Account Status\s+Business Account ID/,
    );
    expect(lines[2]).toContain('alex@example.com');
    expect(lines[2]).toContain('3 accounts');
    expect(lines[3]).toContain('nora@example.com');

    const badSort = await cli(app, ['connections', 'list', '--sort', 'status']);
    expect(badSort.code).not.toBe(0);
    expect(badSort.stderr).toMatch(/status/);

    const shown = await cli(app, ['connections', 'show', id]);
    expect(shown.stdout).toMatch(/Business account\s+alex@example.com/);
    expect(shown.stdout).toMatch(/Account ID\s+Name\s+Currency\s+Time zone/);

    await injectFault(app, 'revoked', 1);
    const failed = await cli(app, ['connections', 'sync-accounts', id]);
    expect(failed.code).toBe(2);
    expect(failed.stdout).toMatch(/Account sync failed: .*What to do: /s);
    const errored = await cli(app, ['connections', 'show', id]);
    expect(errored.stdout).toMatch(/Status\s+Error/);
    expect(errored.stdout).toContain('Problem (auth, auth_token_revoked)');

    const reconnected = await cli(app, [
      'connections',
      'reconnect',
      id,
      '--sandbox-user',
      'alex@example.com',
    ]);
    expect(reconnected.stdout).toMatch(/Status\s+Active/);
    const synced = await cli(app, ['connections', 'sync-accounts', id]);
    expect(synced.stdout).toMatch(/^3 accounts/);

    const accountId = JSON.parse((await cli(app, ['--json', 'connections', 'show', id])).stdout).accounts[0]
      .id;
    const narrowed = await cli(app, ['connections', 'accounts', id, '--select', accountId]);
    expect(narrowed.stdout).toMatch(/Account sync\s+selected accounts only/);
    expect(narrowed.stdout).toMatch(/Account status\s+1 account\b/);
    const neither = await cli(app, ['connections', 'accounts', id]);
    expect(neither.code).not.toBe(0);
    expect(neither.stderr).toContain('--all or --select');
    const all = await cli(app, ['connections', 'accounts', id, '--all']);
    expect(all.stdout).toMatch(/Account status\s+3 accounts/);

    const kept = await cli(app, ['connections', 'delete', id], 'n\n');
    expect(kept.stdout).toContain('Nothing deleted');
    expect(kept.stderr).toContain('data already loaded stays');
    const deleted = await cli(app, ['connections', 'delete', id, '--yes']);
    expect(deleted.stdout).toContain(`Deleted connection ${id}`);
    const gone = await cli(app, ['connections', 'show', id]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('not_found');
  }, 180_000);

  it('signs in, makes and revokes tokens, and says how to sign in when no token is given', async () => {
    const anonymous = await cli(app, ['connections', 'list'], undefined, null);
    expect(anonymous.code).toBe(1);
    expect(anonymous.stderr).toContain('authentication_required');
    expect(anonymous.stderr).toContain('tributary login');

    const wrong = await cli(app, ['login', '--email', testOwner.email], 'not the password', null);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('sign_in_failed');
    const login = await cli(
      app,
      ['--json', 'login', '--email', testOwner.email, '--role', 'viewer'],
      testOwner.password,
      null,
    );
    expect(login.code, login.stderr).toBe(0);
    const viewerToken = (JSON.parse(login.stdout) as { token: string }).token;
    expect(viewerToken).toMatch(/^trb_/);
    // A viewer reads but cannot change anything.
    expect((await cli(app, ['connections', 'list'], undefined, viewerToken)).code).toBe(0);
    const refused = await cli(
      app,
      ['tokens', 'create', '--name', 'x', '--role', 'admin'],
      undefined,
      viewerToken,
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('role_forbidden');

    const listed = await cli(app, ['tokens', 'list']);
    expect(listed.stdout).toContain('viewer');
    const id = (
      JSON.parse((await cli(app, ['--json', 'tokens', 'list'])).stdout) as { id: string; role: string }[]
    ).find((token) => token.role === 'viewer')!.id;
    expect((await cli(app, ['tokens', 'revoke', id])).code).toBe(0);
    const revoked = await cli(app, ['connections', 'list'], undefined, viewerToken);
    expect(revoked.code).toBe(1);
    expect(revoked.stderr).toContain('authentication_required');
  }, 180_000);

  it('explains an unreachable server', async () => {
    const result = await new Promise<Result>((resolve) => {
      execFile('node', [bin, '--url', 'http://127.0.0.1:9', 'connections', 'list'], (error, stdout, stderr) =>
        resolve({ code: error ? 1 : 0, stdout, stderr }),
      );
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Cannot reach the Tributary server');
  });
});

describe('tributary CLI extractions', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp('pglite');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('lists templates, creates an extraction with schedules, runs it and shows the run', async () => {
    const created = await cli(app, [
      '--json',
      'connections',
      'create',
      'meta-ads',
      '--sandbox-user',
      'sam.lee@example.org',
    ]);
    const connection = JSON.parse(created.stdout) as { id: string };
    const templates = await cli(app, ['templates', 'list', 'meta-ads']);
    expect(templates.stdout).toMatch(/meta-ads\.campaign_daily\s+Campaign/);

    const extraction = await cli(app, [
      'extractions',
      'create',
      '--connection',
      connection.id,
      '--template',
      'meta-ads.campaign_daily',
      '--metrics',
      'impressions,spend,clicks',
      '--schedule',
      'frequency=every_4h,time=00:00,timezone=UTC,lookbackDays=0',
      '--schedule',
      'frequency=weekly,weekday=monday,time=05:00,timezone=America/New_York,lookbackDays=28',
    ]);
    expect(extraction.stderr).toBe('');
    expect(extraction.stdout).toMatch(/Schedule\s+every_4h at 00:00 UTC, re-reads 0 day\(s\); next: /);
    expect(extraction.stdout).toMatch(/Schedule\s+weekly at 05:00 America\/New_York/);
    const id = /Extraction\s+(\S+)/.exec(extraction.stdout)![1]!;

    const bad = await cli(app, [
      'extractions',
      'create',
      '--connection',
      connection.id,
      '--template',
      'meta-ads.campaign_daily',
      '--metrics',
      'clicks',
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('required by the template');

    const run = await cli(app, ['extractions', 'run', id, '--from', '2026-11-01', '--to', '2026-11-05']);
    expect(run.stdout).toMatch(/Status\s+succeeded/);
    expect(run.stdout).toMatch(/Reconciled\s+matched/);
    const runId = /Run\s+(\S+)/.exec(run.stdout)![1]!;
    const shown = await cli(app, ['runs', 'show', runId]);
    expect(shown.stdout).toMatch(/Account\s+From\s+To\s+Status\s+Rows/);

    const paused = await cli(app, ['extractions', 'pause', id]);
    expect(paused.stdout).toContain(': paused');
    const listed = await cli(app, ['extractions', 'list']);
    expect(listed.stdout).toContain('meta_ads_campaign_daily');
  });

  it.each([
    ['google-ads', 'google-ads.campaign_daily', 6],
    ['linkedin-ads', 'linkedin-ads.campaign_daily', 4],
    ['ga4', 'ga4.traffic_daily', 3],
  ] as const)(
    'connects %s in its sandbox, extracts and reconciles a few days',
    async (source, template, accounts) => {
      const created = await cli(app, [
        '--json',
        'connections',
        'create',
        source,
        '--sandbox-user',
        'alex@example.com',
      ]);
      expect(created.stderr).toBe('');
      const connection = JSON.parse(created.stdout) as { id: string; accountsCount: number; status: string };
      expect([connection.status, connection.accountsCount]).toEqual(['active', accounts]);
      const extraction = await cli(app, [
        'extractions',
        'create',
        '--connection',
        connection.id,
        '--template',
        template,
      ]);
      expect(extraction.stderr).toBe('');
      const id = /Extraction\s+(\S+)/.exec(extraction.stdout)![1]!;
      const run = await cli(app, ['extractions', 'run', id, '--from', '2026-11-20', '--to', '2026-11-22']);
      expect(run.stdout).toMatch(/Status\s+succeeded/);
      expect(run.stdout).toMatch(/Reconciled\s+matched/);
    },
  );
});
