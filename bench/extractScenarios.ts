/**
 * The extract benchmark's scenarios. Each runs in a fresh child process (see `extractChild.ts`) on
 * its own real app, so its peak RSS is its own: large ad-level breakdown extractions into DuckDB
 * (half size, profiled; full size) or PostgreSQL, the full-size ones followed by the destination
 * replay and the raw bulk load of the same rows; and, on product-default HTTP settings, a
 * synchronous extraction over many accounts followed by a rate-limited one.
 */
import path from 'node:path';
import { findMetaTemplate, isBreakdown } from '../src/connectors/meta-ads/templates.ts';
import type { TableSpec } from '../src/destinations/core/types.ts';
import { addDays } from '../src/domain/dates.ts';
import {
  connectSandboxUser,
  type ExtractApp,
  type MeasuredRun,
  runExtraction,
  type StoreBackend,
  startExtractApp,
} from './extractApp.ts';
import { type MinimumRequests, minimumRequests, planDifferences } from './extractMinimum.ts';
import { CpuProfile, StageTimer } from './extractProfile.ts';
import {
  duckDbPairReader,
  type Pair,
  postgresPairReader,
  type RawLoad,
  rawDuckDbAppend,
  rawPostgresCopy,
  replayThroughDestination,
} from './extractRaw.ts';
import { metaSandboxEnv, startSandboxProcess } from './sandboxProcess.ts';

/** One extraction's selection and range. */
export interface ExtractionPlan {
  template: string;
  accounts: number;
  days: number;
}

/** The sandbox's per-account insights budget the rate-limited run meets. */
export interface RateLimit {
  callsPerWindow: number;
  windowMs: number;
}

/** What a child process needs to run any scenario. */
export interface ScenarioInput {
  large: ExtractionPlan;
  sync: ExtractionPlan;
  /** An async (report-run) extraction on the product's default HTTP settings. */
  defaultAsync: ExtractionPlan;
  limited: ExtractionPlan;
  limit: RateLimit;
  /** The last day of every range. */
  to: string;
  postgresUrl: string;
  /** `retryBaseMs` of the large runs (report-run poll back-off). */
  pollBaseMs: number;
  /**
   * Where the large runs' sandbox runs: `process`, a process of its own (a real provider is another machine),
   * or `inprocess`, served by the measured app itself (its CPU then counts in the figures).
   */
  sandbox: 'process' | 'inprocess';
  /** Extra app configuration for the large runs (e.g. destination memory settings). */
  appEnv?: Record<string, string>;
  /** Skip the replay and raw loads after the full-size runs (memory runs at large sizes). */
  skipLoads?: boolean;
}

/** Summed stage times of a run (see {@link StageTimer}). */
export type StageTimes = Pick<
  StageTimer,
  'sourceMs' | 'destinationMs' | 'ensureTableMs' | 'recordLoadMs' | 'replacements' | 'batches'
>;

/** What every measured extraction reports. */
export interface Measured extends MeasuredRun {
  plan: ExtractionPlan & { from: string; to: string; accountIds: string[] };
  minimum: Omit<MinimumRequests, 'pairs'>;
  /** Slices the engine planned that our split did not, and the reverse. */
  planDiff: { extra: string[]; missing: string[] };
  stages: StageTimes;
  profile?: Record<string, number>;
}

/** A large extraction and, for full-size runs, the same rows through the destination alone and raw. */
export interface ThroughputOutcome {
  measured: Measured;
  replay?: RawLoad;
  raw?: RawLoad;
  warnings: number;
}

/** The rate-limited run alone, and the budget it met. */
export interface LimitedOutcome {
  limited: Measured;
  limit: RateLimit;
  warnings: number;
}

/** The synchronous run, the async one on default settings, and the rate-limited one. */
export interface SyncOutcome {
  sync: Measured;
  defaultAsync: Measured;
  limited: Measured;
  limit: RateLimit;
  warnings: number;
}

const log = (line: string) => console.log(line);
const large = 'bench_large';

/** The columns the engine writes for an extraction (the connector's own plan of its selection). */
async function specOf(app: ExtractApp, extractionId: string, table: string): Promise<TableSpec> {
  const extraction = await app.api.call('getExtraction', { params: { id: extractionId } });
  const support = app.runtime.context.connectors.get(extraction.dataSource)!.extraction!;
  const columns = support.columns({
    template: findMetaTemplate(extraction.templateId)!,
    dimensions: extraction.dimensions,
    metrics: extraction.metrics,
    settings: extraction.settings,
  });
  return { name: table, columns };
}

