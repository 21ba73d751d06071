/**
 * The access matrices, over every endpoint of the contract (the endpoint table is iterated, so an endpoint added
 * later is covered without touching this file):
 * - roles: each endpoint called by a viewer, an editor and an admin, through an API token and through a browser
 *   session; refused with exactly 403 `role_forbidden` (and nothing changed in the store) when the permission table
 *   says so, never refused for the role otherwise; anonymous callers get 401, browser requests without the CSRF
 *   header 403 `csrf_failed`;
 * - isolation: workspace A's token naming any of workspace B's objects gets 404 with nothing changed, no list of A
 *   shows an id of B, and an A token cannot switch itself into B.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiSession, createTokenOverHttp, signInOverHttp } from '../src/access/apiSignIn.ts';
import { createApiClient } from '../src/contract/client.ts';
import { type Endpoint, endpoints } from '../src/contract/endpoints.ts';
import {
  accessLevels,
  DEFAULT_WORKSPACE_ID,
  type OwnedKind,
  permissionTable,
  type Role,
  roleAllows,
} from '../src/domain/access.ts';
import { backends, connectSandboxUser, runEnded, startTestApp, type TestApp, testOwner } from './harness.ts';
import { addMember, settledSnapshot, storeSnapshot } from './storeSnapshot.ts';

type Headers = Record<string, string>;

/** Who calls: a role, through a token or a browser session. */
interface MatrixCaller {
  label: string;
  role: Role;
  via: 'token' | 'session';
  email: string;
  password: string;
  headers(): Promise<Headers>;
}

/** A request to an endpoint, and the statuses that count as success for an allowed caller. */
interface Sample {
  params?: Record<string, string>;
  query?: Record<string, string | number>;
  body?: unknown;
  /** Accepted statuses when the caller may use the endpoint (default: any 2xx). */
  ok?: number[] | 'refused';
}

interface Sent {
  status: number;
  code: string | null;
  text: string;
}

