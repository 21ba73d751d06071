/**
 * A workspace's team through the API (issue 6): invitations (new and existing users, single use,
 * expiry, revocation), members and roles (last-admin guard, removal revokes tokens at once), who may
 * invite, connections shared with another workspace (visible and extractable there, not deletable,
 * paused when unshared), and the audit log (entries with actor and target, no secrets, export to DuckDB).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiSession, createTokenOverHttp } from '../src/access/apiSignIn.ts';
import { type ApiClient, createApiClient } from '../src/contract/client.ts';
import type { EndpointResult } from '../src/contract/endpoints.ts';
import { DEFAULT_WORKSPACE_ID } from '../src/domain/access.ts';
import { addDays, todayIn } from '../src/domain/dates.ts';
import {
  apiFailure,
  backends,
  connectSandboxUser,
  startTestApp,
  type TestApp,
  testOwner,
  waitFor,
} from './harness.ts';

const editor = { email: 'edith@example.com', password: 'a long editor password', name: 'Edith' };

/** A JSON response body: a success's fields, or the error. */
type Body = Record<string, unknown> & { error?: { code: string; message: string } };

/** The secret of an invitation link (`…/invitation?token=tri_…`). */
function tokenOf(url: string): string {
  return new URL(url).searchParams.get('token')!;
}

