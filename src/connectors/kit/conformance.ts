/**
 * The conformance suite every connector runs against its own sandbox, over real HTTP through the connector's own
 * code: credential check and identity, account discovery (paging and an empty list), templates, a read of a
 * week, an incremental read, a lookback re-read on the virtual clock, and the error categories of every fault
 * the sandbox control API injects. `src/connectors/conformance-registry.test.ts` keeps every registered
 * connector running it. See `docs/connector-guide.md`.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addDays, daysBetween, eachDay, todayIn } from '../../domain/dates.ts';
import {
  cellProblem,
  defaultRequest,
  paidAdsMappingProblems,
  rowKey,
  templateProblems,
} from './conformance-checks.ts';
import { asTributary, CONFORMANCE_HTTP, describeFaultCases } from './conformance-faults.ts';
import {
  buildAgainst,
  type ConformanceSandbox,
  discoverPages,
  drainRead,
  oauthLogin,
  startLoopbackSandbox,
} from './conformance-sandbox.ts';
import {
  type CellValue,
  type Connector,
  type ConnectorDefinition,
  fieldTypes,
  type HttpSettings,
  type ProviderAccount,
  type SandboxFault,
  type SandboxProvider,
  type SandboxTruthDay,
  type TokenSet,
} from './types.ts';

export { templateProblems } from './conformance-checks.ts';
export { CONFORMANCE_HTTP } from './conformance-faults.ts';
export type { ConformanceSandbox } from './conformance-sandbox.ts';

/** What the suite needs to know about one connector and its sandbox. */
export interface ConformanceSubject {
  /** The registered definition; the suite builds it in sandbox mode (no app credentials). */
  definition: ConnectorDefinition;
  /** The provider's sandbox, served on a loopback port by the suite. */
  sandbox: SandboxProvider;
  /** Seeded users (emails): one with a few accounts, one whose accounts need paging, one with none. */
  users: { withAccounts: string; paging: string; empty: string };
  read: {
    /** The template read for the week, incremental and lookback checks. */
    templateId: string;
    /** Days a day keeps being restated in the sandbox (late conversions). */
    restatementDays: number;
    /** Columns the sandbox restates (one at least in the default selection); no other column may change. */
    restatedColumns: string[];
  };
  /**
   * The reset a `rate_limited` fault announces, in ms, when it is short enough to sleep through in a test; the
   * suite then checks the wait branch with `maxQuotaWaitMs` set to it. Null when the sandbox's reset is longer
   * (the case is then skipped under a name that says so; the surfacing branch is checked either way).
   */
  throttleWaitMs: number | null;
  /**
   * Which sandbox truth figures a read's columns must equal per day, as truth key → column name. A truth key is
   * `impressions`, `clicks`, `conversions`, `spend` or a key of the truth's `metrics` (provider metric names).
   * Defaults to impressions and clicks under their own names; analytics sources map theirs (GA4: `sessions`).
   */
  truthColumns?: Record<string, string>;
  /** Queues a fault; defaults to the host's control API (`POST /sandbox/_control/faults`). */
  injectFault?(sandbox: ConformanceSandbox, fault: SandboxFault, count: number): Promise<void>;
  /** Obtains a credential for a seeded user; defaults to the OAuth flow approved on the consent page. */
  login?(connector: Connector, sandbox: ConformanceSandbox, email: string): Promise<TokenSet>;
}

/** Truth figures compared per day by default (exact integers; money is compared by the engine). */
const DEFAULT_TRUTH_COLUMNS: Record<string, string> = { impressions: 'impressions', clicks: 'clicks' };

/** A truth day's figure by key: a top-level total or one of the source-specific `metrics`. */
function truthFigure(day: SandboxTruthDay | undefined, key: string): number {
  if (!day) return 0;
  const top = (day as unknown as Record<string, unknown>)[key];
  if (typeof top === 'number') return top;
  return day.metrics?.[key] ?? 0;
}

