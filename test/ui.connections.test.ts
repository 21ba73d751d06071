/**
 * The Connected Sources page in a real browser against a real server with the Meta sandbox:
 * the empty state, making connections through the sandbox consent page, search, sorting every
 * sortable column both ways, a provider fault and its details, reconnect, and deletes.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionView } from '../src/contract/schemas.ts';
import type { ConnectionSortKey } from '../src/domain/connection.ts';
import { type Browser, browserAvailable, openBrowser, screenshot, signInBrowser } from './browser.ts';
import { connectSandboxUser, injectFault, startTestApp, type TestApp, waitFor } from './harness.ts';

/** The rendered rows' connection ids, top to bottom. */
function renderedIds(page: Page): Promise<string[]> {
  return page.$$eval('[data-connection-row]', (rows) =>
    rows.map((row) => row.getAttribute('data-connection-row')!),
  );
}

/** Waits until the table shows the rows of `search|sort|order` (not the previous view's). */
async function tableShows(page: Page, view: string): Promise<void> {
  await page.waitForFunction((expected) => {
    const table = document.querySelector('table[aria-label="Connected sources"]');
    return table?.getAttribute('data-view') === expected && table.getAttribute('data-stale') === 'false';
  }, view);
}

/** The server's documented sort value of a connection (Status and Actions are not sortable). */
function sortValue(connection: ConnectionView, sort: ConnectionSortKey): string | number {
  switch (sort) {
    case 'dataSource':
      return connection.dataSource.name.toLowerCase();
    case 'businessAccount':
      return (connection.businessAccount ?? '').toLowerCase();
    case 'businessAccountId':
      return connection.businessAccountId ?? '';
    case 'accountStatus':
      // Loading first, then Error, then by the number of accounts.
      return connection.accountStatus === 'loading'
        ? -2
        : connection.accountStatus === 'error'
          ? -1
          : connection.accountsCount;
    case 'createdAt':
      return connection.createdAt;
    case 'lastAuthorizedAt':
      return connection.lastAuthorizedAt ?? '1970-01-01T00:00:00.000Z';
  }
}

/** The expected order, computed here from the rows rather than asked of the server. */
function expectedOrder(items: ConnectionView[], sort: ConnectionSortKey, order: 'asc' | 'desc'): string[] {
  const sign = order === 'asc' ? 1 : -1;
  const compare = (left: string | number, right: string | number) =>
    left < right ? -1 : left > right ? 1 : 0;
  return [...items]
    .sort((a, b) => sign * (compare(sortValue(a, sort), sortValue(b, sort)) || compare(a.id, b.id)))
    .map((item) => item.id);
}

