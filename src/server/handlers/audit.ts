/**
 * Handlers of the audit log: read it (newest first, by pages), or export it to a destination as
 * table `tributary_audit_log`, through the same Destination interface extractions write with.
 */
import crypto from 'node:crypto';
import type { CellValue } from '../../connectors/kit/types.ts';
import type { TableSpec } from '../../destinations/core/types.ts';
import { type AuditEntry, auditRepository } from '../../store/auditRepository.ts';
import type { Queryable } from '../../store/db.ts';
import { usersRepository } from '../../store/usersRepository.ts';
import { type Handler, workspaceOf } from '../routes.ts';

/** The table the audit log is exported to. */
export const AUDIT_TABLE = 'tributary_audit_log';

const auditTable: TableSpec = {
  name: AUDIT_TABLE,
  columns: [
    { name: 'date', type: 'date' },
    { name: 'entry_id', type: 'integer' },
    { name: 'at', type: 'string' },
    { name: 'actor', type: 'string' },
    { name: 'action', type: 'string' },
    { name: 'target_type', type: 'string' },
    { name: 'target_id', type: 'string' },
    { name: 'details', type: 'json' },
  ],
};

const PAGE = 1000;

function entryView(entry: AuditEntry) {
  return {
    id: entry.id,
    actor: entry.actor,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    details: entry.details,
    at: entry.at.toISOString(),
  };
}

/** Every entry of a workspace as destination rows, a page at a time (the log can be long). */
async function* auditRows(db: Queryable, workspaceId: string): AsyncIterable<Record<string, CellValue>[]> {
  let before: number | undefined;
  for (;;) {
    const page = await auditRepository.list(db, workspaceId, { before, limit: PAGE });
    if (page.length === 0) return;
    yield page.map((entry) => ({
      date: entry.at.toISOString().slice(0, 10),
      entry_id: entry.id,
      at: entry.at.toISOString(),
      actor: entry.actor,
      action: entry.action,
      target_type: entry.targetType,
      target_id: entry.targetId,
      details: JSON.stringify(entry.details),
    }));
    if (page.length < PAGE) return;
    before = page.at(-1)!.id;
  }
}

/** GET /api/v1/audit */
export const listAudit: Handler<'listAudit'> = async (input, context) => {
  const { workspaceId } = workspaceOf(input);
  const { before, limit } = input.query;
  // One extra entry says whether an older page exists.
  const entries = await auditRepository.list(context.db, workspaceId, { before, limit: limit + 1 });
  const page = entries.slice(0, limit);
  return {
    items: page.map(entryView),
    nextBefore: entries.length > limit ? page.at(-1)!.id : null,
  };
};

/** POST /api/v1/audit/export */
export const exportAudit: Handler<'exportAudit'> = async (input, context) => {
  const { workspaceId } = workspaceOf(input);
  const destinationId = input.body.destinationId;
  const now = context.now();
  // The export is itself audited after it succeeds, so the rows written are the log up to this request.
  const days = await auditRepository.days(context.db, workspaceId);
  await context.destinations.ensureTable(destinationId, auditTable);
  const destination = await context.destinations.get(destinationId);
  // The log only grows, so replacing every day it has entries on replaces the whole exported table.
  const counts = await destination.replacePartitions(
    auditTable,
    {
      accountId: workspaceId,
      accountName: (await usersRepository.workspaceName(context.db, workspaceId)) ?? workspaceId,
      dates: days,
    },
    auditRows(context.db, workspaceId),
    { runId: `audit-export-${crypto.randomUUID()}`, insertDate: now },
  );
  return { table: AUDIT_TABLE, rows: counts.inserted + counts.updated };
};
