/**
 * Making a connection (specific accounts, a cancelled authorization, an API-key source's form) and
 * a connection's details page (Overview, Accounts with Sync accounts and the selection, Settings)
 * in a real browser against a real server with the Meta sandbox.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metaAdsConnector } from '../src/connectors/meta-ads/index.ts';
import { type Browser, browserAvailable, openBrowser, screenshot, signInBrowser } from './browser.ts';
import { tokenFormConnector } from './fixtures/tokenFormConnector.ts';
import { connectSandboxUser, startTestApp, type TestApp, waitFor } from './harness.ts';

describe.runIf(browserAvailable())('Making a connection and its details page', () => {
  let app: TestApp;
  let browser: Browser;
  let alexId = '';

  beforeAll(async () => {
    app = await startTestApp('pglite', {}, { connectors: [metaAdsConnector, tokenFormConnector] });
    browser = await openBrowser();
    await signInBrowser(browser, app);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  const rowOf = (page: Page, email: string) =>
    page.locator('[data-connection-row]', { has: page.getByText(email, { exact: true }) });

  it('chooses specific accounts with search, select all and "show selected only"', async () => {
    const { page } = browser;
    await page.goto(`${app.url}/connections/new`);
    await page.getByRole('textbox', { name: 'Search data sources' }).fill('token');
    await page.getByRole('button', { name: 'Connect Meta Ads', exact: true }).waitFor({ state: 'detached' });
    await page.getByRole('textbox', { name: 'Search data sources' }).fill('');
    await page.getByRole('button', { name: 'Connect Meta Ads', exact: true }).click();
    await page.getByRole('link', { name: /Continue as Alex Morgan/ }).click();
    await page.waitForURL(/\/connections\/new\/accounts\?connection=/);
    alexId = new URL(page.url()).searchParams.get('connection')!;
    await page.getByText('3 accounts found').waitFor();
    await page.getByRole('radio', { name: 'Select specific accounts' }).click();
    await page.getByRole('textbox', { name: 'Search accounts' }).fill('Morgan Studio');
    await page.getByRole('checkbox', { name: 'Select all' }).check();
    await page.getByText('2 of 3 selected').waitFor();
    await page.getByRole('textbox', { name: 'Search accounts' }).fill('');
    await page.getByRole('switch', { name: 'Show selected only' }).click();
    await page.getByText('Alex Morgan', { exact: true }).waitFor({ state: 'detached' });
    await screenshot(page, 'connections-new-accounts-select');
    await page.getByRole('button', { name: 'Save and finish' }).click();
    await page.waitForURL(/\/connections$/);
    await rowOf(page, 'alex@example.com').getByText('2 accounts').waitFor();
  });

  it('shows an authorization the user cancelled on the page, with a way to try again', async () => {
    const { page } = browser;
    // Reached as a data source page's Connect link does: one click to the provider's page.
    await page.goto(`${app.url}/connections/new?source=meta-ads`);
    await page.getByRole('button', { name: 'Continue to Meta Ads' }).click();
    await page.getByRole('link', { name: 'Cancel' }).click();
    await page.waitForURL(/\/connections\/new\/accounts\?.*error=/);
    await page.getByText('Authorization did not complete').waitFor();
    await screenshot(page, 'connections-new-authorization-failed');
    await page.getByRole('link', { name: 'Try again' }).click();
    await page.waitForURL(/\/connections\/new$/);
  });

  it('connects an API-key source through a form built from its credential fields', async () => {
    const { page } = browser;
    // A real sandbox token, as a user would paste it from Business Manager.
    await connectSandboxUser(app, 'sam.lee@example.org');
    const tokens = (await (await fetch(`${app.url}/sandbox/_control/tokens`)).json()) as {
      tokens: { kind: string; value: string; user: string }[];
    };
    const token = tokens.tokens
      .filter((item) => item.user === 'sam.lee@example.org' && item.kind === 'access_token')
      .at(-1)!.value;

    await page.getByRole('button', { name: 'Connect Meta Ads (access token)' }).click();
    await page.waitForURL(/source=meta-ads-token/);
    const field = page.locator('input[name="accessToken"]');
    expect(await field.getAttribute('type')).toBe('password');
    expect(await field.getAttribute('maxlength')).toBe('1000');
    await field.fill('not-a-token');
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await page.getByText('This does not look like a valid access token').waitFor();
    await screenshot(page, 'connections-new-credential-form');
    await field.fill(token);
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await page.waitForURL(/\/connections\/new\/accounts\?connection=/);
    await page.getByText('1 account found').waitFor();
    await page.getByRole('button', { name: 'Save and finish' }).click();
    await page.waitForURL(/\/connections$/);
    await page
      .locator('[data-connection-row]', { hasText: 'Meta Ads (access token)' })
      .getByText('1 account')
      .waitFor();
  });

  it('shows the details page with its Overview, Accounts and Settings tabs', async () => {
    const { page } = browser;
    await rowOf(page, 'alex@example.com').getByRole('link', { name: 'Meta Ads', exact: true }).click();
    await page.waitForURL(new RegExp(`/connections/${alexId}$`));
    await page.getByText('2 accounts active').waitFor();
    await page.getByRole('heading', { name: 'No extractions yet' }).waitFor();
    await screenshot(page, 'connections-details-overview');

    await page.getByRole('tab', { name: 'Accounts' }).click();
    await page.waitForURL(/\/accounts$/);
    const accounts = page.getByRole('table', { name: 'Accounts' });
    await accounts.getByText('Morgan Studio — EU').waitFor();
    expect(await accounts.locator('tbody tr').count()).toBe(3);
    await page.getByText(/Last synced/).waitFor();
    const before = (await app.api.call('getConnection', { params: { id: alexId } })).accountsSyncedAt;
    await page.getByRole('button', { name: 'Sync accounts' }).click();
    // The sync really ran (a newer time in the store), and the page shows it as just done.
    await waitFor(
      () => app.api.call('getConnection', { params: { id: alexId } }),
      (current) => current.accountStatus !== 'loading' && current.accountsSyncedAt !== before,
    );
    await page.getByText(/Last synced (just now|\d+ s ago)/).waitFor();
    await screenshot(page, 'connections-details-accounts');

    await page.getByRole('button', { name: 'Change selection' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('2 of 3 selected').waitFor();
    await screenshot(page, 'connections-details-selection');
    await dialog.getByRole('radio', { name: 'Sync all accounts' }).click();
    await dialog.getByRole('button', { name: 'Save selection' }).click();
    await page.getByText('3 accounts active').waitFor();

    await page.getByRole('tab', { name: 'Settings' }).click();
    await page.waitForURL(/\/settings$/);
    await page.getByText('OAuth 2.0').waitFor();
    await page.getByText('ads_read', { exact: true }).waitFor();
    await screenshot(page, 'connections-details-settings');

    await page.goBack();
    await page.waitForURL(/\/accounts$/);
    await page.goto(`${app.url}/connections/00000000-0000-4000-8000-000000000000`);
    await page.getByText('This connection does not exist').waitFor();
    await screenshot(page, 'connections-details-not-found');

    // A token that expires within two weeks is announced days ahead on Settings. (The sandbox issues
    // 60-day tokens; the store is moved forward as a real clock would, not mocked.)
    await app.runtime.context.db.query(
      "UPDATE connections SET token_expires_at = now() + interval '5 days' WHERE id = $1",
      [alexId],
    );
    await page.goto(`${app.url}/connections/${alexId}/settings`);
    await page.getByText('The access token expires soon').waitFor();
    await screenshot(page, 'connections-details-token-expiring');

    await page.getByRole('button', { name: 'Delete connection' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete connection' }).click();
    await page.waitForURL(/\/connections$/);
    await rowOf(page, 'alex@example.com').waitFor({ state: 'detached' });
  });

  it('reports no console errors', () => {
    // The not-found page's 404 is the one expected failed request.
    expect(browser.problems.filter((problem) => !problem.includes('404'))).toEqual([]);
  });
});