/** Sends a request the way a browser or the CLI would (JSON in, JSON out). */
async function send(baseUrl: string, endpoint: Endpoint, sample: Sample, headers: Headers): Promise<Sent> {
  const path = endpoint.path.replace(/:([a-zA-Z]+)/g, (_, key: string) =>
    encodeURIComponent(sample.params?.[key] ?? crypto.randomUUID()),
  );
  const url = new URL(path, baseUrl);
  for (const [key, value] of Object.entries(sample.query ?? {})) url.searchParams.set(key, String(value));
  const hasBody = sample.body !== undefined;
  const response = await fetch(url, {
    method: endpoint.method,
    redirect: 'manual',
    headers: {
      accept: 'application/json',
      ...(hasBody ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    body: hasBody ? JSON.stringify(sample.body) : undefined,
  });
  const text = await response.text();
  let code: string | null = response.headers.get('x-error-code');
  try {
    code = (JSON.parse(text) as { error?: { code?: string } }).error?.code ?? code;
  } catch {
    // Not JSON (an HTML page or an empty 204).
  }
  return { status: response.status, code, text };
}

const changedTables = (before: Record<string, string>, after: Record<string, string>) =>
  Object.keys({ ...before, ...after }).filter((table) => after[table] !== before[table]);
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const unique = (prefix: string) => `${prefix}-${crypto.randomBytes(4).toString('hex')}`;

for (const backend of await backends()) {
  describe(`access matrices on ${backend}`, () => {
    let app: TestApp;
    let receiver: http.Server;
    let hookUrl = '';
    /** Workspace A (Default) objects. */
    const a = {} as {
      connectionId: string;
      destinationId: string;
      extractionId: string;
      runId: string;
      templateId: string;
      webhookId: string;
    };
    const adminApi = () => app.api;
    const sessions = new Map<string, ApiSession>();
    const callers: MatrixCaller[] = [];

    /** A browser session of `email`, signed in once and again after something ended it. */
    async function sessionOf(email: string, password: string): Promise<ApiSession> {
      let session = sessions.get(email);
      if (!session) {
        session = await signInOverHttp(app.url, email, password);
        sessions.set(email, session);
      }
      return session;
    }

    let lastQuiet: Record<string, string> = {};
    /**
     * A snapshot of a store at rest: when anything moved since the last one (an allowed call, a throwaway object a
     * sample made, the run it started), first wait for the background work to end.
     */
    async function quietSnapshot(): Promise<Record<string, string>> {
      const now = await storeSnapshot(app);
      lastQuiet = changedTables(lastQuiet, now).length === 0 ? now : await settledSnapshot(app);
      return lastQuiet;
    }

    /** The owner's browser session (signed in again whenever a password change or sign-out ended it). */
    const ownerSession = () => sessionOf(testOwner.email, testOwner.password);

    async function freshWorkspace(): Promise<string> {
      const api = createApiClient({ baseUrl: app.url, headers: (await ownerSession()).headers() });
      return (await api.call('createWorkspace', { body: { name: unique('ws') } })).id;
    }

    /** Requests good enough to pass validation; some make a throwaway object first, as `caller` where it matters. */
    const samples: Record<string, (caller: MatrixCaller) => Promise<Sample>> = {
      health: async () => ({}),
      getSetupStatus: async () => ({}),
      setupOwner: async () => ({
        body: { email: 'second@example.com', password: 'a long enough password' },
        ok: 'refused',
      }),
      signIn: async (caller) => ({ body: { email: caller.email, password: caller.password } }),
      signInWithLink: async () => ({ body: { token: `trl_${'x'.repeat(43)}` }, ok: 'refused' }),
      signOut: async () => ({}),
      getSession: async () => ({}),
      changePassword: async (caller) => ({
        body: { currentPassword: caller.password, newPassword: caller.password },
      }),
      listWorkspaces: async () => ({}),
      // A token acts in its one workspace: only a signed-in admin makes new ones (401 for a token).
      createWorkspace: async (caller) => ({
        body: { name: unique('ws') },
        ok: caller.via === 'token' ? [401] : undefined,
      }),
      listTokens: async () => ({}),
      createToken: async () => ({ body: { name: unique('token') } }),
      revokeToken: async (caller) => {
        const api = createApiClient({ baseUrl: app.url, headers: await caller.headers() });
        const created = await api.call('createToken', { body: { name: unique('doomed') } });
        return { params: { id: created.item.id } };
      },
      listDataSources: async () => ({}),
      getDataSource: async () => ({ params: { id: 'meta-ads' } }),
      listConnections: async () => ({}),
      createConnection: async () => ({ body: { dataSource: 'meta-ads' } }),
      getConnection: async () => ({ params: { id: a.connectionId } }),
      listConnectionAccounts: async () => ({ params: { id: a.connectionId } }),
      updateConnectionAccounts: async () => ({ params: { id: a.connectionId }, body: { sync: 'all' } }),
      syncConnectionAccounts: async () => ({ params: { id: a.connectionId } }),
      reconnectConnection: async () => ({ params: { id: a.connectionId } }),
      deleteConnection: async () => {
        const created = await adminApi().call('createConnection', { body: { dataSource: 'meta-ads' } });
        return { params: { id: created.connection.id } };
      },
      oauthCallback: async () => ({ query: { state: 'forged', code: 'forged' }, ok: 'refused' }),
      listTemplates: async () => ({ params: { id: 'meta-ads' } }),
      getTemplate: async () => ({ params: { id: a.templateId } }),
      createTemplate: async () => ({
        body: {
          baseTemplateId: 'meta-ads.campaign_daily',
          name: unique('template'),
          metrics: ['impressions', 'spend'],
        },
      }),
      listDestinations: async () => ({}),
      createDestination: async () => ({ body: { kind: 'duckdb', name: unique('warehouse') } }),
      deleteDestination: async () => {
        const created = await adminApi().call('createDestination', {
          body: { kind: 'duckdb', name: unique('doomed') },
        });
        return { params: { id: created.id } };
      },
      createExtraction: async () => ({
        body: {
          connectionId: a.connectionId,
          templateId: 'meta-ads.account_daily',
          name: unique('extraction'),
        },
      }),
      previewExtraction: async () => ({
        body: { connectionId: a.connectionId, templateId: 'meta-ads.account_daily', days: 1, limit: 5 },
      }),
      listExtractions: async () => ({}),
      getExtraction: async () => ({ params: { id: a.extractionId } }),
      updateExtraction: async () => ({ params: { id: a.extractionId }, body: { name: unique('renamed') } }),
      deleteExtraction: async () => {
        const created = await adminApi().call('createExtraction', {
          body: {
            connectionId: a.connectionId,
            templateId: 'meta-ads.account_daily',
            name: unique('doomed'),
          },
        });
        return { params: { id: created.id } };
      },
      pauseExtraction: async () => ({ params: { id: a.extractionId } }),
      resumeExtraction: async () => ({ params: { id: a.extractionId } }),
      startExtractionRun: async () => ({
        params: { id: a.extractionId },
        body: { from: day(-2), to: day(-2) },
      }),
      listExtractionRuns: async () => ({ params: { id: a.extractionId } }),
      getExtractionData: async () => ({ params: { id: a.extractionId }, query: { limit: 5 } }),
      getExtractionDailyTotals: async () => ({ params: { id: a.extractionId } }),
      previewSchedules: async () => ({ body: { schedules: [{ frequency: 'daily', time: '03:00' }] } }),
      getExtractionLedger: async () => ({ params: { id: a.extractionId } }),
      getRun: async () => ({ params: { id: a.runId } }),
      cancelRun: async () => {
        const run = await adminApi().call('startExtractionRun', {
          params: { id: a.extractionId },
          body: { from: day(-3), to: day(-3) },
        });
        return { params: { id: run.id }, ok: [202, 409] };
      },
      listEvents: async () => ({}),
      listWebhooks: async () => ({}),
      createWebhook: async () => ({ body: { url: hookUrl } }),
      deleteWebhook: async () => {
        const created = await adminApi().call('createWebhook', { body: { url: hookUrl } });
        return { params: { id: created.id } };
      },
      listWebhookDeliveries: async () => ({ params: { id: a.webhookId } }),
      // People, invitations, sharing and the audit log (the team endpoints).
      listMembers: async () => ({}),
      updateMember: async () => ({
        params: { id: (await addMember(app, DEFAULT_WORKSPACE_ID, 'viewer')).userId },
        body: { role: 'editor' },
      }),
      removeMember: async () => ({
        params: { id: (await addMember(app, DEFAULT_WORKSPACE_ID, 'viewer')).userId },
      }),
      listInvitations: async () => ({}),
      createInvitation: async () => ({ body: { email: `${unique('invitee')}@example.com`, role: 'viewer' } }),
      revokeInvitation: async () => {
        const response = await send(
          app.url,
          endpoints.createInvitation as Endpoint,
          { body: { email: `${unique('doomed')}@example.com`, role: 'viewer' } },
          app.authHeaders,
        );
        return {
          params: { id: (JSON.parse(response.text) as { invitation: { id: string } }).invitation.id },
        };
      },
      inspectInvitation: async () => ({ query: { token: `tri_${'x'.repeat(43)}` }, ok: 'refused' }),
      acceptInvitation: async () => ({
        body: { token: `tri_${'x'.repeat(43)}`, password: 'a long enough password' },
        ok: 'refused',
      }),
      listConnectionShares: async () => ({ params: { id: a.connectionId } }),
      shareConnection: async () => ({
        params: { id: a.connectionId },
        body: { workspaceId: await freshWorkspace() },
      }),
      unshareConnection: async () => {
        const workspaceId = await freshWorkspace();
        await send(
          app.url,
          endpoints.shareConnection as Endpoint,
          { params: { id: a.connectionId }, body: { workspaceId } },
          app.authHeaders,
        );
        return { params: { id: a.connectionId, workspaceId } };
      },
      listAudit: async () => ({}),
      exportAudit: async () => ({ body: { destinationId: a.destinationId } }),
    };

    /** The sample of an endpoint, or a bare request naming random ids for an endpoint this file does not know. */
    async function sampleOf(name: string, endpoint: Endpoint, caller: MatrixCaller): Promise<Sample> {
      const build = samples[name];
      if (build) return build(caller);
      return { body: endpoint.body ? {} : undefined, ok: undefined };
    }

    beforeAll(async () => {
      receiver = http.createServer((request, response) => {
        request.resume();
        request.on('end', () => response.writeHead(204).end());
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
      app = await startTestApp(backend, { TRIBUTARY_API_RATE_LIMIT: '1000000' });

      a.connectionId = (await connectSandboxUser(app, 'alex@example.com')).id;
      a.destinationId = (await app.api.call('listDestinations')).items[0]!.id;
      const extraction = await app.api.call('createExtraction', {
        body: { connectionId: a.connectionId, templateId: 'meta-ads.account_daily', name: 'Matrix' },
      });
      a.extractionId = extraction.id;
      const run = await app.api.call('startExtractionRun', {
        params: { id: a.extractionId },
        body: { from: day(-2), to: day(-1) },
      });
      a.runId = (await runEnded(app, run.id)).id;
      a.templateId = (
        await app.api.call('createTemplate', {
          body: {
            baseTemplateId: 'meta-ads.campaign_daily',
            name: 'Matrix template',
            metrics: ['impressions', 'spend'],
          },
        })
      ).id;
      a.webhookId = (await app.api.call('createWebhook', { body: { url: hookUrl } })).id;

      for (const role of ['viewer', 'editor', 'admin'] as const) {
        const token = await createTokenOverHttp(app.url, await ownerSession(), {
          name: `matrix ${role}`,
          role,
        });
        callers.push({
          label: `${role} token`,
          role,
          via: 'token',
          email: testOwner.email,
          password: testOwner.password,
          headers: async () => ({ authorization: `Bearer ${token}` }),
        });
        const user =
          role === 'admin'
            ? { email: testOwner.email, password: testOwner.password }
            : await addMember(app, DEFAULT_WORKSPACE_ID, role);
        callers.push({
          label: `${role} session`,
          role,
          via: 'session',
          email: user.email,
          password: user.password,
          headers: async () => (await sessionOf(user.email, user.password)).headers(DEFAULT_WORKSPACE_ID),
        });
      }
    }, 180_000);

    afterAll(async () => {
      await app?.close();
      await new Promise((resolve) => receiver?.close(resolve));
    });

    it('declares an access level on every endpoint, and the table says what the roles mean', () => {
      // Viewer reads, editor changes connections, extractions, destinations; admin also manages people.
      expect(permissionTable).toEqual({
        read: ['viewer', 'editor', 'admin'],
        write: ['editor', 'admin'],
        admin: ['admin'],
        ownTokens: ['viewer', 'editor', 'admin'],
      });
      for (const [name, endpoint] of Object.entries(endpoints) as [string, Endpoint][]) {
        expect(accessLevels, `${name} has no valid access level`).toContain(endpoint.access);
      }
    });

    it('refuses exactly what the permission table refuses, for every endpoint, role and way in', async () => {
      const problems: string[] = [];
      const unsampled: string[] = [];
      let refusals = 0;
      let allowed = 0;
      for (const [name, endpoint] of Object.entries(endpoints) as [string, Endpoint][]) {
        if (!samples[name]) unsampled.push(name);
        /** Sends a request that must be refused with `status` and `code`, and checks that no table changed. */
        const refused = async (
          what: string,
          sample: Sample,
          headers: Headers,
          status: number,
          code: string,
        ) => {
          const before = await quietSnapshot();
          const sent = await send(app.url, endpoint, sample, headers);
          if (sent.status !== status || sent.code !== code)
            problems.push(`${name} ${what}: expected ${status} ${code}, got ${sent.status} ${sent.code}`);
          const changed = changedTables(before, await storeSnapshot(app));
          if (changed.length > 0) problems.push(`${name} ${what} (refused) changed ${changed.join(', ')}`);
        };

        if (endpoint.access !== 'public') {
          const sample = await sampleOf(name, endpoint, callers[0]!);
          await refused('anonymous', sample, {}, 401, 'authentication_required');
          if (endpoint.method !== 'GET') {
            const owner = await ownerSession();
            const asOwner = await sampleOf(name, endpoint, callers[5]!);
            const noCsrf = { cookie: owner.cookie, 'x-tributary-workspace': DEFAULT_WORKSPACE_ID };
            await refused('as a session without CSRF header', asOwner, noCsrf, 403, 'csrf_failed');
            const wrongCsrf = {
              ...owner.headers(DEFAULT_WORKSPACE_ID),
              'x-csrf-token': `trc_${'x'.repeat(43)}`,
            };
            await refused('as a session with a wrong CSRF token', asOwner, wrongCsrf, 403, 'csrf_failed');
          }
        }

        for (const caller of callers.filter((c) => !roleAllows(c.role, endpoint.access))) {
          const sample = await sampleOf(name, endpoint, caller);
          await refused(`as ${caller.label}`, sample, await caller.headers(), 403, 'role_forbidden');
          refusals += 1;
        }

        for (const caller of callers.filter((c) => roleAllows(c.role, endpoint.access))) {
          const sample = await sampleOf(name, endpoint, caller);
          const sent = await send(app.url, endpoint, sample, await caller.headers());
          allowed += 1;
          const accepted =
            sample.ok === 'refused'
              ? sent.status >= 400 && sent.status < 500
              : sample.ok
                ? sample.ok.includes(sent.status)
                : samples[name]
                  ? sent.status >= 200 && sent.status < 400
                  : sent.status < 500;
          if (sent.code === 'role_forbidden' || !accepted) {
            // A 5xx names its cause in the server log: keep it with the problem.
            const logged =
              sent.status >= 500 ? app.logs.filter((line) => line.includes('"level":50')).at(-1) : '';
            problems.push(
              `${name} as ${caller.label}: ${sent.status} ${sent.code} ${sent.text.slice(0, 160)} ${logged}`,
            );
          }
          // Signing out and changing a password end sessions: sign in again next time.
          if (name === 'signOut' || name === 'changePassword') sessions.clear();
        }
      }
      console.info(
        `role matrix on ${backend}: ${Object.keys(endpoints).length} endpoints, ${refusals} refusals and ${allowed} allowed calls checked` +
          (unsampled.length
            ? `; endpoints without a sample request (bare request sent): ${unsampled.join(', ')}`
            : ''),
      );
      expect(problems).toEqual([]);
    }, 300_000);

    it("keeps workspace B's objects out of workspace A's reach", async () => {
      const bId = await freshWorkspace();
      const bToken = await createTokenOverHttp(app.url, await ownerSession(), {
        name: 'B admin',
        workspaceId: bId,
      });
      const bHeaders = { authorization: `Bearer ${bToken}` };
      const bApi = createApiClient({ baseUrl: app.url, headers: bHeaders });
      const bConnection = await connectSandboxUser({ ...app, api: bApi }, 'sam.lee@example.com');
      const bDestination = await bApi.call('createDestination', {
        body: { kind: 'duckdb', name: 'B warehouse' },
      });
      const bTemplate = await bApi.call('createTemplate', {
        body: {
          baseTemplateId: 'meta-ads.campaign_daily',
          name: 'B template',
          metrics: ['impressions', 'spend'],
        },
      });
      const bExtraction = await bApi.call('createExtraction', {
        body: {
          connectionId: bConnection.id,
          templateId: 'meta-ads.account_daily',
          destinationId: bDestination.id,
        },
      });
      const bRun = await runEnded(
        app,
        (
          await bApi.call('startExtractionRun', {
            params: { id: bExtraction.id },
            body: { from: day(-2), to: day(-2) },
          })
        ).id,
      ).catch(() => null);
      const bWebhook = await bApi.call('createWebhook', { body: { url: hookUrl } });
      const bTokenItem = (await bApi.call('listTokens')).items[0]!;
      const bMember = await addMember(app, bId, 'editor');
      const invitation = await send(
        app.url,
        endpoints.createInvitation as Endpoint,
        { body: { email: `${unique('b-invitee')}@example.com`, role: 'viewer' } },
        bHeaders,
      );
      const bInvitationId =
        invitation.status === 201
          ? (JSON.parse(invitation.text) as { invitation: { id: string } }).invitation.id
          : null;
      const runId =
        bRun?.id ?? (await bApi.call('listExtractionRuns', { params: { id: bExtraction.id } })).items[0]!.id;
      const bIds: Record<OwnedKind, string | null> = {
        connection: bConnection.id,
        sharedConnection: bConnection.id,
        extraction: bExtraction.id,
        run: runId,
        destination: bDestination.id,
        template: bTemplate.id,
        webhook: bWebhook.id,
        token: bTokenItem.id,
        member: bMember.userId,
        invitation: bInvitationId,
      };
      expect(bInvitationId, `createInvitation in B: ${invitation.status} ${invitation.text}`).not.toBeNull();
      const admin = callers.find((c) => c.via === 'token' && c.role === 'admin')!;
      const problems: string[] = [];
      let probes = 0;

      for (const [name, endpoint] of Object.entries(endpoints) as [string, Endpoint][]) {
        for (const location of ['params', 'query', 'body'] as const) {
          for (const [field, kind] of Object.entries(endpoint.owns?.[location] ?? {})) {
            const bObject = bIds[kind];
            if (!bObject) {
              problems.push(`${name}: no object of kind ${kind} made in B`);
              continue;
            }
            const sample = await sampleOf(name, endpoint, admin);
            const named = {
              ...sample,
              [location]: { ...((sample[location] as object) ?? {}), [field]: bObject },
            };
            const before = await quietSnapshot();
            const sent = await send(app.url, endpoint, named, await admin.headers());
            probes += 1;
            if (sent.status !== 404 || sent.code !== 'not_found')
              problems.push(`${name} ${location}.${field} = B's ${kind}: ${sent.status} ${sent.code}`);
            const changed = changedTables(before, await storeSnapshot(app));
            if (changed.length > 0) problems.push(`${name} naming B's ${kind} changed ${changed.join(', ')}`);
          }
        }
      }

      // Every read of A, lists included, as A's admin: not one id of B in the answer.
      // (B's own id is left out: the owner behind A's token belongs to B, so their session and workspace list name
      // it, and A's audit log records that they created it.)
      const needles = Object.values(bIds).filter((id): id is string => id !== null);
      let reads = 0;
      for (const [name, endpoint] of Object.entries(endpoints) as [string, Endpoint][]) {
        if (endpoint.method !== 'GET' || endpoint.access === 'public') continue;
        const sent = await send(
          app.url,
          endpoint,
          await sampleOf(name, endpoint, admin),
          await admin.headers(),
        );
        reads += 1;
        for (const needle of needles)
          if (sent.text.includes(needle)) problems.push(`${name} (as A) shows B's ${needle}`);
      }

      // A token is bound to its workspace; a session only reaches the workspaces of its user.
      const switched = await send(
        app.url,
        endpoints.listConnections as Endpoint,
        {},
        {
          ...(await admin.headers()),
          'x-tributary-workspace': bId,
        },
      );
      expect([switched.status, switched.code]).toEqual([404, 'workspace_not_found']);
      const viewer = callers.find((c) => c.via === 'session' && c.role === 'viewer')!;
      const viewerSession = await sessionOf(viewer.email, viewer.password);
      const stranger = await send(
        app.url,
        endpoints.listConnections as Endpoint,
        {},
        viewerSession.headers(bId),
      );
      expect([stranger.status, stranger.code]).toEqual([404, 'workspace_not_found']);
      // The owner's own session does reach B: the refusals above are about membership, not the header.
      const owner = await send(
        app.url,
        endpoints.listConnections as Endpoint,
        {},
        (await ownerSession()).headers(bId),
      );
      expect(owner.status).toBe(200);
      expect(owner.text).toContain(bConnection.id);

      console.info(`isolation matrix on ${backend}: ${probes} owned-id probes, ${reads} reads scanned`);
      expect(problems).toEqual([]);
    }, 240_000);
  });
}
