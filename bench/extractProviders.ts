/**
 * The extract benchmark's providers scenario: for each provider, a real extraction through the API on a
 * real app (PGlite store + DuckDB, product-default HTTP settings) against the provider's built-in sandbox,
 * over several accounts of a seeded user connected through the sandbox consent page; then the run's
 * `apiCalls` against the fewest requests the data needs (`providerMinimum.ts`, Meta: `extractMinimum.ts`),
 * with every request on the wire tallied by path so an excess can be named.
 */
import { loadCredential } from '../src/connections/credentials.ts';
import { addDays } from '../src/domain/dates.ts';
import { connectSandboxUser, type ExtractApp, runExtraction, startExtractApp } from './extractApp.ts';
import { minimumRequests, planDifferences, windowsOf } from './extractMinimum.ts';
import type { ScenarioInput } from './extractScenarios.ts';
import {
  ga4Minimum,
  googleAdsMinimum,
  linkedinMinimum,
  type ProviderMinimum,
  type SandboxAccess,
  type SliceWindow,
  tiktokMinimum,
  WIRE_LIMITS,
} from './providerMinimum.ts';

/** One extraction of the scenario. */
export interface ProviderCase {
  provider: string;
  template: string;
  email: string;
  accounts: number;
  /** Account names that must be among the accounts (LinkedIn's high-volume account). */
  include?: string[];
}

/**
 * The cases: a campaign-level template per provider; TikTok ads too (more rows per slice, so a small
 * page size would show); LinkedIn creatives (the high-volume account's 700 creatives × 30 days exceed the
 * 15,000-element cap); GA4 the template with the most rows per property (country × device).
 */
export const providerCases: readonly ProviderCase[] = [
  { provider: 'meta-ads', template: 'meta-ads.campaign_daily', email: 'agency@example.com', accounts: 5 },
  { provider: 'tiktok-ads', template: 'tiktok-ads.campaign_daily', email: 'agency@example.com', accounts: 5 },
  { provider: 'tiktok-ads', template: 'tiktok-ads.ad_daily', email: 'agency@example.com', accounts: 5 },
  { provider: 'google-ads', template: 'google-ads.campaign_daily', email: 'agency@example.com', accounts: 5 },
  {
    provider: 'linkedin-ads',
    template: 'linkedin-ads.campaign_daily',
    email: 'agency@example.com',
    accounts: 5,
    include: ['Big Agency — High Volume'],
  },
  {
    provider: 'linkedin-ads',
    template: 'linkedin-ads.creative_daily',
    email: 'agency@example.com',
    accounts: 5,
    include: ['Big Agency — High Volume'],
  },
  { provider: 'ga4', template: 'ga4.geo_device_daily', email: 'agency@example.com', accounts: 5 },
];

/** Days of every range of the scenario. */
export const PROVIDER_RANGE_DAYS = 30;

/** One LinkedIn `adAnalytics` request of the run: the elements it carried and those the data holds. */
export interface AnalyticsCall {
  query: string;
  pivot: string;
  carried: number;
  /** Elements the sandbox holds for the request's account, pivot and days (null: facets we cannot size). */
  held: number | null;
}

/** What one case measured. */
export interface ProviderOutcome {
  provider: string;
  template: string;
  accounts: { id: string; name: string }[];
  from: string;
  to: string;
  status: string;
  error: string | null;
  apiCalls: number;
  rowsInserted: number;
  wallMs: number;
  minimum: ProviderMinimum & { definition: string };
  /** LinkedIn: the pivot the extraction reads (other pivots on the wire are reconciliation's). */
  pivot: string;
  engineSlices: number;
  planDiff: { extra: string[]; missing: string[] };
  /** Requests on the wire during the run, by `METHOD path` (ids replaced by `{n}`), and how many failed. */
  wire: Record<string, number>;
  failed: Record<string, number>;
  analytics: AnalyticsCall[];
}

