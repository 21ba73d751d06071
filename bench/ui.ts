/**
 * The UI benchmark: a real Tributary with 10,000 connections (PGlite on disk) and Debian's chromium
 * driven by playwright-core. It times, inside the page (performance.now(), so the figures exclude
 * the driver's own latency):
 *
 * - navigation → the Connections page interactive: the first rows rendered and the search box
 *   usable, with a warm HTTP cache (a returning user); the first, cold load is reported apart;
 * - a search typed (one input event, as a paste) → the new rows shown;
 * - a click on a sortable header → the new rows shown.
 *
 * "Shown" is the frame after React committed the rows of the new view (the table carries the view
 * it renders in `data-view`, and `data-stale` while older rows are still on screen). Every search
 * term and sort is distinct, so no figure is served from the page's cache.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { loadConfig } from '../src/config.ts';
import { connectorEnvVars } from '../src/connectors/registry.ts';
import { startRuntime } from '../src/runtime.ts';
import { openStore } from '../src/store/open.ts';
import { benchOwnerSession } from './benchOwner.ts';
import { seedConnections } from './connectionsSeed.ts';
import { type BenchmarkResult, formatNumber, percentile, resultRow } from './report.ts';

/** The benchmark's parameters; the defaults are the goals. */
export interface UiBenchmarkOptions {
  connections: number;
  /** Warm page loads measured (after one cold load). */
  loads: number;
  searches: readonly string[];
  goals: { interactiveMs: number; updateMs: number };
}

export const defaultUiOptions: UiBenchmarkOptions = {
  connections: 10_000,
  loads: 5,
  searches: ['client7', 'user12', 'tiktok', 'client42', 'linkedin', 'user9'],
  goals: { interactiveMs: 1000, updateMs: 150 },
};

const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const log = (line: string) => console.log(line);

/**
 * Records in the page when the Connections page first becomes interactive: a rendered row and an
 * enabled search box. Installed before any script of the page runs.
 */
const interactiveProbe = `(() => {
  const check = () => {
    const input = document.querySelector('input[aria-label="Search connections"]');
    if (document.querySelector('[data-connection-row]') && input && !input.disabled) {
      window.__interactiveAt = performance.now();
      return true;
    }
    return false;
  };
  new MutationObserver((_, observer) => { if (check()) observer.disconnect(); })
    .observe(document, { childList: true, subtree: true });
})();`;

/** Where a load's time went: when the scripts arrived, and when the first list request ran. */
export interface LoadBreakdown {
  interactive: number;
  scriptsEnd: number;
  listStart: number;
  listEnd: number;
}

async function timeLoad(page: Page, url: string): Promise<LoadBreakdown> {
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForFunction(
    () => (window as { __interactiveAt?: number }).__interactiveAt !== undefined,
    null,
    {
      polling: 50,
      timeout: 30_000,
    },
  );
  return page.evaluate(`(() => {
    const resources = performance.getEntriesByType('resource');
    const scripts = resources.filter((entry) => entry.initiatorType === 'script' || entry.name.endsWith('.js'));
    const list = resources.find((entry) => entry.name.includes('/api/v1/connections'));
    return {
      interactive: window.__interactiveAt,
      scriptsEnd: Math.max(0, ...scripts.map((entry) => entry.responseEnd)),
      listStart: list ? list.startTime : -1,
      listEnd: list ? list.responseEnd : -1,
    };
  })()`) as Promise<LoadBreakdown>;
}

/** An update's time to rows shown, and the part of it until the list response had arrived. */
interface UpdateTiming {
  total: number;
  request: number;
}

/**
 * Runs `act` in the page and resolves with the ms until the frame after the table renders `view`
 * with fresh rows.
 */
async function timeUpdate(
  page: Page,
  view: string,
  act: 'search' | 'sort',
  argument: string,
): Promise<UpdateTiming> {
  // A string, not a function: the TypeScript loader would wrap a function's inner helpers in
  // calls to its own `__name`, which does not exist in the page.
  return page.evaluate(`new Promise((resolve, reject) => {
    const view = ${JSON.stringify(view)};
    const table = () => document.querySelector('table[aria-label="Connected sources"]');
    const done = () => {
      const current = table();
      return current?.getAttribute('data-view') === view && current.getAttribute('data-stale') === 'false' &&
        current.querySelector('[data-connection-row]') !== null;
    };
    const started = performance.now();
    const observer = new MutationObserver(() => {
      if (!done()) return;
      observer.disconnect();
      requestAnimationFrame(() => {
        const total = performance.now() - started;
        const requests = performance.getEntriesByType('resource')
          .filter((entry) => entry.name.includes('/api/v1/connections') && entry.startTime >= started);
        const request = requests.length ? Math.max(...requests.map((entry) => entry.responseEnd)) - started : -1;
        resolve({ total, request });
      });
    });
    observer.observe(document.body, { childList: true, subtree: true, attributes: true });
    setTimeout(() => { observer.disconnect(); reject(new Error('The table never showed ' + view)); }, 15000);
    if (${JSON.stringify(act)} === 'search') {
      const input = document.querySelector('input[aria-label="Search connections"]');
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(input, ${JSON.stringify(argument)});
      input.dispatchEvent(new Event('input', { bubbles: true }));
    } else {
      const button = [...document.querySelectorAll('th button')]
        .find((candidate) => candidate.getAttribute('aria-label')?.startsWith('Sort by ' + ${JSON.stringify(argument)}));
      if (!button) reject(new Error('No header ' + ${JSON.stringify(argument)}));
      else button.click();
    }
  })`) as Promise<UpdateTiming>;
}

