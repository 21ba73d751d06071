/**
 * Check the result before saving (preview), grow an extraction with a new field (a column is
 * added, nothing dropped), and backfill history once, most recent days first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayIn } from '../src/domain/dates.ts';
import { connectSandboxUser, runEnded, startTestApp, type TestApp } from './harness.ts';

describe('extraction setup', () => {
  let app: TestApp;
  let connectionId: string;

  beforeAll(async () => {
    app = await startTestApp('pglite');
    connectionId = (await connectSandboxUser(app, 'sam.lee@example.com')).id;
  });
  afterAll(async () => {
    await app?.close();
  });

  it('previews one account for a few recent days without writing anything', async () => {
    const preview = await app.api.call('previewExtraction', {
      body: {
        connectionId,
        templateId: 'meta-ads.ads_by_age_gender',
        metrics: ['impressions', 'spend', 'clicks'],
        days: 2,
        limit: 20,
      },
    });
    expect(preview.columns.map((column) => column.name)).toEqual(
      expect.arrayContaining(['date', 'ad_id', 'age', 'gender', 'spend']),
    );
    expect(preview.columns.find((column) => column.name === 'spend')?.type).toBe('money');
    expect(preview.rows.length).toBeGreaterThan(0);
    expect(preview.rows.length).toBeLessThanOrEqual(20);
    expect(typeof preview.rows[0]!.impressions).toBe('number');
    expect(preview.table).toBe('meta_ads_ads_by_age_gender');
    const destinations = await app.api.call('listDestinations');
    const warehouse = await app.runtime.context.destinations.get(destinations.items[0]!.id);
    await expect(warehouse.preview('meta_ads_ads_by_age_gender', 1)).rejects.toThrow();
  });

  it('adds a column when a field is added, keeping the loaded rows', async () => {
    const extraction = await app.api.call('createExtraction', {
      body: { connectionId, templateId: 'meta-ads.campaign_daily', metrics: ['impressions', 'spend'] },
    });
    const day = addDays(todayIn('UTC', new Date()), -2);
    expect(
      (
        await runEnded(
          app,
          (
            await app.api.call('startExtractionRun', {
              params: { id: extraction.id },
              body: { from: day, to: day },
            })
          ).id,
        )
      ).status,
    ).toBe('succeeded');
    const updated = await app.api.call('updateExtraction', {
      params: { id: extraction.id },
      body: { metrics: ['impressions', 'spend', 'clicks'] },
    });
    expect(updated.metrics).toEqual(['impressions', 'spend', 'clicks']);
    const other = addDays(day, -1);
    const run = await runEnded(
      app,
      (
        await app.api.call('startExtractionRun', {
          params: { id: extraction.id },
          body: { from: other, to: other },
        })
      ).id,
    );
    expect(run.status).toBe('succeeded');
    const detail = await app.api.call('getRun', { params: { id: run.id } });
    expect(detail.log.map((line) => line.message).join('\n')).toContain('Added column(s) clicks');
    const data = await app.api.call('getExtractionData', {
      params: { id: extraction.id },
      query: { limit: 500 },
    });
    expect(data.columns.map((column) => column.name)).toContain('clicks');
    const older = data.rows.filter((row) => row.date === day);
    expect(older.length).toBeGreaterThan(0);
    expect(older.every((row) => row.clicks === null)).toBe(true);
    const removal = await app.api
      .call('updateExtraction', { params: { id: extraction.id }, body: { metrics: ['clicks'] } })
      .catch((error: Error) => error);
    expect(String(removal)).toContain('required by the template');
  });

  it('backfills from loadSince once, most recent days first', async () => {
    const since = addDays(todayIn('UTC', new Date()), -70);
    const extraction = await app.api.call('createExtraction', {
      body: { connectionId, templateId: 'meta-ads.account_daily', loadSince: since, table: 'sam_accounts' },
    });
    const runs = await app.api.call('listExtractionRuns', { params: { id: extraction.id } });
    expect(runs.items).toHaveLength(1);
    expect(runs.items[0]).toMatchObject({ trigger: 'backfill', window: { kind: 'range', from: since } });
    const run = await runEnded(app, runs.items[0]!.id);
    expect(run.status).toBe('succeeded');
    const firstAccount = run.slices[0]!.accountId;
    const windows = run.slices.filter((slice) => slice.accountId === firstAccount);
    expect(windows.length).toBeGreaterThan(1);
    const starts = windows.map((slice) => slice.from);
    expect(starts).toEqual([...starts].sort().reverse());
    expect(windows.at(-1)!.from).toBe(since);
  });
});
