/**
 * The Data API v1beta calls: `POST /data/v1beta/properties/<id>:runReport` and
 * `GET /data/v1beta/properties/<id>/metadata`. A property the caller cannot read (or that does not exist) is 403
 * `PERMISSION_DENIED`, as at Google; an exhausted quota is 429 `RESOURCE_EXHAUSTED` before any work is done.
 */
import type { FastifyInstance } from 'fastify';
import { localClock } from '../../../sandbox/calendar.ts';
import { runCall, type SandboxDeps } from './call.ts';
import { tokenCost } from './quota.ts';
import { buildReport } from './report-build.ts';
import { BadRequest, readReportRequest } from './report-request.ts';
import { metadataBody } from './report-schema.ts';
import { findProperty, type SeedProperty } from './seed.ts';
import { type IssuedAccessToken, principalAccounts } from './store.ts';
import { type ApiResponse, ok, rpc } from './wire.ts';

/** The property behind `properties/<id>` if the token's principal may read it. */
function readableProperty(id: string, token: IssuedAccessToken): SeedProperty | undefined {
  const found = findProperty(id);
  if (!found || !principalAccounts(token.grant.principal).includes(found.account)) return undefined;
  return found.property;
}

function runReport(deps: SandboxDeps, id: string, body: unknown, token: IssuedAccessToken): ApiResponse {
  const property = readableProperty(id, token);
  if (!property) return rpc.propertyPermission();
  const now = deps.context.now();
  const clock = localClock(now, property.timeZone);
  let report: ReturnType<typeof buildReport>;
  try {
    const query = readReportRequest(body, clock, property.currencyCode);
    const exhausted = deps.quota.exhausted(id, now);
    if (exhausted === 'day') return rpc.propertyTokensPerDay();
    if (exhausted === 'hour') return rpc.propertyTokensPerHour();
    if (exhausted === 'project') return rpc.projectTokensPerHour();
    report = buildReport(property, query, clock);
    const cost = tokenCost(report.returnedRows);
    deps.quota.charge(id, cost, now);
    if (query.returnPropertyQuota) report.body.propertyQuota = deps.quota.status(id, cost, now);
  } catch (error) {
    if (error instanceof BadRequest) return rpc.invalidArgument(error.message);
    throw error;
  }
  report.body.kind = 'analyticsData#runReport';
  return ok(report.body);
}

/** Registers the Data API routes. */
export function registerDataRoutes(app: FastifyInstance, deps: SandboxDeps): void {
  // One segment carries both the id and the custom method (`123:runReport`), as in Google's REST mapping.
  app.post<{ Params: { target: string } }>('/data/v1beta/properties/:target', (request, reply) =>
    runCall(deps, request, reply, 'analytics', (token) => {
      const match = /^(\d+):runReport$/.exec(request.params.target);
      if (!match) return rpc.notFound(`Method not found: ${request.params.target}`);
      return runReport(deps, match[1]!, request.body, token!);
    }),
  );
  app.get<{ Params: { id: string } }>('/data/v1beta/properties/:id/metadata', (request, reply) =>
    runCall(deps, request, reply, 'analytics', (token) => {
      const { id } = request.params;
      // Property 0 is Google's universal metadata, readable by anyone with the scope.
      if (id !== '0' && !readableProperty(id, token!)) return rpc.propertyPermission();
      return ok(metadataBody(id));
    }),
  );
}