/** Registers the conformance suite for one connector (call at the top level of a `*.test.ts`). */
export function describeConnectorConformance(subject: ConformanceSubject): void {
  describe(`${subject.definition.id} conformance`, () => {
    let sandbox: ConformanceSandbox | undefined;
    const build = (http: Partial<HttpSettings> = {}) =>
      buildAgainst(subject.definition, () => sandbox, { ...CONFORMANCE_HTTP, ...http });
    // Built at collection time so each template gets its own case; calls resolve the sandbox URL when made.
    const connector = build();
    const templates = connector.extraction?.templates ?? [];
    const template = templates.find((candidate) => candidate.id === subject.read.templateId);
    const login = (email: string) =>
      subject.login ? subject.login(connector, sandbox!, email) : oauthLogin(connector, email);
    const inject = (fault: SandboxFault, count = 1) =>
      subject.injectFault ? subject.injectFault(sandbox!, fault, count) : sandbox!.injectFault(fault, count);

    let token: TokenSet;
    let account: ProviderAccount;
    let today: string;
    /** Rows of the week read and the incremental read, by key: the lookback re-read is compared with them. */
    const earlier = new Map<string, Record<string, CellValue>>();
    const request = (from: string, to: string) => defaultRequest(template!, account, from, to);
    const truthByDay = async (from: string, to: string) =>
      new Map((await sandbox!.truth(account.id, from, to)).map((day) => [day.date, day]));

    beforeAll(async () => {
      sandbox = await startLoopbackSandbox(subject.sandbox);
    });
    afterEach(async () => {
      await sandbox?.clearFaults();
    });
    afterAll(async () => {
      await sandbox?.close();
    });

    /** Checks a read's rows: typed, within the window, and per day equal to the account's truth. */
    async function expectWindow(rows: Record<string, CellValue>[], from: string, to: string) {
      const columns = connector.extraction!.columns(request(from, to));
      const byName = new Map(columns.map((column) => [column.name, column]));
      const problems = rows.flatMap((row) => [
        ...Object.keys(row)
          .filter((name) => !byName.has(name))
          .map((name) => `unknown column ${name}`),
        ...columns.map((column) => cellProblem(row[column.name], column)).filter((p) => p !== null),
      ]);
      expect(problems.slice(0, 5)).toEqual([]);
      for (const row of rows)
        expect([from <= String(row.date), String(row.date) <= to]).toEqual([true, true]);
      const truth = await truthByDay(from, to);
      const compared = Object.entries(subject.truthColumns ?? DEFAULT_TRUTH_COLUMNS).filter(([, column]) =>
        byName.has(column),
      );
      // A subject whose default selection has none of its truth columns would prove nothing here.
      expect(compared.length, 'columns compared with the sandbox truth').toBeGreaterThan(0);
      for (const day of eachDay(from, to)) {
        const ofDay = rows.filter((row) => row.date === day);
        for (const [key, column] of compared) {
          const sum = ofDay.reduce((total, row) => total + Number(row[column] ?? 0), 0);
          expect(sum, `${column} on ${day} against the sandbox truth`).toBe(truthFigure(truth.get(day), key));
        }
      }
    }

    describe('credentials and identity', () => {
      it('is built in sandbox mode under its registered id', () => {
        expect([connector.id, connector.sandbox, connector.configured]).toEqual([
          subject.definition.id,
          true,
          true,
        ]);
        expect(connector.extraction, 'every connector extracts').toBeDefined();
      });

      it('exchanges a code for a token and identifies the user (businessAccount + id)', async () => {
        token = await login(subject.users.withAccounts);
        expect(token.accessToken).not.toBe('');
        const summary = (await sandbox!.users()).find((user) => user.email === subject.users.withAccounts)!;
        const identity = await connector.identify(token);
        expect(identity.businessAccountId).toBe(summary.userId);
        expect([summary.email, summary.name]).toContain(identity.businessAccount);
      });

      // Only for expiring credentials: a long-lived token (Meta, TikTok) has nothing to refresh.
      const refreshCase = connector.refresh ? it : () => undefined;
      refreshCase('refresh gives a working new access token and keeps a refresh grant', async () => {
        const fresh = await connector.refresh!(token);
        expect(fresh.accessToken).not.toBe('');
        expect(fresh.accessToken).not.toBe(token.accessToken);
        if (token.refreshToken) expect(fresh.refreshToken ?? '').not.toBe('');
        if (fresh.expiresAt) expect(Date.parse(fresh.expiresAt)).toBeGreaterThan(Date.now());
        const summary = (await sandbox!.users()).find((user) => user.email === subject.users.withAccounts)!;
        expect((await connector.identify(fresh)).businessAccountId).toBe(summary.userId);
        token = fresh;
      });

      refreshCase('refreshing with a grant the provider does not know fails with category auth', async () => {
        const unknown: TokenSet = token.refreshToken
          ? { ...token, refreshToken: 'not-a-refresh-token-of-this-sandbox' }
          : { ...token, secrets: {} };
        const error = await connector.refresh!(unknown).then(
          () => undefined,
          (failure: unknown) => failure,
        );
        expect(asTributary(error).category).toBe('auth');
      });

      it('a credential the provider does not know fails the check with category auth', async () => {
        const error = await connector
          .identify({ accessToken: 'not-a-token-of-this-sandbox', scopes: [] })
          .then(
            () => undefined,
            (failure: unknown) => failure,
          );
        expect(asTributary(error).category).toBe('auth');
      });
    });

    describe('account discovery', () => {
      const discover = async (email: string) => {
        const pages = await discoverPages(connector, await login(email));
        const accounts = pages.flat();
        const expected = (await sandbox!.users()).find((user) => user.email === email)?.accounts;
        expect(accounts).toHaveLength(expected ?? -1);
        expect(new Set(accounts.map((found) => found.id)).size).toBe(accounts.length);
        for (const found of accounts) {
          expect(found.id).not.toBe('');
          expect(found.name).not.toBe('');
          expect(found.status).toMatch(/^[a-z_]+$/);
        }
        return { pages, accounts };
      };

      it('finds every account of a user, with status words', async () => {
        const { accounts } = await discover(subject.users.withAccounts);
        expect(accounts.length).toBeGreaterThan(0);
        const active = accounts.find((found) => found.status === 'active');
        expect(active, 'the user with accounts needs an active one to read').toBeDefined();
        account = active!;
      });

      it('follows paging to the full count of the large user', async () => {
        const { pages } = await discover(subject.users.paging);
        expect(pages.length, 'the large user needs more than one page').toBeGreaterThan(1);
      });

      it('gives an empty list for a user without accounts', async () => {
        const { accounts } = await discover(subject.users.empty);
        expect(accounts).toEqual([]);
      });
    });

    describe('templates', () => {
      it('has templates with unique ids, including the one the suite reads', () => {
        const ids = templates.map((entry) => entry.id);
        expect(ids.length).toBeGreaterThan(0);
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids).toContain(subject.read.templateId);
      });

      if (connector.extraction?.paidAds) {
        it('the paid-ads model mapping names templates of this source and columns they produce', () => {
          expect(paidAdsMappingProblems(connector)).toEqual([]);
        });
      }

      for (const entry of templates) {
        it(`${entry.id} validates and its columns start with date`, () => {
          expect(templateProblems(entry, subject.definition.id)).toEqual([]);
          const selection = {
            template: entry,
            dimensions: [...entry.defaultDimensions],
            metrics: [...entry.defaultMetrics],
            settings: Object.fromEntries(entry.settings.map((setting) => [setting.name, setting.default])),
          };
          const columns = connector.extraction!.columns(selection);
          expect(columns[0]).toEqual({ name: 'date', type: 'date' });
          expect(new Set(columns.map((column) => column.name)).size).toBe(columns.length);
          for (const column of columns) expect(fieldTypes).toContain(column.type);
          const required = {
            ...selection,
            dimensions: entry.requiredDimensions,
            metrics: entry.requiredMetrics,
          };
          expect(connector.extraction!.columns(required)[0]).toEqual({ name: 'date', type: 'date' });
        });
      }
    });

    describe('reading', () => {
      it('reads a week: typed rows of the account, within the dates, equal to the truth', async () => {
        today = todayIn(account.timezone, await sandbox!.now());
        const [from, to] = [addDays(today, -14), addDays(today, -8)];
        const { rows, error } = await drainRead(connector, token, request(from, to));
        expect(error).toBeUndefined();
        expect(rows.length).toBeGreaterThan(0);
        await expectWindow(rows, from, to);
        for (const row of rows) earlier.set(rowKey(row, template!.defaultDimensions), row);
      });

      it('an incremental read from a checkpoint returns only the later window', async () => {
        const checkpoint = addDays(today, -8);
        const [from, to] = [addDays(checkpoint, 1), addDays(today, -1)];
        const { rows, error } = await drainRead(connector, token, request(from, to));
        expect(error).toBeUndefined();
        expect(rows.length).toBeGreaterThan(0);
        for (const row of rows) expect(String(row.date) > checkpoint).toBe(true);
        await expectWindow(rows, from, to);
        for (const row of rows) earlier.set(rowKey(row, template!.defaultDimensions), row);
      });

      it('a lookback re-read after the clock moves changes only restated columns of days still restating', async () => {
        const columns = connector.extraction!.columns(request(today, today)).map((column) => column.name);
        // Without a restated column in the default selection this case would prove nothing.
        expect(columns.filter((name) => subject.read.restatedColumns.includes(name))).not.toEqual([]);
        const advance = 3;
        await sandbox!.advanceDays(advance);
        // Every day still restating at the first reads, and at least one that was final (within the 14 days read
        // before), read in windows the template allows.
        const [from, to] = [
          addDays(today, -Math.min(14, subject.read.restatementDays + 2)),
          addDays(today, -1),
        ];
        const rows: Record<string, CellValue>[] = [];
        for (let start = from; start <= to; start = addDays(start, template!.maxWindowDays)) {
          const end = [addDays(start, template!.maxWindowDays - 1), to].sort()[0]!;
          const part = await drainRead(connector, token, request(start, end));
          expect(part.error).toBeUndefined();
          rows.push(...part.rows);
        }
        const before = [...earlier.values()].filter(
          (row) => from <= String(row.date) && String(row.date) <= to,
        );
        const key = (row: Record<string, CellValue>) => rowKey(row, template!.defaultDimensions);
        expect(rows.map(key).sort()).toEqual(before.map(key).sort());
        const changedDays = new Set<string>();
        for (const row of rows) {
          const old = earlier.get(key(row))!;
          const changed = columns.filter((name) => JSON.stringify(row[name]) !== JSON.stringify(old[name]));
          const restating = daysBetween(String(row.date), today) < subject.read.restatementDays;
          // A day already final at the first read stays put; a restating day moves in restated columns only.
          expect(changed, `${row.date}: changed columns`).toEqual(
            restating ? changed.filter((name) => subject.read.restatedColumns.includes(name)) : [],
          );
          if (restating && changed.length > 0) changedDays.add(String(row.date));
        }
        expect(changedDays.size, 'the re-read should see restated days').toBeGreaterThan(0);
        await expectWindow(rows, from, to);
      });
    });

    describeFaultCases(subject.throttleWaitMs, {
      build,
      inject,
      token: () => token,
      window: () => request(addDays(today, -3), addDays(today, -2)),
    });
  });
}