/**
 * Builds the web app for production into `outDir`. The shared web/dist is rebuilt by whatever test
 * run came last, and a build made under vitest (NODE_ENV=test) is React's development build, which
 * renders several times slower: the figures must not depend on who built last.
 */
async function buildProductionApp(outDir: string): Promise<void> {
  const { build } = await import('vite');
  const previous = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: fileURLToPath(new URL('../web/vite.config.ts', import.meta.url)),
      mode: 'production',
      logLevel: 'error',
      build: { outDir, emptyOutDir: true },
    });
  } finally {
    process.env.NODE_ENV = previous;
  }
}

/**
 * Serves the production build like the server does (hashed assets cached, index.html for every
 * page) and forwards the API to the running server.
 */
function serveApp(appDir: string, apiUrl: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/sandbox/')) {
      const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : request;
      // The page is signed in: its session cookie and CSRF header go through, as to the real server.
      const headers: Record<string, string> = {
        'content-type': String(request.headers['content-type'] ?? 'application/json'),
      };
      for (const name of ['cookie', 'x-csrf-token', 'x-tributary-workspace']) {
        const value = request.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      const forwarded = await fetch(`${apiUrl}${url.pathname}${url.search}`, {
        method: request.method,
        headers,
        body: body as never,
        duplex: 'half',
      } as RequestInit);
      const setCookie = forwarded.headers.getSetCookie();
      response.writeHead(forwarded.status, {
        'content-type': forwarded.headers.get('content-type') ?? '',
        ...(setCookie.length > 0 ? { 'set-cookie': setCookie } : {}),
      });
      response.end(Buffer.from(await forwarded.arrayBuffer()));
      return;
    }
    const asset = path.join(appDir, path.normalize(url.pathname));
    if (url.pathname.startsWith('/assets/') && asset.startsWith(appDir) && fs.existsSync(asset)) {
      const type = asset.endsWith('.js')
        ? 'text/javascript'
        : asset.endsWith('.css')
          ? 'text/css'
          : 'application/octet-stream';
      response.writeHead(200, {
        'content-type': type,
        'cache-control': 'public, max-age=31536000, immutable',
      });
      response.end(fs.readFileSync(asset));
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' });
    response.end(fs.readFileSync(path.join(appDir, 'index.html')));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as { port: number };
      resolve({
        url: `http://127.0.0.1:${address.port}`,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

const median = (values: readonly number[]) => percentile(values, 50);

/** Runs the UI benchmark and returns its rows. */
export async function runUiBenchmark(
  options: UiBenchmarkOptions = defaultUiOptions,
): Promise<BenchmarkResult> {
  if (!fs.existsSync(executablePath))
    throw new Error(`No chromium at ${executablePath} (apt-get install chromium)`);
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-bench-ui-'));
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-bench-chromium-'));
  const appDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-bench-web-'));
  try {
    const buildStarted = performance.now();
    await buildProductionApp(appDir);
    log(`web app built for production in ${((performance.now() - buildStarted) / 1000).toFixed(1)} s`);
    const config = loadConfig(connectorEnvVars, {
      HOST: '127.0.0.1',
      PORT: '0',
      TRIBUTARY_HOME: home,
      TRIBUTARY_MASTER_KEY: crypto.randomBytes(32).toString('hex'),
      // The figure is the page and its requests, without discovery jobs landing mid-measurement.
      TRIBUTARY_WORKERS: 'off',
      LOG_LEVEL: 'warn',
    });
    log(`seeding ${options.connections.toLocaleString('en')} connections into ${home}`);
    const store = await openStore(config);
    const seed = await seedConnections(store.db, {
      connections: options.connections,
      batch: 10_000,
      searches: options.searches,
      log,
    }).finally(() => store.close());
    log(`  seeded in ${(seed.totalMs / 1000).toFixed(1)} s (${seed.accounts.toLocaleString('en')} accounts)`);

    const runtime = await startRuntime({
      config,
      role: 'serve',
      logDestination: new Writable({ write: (_chunk, _encoding, callback) => callback() }),
    });
    // Since sign-in, the page needs a signed-in browser: the owner is set up and its session cookies are
    // given to the browser for the page's origin.
    const owner = await benchOwnerSession(runtime.url);
    const app = await serveApp(appDir, runtime.url);
    const context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      viewport: { width: 1280, height: 800 },
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-sync',
      ],
    });
    try {
      await context.addCookies(
        owner.session.cookie.split('; ').map((pair) => {
          const at = pair.indexOf('=');
          return { name: pair.slice(0, at), value: pair.slice(at + 1), url: app.url };
        }),
      );
      await context.addInitScript(interactiveProbe);
      const url = `${app.url}/connections`;
      const page = context.pages()[0] ?? (await context.newPage());
      const show = (load: LoadBreakdown) =>
        `${formatNumber(load.interactive)} ms (scripts in ${formatNumber(load.scriptsEnd)}, list request ` +
        `${formatNumber(load.listStart)}–${formatNumber(load.listEnd)})`;
      const coldLoad = await timeLoad(page, url);
      const cold = coldLoad.interactive;
      log(`  cold load: ${show(coldLoad)}`);
      const breakdowns: LoadBreakdown[] = [];
      for (let index = 0; index < options.loads; index++) {
        const load = await timeLoad(page, url);
        breakdowns.push(load);
        log(`  warm load: ${show(load)}`);
      }
      const loads = breakdowns.map((load) => load.interactive);

      // Leave the leading-edge debounce's cool-down between searches, as a person would pause.
      const pause = () => page.waitForTimeout(400);
      const searchTimings: UpdateTiming[] = [];
      for (const term of options.searches) {
        await pause();
        searchTimings.push(await timeUpdate(page, `${term}|createdAt|desc`, 'search', term));
      }
      await pause();
      await timeUpdate(page, '|createdAt|desc', 'search', '');
      const showUpdates = (timings: UpdateTiming[]) =>
        timings
          .map((timing) => `${formatNumber(timing.total)} (request ${formatNumber(timing.request)})`)
          .join(', ');
      log(`  searches: ${showUpdates(searchTimings)} ms`);
      const searches = searchTimings.map((timing) => timing.total);

      const sortTimings: UpdateTiming[] = [];
      const headers: [string, string][] = [
        ['Data Source', 'dataSource'],
        ['Business Account', 'businessAccount'],
        ['Account Status', 'accountStatus'],
        ['Business Account ID', 'businessAccountId'],
        ['Last Authorization', 'lastAuthorizedAt'],
      ];
      for (const [label, key] of headers) {
        for (const order of ['asc', 'desc']) {
          await pause();
          sortTimings.push(await timeUpdate(page, `|${key}|${order}`, 'sort', label));
        }
      }
      log(`  sorts: ${showUpdates(sortTimings)} ms`);
      const sorts = sortTimings.map((timing) => timing.total);
      const rendering = [...searchTimings, ...sortTimings].map((timing) => timing.total - timing.request);

      const { interactiveMs, updateMs } = options.goals;
      return {
        rows: [
          resultRow({
            benchmark: 'ui',
            figure: `Connections interactive, 10k connections (median of ${loads.length})`,
            value: median(loads),
            unit: 'ms',
            limit: interactiveMs,
            limitSource: 'goal',
          }),
          resultRow({
            benchmark: 'ui',
            figure: 'Connections interactive, first (cold cache) load',
            value: cold,
            unit: 'ms',
            limit: interactiveMs,
            limitSource: 'goal',
            informational: true,
          }),
          resultRow({
            benchmark: 'ui',
            figure: `search → rows shown (median of ${searches.length})`,
            value: median(searches),
            unit: 'ms',
            limit: updateMs,
            limitSource: 'goal',
          }),
          resultRow({
            benchmark: 'ui',
            figure: `sort → rows shown (median of ${sorts.length})`,
            value: median(sorts),
            unit: 'ms',
            limit: updateMs,
            limitSource: 'goal',
          }),
          resultRow({
            benchmark: 'ui',
            figure: 'search or sort: response → rows shown (median)',
            value: median(rendering),
            unit: 'ms',
            limit: updateMs,
            limitSource: 'goal',
            informational: true,
          }),
          resultRow({
            benchmark: 'ui',
            figure: 'search or sort → rows shown, slowest',
            value: Math.max(...searches, ...sorts),
            unit: 'ms',
            limit: updateMs,
            limitSource: 'goal',
            informational: true,
          }),
        ],
        details: {
          connections: seed.connections,
          accounts: seed.accounts,
          seedMs: Math.round(seed.totalMs),
          coldLoadMs: Math.round(cold),
          loadsMs: loads.map(Math.round),
          loadBreakdowns: breakdowns,
          searches: searchTimings,
          sorts: sortTimings,
          loadAverage: os.loadavg(),
          viewport: '1280x800',
        },
        notes: [
          `seeded ${seed.connections.toLocaleString('en')} connections in ${(seed.totalMs / 1000).toFixed(1)} s;` +
            ' times are measured in the page from navigation start / from the input event or click.',
        ],
      };
    } finally {
      await context.close();
      await app.close();
      await runtime.close();
    }
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
    fs.rmSync(appDir, { recursive: true, force: true });
    fs.rmSync(home, { recursive: true, force: true });
  }
}
