/**
 * The audit trail: after every successful request that changes something in a workspace, one entry
 * saying who did it (user, and token when a token acted), what (the endpoint), to which object, and
 * which fields a body set. Values are left out except a few that cannot hold a secret.
 */
import type { AppContext } from '../connections/context.ts';
import type { Endpoint, EndpointName } from '../contract/endpoints.ts';
import type { Caller } from '../domain/access.ts';
import { auditRepository } from '../store/auditRepository.ts';

/** Body fields whose values are recorded (names, roles, states): never credentials. */
const shownValues = new Set([
  'name',
  'role',
  'email',
  'status',
  'mode',
  'workspaceId',
  'dataSource',
  'kind',
  'from',
  'to',
]);

/** `/api/v1/extractions/:id/runs` → `extraction`: the resource an endpoint acts on. */
function targetType(path: string): string {
  const resource = path.split('/')[3] ?? 'workspace';
  return resource.replace(/-/g, '_').replace(/s$/, '');
}

/** The id of the object acted on: the path's id, else the first id in the result. */
function targetId(params: unknown, result: unknown): string | null {
  const fromParams = (params as Record<string, unknown> | undefined)?.id;
  if (typeof fromParams === 'string') return fromParams;
  if (!result || typeof result !== 'object') return null;
  const top = result as Record<string, unknown>;
  if (typeof top.id === 'string') return top.id;
  for (const value of Object.values(top)) {
    if (value && typeof value === 'object' && typeof (value as Record<string, unknown>).id === 'string')
      return (value as Record<string, string>).id!;
  }
  return null;
}

/** Records the entry for a successful state-changing request in the caller's workspace. */
export async function recordAudit(
  name: EndpointName,
  endpoint: Endpoint,
  input: { params?: unknown; body?: unknown },
  result: unknown,
  caller: Caller | null,
  context: AppContext,
): Promise<void> {
  if (endpoint.method === 'GET' || endpoint.audit === false || !caller?.workspaceId) return;
  const body = input.body && typeof input.body === 'object' ? (input.body as Record<string, unknown>) : {};
  const values = Object.fromEntries(
    Object.entries(body).filter(
      ([key, value]) => shownValues.has(key) && (typeof value === 'string' || typeof value === 'number'),
    ),
  );
  const details: Record<string, unknown> = { fields: Object.keys(body).sort() };
  if (Object.keys(values).length > 0) details.values = values;
  await auditRepository.append(context.db, {
    workspaceId: caller.workspaceId,
    actorUserId: caller.userId,
    actorTokenId: caller.tokenId,
    actor: caller.via === 'token' ? `${caller.email} (API token)` : caller.email,
    action: name,
    targetType: targetType(endpoint.path),
    targetId: targetId(input.params, result),
    details,
    at: context.now(),
  });
}
