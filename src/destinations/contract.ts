/**
 * The behaviour every destination must show, as one vitest suite run against each backend on a
 * real database (tests only; not part of the product).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CellValue, ColumnSpec } from '../connectors/kit/types.ts';
import { TributaryError } from '../domain/errors.ts';
import type { Destination, PartitionSet, TableSpec } from './core/types.ts';

/** A backend under test: how to open it, a second independent reader, and raw SQL for checks. */
export interface ContractBackend {
  name: string;
  open(): Destination;
  /** Runs SQL on its own connection and returns the rows as plain objects. */
  query(sql: string): Promise<Record<string, unknown>[]>;
  /** The schema-qualified name of a table, for `query`. */
  qualified(table: string): string;
  cleanup(): Promise<void>;
}

type Row = Record<string, CellValue>;

const columns: ColumnSpec[] = [
  { name: 'date', type: 'date' },
  { name: 'campaign_id', type: 'string' },
  { name: 'campaign_name', type: 'string' },
  { name: 'impressions', type: 'integer' },
  { name: 'spend', type: 'money' },
  { name: 'ctr', type: 'percent' },
  { name: 'active', type: 'boolean' },
  { name: 'extra', type: 'json' },
];

/** Rows for the given dates, `perDate` campaigns each. */
export function sampleRows(dates: string[], perDate: number, seed = 0): Row[] {
  return dates.flatMap((date) =>
    Array.from({ length: perDate }, (_, i) => ({
      date,
      campaign_id: `c${i}`,
      campaign_name: `Campaign ${i}`,
      impressions: 1000 + i + seed,
      spend: Number(((i + 1) * 1.25 + seed).toFixed(2)),
      ctr: 0.5 + i / 100,
      active: i % 2 === 0,
      extra: i === 0 ? null : `{"i": ${i}}`,
    })),
  );
}

