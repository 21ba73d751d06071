/**
 * Extraction end to end through the API against the Meta Ads sandbox: set up, run, exact totals
 * against the sandbox's truth, re-reads without duplicates, restatement, faults, bad input —
 * PGlite + DuckDB, and PostgreSQL + a PostgreSQL destination.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRequirements } from '../src/config.ts';
import { addDays, todayIn } from '../src/domain/dates.ts';
import {
  apiFailure,
  backends,
  connectSandboxUser,
  injectFault,
  runEnded,
  startTestApp,
  type TestApp,
  waitFor,
} from './harness.ts';

async function connect(app: TestApp, email: string): Promise<string> {
  return (await connectSandboxUser(app, email)).id;
}

interface TruthDay {
  date: string;
  spend: number;
  impressions: number;
  clicks: number;
  conversions: number;
}

async function truth(app: TestApp, account: string, from: string, to: string): Promise<TruthDay[]> {
  const url = `${app.url}/sandbox/_control/truth?provider=meta-ads&account=${account}&from=${from}&to=${to}`;
  return ((await (await fetch(url)).json()) as { days: TruthDay[] }).days;
}

/** Destination totals per day equal the sandbox's truth for every (account, day) of the range. */
async function expectExact(app: TestApp, extractionId: string, from: string, to: string) {
  const extraction = await app.api.call('getExtraction', { params: { id: extractionId } });
  const destination = await app.runtime.context.destinations.get(extraction.destinationId);
  const connection = await app.api.call('getConnection', { params: { id: extraction.connectionId! } });
  const counts: { account: string; days: { date: string; rows: number }[] }[] = [];
  for (const account of connection.accounts) {
    const expected = await truth(app, account.id, from, to);
    const loaded = new Map(
      (
        await destination.dailyTotals(extraction.table, account.id, from, to, [
          'spend',
          'impressions',
          'clicks',
          'actions_purchase',
        ])
      ).map((day) => [day.date, day.values]),
    );
    for (const day of expected) {
      const ours = loaded.get(day.date) ?? { spend: 0, impressions: 0, clicks: 0, actions_purchase: 0 };
      expect([account.id, day.date, ours.impressions, ours.clicks, ours.actions_purchase]).toEqual([
        account.id,
        day.date,
        day.impressions,
        day.clicks,
        day.conversions,
      ]);
      expect(Math.abs((ours.spend ?? 0) - day.spend)).toBeLessThan(0.005);
    }
    counts.push({
      account: account.id,
      days: await destination.dailyRowCounts(extraction.table, account.id, from, to),
    });
  }
  expect(counts.length).toBe(connection.accounts.length);
  return counts;
}

