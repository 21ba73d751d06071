import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, browserAvailable, openBrowser, screenshot, signInBrowser } from './browser.ts';
import { startTestApp, type TestApp } from './harness.ts';

describe.runIf(browserAvailable())('web app shell', () => {
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

  it('opens on Connections, has a URL for every page, and the back button works', async () => {
    const { page } = browser;
    await page.goto(app.url);
    await page.waitForURL(/\/connections$/);
    const menu = page.getByRole('navigation', { name: 'Main menu' });
    for (const label of ['Connections', 'Extractions', 'Destinations', 'Data sources', 'Events']) {
      await menu.getByRole('link', { name: label }).waitFor();
    }
    await menu.getByRole('link', { name: 'Destinations' }).click();
    await page.waitForURL(/\/destinations$/);
    await page.goBack();
    await page.waitForURL(/\/connections$/);
    await screenshot(page, 'shell');
  });

  it('serves deep links from the server, and a JSON 404 for unknown API paths', async () => {
    const deep = await fetch(`${app.url}/extractions/some/deep/link`);
    expect(deep.status).toBe(200);
    expect(deep.headers.get('content-type')).toContain('text/html');
    const api = await fetch(`${app.url}/api/v1/nothing-here`);
    expect(api.status).toBe(404);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('route_not_found');
    const traversal = await fetch(`${app.url}/assets/..%2f..%2fpackage.json`);
    expect(traversal.status).toBe(404);
  });

  it('reports no console errors', () => {
    expect(browser.problems).toEqual([]);
  });
});
