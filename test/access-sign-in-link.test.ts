/**
 * One-time sign-in links from `tributary users sign-in-link`: the operator's way back in for someone who lost
 * their password, and a first sign-in on a server. A link signs in once (a session cookie), then never again;
 * an expired one is refused; an unknown email is an error (exit code 1). With a new password the link is also
 * account recovery: the password changes, the user's other sessions end, a lock on their email lifts. The CLI
 * runs for real: against PostgreSQL beside a running server, and on an embedded store (which one process owns).
 */
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInOverHttp } from '../src/access/apiSignIn.ts';
import { createOwner, issueSignInLinkFor, signInThrottle } from '../src/access/signIn.ts';
import { loadConfig } from '../src/config.ts';
import { connectorEnvVars } from '../src/connectors/registry.ts';
import { createApiClient } from '../src/contract/client.ts';
import { DEFAULT_WORKSPACE_ID } from '../src/domain/access.ts';
import { startRuntime } from '../src/runtime.ts';
import { openStore } from '../src/store/open.ts';
import { backends, startTestApp, type TestApp, testOwner } from './harness.ts';
import { postgresAvailable } from './postgres.ts';
import { addMember } from './storeSnapshot.ts';

const bin = path.resolve(import.meta.dirname, '../bin/tributary.js');

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with only `env` for configuration (none of this process's Tributary settings leak in). */
function cli(args: string[], env: Record<string, string>): Promise<Result> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !/^(TRIBUTARY_|DATABASE_URL$|HOST$|PORT$)/.test(name) && name !== 'NODE_OPTIONS',
    ),
  );
  return new Promise((resolve) => {
    execFile(
      'node',
      [bin, ...args],
      { timeout: 60_000, env: { ...inherited, ...env } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** The secret of a printed link: its fragment. */
function tokenOf(url: string): string {
  return new URL(url).hash.slice(1);
}

async function spendLink(baseUrl: string, body: { token: string; newPassword?: string }) {
  const response = await fetch(`${baseUrl}/api/v1/auth/sign-in-link`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const cookies = response.headers.getSetCookie().map((line) => line.split(';')[0]!);
  const json = (await response.json()) as { user?: { email: string }; error?: { code: string } };
  return { status: response.status, cookies, json };
}

/** Who the session cookies of a sign-in belong to (null: refused). */
async function sessionEmail(baseUrl: string, cookies: string[]): Promise<string | null> {
  const response = await fetch(`${baseUrl}/api/v1/auth/session`, { headers: { cookie: cookies.join('; ') } });
  if (response.status !== 200) return null;
  return ((await response.json()) as { user: { email: string } }).user.email;
}

if (await postgresAvailable()) {
  describe('tributary users sign-in-link, PostgreSQL, beside a running server', () => {
    let app: TestApp;
    let env: Record<string, string>;
    beforeAll(async () => {
      app = await startTestApp('postgres', { TRIBUTARY_API_RATE_LIMIT: '1000000' });
      env = {
        DATABASE_URL: app.config.databaseUrl!,
        TRIBUTARY_DB_SCHEMA: app.config.databaseSchema,
        TRIBUTARY_PUBLIC_URL: `${app.url}/`,
        TRIBUTARY_HOME: app.config.home,
      };
    });
    afterAll(async () => {
      await app?.close();
    });

    it('prints a link that signs in once, as the user it names', async () => {
      const member = await addMember(app, DEFAULT_WORKSPACE_ID, 'editor');
      const printed = await cli(['users', 'sign-in-link', member.email.toUpperCase()], env);
      expect([printed.code, printed.stderr]).toEqual([0, '']);
      const [intro, url] = printed.stdout.trim().split('\n');
      expect(intro).toMatch(
        new RegExp(`^One-time sign-in link for ${member.email} \\(works once, until .+Z\\):$`),
      );
      expect(url).toMatch(new RegExp(`^${app.url}/sign-in/link#trl_[A-Za-z0-9_-]{43}$`));
      const expiresAt = Date.parse(intro!.match(/until (.+Z)/)![1]!);
      expect(Math.abs(expiresAt - (Date.now() + 30 * 60_000))).toBeLessThan(60_000);

      const first = await spendLink(app.url, { token: tokenOf(url!) });
      expect([first.status, first.json.user?.email]).toEqual([200, member.email]);
      expect(await sessionEmail(app.url, first.cookies)).toBe(member.email);
      const again = await spendLink(app.url, { token: tokenOf(url!) });
      expect([again.status, again.json.error?.code, again.cookies]).toEqual([401, 'sign_in_failed', []]);
    });

    it('refuses a link after it expires (--expires-in), by the server’s clock', async () => {
      const printed = await cli(
        ['--json', 'users', 'sign-in-link', testOwner.email, '--expires-in', '5'],
        env,
      );
      expect(printed.code).toBe(0);
      const link = JSON.parse(printed.stdout) as { email: string; url: string; expiresAt: string };
      expect(link.email).toBe(testOwner.email);
      expect(Math.abs(Date.parse(link.expiresAt) - (Date.now() + 5 * 60_000))).toBeLessThan(60_000);
      const context = app.runtime.context;
      const realNow = context.now;
      context.now = () => new Date(realNow.call(context).getTime() + 5 * 60_000 + 1_000);
      try {
        const late = await spendLink(app.url, { token: tokenOf(link.url) });
        expect([late.status, late.json.error?.code]).toEqual([401, 'sign_in_failed']);
      } finally {
        context.now = realNow;
      }
      // Refused for its age, not spent: back at the real time it still works.
      expect((await spendLink(app.url, { token: tokenOf(link.url) })).status).toBe(200);
    });

    it('refuses an unknown email and a bad lifetime with exit code 1, issuing nothing', async () => {
      const unknown = await cli(['users', 'sign-in-link', 'nobody@example.com'], env);
      expect([unknown.code, unknown.stdout]).toEqual([1, '']);
      expect(unknown.stderr).toBe('Error: No user has the email nobody@example.com\n');
      const tooLong = await cli(['users', 'sign-in-link', testOwner.email, '--expires-in', '1441'], env);
      expect([tooLong.code, tooLong.stdout]).toEqual([1, '']);
      expect(tooLong.stderr).toMatch(/--expires-in.+1 to 1440/);
    });
  });
}

describe('tributary users sign-in-link, embedded store', () => {
  it('issues a link while the server is stopped, which the server then takes; refuses while it runs', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-link-'));
    const env = { TRIBUTARY_HOME: home, TRIBUTARY_MASTER_KEY: crypto.randomBytes(32).toString('hex') };
    const config = loadConfig(connectorEnvVars, { ...env, PORT: '0', TRIBUTARY_WORKERS: 'off' });
    const quiet = new Writable({ write: (_chunk, _encoding, callback) => callback() });
    try {
      const store = await openStore(config);
      await createOwner(
        store.db,
        { email: 'ops@example.com', password: 'a long password', name: '' },
        new Date(),
      );
      await store.close();

      const printed = await cli(['users', 'sign-in-link', 'ops@example.com'], env);
      expect(printed.code).toBe(0);
      // Without TRIBUTARY_PUBLIC_URL the link names this machine at PORT (4400 by default), and says so.
      const url = printed.stdout.trim().split('\n')[1]!;
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:4400\/sign-in\/link#trl_/);
      expect(printed.stderr).toMatch(/TRIBUTARY_PUBLIC_URL is not set/);

      const runtime = await startRuntime({ config, role: 'serve', logDestination: quiet });
      try {
        const busy = await cli(['users', 'sign-in-link', 'ops@example.com'], env);
        expect([busy.code, busy.stdout]).toEqual([1, '']);
        expect(busy.stderr).toMatch(/in use by process \d+; stop it first/);
        const signedIn = await spendLink(runtime.url, { token: tokenOf(url) });
        expect([signedIn.status, signedIn.json.user?.email]).toEqual([200, 'ops@example.com']);
        expect(await sessionEmail(runtime.url, signedIn.cookies)).toBe('ops@example.com');
      } finally {
        await runtime.close();
      }
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
    // Three processes open the embedded store in turn (each applies migrations): slow on a busy machine.
  }, 300_000);
});

for (const backend of await backends()) {
  describe(`account recovery with a sign-in link on ${backend}`, () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await startTestApp(backend, { TRIBUTARY_API_RATE_LIMIT: '1000000' });
    });
    afterAll(async () => {
      await app?.close();
    });

    const issue = async (email: string) =>
      tokenOf((await issueSignInLinkFor(app.runtime.context.db, app.url, email, new Date(), 60_000)).url);

    it('sets the new password, ends the other sessions and lifts the lock on the email', async () => {
      const member = await addMember(app, DEFAULT_WORKSPACE_ID, 'viewer');
      const before = await signInOverHttp(app.url, member.email, member.password);
      for (let attempt = 0; attempt < signInThrottle.email.limit; attempt += 1)
        await signInOverHttp(app.url, member.email, 'not the password').catch(() => {});
      await expect(signInOverHttp(app.url, member.email, member.password)).rejects.toThrow(/429/);

      const newPassword = 'a brand new password';
      const recovered = await spendLink(app.url, { token: await issue(member.email), newPassword });
      expect([recovered.status, recovered.json.user?.email]).toEqual([200, member.email]);
      expect(await sessionEmail(app.url, recovered.cookies)).toBe(member.email);
      expect(await sessionEmail(app.url, [before.cookie])).toBeNull();
      await expect(signInOverHttp(app.url, member.email, member.password)).rejects.toThrow(/401/);
      await signInOverHttp(app.url, member.email, newPassword);
    });

    it('changes no password through a used or unknown link, nor through a short password', async () => {
      const member = await addMember(app, DEFAULT_WORKSPACE_ID, 'viewer');
      const token = await issue(member.email);
      const short = await spendLink(app.url, { token, newPassword: 'short' });
      expect([short.status, short.json.error?.code]).toEqual([400, 'validation_failed']);
      expect((await spendLink(app.url, { token })).status).toBe(200);
      const spent = await spendLink(app.url, { token, newPassword: 'another long password' });
      expect([spent.status, spent.json.error?.code]).toEqual([401, 'sign_in_failed']);
      const forged = await spendLink(app.url, {
        token: `trl_${crypto.randomBytes(32).toString('base64url')}`,
        newPassword: 'another long password',
      });
      expect([forged.status, forged.json.error?.code]).toEqual([401, 'sign_in_failed']);
      await signInOverHttp(app.url, member.email, member.password);
    });

    it('leaves a trace of the link and of the recovery in every workspace the user belongs to', async () => {
      const asOwner = createApiClient({ baseUrl: app.url, headers: app.session.headers() });
      const other = await asOwner.call('createWorkspace', {
        body: { name: `recovery ${crypto.randomUUID()}` },
      });
      const member = await addMember(app, DEFAULT_WORKSPACE_ID, 'viewer');
      await addMember(app, other.id, 'editor', member.email, member.password);
      await spendLink(app.url, { token: await issue(member.email), newPassword: 'a recovered password' });
      for (const workspace of [DEFAULT_WORKSPACE_ID, other.id]) {
        const entries = await app.runtime.context.db.query<{
          action: string;
          actor: string;
          target_id: string;
        }>(
          `SELECT action, actor, target_id FROM audit_log WHERE workspace_id = $1 AND target_id = $2 ORDER BY id`,
          [workspace, member.userId],
        );
        expect(entries).toEqual([
          {
            action: 'issueSignInLink',
            actor: 'operator (tributary users sign-in-link)',
            target_id: member.userId,
          },
          { action: 'recoverPasswordWithSignInLink', actor: member.email, target_id: member.userId },
        ]);
      }
    });

    it('refuses to issue a link for an email nobody has', async () => {
      await expect(
        issueSignInLinkFor(app.runtime.context.db, app.url, 'nobody@example.com', new Date(), 60_000),
      ).rejects.toMatchObject({ code: 'not_found' });
    });
  });
}
