/**
 * Google Ads, LinkedIn Ads and GA4 connected through the UI in a real browser: the catalog card, each sandbox's own
 * consent page clicked as Alex Morgan, the accounts step (Google's manager hierarchy shown with Manager badges and
 * paths), Sync all, and the row on the Connected Sources list; GA4 also through its service-account key form.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, browserAvailable, openBrowser, screenshot, signInBrowser } from './browser.ts';
import { startTestApp, type TestApp, waitFor } from './harness.ts';

describe.runIf(browserAvailable())('Connecting the other providers in the browser', () => {
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

  const rowOf = (page: Page, source: string) =>
    page.locator('[data-connection-row]', { has: page.getByText(source, { exact: true }) });

  /** From the catalog through the provider's consent page to the accounts step, as Alex Morgan. */
  async function connectAsAlex(page: Page, name: string, sandboxPath: string) {
    await page.goto(`${app.url}/connections/new`);
    await page.getByRole('button', { name: `Connect ${name}`, exact: true }).click();
    await page.waitForURL((url) => url.pathname.startsWith(sandboxPath));
    await screenshot(page, `consent-${sandboxPath.split('/')[2]}`);
    // Each sandbox draws its provider's own page: a link (Google) or a button (LinkedIn) per seeded user.
    await page
      .getByRole('link', { name: /^Continue as Alex Morgan/ })
      .or(page.getByRole('button', { name: /^Allow as Alex Morgan/ }))
      .click();
    await page.waitForURL(/\/connections\/new\/accounts\?connection=/);
  }

  it('Google Ads: the manager hierarchy on the accounts step, then N accounts on the list', async () => {
    const { page } = browser;
    await connectAsAlex(page, 'Google Ads', '/sandbox/google-ads/');
    await page.getByText('9 accounts found').waitFor();
    await page.getByRole('radio', { name: 'Select specific accounts' }).click();
    await page.getByText('Morgan Group MCC', { exact: true }).first().waitFor();
    expect(await page.getByText('Manager', { exact: true }).count()).toBe(3);
    // The deepest clients show their whole manager chain.
    await page.getByText('Morgan Group MCC › Morgan Retail › Morgan Retail EU').first().waitFor();
    await page.getByText('suspended', { exact: true }).waitFor();
    await screenshot(page, 'google-ads-accounts-step');
    await page.getByRole('radio', { name: 'Sync all accounts' }).click();
    await page.getByRole('button', { name: 'Save and finish' }).click();
    await page.waitForURL(/\/connections$/);
    // Managers hold no data: the count is the six client accounts.
    await rowOf(page, 'Google Ads').getByText('6 accounts').waitFor();
  });

  it('LinkedIn Ads: the member page, then 4 accounts', async () => {
    const { page } = browser;
    await connectAsAlex(page, 'LinkedIn Ads', '/sandbox/linkedin-ads/');
    await page.getByText('4 accounts found').waitFor();
    await page.getByRole('button', { name: 'Save and finish' }).click();
    await page.waitForURL(/\/connections$/);
    await rowOf(page, 'LinkedIn Ads').getByText('4 accounts').waitFor();
  });

  it('GA4: Google sign-in finds 3 properties with their account shown', async () => {
    const { page } = browser;
    await connectAsAlex(page, 'Google Analytics 4', '/sandbox/ga4/');
    await page.getByText('3 accounts found').waitFor();
    await page.getByRole('radio', { name: 'Select specific accounts' }).click();
    await page.getByText('Morgan Labs', { exact: true }).first().waitFor();
    await page.getByRole('radio', { name: 'Sync all accounts' }).click();
    await page.getByRole('button', { name: 'Save and finish' }).click();
    await page.waitForURL(/\/connections$/);
    await rowOf(page, 'Google Analytics 4').getByText('3 accounts').waitFor();
  });

  it('GA4: a service-account key pasted in the form connects the service account', async () => {
    const { page } = browser;
    const email = 'reporting@tributary-sandbox.iam.gserviceaccount.com';
    const response = await fetch(
      `${app.url}/sandbox/ga4/_control/service-account-key?email=${encodeURIComponent(email)}`,
    );
    expect(response.status).toBe(200);
    const key = await response.text();
    await page.goto(`${app.url}/connections/new`);
    await page
      .getByRole('button', { name: /Connect Google Analytics 4 with a service-account key/i })
      .click();
    await page.getByRole('button', { name: 'Continue to Google Analytics 4' }).waitFor();
    await page.getByLabel('Service-account JSON key').fill(key);
    await screenshot(page, 'ga4-service-account-form');
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await page.waitForURL(/\/connections/);
    const made = await waitFor(
      async () =>
        (await app.api.call('listConnections', { query: { limit: 50 } })).items.find(
          (item) => item.businessAccount === email,
        ),
      (found) => found?.accountStatus === 'ready',
    );
    expect(made).toMatchObject({ dataSource: { id: 'ga4' }, status: 'active', accountsCount: 3 });
  });
});
