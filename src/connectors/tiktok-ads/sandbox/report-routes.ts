/** `GET /open_api/v1.3/report/integrated/get/`: the synchronous report, paged by `page`/`page_size`. */
import type { FastifyInstance } from 'fastify';
import { runApiCall, type SandboxDeps } from './call.ts';
import { API_PREFIX } from './constants.ts';
import { entitiesOf } from './entities.ts';
import { checkReportParams } from './report-params.ts';
import { reportRows } from './report-rows.ts';
import type { IssuedAccessToken } from './store.ts';
import { type ApiResponse, apiError, errors, ok } from './wire.ts';

function report(deps: SandboxDeps, token: IssuedAccessToken, rawQuery: unknown): ApiResponse {
  const now = deps.context.now();
  const checked = checkReportParams(rawQuery);
  if (!checked.ok) {
    return checked.code === 40009
      ? errors.notSupportedInSandbox(now, checked.problem)
      : apiError(now, 40002, `${checked.parameter}: ${checked.problem}`);
  }
  const { query } = checked;
  const entities = entitiesOf(query.advertiserId);
  if (!entities) return errors.advertiserNotFound(now, query.advertiserId);
  if (entities.owner !== token.user) {
    return errors.permission(now, `No permission to operate advertiser ${query.advertiserId}.`);
  }
  const rows = reportRows(entities, query, now);
  const start = (query.page - 1) * query.pageSize;
  return ok(now, {
    list: rows.slice(start, start + query.pageSize),
    page_info: {
      page: query.page,
      page_size: query.pageSize,
      total_number: rows.length,
      total_page: Math.ceil(rows.length / query.pageSize),
    },
  });
}

/** Registers the report route. */
export function registerReportRoutes(app: FastifyInstance, deps: SandboxDeps): void {
  app.get(`${API_PREFIX}/report/integrated/get/`, (request, reply) =>
    runApiCall(deps, request, reply, (token) => report(deps, token!, request.query), { authenticated: true }),
  );
}
