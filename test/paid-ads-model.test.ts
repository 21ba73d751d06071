/**
 * The cross-source `paid_ads__basic_performance` model in both destinations (DuckDB and PostgreSQL): a week of
 * campaign daily from every paid source's sandbox lands in the model, whose totals per source equal the sum of the
 * source tables and the sandboxes' truth; an account-level extraction of the same account replaces rather than
 * doubles; empty names read `Unknown`; GA4 (not a paid source) stays out.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRequirements } from '../src/config.ts';
import { PAID_ADS_TABLE } from '../src/destinations/core/paidAdsModel.ts';
import { addDays, todayIn } from '../src/domain/dates.ts';
import { connectSandboxUser, runEnded, sandboxTruth, startTestApp, type TestApp } from './harness.ts';
import { postgresAvailable } from './postgres.ts';

/** Each paid source with the user whose accounts we read and its columns of the model's metrics. */
const sources = [
  { id: 'meta-ads', template: 'meta-ads.campaign_daily', spend: 'spend', conversions: 'actions_purchase' },
  { id: 'tiktok-ads', template: 'tiktok-ads.campaign_daily', spend: 'spend', conversions: 'conversion' },
  { id: 'google-ads', template: 'google-ads.campaign_daily', spend: 'spend', conversions: 'conversions' },
  {
    id: 'linkedin-ads',
    template: 'linkedin-ads.campaign_daily',
    spend: 'cost_in_local_currency',
    conversions: 'external_website_conversions',
  },
] as const;

const MODEL_METRICS = ['spend', 'impressions', 'clicks', 'conversions'];

const sum = (days: { values: Record<string, number> }[], metric: string) =>
  days.reduce((total, day) => total + (day.values[metric] ?? 0), 0);

describe('paid_ads__basic_performance', () => {
  let app: TestApp;
  const destinations: { name: string; id?: string }[] = [{ name: 'duckdb' }];
  const warehouseSchema = `paid_${Date.now().toString(36)}`;
  const today = todayIn('UTC', new Date());
  const [from, to] = [addDays(today, -6), addDays(today, -2)];
  /** Per source: its connection and the accounts read. */
  const read = new Map<string, { connectionId: string; accounts: string[] }>();

  beforeAll(async () => {
    app = await startTestApp('pglite');
    if (await postgresAvailable()) {
      const created = await app.api.call('createDestination', {
        body: {
          kind: 'postgres',
          name: 'Team warehouse',
          url: testRequirements().postgresUrl,
          schema: warehouseSchema,
        },
      });
      destinations.push({ name: 'postgres', id: created.id });
    }
  });
  afterAll(async () => {
    if (destinations.length > 1) {
      const client = new pg.Client({ connectionString: testRequirements().postgresUrl });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${warehouseSchema}" CASCADE`).finally(() => client.end());
    }
    await app?.close();
  });

  it('lands a week of every paid source in each destination, the model equal to the sources and the truth', async () => {
    for (const source of sources) {
      const connected = await connectSandboxUser(app, 'alex@example.com', { provider: source.id });
      expect(connected.accountStatus).toBe('ready');
      const connectionId = connected.id;
      const accounts = (await app.api.call('listConnectionAccounts', { params: { id: connectionId } })).items
        // Canceled and suspended accounts serve no reports on every platform; managers hold no data.
        .filter((account) => account.status === 'active' && !account.manager)
        .map((account) => account.id);
      expect(accounts.length, source.id).toBeGreaterThan(0);
      read.set(source.id, { connectionId, accounts });
      for (const destination of destinations) {
        const extraction = await app.api.call('createExtraction', {
          body: {
            connectionId,
            templateId: source.template,
            accounts,
            ...(destination.id ? { destinationId: destination.id } : {}),
          },
        });
        const started = await app.api.call('startExtractionRun', {
          params: { id: extraction.id },
          body: { from, to },
        });
        const run = await runEnded(app, started.id);
        expect(run.status, `${source.id} → ${destination.name}: ${JSON.stringify(run.log.slice(-4))}`).toBe(
          'succeeded',
        );
        const store = await app.runtime.context.destinations.get(extraction.destinationId);
        const model = await store.dailyTotals(PAID_ADS_TABLE, accounts, from, to, MODEL_METRICS);
        const own = await store.dailyTotals(extraction.table, accounts, from, to, [
          source.spend,
          'impressions',
          'clicks',
          source.conversions,
        ]);
        const where = `${source.id} in ${destination.name}`;
        expect(sum(model, 'impressions'), where).toBe(sum(own, 'impressions'));
        expect(sum(model, 'clicks'), where).toBe(sum(own, 'clicks'));
        expect(sum(model, 'conversions'), where).toBeCloseTo(sum(own, source.conversions), 6);
        expect(sum(model, 'spend'), where).toBeCloseTo(sum(own, source.spend), 4);
        let truthImpressions = 0;
        let truthSpend = 0;
        for (const account of accounts) {
          for (const day of await sandboxTruth(app, source.id, account, from, to)) {
            truthImpressions += day.impressions;
            truthSpend += day.spend;
          }
        }
        expect(sum(model, 'impressions'), `${where} against the truth`).toBe(truthImpressions);
        expect(Math.abs(sum(model, 'spend') - truthSpend), `${where} spend`).toBeLessThan(
          0.01 * accounts.length * 5,
        );
      }
    }
  });

  it('an account-level extraction of the same account replaces its rows (Unknown campaign), never doubling', async () => {
    const meta = read.get('meta-ads')!;
    const account = meta.accounts[0]!;
    const store = await app.runtime.context.destinations.get(
      (await app.api.call('listDestinations')).items.find((entry) => entry.kind === 'duckdb')!.id,
    );
    const before = await store.dailyTotals(PAID_ADS_TABLE, account, from, to, MODEL_METRICS);
    const extraction = await app.api.call('createExtraction', {
      body: { connectionId: meta.connectionId, templateId: 'meta-ads.account_daily', accounts: [account] },
    });
    const run = await runEnded(
      app,
      (await app.api.call('startExtractionRun', { params: { id: extraction.id }, body: { from, to } })).id,
    );
    expect(run.status).toBe('succeeded');
    const after = await store.dailyTotals(PAID_ADS_TABLE, account, from, to, MODEL_METRICS);
    expect(sum(after, 'impressions')).toBe(sum(before, 'impressions'));
    expect(sum(after, 'spend')).toBeCloseTo(sum(before, 'spend'), 4);
    const { rows } = await store.preview(PAID_ADS_TABLE, 10_000);
    const ofAccount = rows.filter((row) => row.data_source === 'meta-ads' && row.account_id === account);
    expect(ofAccount.length).toBeGreaterThan(0);
    expect(new Set(ofAccount.map((row) => row.campaign_name))).toEqual(new Set(['Unknown']));
    expect(new Set(ofAccount.map((row) => row.source_table))).toEqual(new Set([extraction.table]));
    // No blank anywhere in the model: every empty value was normalized.
    for (const row of rows) {
      for (const column of ['account_name', 'campaign_id', 'campaign_name', 'currency'])
        expect(String(row[column] ?? '').trim(), column).not.toBe('');
    }
    expect(new Set(rows.map((row) => row.data_source))).toEqual(new Set(sources.map((source) => source.id)));
  });
});
