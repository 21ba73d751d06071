import crypto from 'node:crypto';
import { createDestination as openDestination } from '../../destinations/index.ts';
import { TributaryError } from '../../domain/errors.ts';
import { isUuid } from '../../domain/ids.ts';
import { type DestinationRecord, destinationsRepository } from '../../store/destinationsRepository.ts';
import { type Handler, workspaceOf } from '../routes.ts';

function view(record: DestinationRecord) {
  return {
    id: record.id,
    name: record.name,
    kind: record.kind,
    location:
      record.kind === 'duckdb'
        ? record.config.path!
        : [record.config.host, record.config.database, record.config.schema].filter(Boolean).join(' / '),
    isDefault: record.isDefault,
    createdAt: record.createdAt.toISOString(),
  };
}

/** Where a PostgreSQL URL points (host and database; the credentials in it stay sealed). */
function postgresPlace(url: string): { host: string; database: string } {
  const parsed = new URL(url);
  return { host: parsed.host, database: decodeURIComponent(parsed.pathname.slice(1)) };
}

/** GET /api/v1/destinations */
export const listDestinations: Handler<'listDestinations'> = async (input, context) => ({
  items: (await destinationsRepository.list(context.db, workspaceOf(input).workspaceId)).map(view),
});

/** POST /api/v1/destinations — the destination is opened (and a table-less check made) before it is saved. */
export const createDestination: Handler<'createDestination'> = async (input, context) => {
  const { body } = input;
  const { workspaceId } = workspaceOf(input);
  const id = crypto.randomUUID();
  const duckdbPath = body.kind === 'duckdb' ? context.destinations.duckdbPath(body.path, body.name) : '';
  // One warehouse (a DuckDB file, a PostgreSQL schema) serves one workspace: another's tables stay out of reach.
  const place =
    body.kind === 'duckdb' ? { path: duckdbPath } : { ...postgresPlace(body.url), schema: body.schema };
  if (await destinationsRepository.usedByAnotherWorkspace(context.db, place, workspaceId))
    throw new TributaryError(
      'validation_failed',
      `Invalid request — body.${body.kind === 'duckdb' ? 'path' : 'schema'}: another workspace writes there; pick another ${body.kind === 'duckdb' ? 'file' : 'schema'}`,
    );
  const probe = openDestination(body.kind === 'duckdb' ? { kind: 'duckdb', path: duckdbPath } : body);
  try {
    await probe.check();
  } catch (error) {
    if (error instanceof TributaryError) throw error;
    throw new TributaryError(
      'destination_unavailable',
      `Cannot write to the destination: ${(error as Error).message}`,
    );
  } finally {
    await probe.close().catch(() => {});
  }
  const record: DestinationRecord =
    body.kind === 'duckdb'
      ? {
          id,
          workspaceId,
          name: body.name,
          kind: 'duckdb',
          config: { path: duckdbPath },
          sealedSecret: null,
          isDefault: false,
          createdAt: context.now(),
        }
      : {
          id,
          workspaceId,
          name: body.name,
          kind: 'postgres',
          config: { ...postgresPlace(body.url), schema: body.schema },
          sealedSecret: context.vault.seal(body.url, id),
          isDefault: false,
          createdAt: context.now(),
        };
  await destinationsRepository.insert(context.db, record);
  return view(record);
};

/** DELETE /api/v1/destinations/:id */
export const deleteDestination: Handler<'deleteDestination'> = async ({ params }, context) => {
  const record = isUuid(params.id) ? await destinationsRepository.get(context.db, params.id) : null;
  if (!record) throw new TributaryError('not_found', `Destination ${params.id} does not exist`);
  await context.destinations.release(record.id);
  const outcome = await destinationsRepository.delete(context.db, record.id);
  if (outcome === 'in_use')
    throw new TributaryError('conflict', 'Extractions write to this destination; delete or move them first');
  if (outcome === 'missing') throw new TributaryError('not_found', `Destination ${params.id} does not exist`);
  return undefined;
};
