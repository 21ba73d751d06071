/**
 * Real-browser testing: Debian's chromium driven by playwright-core (never a downloaded browser).
 * Without chromium the browser suites skip loudly; with REQUIRE_BROWSER=1 (CI) they fail instead.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { testRequirements } from '../src/config.ts';

const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const screenshotDir = path.resolve('test-results');

/** True when chromium can be launched; throws when it is required (CI) and missing. */
export function browserAvailable(): boolean {
  if (fs.existsSync(executablePath)) return true;
  if (testRequirements().requireBrowser) {
    throw new Error(`REQUIRE_BROWSER=1 but no chromium at ${executablePath} (apt-get install chromium)`);
  }
  console.warn(`No chromium at ${executablePath}: browser tests skipped`);
  return false;
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Console errors and failed requests the pages reported; a clean run has none. */
  problems: string[];
  close(): Promise<void>;
}

/** Launches a fresh headless chromium profile with one page at the given viewport. */
export async function openBrowser(viewport = { width: 1280, height: 800 }): Promise<Browser> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    viewport,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  context.setDefaultTimeout(15_000);
  const problems: string[] = [];
  const watch = (page: Page) => {
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  };
  context.on('page', watch);
  const page = context.pages()[0] ?? (await context.newPage());
  watch(page);
  return {
    context,
    page,
    problems,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Signs a browser in as the app's owner: adds the owner's session cookies (`app.session.cookie`,
 * `tributary_session=…; tributary_csrf=…`) to the browser for `app.url`, as a sign-in would have set them.
 */
export async function signInBrowser(
  browser: Browser,
  app: { url: string; session: { cookie: string } },
): Promise<void> {
  const cookies = app.session.cookie.split(';').map((pair) => {
    const index = pair.indexOf('=');
    const name = pair.slice(0, index).trim();
    return {
      name,
      value: pair.slice(index + 1).trim(),
      url: app.url,
      // As the server sets them: the session hidden from scripts, the CSRF token readable by the page.
      httpOnly: name === 'tributary_session',
      sameSite: name === 'tributary_session' ? ('Lax' as const) : ('Strict' as const),
    };
  });
  await browser.context.addCookies(cookies);
}

/** Saves a full-page screenshot as test-results/<name>.png, to be looked at by a person. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
