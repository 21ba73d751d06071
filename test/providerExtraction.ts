/**
 * The steps the provider end-to-end tests (`test/<provider>.api.test.ts`) share, so each of those files reads as
 * its provider's scenario: one app for the suite, a seeded sandbox user connected through the provider's consent
 * page, the catalog entry, an extraction run over a range (through injected faults) and the warehouse compared
 * with the sandbox's truth day by day. What differs per provider stays in its file: the authorization URL, the
 * accounts, the metrics and how its figures map to the truth.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import type { SandboxTruthDay } from '../src/connectors/kit/types.ts';
import type { EndpointResult } from '../src/contract/endpoints.ts';
import { addDays, todayIn } from '../src/domain/dates.ts';
import {
  authorizeSandboxUser,
  connectSandboxUser,
  injectFault,
  pendingFaults,
  runEnded,
  sandboxTruth,
  startTestApp,
  type TestApp,
} from './harness.ts';

type Connection = EndpointResult<'getConnection'>;
type ConnectionAccount = EndpointResult<'listConnectionAccounts'>['items'][number];
type DataSource = EndpointResult<'getDataSource'>;
type Extraction = EndpointResult<'createExtraction'>;
type Run = EndpointResult<'getRun'>;

/** What sets a provider apart when a test connects to its sandbox. */
export interface ProviderUnderTest {
  /** The data source id, e.g. `google-ads`. */
  provider: string;
  /** Checks the authorization URL the API returned: the provider's consent page and its sandbox client. */
  checkAuthorization(authorize: URL): void;
  /** How long discovery may take (20 s unless given). */
  discoveryTimeoutMs?: number;
}

/** What a provider's catalog entry must show. */
export interface CatalogEntry {
  /** A provider error code its troubleshooting page explains. */
  troubleshooting: string;
  /** A metric its schema types as money. */
  moneyMetric: string;
  /** Templates it must offer (among others). */
  templates: string[];
}

/** What {@link ProviderSuite.compareWithTruth} compares: a loaded table, its accounts, a range. */
export interface TruthComparison {
  extraction: Extraction;
  /** The accounts to compare; all the extraction's connection discovered unless given. */
  accounts?: readonly { id: string }[];
  from: string;
  to: string;
  metrics: string[];
}

/**
 * Compares one day of one account: `ours` is what the warehouse holds for it (every metric 0 on a day it holds
 * no row of), `truth` the sandbox's.
 */
export type DayCheck = (ours: Record<string, number>, truth: SandboxTruthDay, accountId: string) => void;

/** The date `days` before today, in UTC (the day the extraction tests count from). */
export function daysAgo(days: number): string {
  return addDays(todayIn('UTC', new Date()), -days);
}

/** The last seven full days, up to yesterday (UTC). */
export function lastWeek(): { from: string; to: string } {
  return { from: daysAgo(7), to: daysAgo(1) };
}

/** One provider's end-to-end suite: its app and the steps its tests share. Made by {@link providerSuite}. */
export class ProviderSuite {
  #app: TestApp | undefined;

  constructor(readonly spec: ProviderUnderTest) {}

