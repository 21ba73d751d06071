import { usableCredential } from '../../connections/credentials.ts';
import { isMissingTableError } from '../../destinations/core/errors.ts';
import { tableNameFor } from '../../destinations/index.ts';
import { isUsableAccount } from '../../domain/connection.ts';
import { addDays, todayIn } from '../../domain/dates.ts';
import { asTributaryError, TributaryError } from '../../domain/errors.ts';
import { checkAccounts, checkSelection, usableConnection } from '../../extractions/setup.ts';
import { accountsRepository } from '../../store/accountsRepository.ts';
import { runsRepository } from '../../store/runsRepository.ts';
import type { Handler } from '../routes.ts';
import { requireExtraction } from './extractions.ts';

/** POST /api/v1/extractions/preview — one account, a few recent days, nothing written. */
export const previewExtraction: Handler<'previewExtraction'> = async ({ body }, context) => {
  const connection = await usableConnection(context, body.connectionId);
  const { resolved, selection } = await checkSelection(context, connection, body.templateId, body);
  await checkAccounts(context, connection, body.accounts);
  const connector = context.connectors.get(connection.dataSource);
  if (!connector?.extraction)
    throw new TributaryError('unknown_data_source', `${connection.dataSource} cannot be extracted`);
  const accounts = (await accountsRepository.list(context.db, connection.id)).filter(isUsableAccount);
  const account =
    body.accounts === 'all'
      ? accounts[0]
      : accounts.find((candidate) => candidate.providerAccountId === body.accounts[0]);
  if (!account)
    throw new TributaryError(
      'connection_not_authorized',
      'The connection has no reachable account to preview',
    );
  const to = todayIn(account.timezone, context.now());
  const from = addDays(to, -(body.days - 1));
  const request = {
    template: resolved.template,
    ...selection,
    account: {
      id: account.providerAccountId,
      name: account.name,
      timezone: account.timezone,
      currency: account.currency,
    },
    from,
    to,
  };
  const token = await usableCredential(context, connection.id, connector);
  const abort = new AbortController();
  const rows = [];
  try {
    for await (const batch of connector.extraction.read(token, request, {
      onApiCall: () => {},
      onQuotaWait: () => {},
      signal: abort.signal,
    })) {
      rows.push(...batch);
      if (rows.length >= body.limit) break;
    }
  } catch (error) {
    throw asTributaryError(error);
  } finally {
    abort.abort();
  }
  return {
    account: { id: account.providerAccountId, name: account.name },
    from,
    to,
    columns: connector.extraction.columns(request),
    rows: rows.slice(0, body.limit),
    table: body.table ?? tableNameFor(connection.dataSource, resolved.slug),
  };
};

/** GET /api/v1/extractions/:id/data — the first rows of the loaded table. */
export const getExtractionData: Handler<'getExtractionData'> = async ({ params, query }, context) => {
  const extraction = await requireExtraction(context, params.id);
  const destination = await context.destinations.get(extraction.destinationId);
  const preview = await destination.preview(extraction.tableName, query.limit).catch((error: unknown) => {
    const failure = asTributaryError(error);
    // Nothing loaded yet: an empty table, not an error.
    if (isMissingTableError(failure)) return { columns: [], rows: [] };
    throw failure;
  });
  return { table: extraction.tableName, ...preview };
};

/** GET /api/v1/extractions/:id/ledger */
export const getExtractionLedger: Handler<'getExtractionLedger'> = async ({ params, query }, context) => {
  const extraction = await requireExtraction(context, params.id);
  const items = await runsRepository.ledger(context.db, extraction.id, query);
  return { items: items.map(({ updatedAt: _updatedAt, ...item }) => item) };
};