/** The scenario's result. */
export interface ProvidersOutcome {
  outcomes: ProviderOutcome[];
  warnings: number;
}

const log = (line: string) => console.log(line);

/** `GET /open_api/v1.3/report/integrated/get/ page_size=1000` (sandbox prefix cut, ids as `{n}`, page sizes kept). */
function pathKey(method: string, url: URL): string {
  const path = url.pathname.replace(/^\/sandbox\/[^/]+/, '').replace(/\d{3,}/g, '{n}');
  const sizes = ['pageSize', 'page_size', 'limit'].flatMap((name) => {
    const value = url.searchParams.get(name);
    return value ? [`${name}=${value}`] : [];
  });
  return [method, path, ...sizes].join(' ');
}

/** Reads a Rest.li date record `(year:2024,month:1,day:2)` (any field order) inside `dateRange`. */
function restliDate(text: string, side: 'start' | 'end'): string | null {
  const record = new RegExp(`${side}:\\(([^)]*)\\)`).exec(text)?.[1];
  if (!record) return null;
  const parts = Object.fromEntries(record.split(',').map((pair) => pair.split(':') as [string, string]));
  const pad = (value: string | undefined) => String(value ?? '').padStart(2, '0');
  return `${parts.year}-${pad(parts.month)}-${pad(parts.day)}`;
}

/** Elements the data holds for one analytics request, when it names one account and no narrower facet. */
function heldElements(url: URL, pivot: string, perDay: Map<string, Map<string, number>>): number | null {
  const query = url.searchParams;
  if (query.get('pivot') !== pivot || ['campaigns', 'creatives', 'campaignGroups'].some((f) => query.has(f)))
    return null;
  const accounts = /sponsoredAccount:(\d+)/g;
  const ids = [...(query.get('accounts') ?? '').matchAll(accounts)].map((match) => match[1]!);
  const range = query.get('dateRange') ?? '';
  const from = restliDate(range, 'start');
  const to = restliDate(range, 'end') ?? from;
  if (ids.length === 0 || !from || !to) return null;
  let held = 0;
  for (const id of ids) {
    const days = perDay.get(id);
    if (!days) return null;
    for (let day = from; day <= to; day = addDays(day, 1)) held += days.get(day) ?? 0;
  }
  return held;
}

/** The minimum of one case, computed from the sandbox (never from the connector). */
async function minimumOf(
  app: ExtractApp,
  sandbox: SandboxAccess,
  kase: ProviderCase,
  pairs: SliceWindow[],
  selection: { level: string; dimensions: string[]; metrics: string[] },
  range: { from: string; to: string },
): Promise<ProviderMinimum & { definition: string; perDay?: Map<string, Map<string, number>> }> {
  switch (kase.provider) {
    case 'meta-ads': {
      const ids = [...new Set(pairs.map((pair) => pair.accountId))];
      const { maxWindowDays } = await app.api.call('getTemplate', { params: { id: kase.template } });
      const meta = minimumRequests({
        accountIds: ids,
        ...range,
        windowDays: maxWindowDays,
        level: selection.level,
        breakdowns: [],
        asOf: new Date(),
      });
      return {
        slices: meta.pairs.map((pair) => ({
          ...pair,
          calls: 1 + 3 + pair.pages,
          detail: `POST + 3 polls + ${pair.pages} page(s)`,
        })),
        rows: meta.rows,
        calls: meta.async,
        definition: 'Σ (POST + 3 polls + ⌈rows/500⌉): a report run; the sandbox completes it at the 3rd poll',
      };
    }
    case 'tiktok-ads':
      return {
        ...(await tiktokMinimum(sandbox, pairs, selection.level)),
        definition: `Σ max(1, ⌈rows/${WIRE_LIMITS.tiktokPageSize}⌉)`,
      };
    case 'google-ads':
      return { ...googleAdsMinimum(pairs), definition: '1 searchStream per slice' };
    case 'ga4':
      return {
        ...(await ga4Minimum(sandbox, pairs, selection.dimensions, selection.metrics)),
        definition: `Σ max(1, ⌈rowCount/${WIRE_LIMITS.ga4Limit.toLocaleString('en')}⌉)`,
      };
    case 'linkedin-ads': {
      const pivot = selection.level === 'creative' ? 'CREATIVE' : selection.level.toUpperCase();
      const linkedin = await linkedinMinimum(sandbox, pairs, {
        pivot,
        dimensions: selection.dimensions,
        metrics: selection.metrics.length,
      });
      return {
        ...linkedin,
        definition: `Σ (whole-day windows ≤ 15,000 × field chunks + finder pages: ${linkedin.finders.join(', ') || 'none'})`,
      };
    }
    default:
      throw new Error(`No minimum for ${kase.provider}`);
  }
}

