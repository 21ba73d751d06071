/**
 * The read half of the behaviour every destination must show, run against each backend on a
 * real database: exact money, tricky strings, totals, counts, preview, load records, errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TributaryError } from '../../domain/errors.ts';
import type { Destination, TableSpec } from '../core/types.ts';
import {
  batches,
  type ContractBackend,
  columns,
  d1,
  d2,
  d3,
  meta,
  part,
  type Row,
  sampleRows,
} from './fixtures.ts';

/** Registers the reads half of the destination contract for one backend. */
export function readContract(backend: ContractBackend): void {
  describe(`${backend.name} destination: reads`, () => {
    let destination: Destination;
    let reader: Destination;
    let n = 0;
    /** A fresh table per test, so tests stay independent. */
    const freshTable = async (cols = columns): Promise<TableSpec> => {
      const spec = { name: `ads_r${++n}`, columns: cols };
      await destination.ensureTable(spec);
      return spec;
    };

    beforeAll(() => {
      destination = backend.open();
      reader = backend.open();
    });
    afterAll(async () => {
      await destination?.close();
      await reader?.close();
      await backend.cleanup();
    });

    it('keeps money exact', async () => {
      const spec = await freshTable([
        columns[0]!,
        columns[1]!,
        { name: 'spend', type: 'money' },
        { name: 'cpc', type: 'decimal' },
      ]);
      const rows: Row[] = [
        { date: d1, campaign_id: 'a', spend: 0.1, cpc: 0.1 },
        { date: d1, campaign_id: 'b', spend: 0.2, cpc: 0.2 },
        { date: d2, campaign_id: 'c', spend: 123456789.1234, cpc: 1 },
        { date: d2, campaign_id: 'd', spend: '99999999999999.9999', cpc: 1 },
        { date: d3, campaign_id: 'e', spend: 1.00005, cpc: 1 },
        { date: d3, campaign_id: 'f', spend: -0.00015, cpc: 1 },
      ];
      await destination.replacePartitions(spec, part('a1', [d1, d2, d3]), batches(rows), meta);
      const totals = await reader.dailyTotals(spec.name, 'a1', d1, d3, ['spend']);
      expect(totals).toEqual([
        { date: d1, values: { spend: 0.3 } },
        { date: d2, values: { spend: Number('100000123456789.1233') } },
        { date: d3, values: { spend: 0.9999 } },
      ]);
      const money = await backend.query(
        `SELECT campaign_id, CAST(spend AS VARCHAR(40)) AS spend FROM ${backend.qualified(spec.name)} ORDER BY campaign_id`,
      );
      expect(money.map((row) => [row.campaign_id, row.spend])).toEqual([
        ['a', '0.1000'],
        ['b', '0.2000'],
        ['c', '123456789.1234'],
        ['d', '99999999999999.9999'],
        ['e', '1.0001'],
        ['f', '-0.0002'],
      ]);
      const sum = await backend.query(
        `SELECT CAST(SUM(spend) AS VARCHAR(40)) AS s FROM ${backend.qualified(spec.name)} WHERE campaign_id IN ('a', 'b')`,
      );
      expect(sum[0]!.s).toBe('0.3000');
      const preview = await reader.preview(spec.name, 10);
      expect(preview.rows.find((row) => row.campaign_id === 'c')?.spend).toBe(123456789.1234);
    });

    it('round-trips tricky strings, and tells an empty string from NULL', async () => {
      const spec = await freshTable([
        columns[0]!,
        { name: 'label', type: 'string' },
        { name: 'payload', type: 'json' },
      ]);
      const tricky = [
        'plain',
        '',
        'comma, separated',
        'say "hi"',
        "it's",
        'tab\there',
        'line\nbreak',
        'crlf\r\nend',
        'back\\slash',
        '\\N',
        '\\',
        'trailing\\',
        'ünïcødé ✓ 日本語 🚀 مرحبا',
        'e\u0301',
        '  padded  ',
        '123',
        'NULL',
        '"quoted,comma"\n\\t',
      ];
      const rows: Row[] = [
        ...tricky.map((label, i) => ({ date: d1, label, payload: JSON.stringify({ i, label }) })),
        { date: d1, label: null, payload: null },
      ];
      await destination.replacePartitions(spec, part('a1', [d1]), batches(rows, 7), meta);
      const preview = await reader.preview(spec.name, 100);
      const labels = preview.rows.map((row) => row.label);
      expect(labels.filter((label) => label !== null).sort()).toEqual([...tricky].sort());
      expect(labels.filter((label) => label === null)).toHaveLength(1);
      for (const row of preview.rows) {
        if (row.payload !== null) expect(JSON.parse(row.payload as string).label).toBe(row.label);
      }
    });

    it('sums metrics and counts rows per date for one account and range', async () => {
      const spec = await freshTable();
      await destination.replacePartitions(
        spec,
        part('a1', [d1, d2, d3]),
        batches(sampleRows([d1, d2, d3], 2)),
        meta,
      );
      await destination.replacePartitions(spec, part('a2', [d1]), batches(sampleRows([d1], 5)), meta);
      expect(await reader.dailyTotals(spec.name, 'a1', d2, d3, ['impressions', 'spend', 'ctr'])).toEqual([
        { date: d2, values: { impressions: 2001, spend: 3.75, ctr: 1.01 } },
        { date: d3, values: { impressions: 2001, spend: 3.75, ctr: 1.01 } },
      ]);
      // Several accounts at once sum them per date; an id is only ever a string, never SQL.
      const [a1] = await reader.dailyTotals(spec.name, 'a1', d1, d1, ['impressions']);
      const [a2] = await reader.dailyTotals(spec.name, 'a2', d1, d1, ['impressions']);
      expect(await reader.dailyTotals(spec.name, ['a1', 'a2'], d1, d2, ['impressions'])).toEqual([
        { date: d1, values: { impressions: a1!.values.impressions! + a2!.values.impressions! } },
        { date: d2, values: { impressions: 2001 } },
      ]);
      expect(await reader.dailyTotals(spec.name, ['a1', "x' OR '1'='1"], d1, d1, ['impressions'])).toEqual([
        a1,
      ]);
      expect(await reader.dailyRowCounts(spec.name, 'a2', d1, d3)).toEqual([{ date: d1, rows: 5 }]);
      expect(await reader.dailyRowCounts(spec.name, 'nobody', d1, d3)).toEqual([]);
      await expect(
        reader.dailyTotals(spec.name, 'a1', d1, d3, ['spend; DROP TABLE x']),
      ).rejects.toMatchObject({ code: 'validation_failed' });
    });

    it('previews newest dates first with field types and cell values', async () => {
      const spec = await freshTable();
      await destination.replacePartitions(spec, part('a1', [d1, d3]), batches(sampleRows([d1, d3], 2)), meta);
      const preview = await reader.preview(spec.name, 3);
      expect(preview.columns.slice(0, columns.length)).toEqual(columns);
      expect(preview.columns.slice(columns.length)).toEqual([
        { name: 'account_id', type: 'string' },
        { name: 'account_name', type: 'string' },
        { name: '__insert_date', type: 'string' },
        { name: '__run_id', type: 'string' },
      ]);
      expect(preview.rows.map((row) => row.date)).toEqual([d3, d3, d1]);
      const first = preview.rows.find((row) => row.campaign_id === 'c1')!;
      expect(first).toMatchObject({
        impressions: 1001,
        spend: 2.5,
        ctr: 0.51,
        active: false,
        account_id: 'a1',
      });
      expect(JSON.parse(first.extra as string)).toEqual({ i: 1 });
      expect((await reader.preview(spec.name, 0)).rows).toEqual([]);
    });

    it('records loads in _tributary_loads, creating it on first use', async () => {
      const load = {
        runId: 'run-9',
        extractionId: 'ext-1',
        table: 'ads_t1',
        accountId: 'a1',
        from: d1,
        to: d3,
        parameters: { apiVersion: 'v23.0', windows: ['7d_click', '1d_view'] },
        rows: 42,
        loadedAt: '2026-03-01T10:00:00.000Z',
      };
      await destination.recordLoad(load);
      await destination.recordLoad({ ...load, runId: 'run-10', rows: 0 });
      const rows = await backend.query(
        `SELECT run_id, table_name, CAST(date_from AS VARCHAR(10)) AS date_from, CAST(parameters AS VARCHAR(200)) AS parameters, CAST("rows" AS INTEGER) AS n
         FROM ${backend.qualified('_tributary_loads')} ORDER BY run_id`,
      );
      expect(
        rows.map((row) => [
          row.run_id,
          row.table_name,
          row.date_from,
          JSON.parse(row.parameters as string),
          Number(row.n),
        ]),
      ).toEqual([
        ['run-10', 'ads_t1', d1, load.parameters, 0],
        ['run-9', 'ads_t1', d1, load.parameters, 42],
      ]);
    });

    it('validates names and reports a table dropped underneath as a destination error', async () => {
      await expect(destination.ensureTable({ name: 'Bad-Name', columns })).rejects.toMatchObject({
        code: 'validation_failed',
      });
      await expect(
        destination.ensureTable({ name: 'ok_name', columns: columns.slice(1) }),
      ).rejects.toMatchObject({ code: 'validation_failed' });
      await expect(
        destination.ensureTable({
          name: 'ok_name',
          columns: [...columns, { name: 'account_id', type: 'string' }],
        }),
      ).rejects.toMatchObject({ code: 'validation_failed' });
      const spec = await freshTable();
      await backend.query(`DROP TABLE ${backend.qualified(spec.name)}`);
      const error = await destination
        .dailyRowCounts(spec.name, 'a1', d1, d2)
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TributaryError);
      expect(error).toMatchObject({ code: 'destination_rejected', category: 'destination' });
      let read = false;
      async function* source() {
        read = true;
        yield sampleRows([d1], 1);
      }
      await expect(
        destination.replacePartitions(spec, part('a1', [d1]), source(), meta),
      ).rejects.toMatchObject({
        code: 'destination_rejected',
        message: expect.stringContaining('does not exist'),
      });
      // It fails before pulling anything from the provider.
      expect(read).toBe(false);
    });
  });
}