/** An async iterable of `rows` in batches of `size`. */
export async function* batches(rows: Row[], size = 2): AsyncGenerator<Row[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

const meta = { runId: 'run-1', insertDate: new Date('2026-03-01T10:00:00Z') };
const part = (accountId: string, dates: string[]): PartitionSet => ({
  accountId,
  accountName: `Acct ${accountId}`,
  dates,
});
const d1 = '2026-02-01';
const d2 = '2026-02-02';
const d3 = '2026-02-03';

/** Registers the contract suite for one backend. */
export function destinationContract(backend: ContractBackend): void {
  describe(`${backend.name} destination contract`, () => {
    let destination: Destination;
    let reader: Destination;
    let n = 0;
    /** A fresh table per test, so tests stay independent. */
    const freshTable = async (cols = columns): Promise<TableSpec> => {
      const spec = { name: `ads_t${++n}`, columns: cols };
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

    it('creates a table, then adds a column later without touching old rows or dropping any', async () => {
      const spec = { name: 'ads_grow', columns: columns.slice(0, 4) };
      expect(await destination.ensureTable(spec)).toEqual({ created: true, addedColumns: [] });
      expect(await destination.ensureTable(spec)).toEqual({ created: false, addedColumns: [] });
      await destination.replacePartitions(
        spec,
        part('a1', [d1]),
        batches([{ date: d1, campaign_id: 'x', campaign_name: 'X', impressions: 5 }]),
        meta,
      );
      const grown = {
        name: 'ads_grow',
        columns: [...columns.slice(0, 2), { name: 'clicks', type: 'integer' as const }],
      };
      expect(await destination.ensureTable(grown)).toEqual({ created: false, addedColumns: ['clicks'] });
      const preview = await reader.preview('ads_grow', 10);
      expect(preview.columns.map((column) => column.name)).toEqual([
        'date',
        'campaign_id',
        'campaign_name',
        'impressions',
        'account_id',
        'account_name',
        '__insert_date',
        '__run_id',
        'clicks',
      ]);
      expect(preview.rows).toEqual([
        {
          date: d1,
          campaign_id: 'x',
          campaign_name: 'X',
          impressions: 5,
          clicks: null,
          account_id: 'a1',
          account_name: 'Acct a1',
          __insert_date: '2026-03-01T10:00:00.000Z',
          __run_id: 'run-1',
        },
      ]);
    });

    it('replaces idempotently, counts updates, and deletes what a re-read no longer has', async () => {
      const spec = await freshTable();
      const rows = sampleRows([d1, d2], 3);
      expect(await destination.replacePartitions(spec, part('a1', [d1, d2]), batches(rows), meta)).toEqual({
        inserted: 6,
        updated: 0,
        deleted: 0,
      });
      expect(await destination.replacePartitions(spec, part('a1', [d1, d2]), batches(rows), meta)).toEqual({
        inserted: 0,
        updated: 6,
        deleted: 0,
      });
      expect(await reader.dailyRowCounts(spec.name, 'a1', d1, d3)).toEqual([
        { date: d1, rows: 3 },
        { date: d2, rows: 3 },
      ]);
      // The re-read has 1 row on d1 and 4 on d2: 2 deleted on d1, 1 inserted on d2.
      const reread = [...sampleRows([d1], 1), ...sampleRows([d2], 4)];
      expect(await destination.replacePartitions(spec, part('a1', [d1, d2]), batches(reread), meta)).toEqual({
        inserted: 1,
        updated: 4,
        deleted: 2,
      });
      expect(await reader.dailyRowCounts(spec.name, 'a1', d1, d3)).toEqual([
        { date: d1, rows: 1 },
        { date: d2, rows: 4 },
      ]);
    });

    it('deletes the old rows of partition dates that now have no rows', async () => {
      const spec = await freshTable();
      await destination.replacePartitions(
        spec,
        part('a1', [d1, d2, d3]),
        batches(sampleRows([d1, d2, d3], 2)),
        meta,
      );
      const counts = await destination.replacePartitions(
        spec,
        part('a1', [d1, d2, d3]),
        batches(sampleRows([d2], 2)),
        meta,
      );
      expect(counts).toEqual({ inserted: 0, updated: 2, deleted: 4 });
      expect(await reader.dailyRowCounts(spec.name, 'a1', d1, d3)).toEqual([{ date: d2, rows: 2 }]);
    });

    it('leaves other accounts and other dates untouched', async () => {
      const spec = await freshTable();
      await destination.replacePartitions(spec, part('a1', [d1, d2]), batches(sampleRows([d1, d2], 2)), meta);
      await destination.replacePartitions(spec, part('a2', [d1, d2]), batches(sampleRows([d1, d2], 3)), meta);
      await destination.replacePartitions(spec, part('a1', [d2]), batches(sampleRows([d2], 1, 7)), meta);
      expect(await reader.dailyRowCounts(spec.name, 'a1', d1, d3)).toEqual([
        { date: d1, rows: 2 },
        { date: d2, rows: 1 },
      ]);
      expect(await reader.dailyRowCounts(spec.name, 'a2', d1, d3)).toEqual([
        { date: d1, rows: 3 },
        { date: d2, rows: 3 },
      ]);
    });

    it('keeps the previous data intact and visible when the source fails midway', async () => {
      const spec = await freshTable();
      await destination.replacePartitions(spec, part('a1', [d1]), batches(sampleRows([d1], 4)), meta);
      const before = await reader.preview(spec.name, 100);
      const providerError = new Error('provider went away');
      let seenMidway: unknown = null;
      async function* failing() {
        yield sampleRows([d1], 3, 100);
        // Rows already staged must not show through another connection while the read goes on.
        seenMidway = await reader.preview(spec.name, 100);
        yield sampleRows([d1], 3, 200);
        throw providerError;
      }
      await expect(destination.replacePartitions(spec, part('a1', [d1]), failing(), meta)).rejects.toBe(
        providerError,
      );
      expect(seenMidway).toEqual(before);
      expect(await reader.preview(spec.name, 100)).toEqual(before);
      expect(await destination.dailyRowCounts(spec.name, 'a1', d1, d1)).toEqual([{ date: d1, rows: 4 }]);
      // The destination is still usable after the rollback.
      expect(
        await destination.replacePartitions(spec, part('a1', [d1]), batches(sampleRows([d1], 1)), meta),
      ).toEqual({ inserted: 0, updated: 1, deleted: 3 });
    });

    it('refuses a row outside the partition dates or a mistyped cell, changing nothing', async () => {
      const spec = await freshTable();
      await destination.replacePartitions(spec, part('a1', [d1]), batches(sampleRows([d1], 2)), meta);
      const outside = destination.replacePartitions(
        spec,
        part('a1', [d1]),
        batches(sampleRows([d1, d2], 1)),
        meta,
      );
      await expect(outside).rejects.toMatchObject({
        code: 'validation_failed',
        message: expect.stringContaining('partition dates'),
      });
      const mistyped = destination.replacePartitions(
        spec,
        part('a1', [d1]),
        batches([{ ...sampleRows([d1], 1)[0], impressions: 'many' }]),
        meta,
      );
      await expect(mistyped).rejects.toMatchObject({
        code: 'validation_failed',
        message: expect.stringContaining('impressions'),
      });
      await expect(
        destination.replacePartitions(
          spec,
          part('a1', [d1]),
          batches([{ ...sampleRows([d1], 1)[0], spend: 1e20 }]),
          meta,
        ),
      ).rejects.toMatchObject({ code: 'validation_failed' });
      expect(await reader.dailyRowCounts(spec.name, 'a1', d1, d2)).toEqual([{ date: d1, rows: 2 }]);
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

    it('serializes concurrent replacements of the same and other accounts without duplicates', async () => {
      const spec = await freshTable();
      const slices = Array.from({ length: 6 }, (_, i) =>
        destination.replacePartitions(
          spec,
          part(i % 2 === 0 ? 'a1' : 'a2', [d1, d2]),
          batches(sampleRows([d1, d2], 3 + i), 4),
          meta,
        ),
      );
      await Promise.all(slices);
      // Whichever slice of an account committed last wins whole: both days hold exactly its rows.
      const a1 = await reader.dailyRowCounts(spec.name, 'a1', d1, d2);
      const a2 = await reader.dailyRowCounts(spec.name, 'a2', d1, d2);
      expect(a1).toHaveLength(2);
      expect(a2).toHaveLength(2);
      expect(a1[0]!.rows).toBe(a1[1]!.rows);
      expect(a2[0]!.rows).toBe(a2[1]!.rows);
      expect([3, 5, 7]).toContain(a1[0]!.rows);
      expect([4, 6, 8]).toContain(a2[0]!.rows);
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
      await expect(
        destination.replacePartitions(spec, part('a1', [d1]), batches(sampleRows([d1], 1)), meta),
      ).rejects.toMatchObject({ category: 'destination' });
    });
  });
}
