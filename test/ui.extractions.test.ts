/**
 * The Extractions area and Events in a real browser against a real server and the Meta sandbox:
 * the list, an extraction's page (schedules, run history, calendar, chart, first rows), Run
 * extraction for a date range, pause and resume, a run's page, and a fault seen on /events.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayIn } from '../src/domain/dates.ts';
import { type Browser, browserAvailable, openBrowser, screenshot, signInBrowser } from './browser.ts';
import { connectSandboxUser, injectFault, runEnded, startTestApp, type TestApp, waitFor } from './harness.ts';

describe.runIf(browserAvailable())('extractions and events in the browser', () => {
  let app: TestApp;
  let browser: Browser;
  let extractionId: string;
  const name = 'Alex account daily';
  const today = todayIn('UTC', new Date());

  beforeAll(async () => {
    app = await startTestApp('pglite');
    browser = await openBrowser();
    await signInBrowser(browser, app);
    // Before anything exists: the empty states lead to the first extraction.
    await browser.page.goto(`${app.url}/extractions`);
    await browser.page.getByText('No extractions yet').waitFor();
    await screenshot(browser.page, 'extractions-list-empty');
    await browser.page.goto(`${app.url}/events`);
    await browser.page.getByText('Nothing to report').waitFor();
    await screenshot(browser.page, 'extractions-events-empty');
    const connection = await connectSandboxUser(app, 'alex@example.com');
    const extraction = await app.api.call('createExtraction', {
      body: {
        connectionId: connection.id,
        templateId: 'meta-ads.account_daily',
        name,
        schedules: [
          { frequency: 'daily', time: '03:00', timezone: 'Europe/Paris', lookbackDays: 28 },
          { frequency: 'every_4h', time: '00:00', timezone: 'UTC', lookbackDays: 0 },
        ],
      },
    });
    extractionId = extraction.id;
    const run = await app.api.call('startExtractionRun', {
      params: { id: extractionId },
      body: { from: addDays(today, -9), to: addDays(today, -1) },
    });
    expect((await runEnded(app, run.id)).status).toBe('succeeded');
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('lists the extraction with its status, source, template, destination, last and next run', async () => {
    const { page } = browser;
    await page.goto(`${app.url}/extractions`);
    const row = page.getByRole('row').filter({ hasText: name });
    await row.getByText('succeeded').waitFor();
    // Names (template, destination) arrive with their own requests, after the row itself.
    await row.getByText('Account — daily').waitFor();
    await row.getByText('Local DuckDB').waitFor();
    // Badges are upper-cased by CSS, so compare lower-case.
    const text = ((await row.textContent()) ?? '').toLowerCase();
    for (const expected of [
      'active',
      'meta ads',
      'all',
      'account — daily',
      'meta_ads_account_daily',
      'in ',
    ]) {
      expect(text).toContain(expected);
    }
    await page.getByRole('link', { name: 'New extraction' }).waitFor();
    await screenshot(page, 'extractions-list');
  });

  it('shows schedules with their next runs, the chart and the reconciliation on the overview', async () => {
    const { page } = browser;
    await page.getByRole('link', { name }).click();
    await page.waitForURL(new RegExp(`/extractions/${extractionId}$`));
    const schedules = page.getByRole('region', { name: 'Schedules' });
    await schedules.getByText('Daily at 03:00').waitFor();
    await schedules.getByText('Every 4 hours from 00:00').waitFor();
    await schedules.getByText('Europe/Paris').waitFor();
    expect(await schedules.locator('li').count()).toBe(10);
    await page
      .getByRole('region', { name: 'Main metrics by day' })
      .locator('.recharts-line')
      .first()
      .waitFor();
    await page.getByText(/account-days match the provider|difference/).waitFor();
    await screenshot(page, 'extractions-detail-overview');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await screenshot(page, 'extractions-detail-overview-1920');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('shows the run history with rows inserted, the calendar with loaded days, and the first rows', async () => {
    const { page } = browser;
    await page.getByRole('tab', { name: 'Run history' }).click();
    await page.waitForURL(/\/runs$/);
    const history = page.getByRole('table', { name: 'Run history' });
    const first = history.locator('tbody tr[data-run]').first();
    await first.getByText('succeeded').waitFor();
    const inserted = Number(((await first.locator('td').nth(3).textContent()) ?? '').replace(/,/g, ''));
    expect(inserted).toBeGreaterThan(0);
    await screenshot(page, 'extractions-detail-runs');

    await page.getByRole('tab', { name: 'Calendar' }).click();
    await page.waitForURL(/\/calendar$/);
    const loaded = page.locator('td[data-state="final"], td[data-state="provisional"]');
    await loaded.first().waitFor();
    // Nine days per account were loaded (the accounts' zones may shift a day at the edges).
    expect(await loaded.count()).toBeGreaterThanOrEqual(8);
    await loaded.first().hover();
    await page
      .getByText(/Loaded · (final|provisional) \(/)
      .first()
      .waitFor();
    await screenshot(page, 'extractions-detail-calendar');

    await page.getByRole('tab', { name: 'Data' }).click();
    await page.waitForURL(/\/data$/);
    const rows = page.getByRole('table', { name: 'First rows of the table' }).locator('tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBeGreaterThan(0);
    await page.getByText('account_id', { exact: true }).waitFor();
    await screenshot(page, 'extractions-detail-data');
  });

  it('runs the extraction for a date range, showing a refused range first', async () => {
    const { page } = browser;
    const before = await app.api.call('listExtractionRuns', { params: { id: extractionId } });
    await page.getByRole('button', { name: 'Run extraction' }).click();
    const dialog = page.getByRole('dialog', { name: 'Run extraction' });
    expect(await dialog.getByLabel('From').inputValue()).toBe(addDays(today, -6));
    expect(await dialog.getByLabel('To').inputValue()).toBe(today);
    await dialog.getByLabel('From').fill(addDays(today, -2));
    await dialog.getByLabel('To').fill(addDays(today, -4));
    await dialog.getByRole('button', { name: 'Start run' }).click();
    await dialog
      .getByRole('alert')
      .getByText(/is after to/)
      .first()
      .waitFor();
    await screenshot(page, 'extractions-run-refused');

    await dialog.getByLabel('From').fill(addDays(today, -4));
    await dialog.getByLabel('To').fill(addDays(today, -2));
    await dialog.getByRole('button', { name: 'Start run' }).click();
    await page.waitForURL(/\/runs$/);
    const history = page.getByRole('table', { name: 'Run history' });
    await waitFor(
      () => history.locator('tbody tr[data-run]').count(),
      (count) => count === before.items.length + 1,
    );
    await history.locator('tbody tr[data-run]').first().getByText('Manual').waitFor();
    await history.locator('tbody tr[data-run]').first().getByText('succeeded').waitFor({ timeout: 60_000 });
    await screenshot(page, 'extractions-run-completed');
  });

  it('pauses and resumes', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByRole('button', { name: 'Resume' }).waitFor();
    await page.getByText('Paused manually').waitFor();
    expect((await app.api.call('getExtraction', { params: { id: extractionId } })).status).toBe('paused');
    await screenshot(page, 'extractions-paused');
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.getByRole('button', { name: 'Pause' }).waitFor();
    expect((await app.api.call('getExtraction', { params: { id: extractionId } })).status).toBe('active');
  });

  it("opens a run's page with its numbers, slices, reconciliation and log", async () => {
    const { page } = browser;
    await page
      .getByRole('table', { name: 'Run history' })
      .getByRole('link', { name: /Open run/ })
      .first()
      .click();
    await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
    const slices = page.getByRole('table', { name: 'Slices' });
    await slices.locator('tbody tr').first().getByText('succeeded').waitFor();
    await page.getByRole('list', { name: 'Run log' }).locator('li').first().waitFor();
    await page.getByText('Rows inserted').waitFor();
    await screenshot(page, 'extractions-run-detail');
  });

  it('shows a run broken by a provider fault in the run history and on Events', async () => {
    const { page } = browser;
    await injectFault(app, 'permission_denied', 1);
    const queued = await app.api.call('startExtractionRun', {
      params: { id: extractionId },
      body: { from: addDays(today, -3), to: addDays(today, -1) },
    });
    const ended = await runEnded(app, queued.id);
    expect(['partial', 'failed']).toContain(ended.status);
    await page.goto(`${app.url}/extractions/${extractionId}/runs`);
    const first = page.getByRole('table', { name: 'Run history' }).locator('tbody tr[data-run]').first();
    await first.getByText(ended.status).waitFor();
    await page.locator(`tr[data-run-problem="${queued.id}"]`).getByText('Permission error').waitFor();
    await screenshot(page, 'extractions-run-fault');

    await page.goto(`${app.url}/events`);
    const event = page.locator(`li[data-event-type="run.${ended.status}"]`).first();
    await event.waitFor();
    await screenshot(page, 'extractions-events');
    await page.getByRole('combobox', { name: 'Event type' }).click();
    await page
      .getByRole('option', { name: ended.status === 'partial' ? 'Run partial' : 'Run failed' })
      .click();
    await page.waitForURL(/type=run\./);
    // Only that type is left once the filtered page has loaded.
    await waitFor(
      async () => ({
        all: await page.locator('li[data-event-type]').count(),
        matching: await page.locator(`li[data-event-type="run.${ended.status}"]`).count(),
      }),
      ({ all, matching }) => all === matching && all > 0,
      10_000,
    );
    await event.getByRole('link', { name: 'Open run' }).click();
    await page.waitForURL(new RegExp(`/runs/${queued.id}$`));
    await page.getByText(/Permission error/).waitFor();
    await screenshot(page, 'extractions-run-fault-detail');
  });

  it('reports no console errors other than the refused range', () => {
    expect(browser.problems.filter((problem) => !problem.includes('status of 400'))).toEqual([]);
  });
});
