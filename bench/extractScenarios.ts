/**
 * The extract benchmark's scenarios, each on its own real app: large ad-level breakdown
 * extractions into DuckDB (half size, then full size) and into PostgreSQL, each followed by the raw
 * bulk load of the same rows; and on product-default HTTP settings, a synchronous extraction over
 * many accounts and a rate-limited one. Each returns what it measured; `extract.ts` makes figures.
 */
import path from 'node:path';
import { findMetaTemplate, isBreakdown } from '../src/connectors/meta-ads/templates.ts';
import type { Destination } from '../src/destinations/core/types.ts';
import { addDays } from '../src/domain/dates.ts';
import {
  connectSandboxUser,
  type ExtractApp,
  type MeasuredRun,
  runExtraction,
  startExtractApp,
} from './extractApp.ts';
import { type MinimumRequests, minimumRequests, planDifferences } from './extractMinimum.ts';
import { CpuProfile, StageTimer } from './extractProfile.ts';
import { type RawLoad, rawDuckDbAppend, rawPostgresCopy } from './extractRaw.ts';

/** One extraction's selection and range. */
export interface ExtractionPlan {
  template: string;
  accounts: number;
  days: number;
}

/** What every measured extraction reports. */
export interface Measured extends MeasuredRun {
  plan: ExtractionPlan & { from: string; to: string; accountIds: string[] };
  minimum: MinimumRequests;
  /** Slices the engine planned that our split did not, and the reverse. */
  planDiff: { extra: string[]; missing: string[] };
  stages: StageTimer;
  profile?: Record<string, number>;
}

const log = (line: string) => console.log(line);

/** Opens the extraction's destination through the app's pool (the object the engine writes with). */
async function destinationOf(app: ExtractApp, extractionId: string): Promise<Destination> {
  const extraction = await app.api.call('getExtraction', { params: { id: extractionId } });
  return app.runtime.context.destinations.get(extraction.destinationId);
}

/**
 * Creates an extraction of `plan.template` (its default fields) over the given accounts, runs it
 * over `plan.days` days ending at `to`, and measures it (wire counts, RSS, stage times and, when
 * asked, a CPU profile); then computes the data's minimum requests.
 */
export async function measureExtraction(
  app: ExtractApp,
  connectionId: string,
  accountIds: string[],
  plan: ExtractionPlan,
  to: string,
  extra: { table: string; destinationId?: string; profile?: boolean },
): Promise<Measured> {
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
  const detach = stages.attach(await destinationOf(app, extraction.id));
  const profiler = extra.profile ? new CpuProfile() : null;
  log(
    `  [${app.backend}] ${plan.template}: ${accountIds.length} accounts × ${plan.days} days (${from}..${to}) → ${extra.table}`,
  );
  await profiler?.start();
  let measured: MeasuredRun;
  let profile: Record<string, number> | undefined;
  try {
    measured = await runExtraction(app, extraction.id, from, to);
  } finally {
    profile = await profiler?.stop();
    detach();
  }
  const { run } = measured;
  log(
    `    ${run.status}: ${run.rows.inserted.toLocaleString('en')} rows, ${run.slices.length} slices, ` +
      `${run.apiCalls} API calls in ${(measured.wallMs / 1000).toFixed(1)} s; peak RSS ${measured.rss.peakMb.toFixed(0)} MB`,
  );
  if (run.status !== 'succeeded') {
    throw new Error(
      `The run ended ${run.status}: ${JSON.stringify(run.error)} ${JSON.stringify(run.log.slice(-3))}`,
    );
  }
  const minimum = minimumRequests({
    accountIds,
    from,
    to,
    windowDays: template.maxWindowDays,
    level: template.level,
    breakdowns: extraction.dimensions.filter((name) => isBreakdown(name)),
    asOf: new Date(),
  });
  return {
    ...measured,
    plan: { ...plan, from, to, accountIds },
    minimum,
    planDiff: planDifferences(minimum, run.slices),
    stages,
    ...(profile ? { profile } : {}),
  };
}

/** The large extractions: half size (profiled) then full size into DuckDB, and the raw appender. */
export interface DuckDbOutcome {
  half: Measured;
  large: Measured;
  raw: RawLoad;
  warnings: string[];
}

/**
 * Runs on PGlite (on disk) + the default DuckDB warehouse. The half-size run reads other accounts
 * than the full-size one, so neither meets the other's warm sandbox caches.
 */