for (const backend of await backends()) {
  describe(`extraction on ${backend}`, () => {
    let app: TestApp;
    let connectionId: string;
    let destinationId: string | undefined;

    beforeAll(async () => {
      app = await startTestApp(backend);
      connectionId = await connect(app, 'alex@example.com');
      if (backend === 'postgres') {
        const created = await app.api.call('createDestination', {
          body: {
            kind: 'postgres',
            name: 'Team warehouse',
            url: testRequirements().postgresUrl,
            schema: `${app.config.databaseSchema}_wh`,
          },
        });
        destinationId = created.id;
      }
    });
    afterAll(async () => {
      if (backend === 'postgres' && app)
        await app.runtime.context.db.query(`DROP SCHEMA IF EXISTS "${app.config.databaseSchema}_wh" CASCADE`);
      await app?.close();
    });

    it('lists templates with typed fields, defaults, settings and rules', async () => {
      const { items } = await app.api.call('listTemplates', { params: { id: 'meta-ads' } });
      const ids = items.map((template) => template.id);
      for (const slug of [
        'account_daily',
        'campaign_daily',
        'adset_daily',
        'ad_daily',
        'ads_by_age_gender',
        'ads_by_country',
        'ads_by_platform_device',
      ]) {
        expect(ids).toContain(`meta-ads.${slug}`);
      }
      const campaign = await app.api.call('getTemplate', { params: { id: 'meta-ads.campaign_daily' } });
      expect(campaign.metrics.find((metric) => metric.name === 'spend')?.type).toBe('money');
      expect(campaign.requiredMetrics).toContain('spend');
      const custom = await app.api.call('createTemplate', {
        body: {
          baseTemplateId: 'meta-ads.campaign_daily',
          name: 'Lean campaigns',
          metrics: ['impressions', 'spend', 'clicks'],
        },
      });
      expect(custom).toMatchObject({
        custom: true,
        baseTemplateId: 'meta-ads.campaign_daily',
        defaultMetrics: ['impressions', 'spend', 'clicks'],
      });
      expect(
        (await app.api.call('listTemplates', { params: { id: 'meta-ads' } })).items.map((item) => item.id),
      ).toContain(custom.id);
    });

    it('refuses bad setups with a 400 naming each field', async () => {
      const base = { connectionId, templateId: 'meta-ads.campaign_daily' };
      const cases: [Record<string, unknown>, string][] = [
        [{ ...base, templateId: 'meta-ads.nope' }, 'templateId'],
        [{ ...base, metrics: ['clicks'] }, 'required by the template'],
        [{ ...base, metrics: ['impressions', 'spend', 'made_up_metric'] }, 'made_up_metric'],
        [{ ...base, schedules: [{ frequency: 'daily', timezone: 'Mars/Olympus' }] }, 'schedules.0.timezone'],
        [{ ...base, schedules: [{ frequency: 'cron', cron: '61 * * * *' }] }, 'schedules.0.cron'],
        [{ ...base, schedules: [{ frequency: 'weekly' }] }, 'schedules.0.weekday'],
        [{ ...base, accounts: ['999999999'] }, 'accounts'],
        [{ ...base, loadSince: '1999-01-01' }, 'loadSince'],
        [{ ...base, table: 'Bad Name' }, 'table'],
      ];
      for (const [body, named] of cases) {
        const error = await apiFailure(app.api.call('createExtraction', { body: body as never }));
        expect([error.status, error.code], JSON.stringify(body)).toEqual([400, 'validation_failed']);
        expect(error.message).toContain(named);
      }
      const breakdown = await apiFailure(
        app.api.call('createExtraction', {
          body: {
            connectionId,
            templateId: 'meta-ads.ads_by_platform_device',
            dimensions: ['ad_id', 'platform_position', 'device_platform'],
          },
        }),
      );
      expect(breakdown.message).toContain('platform_position');
      const nora = await connect(app, 'nora@example.com');
      const empty = await apiFailure(
        app.api.call('createExtraction', { body: { ...base, connectionId: nora } }),
      );
      expect([empty.status, empty.code]).toEqual([409, 'connection_not_authorized']);
    });

    it('extracts on demand with exact totals, re-reads without duplicates, and follows restatements', async () => {
      const extraction = await app.api.call('createExtraction', {
        body: {
          connectionId,
          templateId: 'meta-ads.campaign_daily',
          accounts: 'all',
          metrics: ['impressions', 'spend', 'clicks', 'actions:purchase'],
          schedules: [
            { frequency: 'every_4h', time: '00:15', timezone: 'UTC', lookbackDays: 0 },
            { frequency: 'daily', time: '03:00', timezone: 'Europe/Paris', lookbackDays: 28 },
          ],
          ...(destinationId ? { destinationId } : {}),
        },
      });
      expect(extraction.table).toBe('meta_ads_campaign_daily');
      expect(extraction.schedules.map((schedule) => schedule.nextRuns.length)).toEqual([5, 5]);
      expect(extraction.schedules[0]!.cron).toBe('15 0,4,8,12,16,20 * * *');

      const today = todayIn('UTC', new Date());
      const from = addDays(today, -9);
      const to = addDays(today, -1);
      const queued = await app.api.call('startExtractionRun', {
        params: { id: extraction.id },
        body: { from, to },
      });
      const run = await runEnded(app, queued.id);
      expect(run.status, JSON.stringify(run.log.slice(-5))).toBe('succeeded');
      expect(run.reconciliation).toMatchObject({ status: 'matched', mismatches: [] });
      expect(run.rows.inserted).toBeGreaterThan(0);
      expect(run.apiCalls).toBeGreaterThanOrEqual(3);
      const firstCounts = await expectExact(app, extraction.id, from, to);

      const ledger = await app.api.call('getExtractionLedger', {
        params: { id: extraction.id },
        query: { from, to },
      });
      expect(ledger.items.length).toBe(3 * 9);
      expect(ledger.items.every((day) => day.completeness === 'loaded')).toBe(true);
      expect(ledger.items.some((day) => day.finality === 'final')).toBe(true);
      expect(ledger.items.some((day) => day.finality === 'provisional')).toBe(true);

      const data = await app.api.call('getExtractionData', {
        params: { id: extraction.id },
        query: { limit: 5 },
      });
      expect(data.rows).toHaveLength(5);
      expect(data.columns.map((column) => column.name)).toEqual(
        expect.arrayContaining([
          'date',
          'account_id',
          'campaign_id',
          'spend',
          'actions_purchase',
          '__run_id',
        ]),
      );

      const again = await runEnded(
        app,
        (await app.api.call('startExtractionRun', { params: { id: extraction.id }, body: { from, to } })).id,
      );
      expect(again.status).toBe('succeeded');
      expect(again.rows).toMatchObject({ inserted: 0, deleted: 0, updated: run.rows.inserted });
      expect(await expectExact(app, extraction.id, from, to)).toEqual(firstCounts);

      // Conversions of recent days keep changing until the attribution window has passed.
      const accountIds = (
        await app.api.call('listConnectionAccounts', { params: { id: connectionId } })
      ).items.map((account) => account.id);
      const conversions = async () => {
        let total = 0;
        for (const id of accountIds)
          for (const day of await truth(app, id, from, to)) total += day.conversions;
        return total;
      };
      const before = await conversions();
      await fetch(`${app.url}/sandbox/_control/clock`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ advanceDays: 2 }),
      });
      const restated = await runEnded(
        app,
        (await app.api.call('startExtractionRun', { params: { id: extraction.id }, body: { from, to } })).id,
      );
      expect(restated.status).toBe('succeeded');
      await expectExact(app, extraction.id, from, to);
      // The provider restated (more conversions for the recent days) and the destination followed exactly.
      expect(await conversions()).toBeGreaterThan(before);
    });

    it('fails a run on an expired token, puts the connection in error, and records events', async () => {
      const extraction = await app.api.call('createExtraction', {
        body: {
          connectionId,
          templateId: 'meta-ads.account_daily',
          ...(destinationId ? { destinationId } : {}),
        },
      });
      await injectFault(app, 'token_expired', 1);
      const today = todayIn('UTC', new Date());
      const run = await runEnded(
        app,
        (
          await app.api.call('startExtractionRun', {
            params: { id: extraction.id },
            body: { from: addDays(today, -3), to: today },
          })
        ).id,
      );
      expect(['failed', 'partial']).toContain(run.status);
      expect(run.error).toMatchObject({ category: 'auth' });
      expect((await app.api.call('getConnection', { params: { id: connectionId } })).status).toBe('error');
      const events = await app.api.call('listEvents', { query: { limit: 50 } });
      expect(events.items.map((event) => event.type)).toEqual(
        expect.arrayContaining(['connection.error', `run.${run.status}`]),
      );
      // Each event names what it is about: the connection by source and user, the run by its extraction.
      const named = new Map(events.items.map((event) => [event.type, event.subjectName]));
      expect(named.get('connection.error')).toBe('Meta Ads · alex@example.com');
      expect(named.get(`run.${run.status}`)).toBe(extraction.name);
      // A successful sync heals the connection.
      await app.api.call('syncConnectionAccounts', { params: { id: connectionId } });
      await waitFor(
        () => app.api.call('getConnection', { params: { id: connectionId } }),
        (connection) => connection.status === 'active' && connection.accountStatus === 'ready',
      );
    });

    it('pauses, resumes and deletes an extraction (the data stays)', async () => {
      const { items } = await app.api.call('listExtractions', { query: { connectionId } });
      const extraction = items.find((item) => item.templateId === 'meta-ads.campaign_daily')!;
      expect((await app.api.call('pauseExtraction', { params: { id: extraction.id } })).status).toBe(
        'paused',
      );
      expect((await app.api.call('resumeExtraction', { params: { id: extraction.id } })).status).toBe(
        'active',
      );
      await app.api.call('deleteExtraction', { params: { id: extraction.id } });
      const gone = await apiFailure(app.api.call('getExtraction', { params: { id: extraction.id } }));
      expect(gone.status).toBe(404);
      const destination = await app.runtime.context.destinations.get(extraction.destinationId);
      expect((await destination.preview(extraction.table, 1)).rows.length).toBe(1);
    });
  });
}
