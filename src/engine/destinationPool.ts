/**
 * Open destinations by id, created on first use and kept for the process (a DuckDB file has one
 * writer, so one instance per file per process). The default DuckDB destination is created on
 * first start.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import type { Destination, TableSpec } from '../destinations/core/types.ts';
import { createDestination } from '../destinations/index.ts';
import { DEFAULT_WORKSPACE_ID } from '../domain/access.ts';
import { TributaryError } from '../domain/errors.ts';
import type { Db } from '../store/db.ts';
import { type DestinationRecord, destinationsRepository } from '../store/destinationsRepository.ts';
import type { Vault } from '../vault/vault.ts';

export class DestinationPool {
  private readonly open = new Map<string, Promise<Destination>>();
  /** Tables already made sure of, per destination, by name and column list. */
  private readonly ensured = new Map<string, Set<string>>();

  constructor(
    private readonly db: Db,
    private readonly vault: Vault,
    private readonly home: string,
    /** Memory and thread settings every DuckDB warehouse this process opens gets (see `Config.duckdb`). */
    private readonly duckdb: { memoryLimit?: string; threads?: number } = {},
  ) {}

  /**
   * Where a DuckDB file named by a user goes: relative paths (and a missing one, named after the
   * destination) land in TRIBUTARY_HOME, beside the default warehouse, not in the server's cwd.
   */
  duckdbPath(requested: string | undefined, name: string): string {
    const fileName = `${
      name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '_')
        .replace(/^_+|_+$/g, '') || 'warehouse'
    }.duckdb`;
    return path.resolve(this.home, requested?.trim() || fileName);
  }

  /**
   * Makes sure a workspace has a default destination: a DuckDB file in TRIBUTARY_HOME, one per
   * workspace (tables of two workspaces never share a file). The Default workspace's is `warehouse.duckdb`.
   */
  async ensureDefault(now: Date, workspaceId: string = DEFAULT_WORKSPACE_ID): Promise<DestinationRecord> {
    const existing = await destinationsRepository.getDefault(this.db, workspaceId);
    if (existing) return existing;
    const file =
      workspaceId === DEFAULT_WORKSPACE_ID ? 'warehouse.duckdb' : `warehouse-${workspaceId}.duckdb`;
    const record: DestinationRecord = {
      id: crypto.randomUUID(),
      workspaceId,
      name: 'Local DuckDB',
      kind: 'duckdb',
      config: { path: path.join(this.home, file) },
      sealedSecret: null,
      isDefault: true,
      createdAt: now,
    };
    await destinationsRepository.insert(this.db, record);
    return record;
  }

  /** The open destination for `id`. */
  async get(id: string): Promise<Destination> {
    let destination = this.open.get(id);
    if (!destination) {
      destination = this.connect(id);
      this.open.set(id, destination);
      destination.catch(() => this.open.delete(id));
    }
    return destination;
  }

  private async connect(id: string): Promise<Destination> {
    const record = await destinationsRepository.get(this.db, id);
    if (!record) throw new TributaryError('not_found', `Destination ${id} does not exist`);
    if (record.kind === 'duckdb')
      return createDestination({ kind: 'duckdb', path: record.config.path!, ...this.duckdb });
    const url = record.sealedSecret ? this.vault.open(record.sealedSecret, record.id) : '';
    return createDestination({ kind: 'postgres', url, schema: record.config.schema! });
  }

  /**
   * Makes sure a table exists with these columns — once per process for a given column list, since
   * a run's many slices share one table and the check costs several catalog queries.
   */
  async ensureTable(id: string, spec: TableSpec): Promise<{ addedColumns: string[] }> {
    const key = `${spec.name}/${spec.columns.map((column) => `${column.name}:${column.type}`).join(',')}`;
    const known = this.ensured.get(id) ?? new Set<string>();
    if (known.has(key)) return { addedColumns: [] };
    const ensured = await (await this.get(id)).ensureTable(spec);
    known.add(key);
    this.ensured.set(id, known);
    return ensured;
  }

  /** Forgets the checked tables of a destination (after a failure: a table may have changed behind our back). */
  forgetTables(id: string): void {
    this.ensured.delete(id);
  }

  /** Closes one destination (before it is deleted). */
  async release(id: string): Promise<void> {
    const destination = this.open.get(id);
    this.open.delete(id);
    this.ensured.delete(id);
    if (destination) await (await destination.catch(() => null))?.close();
  }

  async closeAll(): Promise<void> {
    for (const id of [...this.open.keys()]) await this.release(id);
  }
}