/**
 * Creates an extraction of `plan.template` (its default fields) over `accountIds`, runs it over
 * `plan.days` days ending at `to` and measures it; then computes the data's minimum requests.
 */
async function measureExtraction(
  app: ExtractApp,
  connectionId: string,
  accountIds: string[],
  plan: ExtractionPlan,
  to: string,
  extra: { table: string; destinationId?: string; profile?: boolean },
): Promise<{ measured: Measured; extractionId: string }> {
  const template = findMetaTemplate(plan.template);
  if (!template) throw new Error(`Unknown template ${plan.template}`);
  const extraction = await app.api.call('createExtraction', {
    body: {
      connectionId,
      templateId: plan.template,
      accounts: accountIds,
      table: extra.table,
      ...(extra.destinationId ? { destinationId: extra.destinationId } : {}),
    },
  });
  const from = addDays(to, 1 - plan.days);
  const stages = new StageTimer();
  const detach = stages.attach(await app.runtime.context.destinations.get(extraction.destinationId));
  const profiler = extra.profile ? new CpuProfile() : null;
  log(
    `  [${app.backend}] ${plan.template}: ${accountIds.length} accounts × ${plan.days} days (${from}..${to}) → ${extra.table}`,
  );
  await profiler?.start();
  let run: MeasuredRun;
  let profile: Record<string, number> | undefined;
  try {
    run = await runExtraction(app, extraction.id, from, to);
  } finally {
    profile = await profiler?.stop();
    detach();
  }
  const detail = run.run;
  log(
    `    ${detail.status}: ${detail.rows.inserted.toLocaleString('en')} rows, ${detail.slices.length} slices, ` +
      `${detail.apiCalls} API calls in ${(run.wallMs / 1000).toFixed(1)} s; peak RSS ${run.rss.peakMb.toFixed(0)} MB`,
  );
  if (detail.status !== 'succeeded') {
    throw new Error(`The run ended ${detail.status}: ${JSON.stringify(detail.error)}`);
  }
  const { pairs, ...minimum } = minimumRequests({
    accountIds,
    from,
    to,
    windowDays: template.maxWindowDays,
    level: template.level,
    breakdowns: extraction.dimensions.filter((name) => isBreakdown(name)),
    asOf: new Date(),
  });
  const measured: Measured = {
    ...run,
    plan: { ...plan, from, to, accountIds },
    minimum,
    planDiff: planDifferences({ pairs, ...minimum }, detail.slices),
    stages: { ...stages },
    ...(profile ? { profile } : {}),
  };
  return { measured, extractionId: extraction.id };
}

/**
 * One large extraction of the agency's first accounts: `half` takes half of `input.large.accounts`
 * and is CPU-profiled; the full-size run is followed by the destination replay and the raw load.
 */