/** Accepts an invitation as a browser would; returns the HTTP status, body and the new session. */
async function accept(app: TestApp, body: Record<string, unknown>) {
  const response = await fetch(`${app.url}/api/v1/auth/invitation`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as Body;
  const cookies = response.headers.getSetCookie().map((line) => line.split(';')[0]!);
  const cookie = cookies.join('; ');
  const csrf = cookies.find((c) => c.startsWith('tributary_csrf='))?.slice('tributary_csrf='.length) ?? '';
  const session: ApiSession = {
    cookie,
    csrf,
    headers: (workspaceId) => ({
      cookie,
      'x-csrf-token': csrf,
      ...(workspaceId ? { 'x-tributary-workspace': workspaceId } : {}),
    }),
  };
  return { status: response.status, json, session };
}

async function inspect(app: TestApp, token: string) {
  const response = await fetch(`${app.url}/api/v1/auth/invitation?token=${encodeURIComponent(token)}`);
  return { status: response.status, json: (await response.json()) as Body };
}

for (const backend of await backends()) {
  describe(`team on ${backend}`, () => {
    let app: TestApp;
    let ownerId: string;
    let edithId: string;
    let edith: ApiSession;
    let otherWorkspace: string;
    let inBoth: ApiClient;
    const secrets: string[] = [editor.password, testOwner.password];

    const asSession = (session: ApiSession, workspaceId?: string) =>
      createApiClient({ baseUrl: app.url, headers: session.headers(workspaceId) });

    beforeAll(async () => {
      app = await startTestApp(backend);
      ownerId = (await app.api.call('getSession')).user.id;
      const created = await asSession(app.session).call('createWorkspace', { body: { name: 'Client B' } });
      otherWorkspace = created.id;
      inBoth = createApiClient({
        baseUrl: app.url,
        headers: {
          authorization: `Bearer ${await createTokenOverHttp(app.url, app.session, { name: 'B', workspaceId: otherWorkspace })}`,
        },
      });
    }, 120_000);
    afterAll(async () => {
      await app?.close();
    });

    it('invites a new user, who chooses a password, joins with the role and is signed in; the link works once', async () => {
      const created = await app.api.call('createInvitation', {
        body: { email: editor.email, role: 'editor' },
      });
      const token = tokenOf(created.url);
      secrets.push(token);
      expect(created.url.startsWith(`${app.url}/invitation?token=tri_`)).toBe(true);
      expect(created.invitation).toMatchObject({ email: editor.email, role: 'editor', usedAt: null });
      expect(created.invitation.invitedBy).toBe(testOwner.email);
      const hours =
        (Date.parse(created.invitation.expiresAt) - Date.parse(created.invitation.createdAt)) / 3.6e6;
      expect(hours).toBe(72);
      const listed = await app.api.call('listInvitations');
      expect(listed.items.map((i) => i.id)).toContain(created.invitation.id);
      expect(JSON.stringify(listed)).not.toContain(token);

      const preview = await inspect(app, token);
      expect(preview).toEqual({
        status: 200,
        json: {
          workspaceName: 'Default',
          email: editor.email,
          role: 'editor',
          expiresAt: created.invitation.expiresAt,
          userExists: false,
        },
      });

      const short = await accept(app, { token, password: 'short' });
      expect([short.status, short.json.error?.code]).toEqual([400, 'validation_failed']);
      const joined = await accept(app, { token, password: editor.password, name: editor.name });
      expect(joined.status).toBe(200);
      expect(joined.json).toMatchObject({
        user: { email: editor.email, name: editor.name },
        via: 'session',
        workspace: { id: DEFAULT_WORKSPACE_ID, role: 'editor' },
      });
      edith = joined.session;
      edithId = (joined.json.user as { id: string }).id;
      const session = await asSession(edith).call('getSession');
      expect(session.workspace?.role).toBe('editor');

      const members = await app.api.call('listMembers');
      expect(members.items.find((m) => m.email === editor.email)).toMatchObject({
        userId: edithId,
        name: editor.name,
        role: 'editor',
      });
      expect((await app.api.call('listInvitations')).items[0]!.usedAt).not.toBeNull();

      const again = await accept(app, { token, password: editor.password });
      expect([again.status, again.json.error?.code]).toEqual([400, 'invitation_invalid']);
      expect((await inspect(app, token)).status).toBe(400);
      const forged = await inspect(app, `tri_${'A'.repeat(43)}`);
      expect([forged.status, forged.json.error?.code]).toEqual([400, 'invitation_invalid']);
    });

    it('an existing user proves their password to accept, and then belongs to both workspaces', async () => {
      const created = await asSession(app.session, otherWorkspace).call('createInvitation', {
        body: { email: editor.email.toUpperCase(), role: 'viewer', expiresInHours: 2 },
      });
      const token = tokenOf(created.url);
      secrets.push(token);
      expect((await inspect(app, token)).json).toMatchObject({ workspaceName: 'Client B', userExists: true });
      const wrong = await accept(app, { token, password: 'not the right password' });
      expect([wrong.status, wrong.json.error?.code]).toEqual([401, 'sign_in_failed']);
      const joined = await accept(app, { token, password: editor.password });
      expect(joined.status).toBe(200);
      expect(joined.json).toMatchObject({
        user: { id: edithId },
        workspace: { id: otherWorkspace, name: 'Client B', role: 'viewer' },
      });
      const member = await apiFailure(
        asSession(app.session, otherWorkspace).call('createInvitation', {
          body: { email: editor.email, role: 'editor' },
        }),
      );
      expect([member.status, member.code]).toEqual([409, 'conflict']);
      const workspaces = (joined.json.workspaces as { id: string; role: string }[]).map((w) => [
        w.id,
        w.role,
      ]);
      expect(workspaces.sort()).toEqual(
        [
          [DEFAULT_WORKSPACE_ID, 'editor'],
          [otherWorkspace, 'viewer'],
        ].sort(),
      );
    });

    it('editors and viewers cannot invite or manage members (403); no one invites above their role', async () => {
      for (const workspaceId of [DEFAULT_WORKSPACE_ID, otherWorkspace]) {
        const api = asSession(edith, workspaceId);
        const invite = await apiFailure(
          api.call('createInvitation', { body: { email: 'x@example.com', role: 'viewer' } }),
        );
        expect([invite.status, invite.code]).toEqual([403, 'role_forbidden']);
        expect((await apiFailure(api.call('listMembers'))).status).toBe(403);
        expect((await apiFailure(api.call('listAudit'))).status).toBe(403);
      }
      // An admin token capped to editor by its creator's role cannot invite an admin either.
      const editorToken = createApiClient({
        baseUrl: app.url,
        headers: {
          authorization: `Bearer ${await createTokenOverHttp(app.url, app.session, { name: 'ed', role: 'editor' })}`,
        },
      });
      const capped = await apiFailure(
        editorToken.call('createInvitation', { body: { email: 'y@example.com', role: 'admin' } }),
      );
      expect([capped.status, capped.code]).toEqual([403, 'role_forbidden']);
    });

    it('changes roles, but never leaves a workspace without an admin', async () => {
      const changed = await app.api.call('updateMember', {
        params: { id: edithId },
        body: { role: 'viewer' },
      });
      expect(changed).toMatchObject({ userId: edithId, role: 'viewer', email: editor.email });
      expect((await asSession(edith).call('getSession')).workspace?.role).toBe('viewer');

      const demote = await apiFailure(
        app.api.call('updateMember', { params: { id: ownerId }, body: { role: 'editor' } }),
      );
      expect([demote.status, demote.code]).toEqual([409, 'conflict']);
      const remove = await apiFailure(app.api.call('removeMember', { params: { id: ownerId } }));
      expect([remove.status, remove.code]).toEqual([409, 'conflict']);

      // With a second admin the owner may step down; the new admin restores them.
      await app.api.call('updateMember', { params: { id: edithId }, body: { role: 'admin' } });
      const asOwner = asSession(app.session);
      await asOwner.call('updateMember', { params: { id: ownerId }, body: { role: 'editor' } });
      expect((await apiFailure(asOwner.call('listMembers'))).status).toBe(403);
      await asSession(edith).call('updateMember', { params: { id: ownerId }, body: { role: 'admin' } });
      await app.api.call('updateMember', { params: { id: edithId }, body: { role: 'editor' } });
      const roles = (await app.api.call('listMembers')).items.map((m) => [m.email, m.role]);
      expect(roles).toEqual([
        [editor.email, 'editor'],
        [testOwner.email, 'admin'],
      ]);
      const unknown = await apiFailure(
        app.api.call('updateMember', { params: { id: crypto.randomUUID() }, body: { role: 'viewer' } }),
      );
      expect(unknown.status).toBe(404);
    });

    it('an expired or revoked invitation cannot be used', async () => {
      const expiring = await app.api.call('createInvitation', {
        body: { email: 'late@example.com', role: 'viewer', expiresInHours: 1 },
      });
      const revoked = await app.api.call('createInvitation', {
        body: { email: 'gone@example.com', role: 'viewer' },
      });
      secrets.push(tokenOf(expiring.url), tokenOf(revoked.url));
      const context = app.runtime.context;
      const realNow = context.now;
      context.now = () => new Date(realNow.call(context).getTime() + 61 * 60_000);
      try {
        expect((await inspect(app, tokenOf(expiring.url))).status).toBe(400);
        const late = await accept(app, { token: tokenOf(expiring.url), password: 'a long enough password' });
        expect([late.status, late.json.error?.code]).toEqual([400, 'invitation_invalid']);
      } finally {
        context.now = realNow;
      }
      expect((await inspect(app, tokenOf(expiring.url))).status).toBe(200);
      await app.api.call('revokeInvitation', { params: { id: revoked.invitation.id } });
      const refused = await accept(app, { token: tokenOf(revoked.url), password: 'a long enough password' });
      expect([refused.status, refused.json.error?.code]).toEqual([400, 'invitation_invalid']);
      expect((await app.api.call('listMembers')).items.map((m) => m.email)).not.toContain('late@example.com');
      const elsewhere = await apiFailure(
        inBoth.call('revokeInvitation', { params: { id: expiring.invitation.id } }),
      );
      expect(elsewhere.status).toBe(404);
      const bad = await apiFailure(
        app.api.call('createInvitation', {
          body: { email: 'x@example.com', role: 'viewer', expiresInHours: 721 },
        }),
      );
      expect([bad.status, bad.code]).toEqual([400, 'validation_failed']);
    });

    it('removing a member revokes their tokens for the workspace at once', async () => {
      const token = await createTokenOverHttp(app.url, edith, { name: 'edith cli' });
      secrets.push(token);
      const asToken = createApiClient({ baseUrl: app.url, headers: { authorization: `Bearer ${token}` } });
      expect((await asToken.call('listConnections')).items).toBeDefined();
      await app.api.call('removeMember', { params: { id: edithId } });
      const refused = await apiFailure(asToken.call('listConnections'));
      expect([refused.status, refused.code]).toEqual([401, 'authentication_required']);
      const viaSession = await apiFailure(asSession(edith, DEFAULT_WORKSPACE_ID).call('listConnections'));
      expect(viaSession.status).toBe(404);
      // Still a member of Client B, where nothing changed.
      expect((await asSession(edith, otherWorkspace).call('getSession')).workspace?.role).toBe('viewer');
      const listed = (await app.api.call('listTokens')).items.find((t) => t.name === 'edith cli');
      expect(listed?.revokedAt).not.toBeNull();
      expect((await app.api.call('listMembers')).items.map((m) => m.userId)).toEqual([ownerId]);
      expect((await apiFailure(app.api.call('removeMember', { params: { id: edithId } }))).status).toBe(404);
    });

    it('a shared connection is visible and extractable in the other workspace, not deletable there; unsharing pauses it', async () => {
      const connection = await connectSandboxUser(app, 'alex@example.com');
      expect(connection.sharedFrom).toBeNull();
      const own = await apiFailure(
        app.api.call('shareConnection', {
          params: { id: connection.id },
          body: { workspaceId: DEFAULT_WORKSPACE_ID },
        }),
      );
      expect([own.status, own.code]).toEqual([400, 'validation_failed']);
      const stranger = await apiFailure(
        app.api.call('shareConnection', {
          params: { id: connection.id },
          body: { workspaceId: crypto.randomUUID() },
        }),
      );
      expect([stranger.status, stranger.code]).toEqual([404, 'workspace_not_found']);
      const malformed = await apiFailure(
        app.api.call('shareConnection', { params: { id: connection.id }, body: { workspaceId: 'nope' } }),
      );
      expect([malformed.status, malformed.code]).toEqual([404, 'workspace_not_found']);
      const notShared = await apiFailure(
        app.api.call('unshareConnection', { params: { id: connection.id, workspaceId: 'nope' } }),
      );
      expect([notShared.status, notShared.code]).toEqual([404, 'not_found']);
      expect((await inBoth.call('listConnections')).items).toEqual([]);

      const share = await app.api.call('shareConnection', {
        params: { id: connection.id },
        body: { workspaceId: otherWorkspace },
      });
      expect(share).toMatchObject({ workspaceId: otherWorkspace, workspaceName: 'Client B' });
      expect((await app.api.call('listConnectionShares', { params: { id: connection.id } })).items).toEqual([
        share,
      ]);

      const seen = (await inBoth.call('listConnections')).items;
      expect(seen.map((c) => [c.id, c.sharedFrom])).toEqual([
        [connection.id, { workspaceId: DEFAULT_WORKSPACE_ID, workspaceName: 'Default' }],
      ]);
      const detail = await inBoth.call('getConnection', { params: { id: connection.id } });
      expect(detail.sharedFrom?.workspaceId).toBe(DEFAULT_WORKSPACE_ID);
      expect(detail.actions).toMatchObject({ delete: false, reconnect: false });
      expect(detail.accounts.length).toBe(connection.accounts.length);
      expect((await app.api.call('getConnection', { params: { id: connection.id } })).sharedFrom).toBeNull();
      for (const call of [
        () => inBoth.call('deleteConnection', { params: { id: connection.id } }),
        () => inBoth.call('reconnectConnection', { params: { id: connection.id } }),
        () => inBoth.call('syncConnectionAccounts', { params: { id: connection.id } }),
        () => inBoth.call('listConnectionShares', { params: { id: connection.id } }),
        () =>
          inBoth.call('unshareConnection', { params: { id: connection.id, workspaceId: otherWorkspace } }),
      ]) {
        expect((await apiFailure(call())).status).toBe(404);
      }

      const theirs = await inBoth.call('createExtraction', {
        body: { connectionId: connection.id, templateId: 'meta-ads.account_daily' },
      });
      const ours = await app.api.call('createExtraction', {
        body: { connectionId: connection.id, templateId: 'meta-ads.account_daily' },
      });
      const day = addDays(todayIn('UTC', new Date()), -2);
      const started = await inBoth.call('startExtractionRun', {
        params: { id: theirs.id },
        body: { from: day, to: day },
      });
      // Client B's run is B's: the harness's Default token would not see it.
      const run = await waitFor(
        () => inBoth.call('getRun', { params: { id: started.id } }),
        (current) => ['succeeded', 'partial', 'failed', 'cancelled'].includes(current.status),
        90_000,
      );
      expect(run.status).toBe('succeeded');
      expect(run.rows.inserted).toBeGreaterThan(0);

      await app.api.call('unshareConnection', { params: { id: connection.id, workspaceId: otherWorkspace } });
      const paused = await inBoth.call('getExtraction', { params: { id: theirs.id } });
      expect(paused.status).toBe('paused');
      expect(JSON.stringify(paused.statusDetails)).toContain('no longer shared');
      expect((await app.api.call('getExtraction', { params: { id: ours.id } })).status).toBe('active');
      expect((await inBoth.call('listConnections')).items).toEqual([]);
      expect((await apiFailure(inBoth.call('getConnection', { params: { id: connection.id } }))).status).toBe(
        404,
      );
      expect((await app.api.call('listConnectionShares', { params: { id: connection.id } })).items).toEqual(
        [],
      );
      // Resumed anyway, it cannot read the connection any more: its runs fail, saying why.
      await inBoth.call('resumeExtraction', { params: { id: theirs.id } });
      const after = await inBoth.call('startExtractionRun', {
        params: { id: theirs.id },
        body: { from: day, to: day },
      });
      expect([after.status, after.error?.code]).toEqual(['failed', 'connection_not_authorized']);
      expect(after.error?.message).toContain('no longer shared');
      const twice = await apiFailure(
        app.api.call('unshareConnection', { params: { id: connection.id, workspaceId: otherWorkspace } }),
      );
      expect(twice.status).toBe(404);
    }, 120_000);

    it('audits every change with actor and target, pages the log, and never holds a secret', async () => {
      const all: EndpointResult<'listAudit'>['items'] = [];
      let before: number | undefined;
      for (;;) {
        const page = await app.api.call('listAudit', { query: { limit: 3, ...(before ? { before } : {}) } });
        expect(page.items.length).toBeLessThanOrEqual(3);
        all.push(...page.items);
        if (page.nextBefore === null) break;
        before = page.nextBefore;
      }
      for (const query of [{ before: 1e20 }, { before: 0 }, { limit: 0 }, { limit: 501 }]) {
        const refused = await apiFailure(app.api.call('listAudit', { query }));
        expect([refused.status, refused.code], JSON.stringify(query)).toEqual([400, 'validation_failed']);
      }
      const ids = all.map((entry) => entry.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect([...ids].sort((a, b) => b - a)).toEqual(ids);
      const find = (action: string, targetId?: string) =>
        all.find(
          (entry) => entry.action === action && (targetId === undefined || entry.targetId === targetId),
        );

      const invitedEdith = all.find(
        (entry) =>
          entry.action === 'createInvitation' &&
          (entry.details.values as Record<string, unknown> | undefined)?.role === 'editor',
      );
      expect(invitedEdith).toMatchObject({
        actor: `${testOwner.email} (API token)`,
        targetType: 'invitation',
        details: { values: { email: editor.email, role: 'editor' } },
      });
      expect(find('acceptInvitation', edithId)).toMatchObject({ actor: editor.email, targetType: 'member' });
      // Oldest first: every role change, by whom, to which member.
      const changes = all
        .filter((entry) => entry.action === 'updateMember')
        .reverse()
        .map((entry) => [entry.actor, entry.targetType, entry.targetId, entry.details.values]);
      const token = `${testOwner.email} (API token)`;
      expect(changes).toEqual([
        [token, 'member', edithId, { role: 'viewer' }],
        [token, 'member', edithId, { role: 'admin' }],
        [testOwner.email, 'member', ownerId, { role: 'editor' }],
        [editor.email, 'member', ownerId, { role: 'admin' }],
        [token, 'member', edithId, { role: 'editor' }],
      ]);
      expect(find('removeMember', edithId)).toMatchObject({ actor: `${testOwner.email} (API token)` });
      expect(find('revokeInvitation')?.targetType).toBe('invitation');
      expect(find('shareConnection')).toMatchObject({
        targetType: 'connection',
        details: { values: { workspaceId: otherWorkspace } },
      });
      expect(find('unshareConnection')?.targetType).toBe('connection');
      // Client B's own log holds its invitation and Edith's joining there, and nothing of Default's.
      const theirs = (await inBoth.call('listAudit', { query: { limit: 500 } })).items.map((e) => e.action);
      expect(theirs).toEqual(
        expect.arrayContaining(['createInvitation', 'acceptInvitation', 'createExtraction']),
      );
      expect(theirs).not.toContain('shareConnection');

      const text = JSON.stringify(all);
      for (const secret of secrets) expect(text).not.toContain(secret);
      for (const secret of secrets) expect(app.logs.join('\n')).not.toContain(secret);
    });

    it('exports the audit log to the destination, replacing the previous export', async () => {
      const destination = (await app.api.call('listDestinations')).items.find((d) => d.isDefault)!;
      const first = await app.api.call('exportAudit', { body: { destinationId: destination.id } });
      const entries = (await app.api.call('listAudit', { query: { limit: 500 } })).items;
      // The export's own entry is written after it, so the table holds every entry before it.
      expect(first).toEqual({ table: 'tributary_audit_log', rows: entries.length - 1 });
      const second = await app.api.call('exportAudit', { body: { destinationId: destination.id } });
      expect(second.rows).toBe(entries.length);
      const warehouse = await app.runtime.context.destinations.get(destination.id);
      expect(warehouse.kind).toBe('duckdb');
      const table = await warehouse.preview('tributary_audit_log', 1000);
      expect(table.rows.length).toBe(entries.length);
      expect(new Set(table.rows.map((row) => Number(row.entry_id)))).toEqual(
        new Set(entries.map((e) => e.id)),
      );
      const share = table.rows.find((row) => row.action === 'shareConnection')!;
      expect([share.actor, share.target_type, share.account_id]).toEqual([
        `${testOwner.email} (API token)`,
        'connection',
        DEFAULT_WORKSPACE_ID,
      ]);
      const text = JSON.stringify(table.rows);
      for (const secret of secrets) expect(text).not.toContain(secret);

      const openapi = (await (await fetch(`${app.url}/api/v1/openapi.json`)).json()) as {
        paths: Record<string, Record<string, unknown>>;
      };
      expect(Object.keys(openapi.paths['/api/v1/members/{id}'] ?? {}).sort()).toEqual(['delete', 'patch']);
      expect(Object.keys(openapi.paths)).toEqual(
        expect.arrayContaining([
          '/api/v1/audit/export',
          '/api/v1/auth/invitation',
          '/api/v1/connections/{id}/shares/{workspaceId}',
        ]),
      );

      const theirs = (await inBoth.call('listDestinations')).items[0]!;
      const elsewhere = await apiFailure(app.api.call('exportAudit', { body: { destinationId: theirs.id } }));
      expect(elsewhere.status).toBe(404);
    });

    it('accepting as an existing user is throttled like sign-in', async () => {
      const created = await app.api.call('createInvitation', {
        body: { email: editor.email, role: 'viewer' },
      });
      const token = tokenOf(created.url);
      const codes: string[] = [];
      for (let attempt = 0; attempt < 5; attempt++)
        codes.push(
          String((await accept(app, { token, password: `wrong ${attempt} password` })).json.error?.code),
        );
      expect(codes.slice(0, 4)).toEqual(Array(4).fill('sign_in_failed'));
      const locked = await accept(app, { token, password: editor.password });
      expect([locked.status, locked.json.error?.code]).toEqual([429, 'sign_in_throttled']);
      // Nothing was joined or used up while locked.
      expect((await app.api.call('listMembers')).items.map((m) => m.email)).not.toContain(editor.email);
      expect((await inspect(app, token)).status).toBe(200);
    });
  });
}
