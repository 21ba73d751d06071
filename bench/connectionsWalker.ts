/**
 * The request mix of the connections benchmark: every sort key × order × search, each walked page
 * by page through the HTTP API (following `nextCursor`) and through `connectionsRepository.list`
 * (following the keyset position) in step, so both time exactly the same pages.
 */
import { DEFAULT_WORKSPACE_ID } from '../src/domain/access.ts';
import { type ConnectionSortKey, connectionSortKeys } from '../src/domain/connection.ts';
import {
  connectionsRepository,
  type KeysetPosition,
  sortValueOf,
} from '../src/store/connectionsRepository.ts';
import type { Db, Queryable, Row } from '../src/store/db.ts';
import { percentile } from './report.ts';

/** One list request shape: a sort, an order and an optional search. */
export interface Combination {
  sort: ConnectionSortKey;
  order: 'asc' | 'desc';
  search: string | null;
  label: string;
}

/** One measured request: the API time and the raw SQL time of the same page. */
export interface Sample {
  combination: Combination;
  page: number;
  apiMs: number;
  rawMs: number;
}

/** Every sort key × order × (no search, each search term), in a fixed order. */
export function combinations(searches: readonly string[]): Combination[] {
  const result: Combination[] = [];
  for (const sort of connectionSortKeys) {
    for (const order of ['asc', 'desc'] as const) {
      for (const search of [null, ...searches]) {
        result.push({ sort, order, search, label: `${sort} ${order}${search ? ` search=${search}` : ''}` });
      }
    }
  }
  return result;
}

/** Walks one combination page by page, through the API (cursor) and the repository (keyset) in step. */
export class Walker {
  private cursor: string | null = null;
  private after: KeysetPosition | null = null;
  page = 1;

  constructor(
    readonly combination: Combination,
    private readonly baseUrl: string,
    private readonly db: Queryable,
    private readonly pageSize: number,
    /** The signed-in caller's headers (an API token). */
    private readonly headers: Record<string, string>,
  ) {}

  /** Requests the next page both ways (in the given order), checks they agree, and advances. */
  async step(apiFirst: boolean): Promise<Sample> {
    const page = this.page;
    const early = apiFirst ? await this.viaApi() : null;
    const raw = await this.viaRepository();
    const api = early ?? (await this.viaApi());
    if (api.ids.join() !== raw.ids.join() || (api.nextCursor === null) !== (raw.next === null)) {
      throw new Error(`API and repository disagree on ${this.combination.label}, page ${page}`);
    }
    this.cursor = api.nextCursor;
    this.after = raw.next;
    this.page = api.nextCursor === null ? 1 : page + 1;
    return { combination: this.combination, page, apiMs: api.ms, rawMs: raw.ms };
  }

  private async viaApi() {
    const query = new URLSearchParams({
      sort: this.combination.sort,
      order: this.combination.order,
      limit: String(this.pageSize),
    });
    if (this.combination.search) query.set('search', this.combination.search);
    if (this.cursor) query.set('cursor', this.cursor);
    const started = performance.now();
    const response = await fetch(`${this.baseUrl}/api/v1/connections?${query}`, { headers: this.headers });
    const text = await response.text();
    const ms = performance.now() - started;
    if (!response.ok) throw new Error(`GET /api/v1/connections?${query}: HTTP ${response.status} ${text}`);
    const body = JSON.parse(text) as { items: { id: string }[]; nextCursor: string | null };
    return { ms, ids: body.items.map((item) => item.id), nextCursor: body.nextCursor };
  }

  private async viaRepository() {
    const { sort, order, search } = this.combination;
    const started = performance.now();
    const result = await connectionsRepository.list(this.db, {
      workspaceId: DEFAULT_WORKSPACE_ID,
      search,
      sort,
      order,
      limit: this.pageSize,
      after: this.after,
    });
    const ms = performance.now() - started;
    const last = result.items.at(-1);
    const next = result.hasMore && last ? { value: sortValueOf(last, sort), id: last.id } : null;
    return { ms, ids: result.items.map((item) => item.id), next };
  }

  /** EXPLAIN (ANALYZE, BUFFERS) of this combination's first page, as the repository words it. */
  static async explain(db: Db, combination: Combination, pageSize: number): Promise<string[]> {
    let plan: string[] = [];
    const explaining: Queryable = {
      async query<T extends Row>(sql: string, params?: unknown[]): Promise<T[]> {
        const rows = await db.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
        plan = rows.map((row) => String(row['QUERY PLAN']));
        return [];
      },
    };
    const { sort, order, search } = combination;
    await connectionsRepository.list(explaining, {
      workspaceId: DEFAULT_WORKSPACE_ID,
      search,
      sort,
      order,
      limit: pageSize,
      after: null,
    });
    return plan;
  }
}

/** Per-combination summary line of the slowest combinations. */
export function slowest(samples: readonly Sample[], count: number) {
  const groups = new Map<string, Sample[]>();
  for (const sample of samples) {
    const group = groups.get(sample.combination.label) ?? [];
    group.push(sample);
    groups.set(sample.combination.label, group);
  }
  return [...groups.values()]
    .map((group) => ({
      combination: group[0]!.combination,
      apiMax: Math.max(...group.map((sample) => sample.apiMs)),
      apiFirst: percentile(
        group.filter((sample) => sample.page === 1).map((sample) => sample.apiMs),
        50,
      ),
      apiNext: percentile(
        group.filter((sample) => sample.page > 1).map((sample) => sample.apiMs),
        50,
      ),
      rawFirst: percentile(
        group.filter((sample) => sample.page === 1).map((sample) => sample.rawMs),
        50,
      ),
    }))
    .sort((a, b) => b.apiMax - a.apiMax)
    .slice(0, count);
}
