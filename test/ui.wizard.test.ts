import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, browserAvailable, openBrowser, screenshot as save, signInBrowser } from './browser.ts';
import { connectSandboxUser, runEnded, startTestApp, type TestApp, waitFor } from './harness.ts';

/** A full-page screenshot taken from the top, so the fixed header is drawn where it belongs. */
async function screenshot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  return save(page, name);
}

/** Waits until the URL's `step` query parameter is `step`. */
async function atStep(page: Page, step: number) {
  await page.waitForURL(
    (url) => url.pathname === '/extractions/new' && url.searchParams.get('step') === String(step),
  );
}

describe.runIf(browserAvailable())('extraction wizard', () => {
  let app: TestApp;
  let browser: Browser;
  let connectionId: string;

  beforeAll(async () => {
    app = await startTestApp('pglite');
    browser = await openBrowser();
    await signInBrowser(browser, app);
    const connection = await connectSandboxUser(app, 'alex@example.com');
    expect(connection.accountsCount).toBe(3);
    connectionId = connection.id;
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('goes from Extract through every step to a created extraction whose first run loads rows', async () => {
    const { page } = browser;
    await page.goto(`${app.url}/connections`);
    await page
      .getByRole('link', { name: /^Extract from/ })
      .first()
      .click();
    await page.waitForURL(/\/extractions\/new\?connection=/);

    // 1 Select accounts: nothing selected, Continue disabled.
    const continueButton = page.getByRole('button', { name: 'Continue' });
    await page.getByRole('button', { name: 'Add Alex Morgan' }).waitFor();
    expect(await continueButton.isDisabled()).toBe(true);
    await page.getByText('Select at least one account to continue.').waitFor();
    await screenshot(page, 'wizard-1-accounts-empty');
    await page.getByRole('textbox', { name: 'Search accounts' }).fill('morgan studio');
    await page.getByRole('button', { name: 'Add all' }).click();
    await page.getByRole('textbox', { name: 'Search accounts' }).fill('');
    await page.getByLabel('2 selected').waitFor();
    await page.getByRole('button', { name: 'Add Alex Morgan' }).waitFor();
    await screenshot(page, 'wizard-1-accounts');
    await continueButton.click();
    await atStep(page, 2);

    // 2 Choose a template; its details panel shows fields with types and settings with defaults.
    await page.getByRole('option', { name: /Campaigns — daily/ }).click();
    const details = page.getByLabel('Template details');
    await details.getByRole('heading', { name: 'Campaigns — daily' }).waitFor();
    await details.getByText('Attribution windows').waitFor();
    await details.getByText('campaign_id').waitFor();
    await screenshot(page, 'wizard-2-templates');
    await continueButton.click();
    await atStep(page, 3);

    // 3 Configure: drop an optional metric; a required one is locked.
    const cpc = page.getByRole('checkbox', { name: 'CPC (all)' });
    expect(await cpc.isChecked()).toBe(true);
    await cpc.uncheck();
    expect(await cpc.isChecked()).toBe(false);
    const spend = page.getByRole('checkbox', { name: 'Amount spent' });
    expect(await spend.isChecked()).toBe(true);
    expect(await spend.isDisabled()).toBe(true);
    await spend.click({ force: true });
    expect(await spend.isChecked()).toBe(true);
    await page.getByRole('img', { name: 'Amount spent is required by the template' }).hover();
    await page.getByText('Required by the template: it cannot be removed').waitFor();

    // A second schedule, with its own next run times.
    await page.getByRole('button', { name: 'Add schedule' }).click();
    const second = page.getByRole('region', { name: 'Schedule 2' });
    await second.getByTestId('next-runs').waitFor();
    const secondRuns = (await second.getByTestId('next-runs').textContent()) ?? '';
    expect(secondRuns.split(' · ')).toHaveLength(5);
    await page.getByRole('region', { name: 'Schedule 1' }).getByTestId('next-runs').waitFor();

    // A bad table name is refused next to the field, and blocks Continue.
    const table = page.getByRole('textbox', { name: 'Table name' });
    expect(await table.inputValue()).toBe('meta_ads_campaign_daily');
    await table.fill('Campaigns 2026!');
    await page.getByText('Use lower-case letters, digits and _ only').waitFor();
    expect(await continueButton.isDisabled()).toBe(true);
    await screenshot(page, 'wizard-3-configure-bad-table');
    await table.fill('wizard_campaigns');
    await page.getByText('Use lower-case letters, digits and _ only').waitFor({ state: 'detached' });

    // The draft survives a reload.
    await page.reload();
    await page.getByRole('textbox', { name: 'Table name' }).waitFor();
    expect(await page.getByRole('textbox', { name: 'Table name' }).inputValue()).toBe('wizard_campaigns');
    expect(await page.getByRole('checkbox', { name: 'CPC (all)' }).isChecked()).toBe(false);
    await page.getByRole('region', { name: 'Schedule 2' }).getByTestId('next-runs').waitFor();
    await screenshot(page, 'wizard-3-configure');
    await continueButton.click();
    await atStep(page, 4);

    // 4 Check the result: real rows, the schema, a chart, the summary.
    const rows = page.getByRole('table', { name: 'Preview rows' }).locator('tbody tr');
    await rows.first().waitFor({ timeout: 30_000 });
    expect(await rows.count()).toBeGreaterThan(0);
    await page.getByRole('table', { name: 'Schema' }).getByText('spend', { exact: true }).waitFor();
    await page.getByTestId('preview-chart').locator('.recharts-line').first().waitFor();
    const summary = page.getByRole('table', { name: 'Extraction summary' });
    await summary.getByText('2 accounts').waitFor();
    await summary.getByText('wizard_campaigns').waitFor();
    await screenshot(page, 'wizard-4-result');

    // Save the configuration as a custom template.
    await page.getByRole('textbox', { name: 'Template name' }).fill('Campaigns without CPC');
    await page.getByRole('button', { name: 'Save template' }).click();
    await page.getByText('Saved “Campaigns without CPC”').waitFor();

    // Create, with Run now (checked by default).
    expect(await page.getByRole('checkbox', { name: 'Run now for the last' }).isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Create extraction' }).click();
    await page.waitForURL(/\/extractions\/[0-9a-f-]{36}$/);
    const extractionId = new URL(page.url()).pathname.split('/').pop()!;

    const extraction = await app.api.call('getExtraction', { params: { id: extractionId } });
    expect(extraction.templateId).toBe('meta-ads.campaign_daily');
    expect(extraction.table).toBe('wizard_campaigns');
    expect(extraction.accounts).toHaveLength(2);
    expect(extraction.metrics).toContain('spend');
    expect(extraction.metrics).not.toContain('cpc');
    expect(extraction.schedules).toHaveLength(2);
    expect(extraction.schedules.map((schedule) => schedule.frequency)).toEqual(['daily', 'every_4h']);
    const runs = await waitFor(
      () => app.api.call('listExtractionRuns', { params: { id: extractionId } }),
      (list) => list.items.length > 0,
    );
    const run = await runEnded(app, runs.items[0]!.id);
    expect(run.status).toBe('succeeded');
    const data = await app.api.call('getExtractionData', {
      params: { id: extractionId },
      query: { limit: 10 },
    });
    expect(data.rows.length).toBeGreaterThan(0);
    expect(data.columns.map((column) => column.name)).not.toContain('cpc');

    // …and the newcomer sees the loaded rows in the app, without reading any docs.
    await page.getByRole('tab', { name: 'Data' }).click();
    await page.waitForURL(/\/data$/);
    const loaded = page.getByRole('table', { name: 'First rows of the table' }).locator('tbody tr');
    await loaded.first().waitFor();
    expect(await loaded.count()).toBeGreaterThan(0);
    await screenshot(page, 'wizard-5-first-rows');
  }, 120_000);

  it('lists the saved template under Custom', async () => {
    const { page } = browser;
    // Without a connection, the wizard starts by asking for one.
    await page.goto(`${app.url}/extractions/new`);
    await page.getByRole('button', { name: 'Extract from Meta Ads, alex@example.com' }).click();
    await atStep(page, 1);
    // Without chosen accounts, a later step sends the user back to step 1.
    await page.goto(`${app.url}/extractions/new?connection=${connectionId}&step=2`);
    await atStep(page, 1);
    await page.getByRole('checkbox', { name: 'All accounts, including ones added later' }).check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await atStep(page, 2);
    await page.getByText(/^Custom \(1\)$/).click();
    await page.getByRole('option', { name: /Campaigns without CPC/ }).click();
    await page.getByLabel('Template details').getByText('Custom', { exact: true }).waitFor();
    expect(await page.getByRole('option').count()).toBe(1);
    await screenshot(page, 'wizard-2-custom-templates');
  });

  it('fits a 1920×1080 screen', async () => {
    const wide = await openBrowser({ width: 1920, height: 1080 });
    await signInBrowser(wide, app);
    try {
      const { page } = wide;
      await page.goto(`${app.url}/extractions/new?connection=${connectionId}`);
      await page.getByRole('checkbox', { name: 'All accounts, including ones added later' }).check();
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByRole('option', { name: /Ads by country or region/ }).click();
      await page.getByRole('button', { name: 'Continue' }).click();
      await atStep(page, 3);
      // The provider's rule is checked as the user picks: country and region together are refused.
      await page.getByRole('checkbox', { name: /^Region/ }).check();
      await page.getByText('Not allowed by the provider').waitFor();
      expect(await page.getByRole('button', { name: 'Continue' }).isDisabled()).toBe(true);
      await screenshot(page, 'wizard-3-configure-1920');
      await page.getByRole('checkbox', { name: /^Region/ }).uncheck();
      await page.getByText('Not allowed by the provider').waitFor({ state: 'detached' });
      expect(await page.getByRole('button', { name: 'Continue' }).isDisabled()).toBe(false);

      // The server judges a schedule; its 400 is shown next to the field it names.
      await page.getByRole('button', { name: 'Add schedule' }).click();
      const second = page.getByRole('region', { name: 'Schedule 2' });
      await second.getByTestId('next-runs').waitFor();
      await second.getByLabel('Frequency').click();
      await page.getByRole('option', { name: 'Cron expression' }).click();
      await second.getByRole('textbox', { name: 'Cron expression' }).fill('61 25 * * *');
      await second.getByText(/invalid cron expression/).waitFor();
      await second.getByText('Fix the highlighted field to see the next runs.').waitFor();
      await screenshot(page, 'wizard-3-schedule-error-1920');
      await second.getByRole('textbox', { name: 'Cron expression' }).fill('30 2 * * 1');
      await second.getByTestId('next-runs').waitFor();

      // A problem only the server catches (a 201-character name) comes back to the field it names.
      const name = page.getByRole('textbox', { name: 'Extraction name' });
      await name.fill('n'.repeat(201));
      await page.getByRole('button', { name: 'Continue' }).click();
      await atStep(page, 4);
      await page.getByText('The preview could not be read').waitFor();
      await screenshot(page, 'wizard-4-server-error-1920');
      await page.getByRole('button', { name: 'Fix in Configure' }).click();
      await atStep(page, 3);
      const nameError = page
        .locator('.mantine-TextInput-root', { has: name })
        .locator('.mantine-TextInput-error');
      await nameError.waitFor();
      expect(await nameError.textContent()).toMatch(/200/);
      await name.fill('Ads by country');
      await nameError.waitFor({ state: 'detached' });
      // Chromium logs the refused preview request; nothing else may fail.
      expect(wide.problems.filter((problem) => !problem.includes('status of 400'))).toEqual([]);
    } finally {
      await wide.close();
    }
  });

  it('reports no console errors', () => {
    expect(browser.problems).toEqual([]);
  });
});
