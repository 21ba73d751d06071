/**
 * A walk through every page at 1920×1080 and 1280×800 checking what issue 4 §8 asks of all of them:
 * no horizontal overflow, every control with an accessible name, the Connections page's main
 * actions reachable with the keyboard, and no console errors. Screenshots: quality-<page>-<width>.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, browserAvailable, openBrowser, screenshot, signInBrowser } from './browser.ts';
import { connectSandboxUser, runEnded, startTestApp, type TestApp } from './harness.ts';

const viewports = [
  { width: 1920, height: 1080 },
  { width: 1280, height: 800 },
];

/** Controls (buttons, links, fields, tabs) that are visible and have no accessible name. */
async function unnamedControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const selector =
      'button, a[href], input:not([type=hidden]), select, textarea, [role=button], [role=tab], [role=checkbox], [role=switch], [role=combobox]';
    const visible = (element: Element) => {
      const box = element.getBoundingClientRect();
      const style = getComputedStyle(element);
      return box.width > 0 && box.height > 0 && style.visibility !== 'hidden' && style.opacity !== '0';
    };
    const nameOf = (element: Element): string => {
      const labelledBy = element.getAttribute('aria-labelledby');
      if (labelledBy) {
        const text = labelledBy
          .split(/\s+/)
          .map((id) => document.getElementById(id)?.textContent ?? '')
          .join(' ')
          .trim();
        if (text) return text;
      }
      const label = element.getAttribute('aria-label') ?? element.getAttribute('title');
      if (label?.trim()) return label;
      if (
        element instanceof HTMLInputElement ||
        element instanceof HTMLTextAreaElement ||
        element instanceof HTMLSelectElement
      ) {
        const byFor = element.id ? document.querySelector(`label[for="${CSS.escape(element.id)}"]`) : null;
        const text = (byFor ?? element.closest('label'))?.textContent?.trim();
        if (text) return text;
        return element.getAttribute('placeholder') ?? '';
      }
      const text = (element.textContent ?? '').trim();
      if (text) return text;
      const img = element.querySelector('img[alt], svg[aria-label]');
      return img?.getAttribute('alt') ?? img?.getAttribute('aria-label') ?? '';
    };
    return [...document.querySelectorAll(selector)]
      .filter(visible)
      .filter((element) => !nameOf(element))
      .map((element) => element.outerHTML.slice(0, 160));
  });
}

/** How far the page is wider than the window, in CSS pixels (0 when it fits). */
async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

describe.runIf(browserAvailable())('every page: layout, names, keyboard', () => {
  let app: TestApp;
  let browser: Browser;
  let paths: [string, string][] = [];

  beforeAll(async () => {
    [app, browser] = await Promise.all([startTestApp('pglite'), openBrowser(viewports[0])]);
    await signInBrowser(browser, app);
    const connection = await connectSandboxUser(app, 'alex@example.com');
    const [source] = (await app.api.call('listDataSources', {})).items;
    const extraction = await app.api.call('createExtraction', {
      body: {
        connectionId: connection.id,
        templateId: 'meta-ads.account_daily',
        name: 'Quality walk',
        schedules: [{ frequency: 'daily', time: '03:00', timezone: 'UTC', lookbackDays: 7 }],
      },
    });
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const run = await app.api.call('startExtractionRun', {
      params: { id: extraction.id },
      body: { from: yesterday, to: yesterday },
    });
    await runEnded(app, run.id);
    paths = [
      ['connections', '/connections'],
      ['connection-new', '/connections/new'],
      ['connection', `/connections/${connection.id}`],
      ['connection-accounts', `/connections/${connection.id}/accounts`],
      ['connection-settings', `/connections/${connection.id}/settings`],
      ['wizard', `/extractions/new?connection=${connection.id}`],
      ['extractions', '/extractions'],
      ['extraction', `/extractions/${extraction.id}`],
      ['run', `/extractions/${extraction.id}/runs/${run.id}`],
      ['events', '/events'],
      ['destinations', '/destinations'],
      ['destination-new', '/destinations/new'],
      ['data-sources', '/data-sources'],
      ['data-source', `/data-sources/${source!.id}`],
      ['data-source-schema', `/data-sources/${source!.id}/schema`],
    ];
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  for (const viewport of viewports) {
    it(`has no overflow and no unnamed control at ${viewport.width}×${viewport.height}`, async () => {
      const { page } = browser;
      await page.setViewportSize(viewport);
      const findings: string[] = [];
      for (const [name, path] of paths) {
        await page.goto(`${app.url}${path}`);
        await page.waitForLoadState('networkidle');
        await page.waitForTimeout(250);
        const overflow = await horizontalOverflow(page);
        if (overflow > 0) findings.push(`${path}: ${overflow}px horizontal overflow`);
        // Names do not change with the window size: checking them once is enough.
        if (viewport.width === 1280) {
          for (const control of await unnamedControls(page)) findings.push(`${path}: unnamed ${control}`);
        }
        await screenshot(page, `quality-${name}-${viewport.width}`);
      }
      expect(findings).toEqual([]);
    });
  }

  it('reaches the Connections page’s main actions with the keyboard', async () => {
    const { page } = browser;
    await page.setViewportSize(viewports[1]!);
    await page.goto(`${app.url}/connections`);
    await page.waitForLoadState('networkidle');
    const reached: string[] = [];
    for (let step = 0; step < 40; step++) {
      await page.keyboard.press('Tab');
      reached.push(
        await page.evaluate(() => {
          const element = document.activeElement;
          if (!element) return '';
          return (
            element.getAttribute('aria-label') ||
            element.textContent ||
            element.getAttribute('placeholder') ||
            element.tagName
          )
            .trim()
            .slice(0, 60);
        }),
      );
    }
    const has = (pattern: RegExp) => reached.some((name) => pattern.test(name));
    expect(has(/Make a new connection/i), reached.join(' | ')).toBe(true);
    expect(has(/search/i), reached.join(' | ')).toBe(true);
    expect(has(/Extract/i), reached.join(' | ')).toBe(true);
    expect(has(/Reconnect/i), reached.join(' | ')).toBe(true);
    expect(has(/Delete/i), reached.join(' | ')).toBe(true);
    // The focus ring must be visible where focus lands.
    await page.keyboard.press('Shift+Tab');
    await screenshot(page, 'quality-connections-focus');
  });

  it('reports no console errors', () => {
    expect(browser.problems).toEqual([]);
  });
});