export async function runDuckDbScenario(
  plan: ExtractionPlan,
  to: string,
  postgresUrl: string,
  pollBaseMs: number,
  track: (app: ExtractApp | null) => void,
): Promise<DuckDbOutcome> {
  const app = await startExtractApp('pglite', postgresUrl, { retryBaseMs: pollBaseMs });
  track(app);
  try {
    const { connectionId, accountIds } = await connectSandboxUser(app, 'agency@example.com');
    const halfAccounts = accountIds.slice(plan.accounts, plan.accounts + Math.floor(plan.accounts / 2));
    const half = await measureExtraction(
      app,
      connectionId,
      halfAccounts,
      { ...plan, accounts: halfAccounts.length },
      to,
      { table: 'bench_half', profile: true },
    );
    const large = await measureExtraction(app, connectionId, accountIds.slice(0, plan.accounts), plan, to, {
      table: 'bench_large',
    });
    log('  raw DuckDB appender of the same rows…');
    const raw = await rawDuckDbAppend(path.join(app.home, 'warehouse.duckdb'), 'bench_large');
    return { half, large, raw, warnings: app.warnings };
  } finally {
    await app.close();
    track(null);
  }
}

/** The full-size extraction on PostgreSQL (store and destination), and the raw COPY. */
export interface PostgresOutcome {
  large: Measured;
  raw: RawLoad;
  warnings: string[];
}

/** Runs on a PostgreSQL store (schema per run) with a PostgreSQL destination (its own schema); both dropped after. */
export async function runPostgresScenario(
  plan: ExtractionPlan,
  to: string,
  postgresUrl: string,
  pollBaseMs: number,
  track: (app: ExtractApp | null) => void,
): Promise<PostgresOutcome> {
  const app = await startExtractApp('postgres', postgresUrl, { retryBaseMs: pollBaseMs });
  track(app);
  try {
    const { connectionId, accountIds } = await connectSandboxUser(app, 'agency@example.com');
    const warehouse = `${app.schema}_wh`;
    const destination = await app.api.call('createDestination', {
      body: { kind: 'postgres', name: 'Bench warehouse', url: postgresUrl, schema: warehouse },
    });
    const large = await measureExtraction(app, connectionId, accountIds.slice(0, plan.accounts), plan, to, {
      table: 'bench_large',
      destinationId: destination.id,
    });
    log('  raw PostgreSQL COPY of the same rows…');
    const raw = await rawPostgresCopy(postgresUrl, warehouse, 'bench_large');
    return { large, raw, warnings: app.warnings };
  } finally {
    await app.close();
    track(null);
  }
}

/** The sandbox's per-account insights budget the rate-limited run meets. */
export interface RateLimit {
  callsPerWindow: number;
  windowMs: number;
}

/** The synchronous extraction and the rate-limited one (product-default HTTP settings). */
export interface SyncOutcome {
  sync: Measured;
  limited: Measured;
  limit: RateLimit;
  warnings: string[];
}

/**
 * Runs on PGlite + DuckDB with the product's default HTTP settings (so the pacing waits are the
 * real ones): first `syncPlan` (a synchronous template over many accounts), then `limitedPlan` on
 * one other account after setting the sandbox's insights budget to `limit`.
 */
export async function runSyncScenario(
  syncPlan: ExtractionPlan,
  limitedPlan: ExtractionPlan,
  limit: RateLimit,
  to: string,
  postgresUrl: string,
  track: (app: ExtractApp | null) => void,
): Promise<SyncOutcome> {
  const app = await startExtractApp('pglite', postgresUrl);
  track(app);
  try {
    const { connectionId, accountIds } = await connectSandboxUser(app, 'agency@example.com');
    const sync = await measureExtraction(
      app,
      connectionId,
      accountIds.slice(0, syncPlan.accounts),
      syncPlan,
      to,
      {
        table: 'bench_sync',
      },
    );
    const response = await fetch(`${app.url}/sandbox/meta-ads/_control/limits`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(limit),
    });
    if (!response.ok) throw new Error(`Setting the sandbox limits failed: ${await response.text()}`);
    const limitedAccounts = accountIds.slice(syncPlan.accounts, syncPlan.accounts + limitedPlan.accounts);
    const limited = await measureExtraction(app, connectionId, limitedAccounts, limitedPlan, to, {
      table: 'bench_limited',
    });
    return { sync, limited, limit, warnings: app.warnings };
  } finally {
    await app.close();
    track(null);
  }
}