export async function runThroughput(
  backend: StoreBackend,
  input: ScenarioInput,
  half: boolean,
  track: (app: ExtractApp | null) => void,
): Promise<ThroughputOutcome> {
  const provider = input.sandbox === 'process' ? await startSandboxProcess() : null;
  let app: ExtractApp;
  try {
    app = await startExtractApp(
      backend,
      input.postgresUrl,
      { retryBaseMs: input.pollBaseMs },
      {
        env: { ...(provider ? metaSandboxEnv(provider.url) : {}), ...input.appEnv },
        providersElsewhere: provider !== null,
        ...(provider ? { providerCpuMs: provider.cpuMs } : {}),
      },
    );
  } catch (error) {
    await provider?.close();
    throw error;
  }
  track(app);
  try {
    const { connectionId, accountIds } = await connectSandboxUser(app, 'agency@example.com');
    const warehouse = `${app.schema}_wh`;
    const destinationId =
      backend === 'postgres'
        ? (
            await app.api.call('createDestination', {
              body: { kind: 'postgres', name: 'Bench warehouse', url: input.postgresUrl, schema: warehouse },
            })
          ).id
        : undefined;
    const accounts = half ? Math.floor(input.large.accounts / 2) : input.large.accounts;
    const { measured, extractionId } = await measureExtraction(
      app,
      connectionId,
      accountIds.slice(0, accounts),
      { ...input.large, accounts },
      input.to,
      { table: half ? 'bench_half' : large, profile: half, ...(destinationId ? { destinationId } : {}) },
    );
    if (half || input.skipLoads) return { measured, warnings: app.warnings.length };
    const spec = await specOf(app, extractionId, large);
    const destination = await app.runtime.context.destinations.get(
      (await app.api.call('getExtraction', { params: { id: extractionId } })).destinationId,
    );
    const pairs: Pair[] = measured.run.slices.map(({ accountId, accountName, from, to }) => ({
      accountId,
      accountName,
      from,
      to,
    }));
    const file = path.join(app.home, 'warehouse.duckdb');
    log('  the same rows through the destination alone (replacePartitions, one slice at a time)…');
    const reader =
      backend === 'postgres'
        ? await postgresPairReader(input.postgresUrl, warehouse, large, spec)
        : await duckDbPairReader(file, large, spec);
    const replay = await replayThroughDestination(
      destination,
      { ...spec, name: 'bench_replay' },
      pairs,
      reader,
    );
    log(`  the same rows through the raw ${backend === 'postgres' ? 'COPY' : 'appender'}…`);
    const raw =
      backend === 'postgres'
        ? await rawPostgresCopy(input.postgresUrl, warehouse, large)
        : await rawDuckDbAppend(file, large);
    return { measured, replay, raw, warnings: app.warnings.length };
  } finally {
    await app.close();
    await provider?.close();
    track(null);
  }
}

/** Sets the sandbox's insights budget to `input.limit`, then measures `input.limited` over `accountIds`. */
async function measureLimited(
  app: ExtractApp,
  connectionId: string,
  accountIds: string[],
  input: ScenarioInput,
): Promise<Measured> {
  const response = await fetch(`${app.url}/sandbox/meta-ads/_control/limits`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(input.limit),
  });
  if (!response.ok) throw new Error(`Setting the sandbox limits failed: ${await response.text()}`);
  const { measured } = await measureExtraction(app, connectionId, accountIds, input.limited, input.to, {
    table: 'bench_limited',
  });
  return measured;
}

/**
 * Only the rate-limited run (`BENCH_EXTRACT_ONLY=limited`), on a fresh app with the product's default
 * HTTP settings, over the agency's first accounts: about a minute and a half instead of six.
 */
export async function runLimited(
  input: ScenarioInput,
  track: (app: ExtractApp | null) => void,
): Promise<LimitedOutcome> {
  const app = await startExtractApp('pglite', input.postgresUrl);
  track(app);
  try {
    const { connectionId, accountIds } = await connectSandboxUser(app, 'agency@example.com');
    const limited = await measureLimited(
      app,
      connectionId,
      accountIds.slice(0, input.limited.accounts),
      input,
    );
    return { limited, limit: input.limit, warnings: app.warnings.length };
  } finally {
    await app.close();
    track(null);
  }
}

/**
 * Runs on PGlite + DuckDB with the product's default HTTP settings (so poll back-off and pacing
 * waits are the real ones): `input.sync` over the agency's first accounts, `input.defaultAsync`
 * over the next ones, then `input.limited` on the next after setting the sandbox's insights budget
 * to `input.limit`.
 */
export async function runSync(
  input: ScenarioInput,
  track: (app: ExtractApp | null) => void,
): Promise<SyncOutcome> {
  const app = await startExtractApp('pglite', input.postgresUrl);
  track(app);
  try {
    const { connectionId, accountIds } = await connectSandboxUser(app, 'agency@example.com');
    const next = (count: number) => accountIds.splice(0, count);
    const sync = await measureExtraction(app, connectionId, next(input.sync.accounts), input.sync, input.to, {
      table: 'bench_sync',
    });
    const defaultAsync = await measureExtraction(
      app,
      connectionId,
      next(input.defaultAsync.accounts),
      input.defaultAsync,
      input.to,
      { table: 'bench_default_async' },
    );
    const limitedAccounts = accountIds.slice(
      input.sync.accounts,
      input.sync.accounts + input.limited.accounts,
    );
    const limited = await measureLimited(app, connectionId, limitedAccounts, input);
    return {
      sync: sync.measured,
      defaultAsync: defaultAsync.measured,
      limited,
      limit: input.limit,
      warnings: app.warnings.length,
    };
  } finally {
    await app.close();
    track(null);
  }
}