describe.runIf(browserAvailable())('Connections page', () => {
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    app = await startTestApp('pglite');
    browser = await openBrowser();
    await signInBrowser(browser, app);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  const rowOf = (page: Page, email: string) =>
    page.locator('[data-connection-row]', { has: page.getByText(email, { exact: true }) });

  it('starts empty, with a way to the first connection', async () => {
    const { page } = browser;
    await page.goto(`${app.url}/connections`);
    await page.getByRole('heading', { name: 'Connect your first data source' }).waitFor();
    await screenshot(page, 'connections-empty');
    await page.getByRole('link', { name: 'Make a new connection' }).first().click();
    await page.waitForURL(/\/connections\/new$/);
  });

  it('makes a connection through the sandbox consent page and watches its accounts load', async () => {
    const { page } = browser;
    await page.getByRole('heading', { name: 'Meta Ads' }).waitFor();
    await page.getByText('Sandbox', { exact: true }).first().waitFor();
    await screenshot(page, 'connections-new-pick-source');
    await page.getByRole('button', { name: 'Connect Meta Ads' }).click();
    await page.waitForURL(/\/sandbox\//);
    await screenshot(page, 'connections-new-sandbox-consent');
    await page.getByRole('link', { name: /Continue as Big Agency Ops/ }).click();
    await page.waitForURL(/\/connections\/new\/accounts\?connection=/);
    await page.getByText('is connected as').waitFor();
    await screenshot(page, 'connections-new-accounts-loading');
    // "Sync all accounts" is the default and needs no list: finish at once, while accounts load.
    expect(await page.getByRole('radio', { name: 'Sync all accounts' }).isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Save and finish' }).click();
    await page.waitForURL(/\/connections$/);
    const row = rowOf(page, 'agency@example.com');
    await row.waitFor();
    const first = await row.textContent();
    await screenshot(page, 'connections-list-loading-accounts');
    await row.getByText('1,200 accounts').waitFor({ timeout: 30_000 });
    // The row either caught discovery in progress or it had already finished; both end in 1,200.
    expect(first).toMatch(/Loading accounts|1,200 accounts/);
    await screenshot(page, 'connections-list-one');
  });

  it('searches, and sorts every sortable column both ways in the server order', async () => {
    const { page } = browser;
    for (const email of [
      'alex@example.com',
      'nora@example.com',
      'sam.lee@example.com',
      'sam.lee@example.org',
    ]) {
      await connectSandboxUser(app, email);
    }
    await page.goto(`${app.url}/connections`);
    await tableShows(page, '|createdAt|desc');
    const all = (await app.api.call('listConnections', { query: { limit: 200 } })).items;
    expect(await renderedIds(page)).toEqual(expectedOrder(all, 'createdAt', 'desc'));

    await page.getByRole('textbox', { name: 'Search connections' }).fill('sam.lee');
    await page.waitForURL(/search=sam\.lee/);
    await tableShows(page, 'sam.lee|createdAt|desc');
    const found = await renderedIds(page);
    expect(found.sort()).toEqual(
      all
        .filter((item) => item.businessAccount?.startsWith('sam.lee'))
        .map((item) => item.id)
        .sort(),
    );
    await screenshot(page, 'connections-search');
    await page.getByRole('textbox', { name: 'Search connections' }).fill('');
    await tableShows(page, '|createdAt|desc');

    const headers: [string, ConnectionSortKey][] = [
      ['Data Source', 'dataSource'],
      ['Business Account', 'businessAccount'],
      ['Account Status', 'accountStatus'],
      ['Business Account ID', 'businessAccountId'],
      ['Created', 'createdAt'],
      ['Last Authorization', 'lastAuthorizedAt'],
    ];
    for (const [label, sort] of headers) {
      // The first click on another column sorts ascending, the second descending.
      for (const order of ['asc', 'desc'] as const) {
        await page.getByRole('button', { name: new RegExp(`^Sort by ${label}(,|$)`) }).click();
        await tableShows(page, `|${sort}|${order}`);
        expect(page.url()).toContain(`sort=${sort}&order=${order}`);
        const header = page.locator('th[aria-sort]:not([aria-sort="none"])');
        expect(await header.getAttribute('aria-sort')).toBe(order === 'asc' ? 'ascending' : 'descending');
        expect(await renderedIds(page), `${sort} ${order}`).toEqual(expectedOrder(all, sort, order));
      }
    }
    await screenshot(page, 'connections-sorted');
    await page.goBack();
    await tableShows(page, '|lastAuthorizedAt|asc');
    expect(
      await page
        .getByRole('columnheader', { name: /Status/ })
        .first()
        .getAttribute('aria-sort'),
    ).toBeNull();

    // The switch follows the URL, which the router updates a moment after the click.
    await page.getByRole('switch', { name: 'Group by data source' }).click();
    await tableShows(page, '|dataSource|asc');
    expect(await page.locator('[data-group-header]').count()).toBe(1);
    await screenshot(page, 'connections-grouped');
  });

  it('shows a provider fault as Error, with its details behind the plus icon, and reconnects', async () => {
    const { page } = browser;
    const sam = (await app.api.call('listConnections', { query: { search: 'sam.lee@example.com' } }))
      .items[0]!;
    await injectFault(app, 'token_expired', 1);
    await app.api.call('syncConnectionAccounts', { params: { id: sam.id } });
    await waitFor(
      () => app.api.call('getConnection', { params: { id: sam.id } }),
      (connection) => connection.accountStatus !== 'loading',
    );
    await page.goto(`${app.url}/connections`);
    const row = rowOf(page, 'sam.lee@example.com');
    await row.getByText('Error', { exact: true }).first().waitFor();
    await row.getByRole('button', { name: /Show issue details/ }).click();
    const details = page.locator(`[data-issue-details="${sam.id}"]`);
    await details.getByText('What to do').waitFor();
    expect(await details.textContent()).toMatch(/Authorization/);
    expect(await details.textContent()).toMatch(/Reconnect/);
    expect(await row.getByRole('button', { name: /Extract from/ }).isDisabled()).toBe(true);
    await screenshot(page, 'connections-error-details');

    await row.getByRole('button', { name: /^Reconnect/ }).click();
    await page.waitForURL(/\/sandbox\//);
    await page.getByRole('link', { name: /sam\.lee@example\.com/ }).click();
    await page.waitForURL(/\/connections\?connection=/);
    await rowOf(page, 'sam.lee@example.com').getByText('Active', { exact: true }).waitFor();
    await rowOf(page, 'sam.lee@example.com').getByText('2 accounts').waitFor();
  });

  it('deletes one connection, then several selected, after a confirmation', async () => {
    const { page } = browser;
    await rowOf(page, 'nora@example.com')
      .getByRole('button', { name: /^Delete/ })
      .click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Data already loaded into your destinations is kept').waitFor();
    await screenshot(page, 'connections-delete-one');
    await dialog.getByRole('button', { name: 'Delete connection' }).click();
    await rowOf(page, 'nora@example.com').waitFor({ state: 'detached' });

    for (const email of ['sam.lee@example.com', 'sam.lee@example.org']) {
      await rowOf(page, email).getByRole('checkbox').check();
    }
    await page.getByText('2 selected').waitFor();
    await page.getByRole('button', { name: 'Delete selected' }).click();
    await dialog.getByRole('heading', { name: 'Delete 2 connections?' }).waitFor();
    await screenshot(page, 'connections-delete-selected');
    await dialog.getByRole('button', { name: 'Delete 2 connections' }).click();
    await rowOf(page, 'sam.lee@example.org').waitFor({ state: 'detached' });
    await rowOf(page, 'sam.lee@example.com').waitFor({ state: 'detached' });
    const left = (await app.api.call('listConnections')).items.map((item) => item.businessAccount);
    expect(left).not.toContain('nora@example.com');
    expect(left).not.toContain('sam.lee@example.com');
    expect(left).not.toContain('sam.lee@example.org');
  });

  it('reports no console errors', () => {
    expect(browser.problems).toEqual([]);
  });
});
