/**
 * The Destinations and Data sources pages in a real browser: listing, adding (DuckDB, PostgreSQL,
 * and a PostgreSQL that cannot be reached), deleting; the source catalog and a source's setup
 * guide (rendered markdown), schema and troubleshooting.
 */
import crypto from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRequirements } from '../src/config.ts';
import { type Browser, browserAvailable, openBrowser, screenshot, signInBrowser } from './browser.ts';
import { startTestApp, type TestApp } from './harness.ts';
import { postgresAvailable } from './postgres.ts';

const { postgresUrl } = testRequirements();

describe.runIf(browserAvailable())('Destinations and Data sources pages', () => {
  let app: TestApp;
  let browser: Browser;
  let withPostgres = false;
  const pgSchema = `ui_dest_${crypto.randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    [app, browser, withPostgres] = await Promise.all([
      startTestApp('pglite'),
      openBrowser({ width: 1280, height: 800 }),
      postgresAvailable(),
    ]);
    await signInBrowser(browser, app);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    if (withPostgres) {
      const client = new pg.Client({ connectionString: postgresUrl });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${pgSchema}" CASCADE`);
      await client.end();
    }
  });

  const destinationNames = async () =>
    (await app.api.call('listDestinations', {})).items.map((item) => item.name);
  // Modals fade in and out (about 200 ms): screenshots wait for the page to be still.
  const settled = async (name: string) => {
    await browser.page.waitForTimeout(350);
    await screenshot(browser.page, name);
  };
  const row = (name: string) => browser.page.getByTestId('destination-row').filter({ hasText: name });

  it('lists the default DuckDB destination', async () => {
    const { page } = browser;
    await page.goto(`${app.url}/destinations`);
    const local = row('Local DuckDB');
    await local.waitFor();
    expect(await local.getByText('Default', { exact: true }).count()).toBe(1);
    expect(await local.getByText('DuckDB', { exact: true }).count()).toBe(1);
    expect(await local.textContent()).toContain('warehouse.duckdb');
    // The default cannot be deleted from here; its button says why instead of doing nothing silently.
    expect(
      await local.getByRole('button', { name: 'Delete Local DuckDB' }).getAttribute('aria-disabled'),
    ).toBe('true');
    await screenshot(page, 'catalog-destinations');
  });

  it('adds a DuckDB destination next to the default warehouse when no path is given', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Add destination' }).click();
    await page.waitForURL(/\/destinations\/new$/);
    const dialog = page.getByRole('dialog', { name: 'Add destination' });
    await dialog.getByLabel('Name').fill('Analytics copy');
    await settled('catalog-destination-add-duckdb');
    await dialog.getByRole('button', { name: 'Test and save' }).click();
    await page.waitForURL(/\/destinations$/);
    await row('Analytics copy').waitFor();
    const added = (await app.api.call('listDestinations', {})).items.find(
      (item) => item.name === 'Analytics copy',
    );
    expect(added?.kind).toBe('duckdb');
    expect(added?.location).toMatch(/analytics-copy\.duckdb$/);
    expect(added?.location.startsWith(app.config.home)).toBe(true);
  });

  it('shows why a PostgreSQL destination cannot be reached and what to do, and saves nothing', async () => {
    const { page } = browser;
    await page.goto(`${app.url}/destinations/new`);
    const dialog = page.getByRole('dialog', { name: 'Add destination' });
    await dialog.locator('label', { hasText: 'PostgreSQL' }).click();
    await dialog.getByLabel('Name').fill('Unreachable warehouse');
    await dialog.getByLabel('Connection URL').fill('postgres://postgres@127.0.0.1:1/test');
    await dialog.getByLabel('Schema').fill('marketing');
    await dialog.getByRole('button', { name: 'Test and save' }).click();
    const alert = dialog.getByRole('alert');
    await alert.waitFor();
    const text = (await alert.textContent()) ?? '';
    expect(text).toContain('nothing was saved');
    expect(text).toMatch(/check it is running and retry/);
    expect(await dialog.textContent()).toContain('Check the host, port and database name');
    await settled('catalog-destination-add-error');
    expect(await destinationNames()).not.toContain('Unreachable warehouse');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await page.waitForURL(/\/destinations$/);
  });

  it('adds a PostgreSQL destination on the machine’s PostgreSQL, never showing the password', async (context) => {
    if (!withPostgres) return context.skip();
    const { page } = browser;
    await page.getByRole('link', { name: 'Add destination' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add destination' });
    await dialog.locator('label', { hasText: 'PostgreSQL' }).click();
    await dialog.getByLabel('Name').fill('Team warehouse');
    await dialog.getByLabel('Connection URL').fill(postgresUrl);
    await dialog.getByLabel('Schema').fill(pgSchema);
    await dialog.getByRole('button', { name: 'Test and save' }).click();
    await page.waitForURL(/\/destinations$/);
    const added = row('Team warehouse');
    await added.waitFor();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    expect(await added.textContent()).toContain(pgSchema);
    expect(await added.textContent()).toContain('PostgreSQL');
    await settled('catalog-destinations-added');
  });

  it('deletes a destination after a confirmation saying its data is kept', async () => {
    const { page } = browser;
    await page.goto(`${app.url}/destinations`);
    await row('Analytics copy').getByRole('button', { name: 'Delete Analytics copy' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete Analytics copy?' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('Data already loaded is kept');
    await settled('catalog-destination-delete');
    await dialog.getByRole('button', { name: 'Delete destination' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await row('Analytics copy').waitFor({ state: 'detached' });
    expect(await destinationNames()).not.toContain('Analytics copy');
  });

  it('shows the catalog with Meta Ads in sandbox mode, and a link to connect it', async () => {
    const { page } = browser;
    await page.goto(`${app.url}/data-sources`);
    const card = page.getByTestId('data-source-card').filter({ hasText: 'Meta Ads' });
    await card.waitFor();
    expect(await card.getByText('Sandbox', { exact: true }).count()).toBe(1);
    expect(await card.getByText('OAuth', { exact: true }).count()).toBe(1);
    expect(await card.getByRole('link', { name: 'Connect Meta Ads' }).getAttribute('href')).toMatch(
      /^\/connections\/new/,
    );
    await screenshot(page, 'catalog-data-sources');
    await page.getByPlaceholder('Search data sources').fill('nothing like this');
    await page.getByText('No data source matches').waitFor();
  });

  it('renders the setup guide as markdown: headings, lists, tables, code, safe links', async () => {
    const { page } = browser;
    const [source] = (await app.api.call('listDataSources', {})).items.filter(
      (item) => item.name === 'Meta Ads',
    );
    await page.goto(`${app.url}/data-sources`);
    await page.getByRole('link', { name: 'Meta Ads', exact: true }).click();
    await page.waitForURL(new RegExp(`/data-sources/${source!.id}$`));
    await page.getByRole('heading', { name: 'Meta Ads — setup guide' }).waitFor();
    const doc = page.locator('.markdown');
    await page.getByRole('heading', { name: '2. Register the redirect URI' }).waitFor();
    expect(await doc.locator('ol > li').count()).toBeGreaterThanOrEqual(3);
    expect(await doc.locator('strong', { hasText: 'Facebook Login' }).count()).toBeGreaterThan(0);
    expect(await doc.locator('pre code').first().textContent()).toContain('/api/v1/oauth/callback');
    expect(await doc.locator('table th', { hasText: 'Permission' }).count()).toBe(1);
    expect(await doc.locator('table td code', { hasText: 'ads_read' }).count()).toBeGreaterThan(0);
    const external = doc.locator('a[href="https://developers.facebook.com/"]');
    expect(await external.getAttribute('target')).toBe('_blank');
    expect(await external.getAttribute('rel')).toContain('noopener');
    const text = (await doc.textContent()) ?? '';
    expect(text).not.toContain('**');
    expect(text).not.toContain('```');
    expect(text).toContain('<public url>');
    await screenshot(page, 'catalog-data-source-setup');
  });

  it('shows the schema with types, searchable, and the templates', async () => {
    const { page } = browser;
    await page.getByRole('tab', { name: /Schema/ }).click();
    await page.waitForURL(/\/schema$/);
    const fields = page.getByTestId('schema-field');
    await fields.first().waitFor();
    const id = decodeURIComponent(new URL(page.url()).pathname.split('/')[2]!);
    const detail = await app.api.call('getDataSource', { params: { id } });
    const total = await fields.count();
    expect(total).toBe(detail.schema.dimensions.length + detail.schema.metrics.length);
    const spend = fields.filter({ hasText: 'spend' }).first();
    expect(await spend.textContent()).toMatch(/money|decimal/);
    await screenshot(page, 'catalog-data-source-schema');
    await page.getByLabel('Search fields').fill('spend');
    await page.waitForFunction(
      (before) => document.querySelectorAll('[data-testid="schema-field"]').length < before,
      total,
    );
    expect(await fields.count()).toBeGreaterThan(0);
    for (const text of await fields.allTextContents()) expect(text.toLowerCase()).toContain('spend');

    await page.getByRole('tab', { name: 'Templates' }).click();
    await page.waitForURL(/\/templates$/);
    await page.getByTestId('template-row').first().waitFor();
    await screenshot(page, 'catalog-data-source-templates');
  });

  it('shows the troubleshooting guide, and the back button returns to the previous tab', async () => {
    const { page } = browser;
    await page.getByRole('tab', { name: 'Troubleshooting' }).click();
    await page.waitForURL(/\/troubleshooting$/);
    await page.getByRole('heading', { name: 'Meta Ads — troubleshooting' }).waitFor();
    expect(await page.locator('.markdown table').count()).toBeGreaterThanOrEqual(3);
    await screenshot(page, 'catalog-data-source-troubleshooting');
    await page.goBack();
    await page.waitForURL(/\/templates$/);
    await page.getByRole('tab', { name: 'Templates', selected: true }).waitFor();
  });

  it('shows how the source feeds the paid-ads model, as a mapping table', async () => {
    const { page } = browser;
    await page.getByRole('tab', { name: 'Paid-ads model' }).click();
    await page.waitForURL(/\/mapping$/);
    await page.getByRole('heading', { name: /Meta Ads → paid_ads__basic_performance/ }).waitFor();
    await page.locator('.markdown table').getByText('actions_purchase').first().waitFor();
    await screenshot(page, 'catalog-data-source-mapping');
  });

  it('says so when a data source does not exist', async () => {
    const { page } = browser;
    await page.goto(`${app.url}/data-sources/no_such_source`);
    await page.getByRole('heading', { name: 'This data source does not exist' }).waitFor();
  });

  it('reports no console errors', () => {
    // The refused destination (503) and the unknown source (400) are expected failed requests.
    const unexpected = browser.problems.filter((problem) => !/status of (400|503)/.test(problem));
    expect(unexpected).toEqual([]);
  });
});
