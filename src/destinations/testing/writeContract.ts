/**
 * The write half of the behaviour every destination must show, run against each backend on a
 * real database: table evolution, partition replacement and its counts, failure atomicity.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

/** Registers the writes half of the destination contract for one backend. */
export function writeContract(backend: ContractBackend): void {
  describe(`${backend.name} destination: writes`, () => {
    let destination: Destination;
    let reader: Destination;
    let n = 0;
    /** A fresh table per test, so tests stay independent. */
    const freshTable = async (cols = columns): Promise<TableSpec> => {
      const spec = { name: `ads_w${++n}`, columns: cols };
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

    it('empties partitions on an empty read, and survives a source failing before its first batch', async () => {
      const spec = await freshTable();
      await destination.replacePartitions(spec, part('a1', [d1, d2]), batches(sampleRows([d1, d2], 2)), meta);
      const failure = new Error('token expired');
      // biome-ignore lint/correctness/useYield: a source that fails before yielding anything
      async function* failsAtOnce(): AsyncGenerator<Row[]> {
        throw failure;
      }
      await expect(destination.replacePartitions(spec, part('a1', [d1]), failsAtOnce(), meta)).rejects.toBe(
        failure,
      );
      expect(await reader.dailyRowCounts(spec.name, 'a1', d1, d2)).toHaveLength(2);
      const counts = await destination.replacePartitions(spec, part('a1', [d1]), batches([]), meta);
      expect(counts).toEqual({ inserted: 0, updated: 0, deleted: 2 });
      expect(await reader.dailyRowCounts(spec.name, 'a1', d1, d2)).toEqual([{ date: d2, rows: 2 }]);
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
  });
}
