/**
 * People and workspaces in a real browser against a real server: first-run owner setup through the page,
 * sign-in (wrong, then right password), sign-out, API tokens shown once, inviting a viewer who accepts in a
 * second browser and sees everything read-only (while the API refuses anyway), the workspace switcher, sharing
 * a connection with another workspace, and the audit log.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenOverHttp, signInOverHttp } from '../src/access/apiSignIn.ts';
import { createApiClient } from '../src/contract/client.ts';
import { type Browser, browserAvailable, openBrowser, screenshot } from './browser.ts';
import { connectSandboxUser, type FreshApp, startFreshApp, type TestApp, testOwner } from './harness.ts';

const viewer = { email: 'viewer@example.com', password: 'viewer password 123', name: 'Vera Viewer' };

/** The cookie header and CSRF token a browser holds for the app, to call the API as that browser would. */
async function browserSession(browser: Browser, url: string) {
  const cookies = await browser.context.cookies(url);
  return {
    cookie: cookies.map((c) => `${c.name}=${c.value}`).join('; '),
    csrf: cookies.find((c) => c.name === 'tributary_csrf')?.value ?? '',
  };
}

async function openUserMenu(page: Page, email: string) {
  await page.getByRole('button', { name: `Account: ${email}` }).click();
}

describe.runIf(browserAvailable())('people and workspaces in the web app', () => {
  let fresh: FreshApp;
  let app: TestApp;
  let browser: Browser;
  let second: Browser | undefined;
  let invitationUrl = '';
  let connectionId = '';

  beforeAll(async () => {
    [fresh, browser] = await Promise.all([startFreshApp('pglite'), openBrowser()]);
  });
  afterAll(async () => {
    await second?.close();
    await browser?.close();
    await fresh?.close();
  });

  it('creates the owner account through the first-run page and opens the app', async () => {
    const { page } = browser;
    await page.goto(`${fresh.url}/connections`);
    const form = page.getByRole('form', { name: 'Create the owner account' });
    await form.waitFor();
    await form.getByLabel('Email').fill(testOwner.email);
    await form.getByLabel('Name').fill(testOwner.name);
    await form.getByLabel(/^Password/).fill('too short');
    await page.getByText('At least 10 characters', { exact: true }).last().waitFor();
    expect(await form.getByRole('button', { name: 'Create account and sign in' }).isDisabled()).toBe(true);
    await form.getByLabel(/^Password/).fill(testOwner.password);
    await form.getByLabel('Repeat the password').fill(testOwner.password);
    await screenshot(page, 'access-1-setup');
    await form.getByRole('button', { name: 'Create account and sign in' }).click();
    await page.getByRole('heading', { name: 'Connect your first data source' }).waitFor();
    expect(page.url()).toMatch(/\/connections$/);
    await page.getByRole('button', { name: 'Workspace: Default' }).waitFor();
    // The server agrees: setup is done, and the API works for a program signing in the same way.
    const setup = (await (await fetch(`${fresh.url}/api/v1/auth/setup`)).json()) as {
      setupRequired: boolean;
    };
    expect(setup.setupRequired).toBe(false);
    const session = await signInOverHttp(fresh.url, testOwner.email, testOwner.password);
    const token = await createTokenOverHttp(fresh.url, session, { name: 'ui access test' });
    const authHeaders = { authorization: `Bearer ${token}` };
    app = {
      ...fresh,
      api: createApiClient({ baseUrl: fresh.url, headers: authHeaders }),
      token,
      authHeaders,
      session,
    };
    connectionId = (await connectSandboxUser(app, 'alex@example.com')).id;
  });

  it('signs out, refuses a wrong password, and signs in again where the user was going', async () => {
    const { page } = browser;
    await openUserMenu(page, testOwner.email);
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    const form = page.getByRole('form', { name: 'Sign in' });
    await form.waitFor();
    // Signed out for real: the API refuses the browser's old cookies.
    const old = await browserSession(browser, fresh.url);
    expect(
      (await fetch(`${fresh.url}/api/v1/auth/session`, { headers: { cookie: old.cookie } })).status,
    ).toBe(401);

    await page.goto(`${fresh.url}/destinations`);
    await form.getByLabel('Email').fill(testOwner.email);
    await form.getByLabel(/^Password/).fill('not the password at all');
    const before = browser.problems.length;
    await form.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong password' }).waitFor();
    // The refused sign-in is the one console error expected (chromium logs every 4xx response): exactly one 401.
    expect(browser.problems.splice(before)).toEqual([
      'console: Failed to load resource: the server responded with a status of 401 (Unauthorized)',
    ]);
    await screenshot(page, 'access-2-wrong-password');
    await form.getByLabel(/^Password/).fill(testOwner.password);
    await form.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Destinations' }).waitFor();
    expect(page.url()).toMatch(/\/destinations$/);
  });

  it('creates an API token whose secret is shown once and works', async () => {
    const { page } = browser;
    await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Settings' }).click();
    await page.waitForURL(/\/settings\/tokens$/);
    await page.getByRole('button', { name: 'New API token' }).click();
    const dialog = page.getByRole('dialog', { name: 'New API token' });
    await dialog.getByLabel('Name').fill('Nightly export');
    await dialog.getByRole('button', { name: 'Create token' }).click();
    const secret = page.locator('[data-secret]');
    await secret.waitFor();
    const token = (await secret.textContent())?.trim() ?? '';
    expect(token).toMatch(/^trb_/);
    await page.locator('[data-token-row]', { hasText: 'Nightly export' }).getByText('Never').waitFor();
    await dialog.waitFor({ state: 'hidden' });
    await screenshot(page, 'access-3-token-once');
    const asToken = await fetch(`${fresh.url}/api/v1/connections`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(asToken.status).toBe(200);
    // Shown once: after a reload the list has the token, the secret is gone, and its last use shows.
    await page.reload();
    await page.locator('[data-token-row]', { hasText: 'Nightly export' }).waitFor();
    expect(await page.locator('[data-secret]').count()).toBe(0);
    expect(await page.locator('body').textContent()).not.toContain(token);
    await page
      .locator('[data-token-row]', { hasText: 'Nightly export' })
      .getByText('Never')
      .waitFor({ state: 'detached' });
  });

  it('invites a viewer, who accepts in a second browser and lands in the workspace', async () => {
    const { page } = browser;
    await page.getByRole('tab', { name: 'Members' }).click();
    await page.waitForURL(/\/settings\/members$/);
    await page.getByRole('button', { name: 'Invite someone' }).click();
    const dialog = page.getByRole('dialog', { name: 'Invite someone' });
    await dialog.getByLabel('Email').fill(viewer.email);
    await dialog.getByLabel('Role', { exact: true }).click();
    await page.getByRole('option', { name: 'Viewer' }).click();
    await dialog.getByRole('button', { name: 'Create invitation' }).click();
    const link = page.locator('[data-secret]');
    await link.waitFor();
    invitationUrl = (await link.textContent())?.trim() ?? '';
    expect(invitationUrl).toContain('/invitation?token=');
    await page.locator('[data-invitation-row]', { hasText: viewer.email }).getByText('Pending').waitFor();
    await screenshot(page, 'access-4-invited');

    second = await openBrowser();
    const other = second.page;
    await other.goto(invitationUrl);
    await other.getByRole('heading', { name: 'Join Default' }).waitFor();
    const form = other.getByRole('form', { name: 'Accept the invitation' });
    await form.getByLabel('Name').fill(viewer.name);
    await form.getByLabel(/^Password/).fill(viewer.password);
    await form.getByLabel('Repeat the password').fill(viewer.password);
    await screenshot(other, 'access-5-accept');
    await form.getByRole('button', { name: 'Accept and join' }).click();
    await other.waitForURL(/\/connections$/);
    await other.getByRole('button', { name: 'Workspace: Default' }).waitFor();
    await other.locator('[data-connection-row]').first().waitFor();
    // Single use: the same link now says so.
    const reused = await fetch(
      `${fresh.url}/api/v1/auth/invitation?token=${new URL(invitationUrl).searchParams.get('token')}`,
    );
    expect(reused.status).toBe(400);
  });

  it('shows the viewer everything read-only, and the API refuses a change anyway', async () => {
    const other = second!.page;
    const row = other.locator(`[data-connection-row="${connectionId}"]`);
    await row.getByText('alex@example.com').waitFor();
    await screenshot(other, 'access-6-viewer-connections');
    expect(await other.getByRole('link', { name: 'Make a new connection' }).count()).toBe(0);
    expect(await row.getByRole('button', { name: /^Delete / }).count()).toBe(0);
    expect(await row.getByRole('button', { name: /^Reconnect / }).count()).toBe(0);
    expect(await row.getByRole('checkbox').count()).toBe(0);
    expect(await row.getByRole('link', { name: /^Extract from / }).count()).toBe(0);
    // The owner, in the same list, has them.
    const ownerRow = browser.page.locator(`[data-connection-row="${connectionId}"]`);
    await browser.page
      .getByRole('navigation', { name: 'Main menu' })
      .getByRole('link', { name: 'Connections' })
      .click();
    await ownerRow.getByRole('button', { name: /^Delete / }).waitFor();

    await other.goto(`${fresh.url}/connections/${connectionId}/settings`);
    await other.getByRole('heading', { name: 'Authorization' }).waitFor();
    expect(await other.getByRole('button', { name: 'Delete connection' }).count()).toBe(0);
    expect(await other.getByRole('button', { name: 'Reconnect' }).count()).toBe(0);
    await other.goto(`${fresh.url}/connections/new`);
    await other.getByRole('heading', { name: 'Your role cannot do this' }).waitFor();
    await other.goto(`${fresh.url}/settings`);
    await other.waitForURL(/\/settings\/tokens$/);
    expect(await other.getByRole('tab', { name: 'Members' }).count()).toBe(0);
    expect(await other.getByRole('tab', { name: 'Audit log' }).count()).toBe(0);

    const asViewer = await browserSession(second!, fresh.url);
    const refused = await fetch(`${fresh.url}/api/v1/connections/${connectionId}`, {
      method: 'DELETE',
      headers: { cookie: asViewer.cookie, 'x-csrf-token': asViewer.csrf },
    });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('role_forbidden');
    expect((await app.api.call('getConnection', { params: { id: connectionId } })).id).toBe(connectionId);
  });

  it('creates a workspace from the switcher, which shows its own (empty) connections', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'Workspace: Default' }).click();
    await page.getByRole('menuitem', { name: 'Create a workspace' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create a workspace' });
    await dialog.getByLabel('Name').fill('Client B');
    await dialog.getByRole('button', { name: 'Create workspace' }).click();
    await page.getByRole('button', { name: 'Workspace: Client B' }).waitFor();
    await page.getByRole('heading', { name: 'Connect your first data source' }).waitFor();
    expect(await page.locator('[data-connection-row]').count()).toBe(0);
    await screenshot(page, 'access-7-other-workspace');
    // Back in Default the connection is there again; the choice survives a reload.
    await page.getByRole('button', { name: 'Workspace: Client B' }).click();
    await page.getByRole('menuitem', { name: /Default/ }).click();
    await page.locator(`[data-connection-row="${connectionId}"]`).waitFor();
    await page.reload();
    await page.getByRole('button', { name: 'Workspace: Default' }).waitFor();
    await page.locator(`[data-connection-row="${connectionId}"]`).waitFor();
  });

  it('shares a connection with the other workspace, where it shows as shared and read-only', async () => {
    const { page } = browser;
    await page.goto(`${fresh.url}/connections/${connectionId}/settings`);
    const sharing = page.getByRole('region', { name: 'Sharing' });
    await sharing.getByText('Not shared with any other workspace.').waitFor();
    await sharing.getByLabel('Share with', { exact: true }).click();
    await page.getByRole('option', { name: 'Client B' }).click();
    await sharing.getByRole('button', { name: 'Share', exact: true }).click();
    await sharing.locator('[data-share-row="Client B"]').waitFor();
    await screenshot(page, 'access-8-sharing');

    await page.getByRole('button', { name: 'Workspace: Default' }).click();
    await page.getByRole('menuitem', { name: /Client B/ }).click();
    await page.waitForURL(/\/connections$/);
    const row = page.locator(`[data-connection-row="${connectionId}"]`);
    await row.getByText('Shared from Default').waitFor();
    expect(await row.getByRole('button', { name: /^Delete / }).count()).toBe(0);
    expect(await row.getByRole('link', { name: /^Extract from / }).count()).toBe(1);
    await screenshot(page, 'access-9-shared-row');
    await row.getByRole('link', { name: 'Meta Ads', exact: true }).click();
    await page.getByText('Shared from Default').waitFor();
    expect(await page.getByRole('button', { name: 'Reconnect' }).count()).toBe(0);
  });

  it('shows the audit log to the admin', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'Workspace: Client B' }).click();
    await page.getByRole('menuitem', { name: /Default/ }).click();
    await page.goto(`${fresh.url}/settings/audit`);
    const table = page.getByRole('table', { name: 'Audit log' });
    await table.locator('[data-audit-action="createInvitation"]').waitFor();
    await table.locator('[data-audit-action="shareConnection"]').waitFor();
    expect(await table.textContent()).toContain(testOwner.email);
    await screenshot(page, 'access-10-audit');
  });

  it('returns to sign-in when the session ends, then to the page the user was on', async () => {
    const { page } = browser;
    await page.goto(`${fresh.url}/extractions`);
    await page.getByRole('heading', { name: 'Extractions' }).first().waitFor();
    // The server forgets the session (as when it expires); the next call the page makes is refused.
    const session = (await browser.context.cookies(fresh.url)).find((c) => c.name === 'tributary_session')!;
    await browser.context.addCookies([{ ...session, value: 'trs_expired' }]);
    const before = browser.problems.length;
    await page
      .getByRole('navigation', { name: 'Main menu' })
      .getByRole('link', { name: 'Destinations' })
      .click();
    await page.getByText('Your session has ended. Sign in again to continue.').waitFor();
    expect(page.url()).toMatch(/\/destinations$/);
    const form = page.getByRole('form', { name: 'Sign in' });
    await form.getByLabel('Email').fill(testOwner.email);
    await form.getByLabel(/^Password/).fill(testOwner.password);
    await form.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Destinations' }).waitFor();
    expect(page.url()).toMatch(/\/destinations$/);
    await page.getByRole('button', { name: 'Workspace: Default' }).waitFor();
    // The refused calls are logged by chromium as 401s, and nothing else.
    const logged = browser.problems.splice(before);
    expect(logged.length).toBeGreaterThan(0);
    for (const line of logged) expect(line).toContain('status of 401');
  });

  it('reports no console errors in either browser', () => {
    expect(browser.problems).toEqual([]);
    expect(second?.problems ?? []).toEqual([]);
  });
});