/** Runs one case on a connected user's accounts and measures it. */
async function measureCase(
  app: ExtractApp,
  kase: ProviderCase,
  connection: { connectionId: string; accounts: { id: string; name: string }[] },
  to: string,
): Promise<ProviderOutcome> {
  const from = addDays(to, 1 - PROVIDER_RANGE_DAYS);
  const accounts = connection.accounts;
  const table = `bench_${kase.template.replace(/[^a-z0-9]+/gi, '_')}`;
  const extraction = await app.api.call('createExtraction', {
    body: {
      connectionId: connection.connectionId,
      templateId: kase.template,
      accounts: accounts.map((a) => a.id),
      table,
    },
  });
  const template = await app.api.call('getTemplate', { params: { id: kase.template } });
  const wire: Record<string, number> = {};
  const failed: Record<string, number> = {};
  const analyticsUrls: { url: URL; carried: number }[] = [];
  const isAnalytics = (url: URL) => url.pathname.endsWith('/rest/adAnalytics');
  app.wire.wantsBody = isAnalytics;
  app.wire.listener = async (call, clone) => {
    const key = pathKey(call.method, call.url);
    wire[key] = (wire[key] ?? 0) + 1;
    if (call.status >= 400) failed[key] = (failed[key] ?? 0) + 1;
    if (clone && call.status === 200) {
      const body = (await clone.json()) as { elements?: unknown[] };
      analyticsUrls.push({ url: call.url, carried: body.elements?.length ?? 0 });
    }
  };
  log(`  ${kase.template}: ${accounts.length} accounts × ${PROVIDER_RANGE_DAYS} days (${from}..${to})`);
  let measured: Awaited<ReturnType<typeof runExtraction>>;
  try {
    measured = await runExtraction(app, extraction.id, from, to, 10 * 60_000);
  } finally {
    app.wire.listener = null;
    app.wire.wantsBody = () => false;
  }
  const { run } = measured;
  log(
    `    ${run.status}: ${run.rows.inserted.toLocaleString('en')} rows, ${run.slices.length} slices, ` +
      `${run.apiCalls} API calls in ${(measured.wallMs / 1000).toFixed(1)} s`,
  );
  const pairs = accounts.flatMap((account) =>
    windowsOf(from, to, template.maxWindowDays).map((window) => ({ accountId: account.id, ...window })),
  );
  const credential = await loadCredential(
    app.runtime.context.db,
    app.runtime.context.vault,
    connection.connectionId,
  );
  const sandbox = { base: `${app.url}/sandbox/${kase.provider}`, accessToken: credential.accessToken };
  const { perDay, ...minimum } = await minimumOf(
    app,
    sandbox,
    kase,
    pairs,
    {
      level: template.level,
      dimensions: extraction.dimensions,
      metrics: extraction.metrics,
    },
    { from, to },
  );
  const pivot = template.level === 'creative' ? 'CREATIVE' : template.level.toUpperCase();
  return {
    provider: kase.provider,
    template: kase.template,
    accounts: accounts.map(({ id, name }) => ({ id, name })),
    from,
    to,
    status: run.status,
    error: run.error ? JSON.stringify(run.error) : null,
    apiCalls: run.apiCalls,
    rowsInserted: run.rows.inserted,
    wallMs: measured.wallMs,
    minimum,
    pivot,
    engineSlices: run.slices.length,
    planDiff: planDifferences(
      {
        pairs: minimum.slices.map((slice) => ({ ...slice, pages: slice.calls })),
        rows: 0,
        pages: 0,
        sync: 0,
        async: 0,
      },
      run.slices,
    ),
    wire,
    failed,
    analytics: analyticsUrls.map(({ url, carried }) => ({
      query: decodeURIComponent(url.search),
      pivot: url.searchParams.get('pivot') ?? '',
      carried,
      held: perDay ? heldElements(url, pivot, perDay) : null,
    })),
  };
}

