import crypto from 'node:crypto';
import { createDestination as openDestination } from '../../destinations/index.ts';
import { TributaryError } from '../../domain/errors.ts';
import { isUuid } from '../../domain/ids.ts';
import { type DestinationRecord, destinationsRepository } from '../../store/destinationsRepository.ts';
import type { Handler } from '../routes.ts';

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

/** GET /api/v1/destinations */
export const listDestinations: Handler<'listDestinations'> = async (_input, context) => ({
  items: (await destinationsRepository.list(context.db)).map(view),
});

/** POST /api/v1/destinations — the destination is opened (and a table-less check made) before it is saved. */
export const createDestination: Handler<'createDestination'> = async ({ body }, context) => {
  const id = crypto.randomUUID();
  const duckdbPath = body.kind === 'duckdb' ? context.destinations.duckdbPath(body.path, body.name) : '';
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
          name: body.name,
          kind: 'duckdb',
          config: { path: duckdbPath },
          sealedSecret: null,
          isDefault: false,
          createdAt: context.now(),
        }
      : {
          id,
          name: body.name,
          kind: 'postgres',
          config: {
            host: new URL(body.url).host,
            database: decodeURIComponent(new URL(body.url).pathname.slice(1)),
            schema: body.schema,
          },
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