  /** The suite's app; there is one only between the suite's `beforeAll` and `afterAll`. */
  get app(): TestApp {
    if (!this.#app) throw new Error(`The ${this.spec.provider} suite's app is used outside its tests`);
    return this.#app;
  }

  /** Starts the app (PGlite). */
  async start(): Promise<void> {
    this.#app = await startTestApp('pglite');
  }

  /** Closes the app, if it started. */
  async close(): Promise<void> {
    await this.#app?.close();
    this.#app = undefined;
  }

  /** Connects a seeded sandbox user (checking the authorization URL) and waits for discovery to end. */
  connect(email: string): Promise<Connection> {
    return connectSandboxUser(this.app, email, {
      provider: this.spec.provider,
      amend: (authorize) => this.spec.checkAuthorization(authorize),
      timeoutMs: this.spec.discoveryTimeoutMs,
    });
  }

  /** Approves a new connection in the sandbox as `email`, whatever our callback answers (see the harness). */
  authorize(email: string, amend?: (authorize: URL) => void): Promise<{ id: string; callback: Response }> {
    return authorizeSandboxUser(this.app, email, this.spec.provider, amend);
  }

  /** The accounts a connection discovered. */
  async accounts(connectionId: string): Promise<ConnectionAccount[]> {
    return (await this.app.api.call('listConnectionAccounts', { params: { id: connectionId } })).items;
  }

  /** Checks the catalog lists the provider, configured for the sandbox, with its docs, schema and templates. */
  async expectInCatalog(entry: CatalogEntry): Promise<DataSource> {
    const { provider } = this.spec;
    const source = await this.app.api.call('getDataSource', { params: { id: provider } });
    expect(source).toMatchObject({ id: provider, authType: 'oauth2', sandbox: true, configured: true });
    expect(source.troubleshooting).toContain(entry.troubleshooting);
    expect(source.schema.metrics.find((metric) => metric.name === entry.moneyMetric)?.type).toBe('money');
    const { items } = await this.app.api.call('listTemplates', { params: { id: provider } });
    expect(items.map((template) => template.id)).toEqual(expect.arrayContaining(entry.templates));
    return source;
  }

  /** Connects `email` and checks the connection is active with `accountsCount` usable accounts. */
  async expectConnected(
    email: string,
    accountsCount: number,
  ): Promise<{ connection: Connection; accounts: ConnectionAccount[] }> {
    const connection = await this.connect(email);
    expect(connection).toMatchObject({
      status: 'active',
      accountStatus: 'ready',
      accountsCount,
      businessAccount: email,
    });
    return { connection, accounts: await this.accounts(connection.id) };
  }

  /** Connects `email` and checks what discovery ended with (`ready` and a count, or `none` and 0). */
  async expectDiscovered(email: string, accountStatus: string, accountsCount: number): Promise<void> {
    const connection = await this.connect(email);
    expect([connection.accountStatus, connection.accountsCount]).toEqual([accountStatus, accountsCount]);
  }

  /** Runs an extraction over `from`..`to` and waits for the run to end, however it ends. */
  async runRange(extractionId: string, from: string, to: string): Promise<Run> {
    const started = await this.app.api.call('startExtractionRun', {
      params: { id: extractionId },
      body: { from, to },
    });
    return runEnded(this.app, started.id);
  }

  /**
   * Queues `faults` (one each) in the provider's sandbox, runs the extraction over the last week and checks the
   * run went through them: it succeeded, every fault was served (a throttle waited out, an error retried), the
   * reconciliation with the provider's totals matched, rows landed.
   */
  async runLastWeekThrough(
    extractionId: string,
    faults: string[],
  ): Promise<Run & { from: string; to: string }> {
    const { provider } = this.spec;
    for (const fault of faults) await injectFault(this.app, fault, 1, provider);
    const { from, to } = lastWeek();
    const run = await this.runRange(extractionId, from, to);
    expect(run.status, JSON.stringify(run.log.slice(-8))).toBe('succeeded');
    expect(JSON.stringify(await pendingFaults(this.app))).not.toContain(provider);
    expect(run.reconciliation).toMatchObject({ status: 'matched', mismatches: [] });
    expect(run.rows.inserted).toBeGreaterThan(0);
    return { ...run, from, to };
  }

  /**
   * Runs `check` on every day the sandbox has the truth of, for each account, against the warehouse's daily
   * totals of that account; returns how many days were compared.
   */
  async compareWithTruth(comparison: TruthComparison, check: DayCheck): Promise<number> {
    const { extraction, from, to, metrics } = comparison;
    const accounts = comparison.accounts ?? (await this.accounts(extraction.connectionId!));
    const destination = await this.app.runtime.context.destinations.get(extraction.destinationId);
    const none = Object.fromEntries(metrics.map((metric) => [metric, 0]));
    let compared = 0;
    for (const account of accounts) {
      const totals = await destination.dailyTotals(extraction.table, account.id, from, to, metrics);
      const loaded = new Map(totals.map((day) => [day.date, day.values]));
      for (const day of await sandboxTruth(this.app, this.spec.provider, account.id, from, to)) {
        check(loaded.get(day.date) ?? none, day, account.id);
        compared += 1;
      }
    }
    return compared;
  }

  /** Checks the extraction's data preview has (at least) these columns. */
  async expectColumns(extractionId: string, columns: string[]): Promise<void> {
    const data = await this.app.api.call('getExtractionData', {
      params: { id: extractionId },
      query: { limit: 5 },
    });
    expect(data.columns.map((column) => column.name)).toEqual(expect.arrayContaining(columns));
  }
}

/** A {@link ProviderSuite} whose app starts before the tests of the `describe` it is made in and closes after. */
export function providerSuite(spec: ProviderUnderTest): ProviderSuite {
  const suite = new ProviderSuite(spec);
  beforeAll(() => suite.start());
  afterAll(() => suite.close());
  return suite;
}