/** A case that could not be measured: it reports as a failed row with the error in the notes. */
function unmeasured(
  kase: ProviderCase,
  accounts: { id: string; name: string }[],
  to: string,
  error: string,
): ProviderOutcome {
  return {
    provider: kase.provider,
    template: kase.template,
    accounts: accounts.map(({ id, name }) => ({ id, name })),
    from: addDays(to, 1 - PROVIDER_RANGE_DAYS),
    to,
    status: 'not measured',
    error,
    apiCalls: 0,
    rowsInserted: 0,
    wallMs: 0,
    minimum: { slices: [], rows: 0, calls: 0, definition: 'not computed' },
    pivot: '',
    engineSlices: 0,
    planDiff: { extra: [], missing: [] },
    wire: {},
    failed: {},
    analytics: [],
  };
}

/** Picks `count` active, non-manager accounts, the `include` names first. */
function pickAccounts(
  accounts: { id: string; name: string; status: string; manager: boolean; lostAt: string | null }[],
  kase: ProviderCase,
) {
  const usable = accounts.filter(
    (account) => account.status === 'active' && !account.manager && !account.lostAt,
  );
  const wanted = usable.filter((account) => kase.include?.includes(account.name));
  if (wanted.length !== (kase.include?.length ?? 0))
    throw new Error(`${kase.provider}: ${kase.include?.join(', ')} not among the active accounts`);
  const rest = usable.filter((account) => !wanted.includes(account)).slice(0, kase.accounts - wanted.length);
  return [...wanted, ...rest];
}

/**
 * Runs every case in `cases` on one fresh app with the product's default HTTP settings, each provider's
 * user connected once; a case whose run fails is reported, not thrown.
 */
export async function runProviders(
  input: ScenarioInput,
  track: (app: ExtractApp | null) => void,
  cases: readonly ProviderCase[] = providerCases,
): Promise<ProvidersOutcome> {
  const app = await startExtractApp('pglite', input.postgresUrl);
  track(app);
  const connections = new Map<string, Awaited<ReturnType<typeof connectSandboxUser>>>();
  const outcomes: ProviderOutcome[] = [];
  try {
    for (const kase of cases) {
      const key = `${kase.provider} ${kase.email}`;
      if (!connections.has(key)) {
        log(`\n  ${kase.provider}: connecting ${kase.email} through the sandbox consent page…`);
        connections.set(key, await connectSandboxUser(app, kase.email, kase.provider));
      }
      const connection = connections.get(key)!;
      const accounts = pickAccounts(connection.accounts, kase);
      try {
        outcomes.push(
          await measureCase(app, kase, { connectionId: connection.connectionId, accounts }, input.to),
        );
      } catch (error) {
        // One provider's failure is a failed row, not the end of the other providers' figures.
        log(`    !!! ${kase.template} could not be measured: ${String(error)}`);
        outcomes.push(unmeasured(kase, accounts, input.to, String(error)));
      }
    }
    return { outcomes, warnings: app.warnings.length };
  } finally {
    await app.close();
    track(null);
  }
}
