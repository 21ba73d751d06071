/**
 * The Ads Insights edges: sync `GET /{v}/act_{id}/insights`, report-run creation
 * `POST /{v}/act_{id}/insights`, the run node `GET /{v}/{run_id}` (dispatched from the generic node
 * route) and its results `GET /{v}/{run_id}/insights`, plus the sandbox's own budget control
 * `GET|POST /_control/limits`. Token and permission checks are those of `/me/adaccounts`; an account
 * or run the token's user cannot see is Graph's 100/33.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { localClock } from '../../../sandbox/calendar.ts';
import { entitiesOf, findAccount } from './entities.ts';
import {
  invalidCursorError,
  missingPermissionsError,
  nonexistingFieldError,
  unsupportedRequestError,
} from './errors.ts';
import { authenticate, type GraphOutcome, runGraphCall, type SandboxDeps } from './graph-call.ts';
import { insightsRateLimitError, reportNotReadyError, tooMuchDataError } from './insights-errors.ts';
import { parseInsightsQuery } from './insights-params.ts';
import { renderRow } from './insights-render.ts';
import { type InsightsRowCache, type QueryView, type RowPosition, viewOf } from './insights-rows.ts';
import { decodeCursor, effectiveLimit, encodeCursor } from './paging.ts';
import { type ReportRuns, renderRun } from './report-runs.ts';
import type { IssuedAccessToken } from './store.ts';
import {
  businessUseCaseUsage,
  type InsightsThrottle,
  insightsThrottleHeader,
  type ThrottleState,
} from './throttle.ts';
import { type GraphResponse, requestOrigin, stringParam } from './wire.ts';

/** Meta's row budget of a sync insights call; larger reports must go through report runs. */
export const SYNC_ROW_LIMIT = 20_000;

/** What the insights routes need beyond the common deps. */
export interface InsightsDeps extends SandboxDeps {
  rows: InsightsRowCache;
  runs: ReportRuns;
  throttle: InsightsThrottle;
}

type Access = { ok: true; token: IssuedAccessToken; inQuery: boolean } | { ok: false; outcome: GraphOutcome };

/** Authenticates, then checks the token's user may read ads data of `accountId`. */
function checkAccess(deps: InsightsDeps, request: FastifyRequest, node: string, accountId: string): Access {
  const auth = authenticate(deps, request, node);
  if (!auth.ok) return { ok: false, outcome: { response: auth.response } };
  if (findAccount(accountId)?.owner !== auth.token.user) {
    return { ok: false, outcome: { response: unsupportedRequestError(request.method, node) } };
  }
  if (!auth.token.scopes.includes('ads_read') && !auth.token.scopes.includes('ads_management')) {
    return { ok: false, outcome: { response: missingPermissionsError() } };
  }
  return auth;
}

/** Attaches the insights usage headers (both of them) to a response. */
function withUsage(deps: InsightsDeps, response: GraphResponse, state: ThrottleState): GraphOutcome {
  const throttle = insightsThrottleHeader(state, deps.store.appUsage().call_count);
  return {
    response: { ...response, headers: { ...response.headers, 'x-fb-ads-insights-throttle': throttle } },
    businessUseCaseUsage: businessUseCaseUsage(state),
  };
}

/** Reads a parameter from the body (POST) or the query string; the first of repeated values wins. */
function param(request: FastifyRequest, name: string): unknown {
  const read = (source: unknown) => {
    const value =
      typeof source === 'object' && source !== null ? (source as Record<string, unknown>)[name] : undefined;
    return Array.isArray(value) && typeof value[0] === 'string' && request.method === 'GET'
      ? value[0]
      : value;
  };
  return read(request.body) ?? read(request.query);
}

/** Renders one page of a view, with Graph paging; `link` builds the `next` URL for a cursor. */
function pageOf(
  deps: InsightsDeps,
  request: FastifyRequest,
  view: QueryView,
  link: (limit: number, after: string) => string,
): GraphResponse {
  const limit = effectiveLimit(stringParam(request.query, 'limit'));
  const after = stringParam(request.query, 'after');
  let from: RowPosition = { bucket: 0, index: 0 };
  if (after !== undefined) {
    const position = /^(\d+)\.(\d+)$/.exec(decodeCursor(view.fingerprint, after) ?? '');
    if (!position) return invalidCursorError();
    from = { bucket: Number(position[1]), index: Number(position[2]) + 1 };
  }
  const page = deps.rows.page(view, from, limit);
  const data = page.rows.map((item) => renderRow(view, item.row, item.bucket));
  const first = page.rows[0];
  const last = page.rows.at(-1);
  if (!first || !last) return { status: 200, body: { data } };
  const cursor = (position: RowPosition) =>
    encodeCursor(view.fingerprint, `${position.bucket}.${position.index}`);
  const cursors = { before: cursor(first.position), after: cursor(last.position) };
  // As on every Graph edge: no `next` on the last page.
  const paging = page.more ? { cursors, next: link(limit, cursors.after) } : { cursors };
  return { status: 200, body: { data, paging } };
}

/** An act_ node's bare account id, or undefined for any other node. */
const accountIdOf = (node: string) => /^act_(\d+)$/.exec(node)?.[1];

/**
 * What a sync read and a report-run creation both do first, in Graph's order: token and access,
 * the rate-limit budget, then the query. Returns the outcome to send when one of them refuses.
 */
function admitInsightsCall(
  deps: InsightsDeps,
  request: FastifyRequest,
  node: string,
  accountId: string,
):
  | { refused: GraphOutcome }
  | {
      token: Extract<Access, { ok: true }>['token'];
      state: ReturnType<InsightsDeps['throttle']['take']>;
      entities: NonNullable<ReturnType<typeof entitiesOf>>;
      now: Date;
      query: Extract<ReturnType<typeof parseInsightsQuery>, { ok: true }>['query'];
    } {
  const access = checkAccess(deps, request, node, accountId);
  if (!access.ok) return { refused: access.outcome };
  const state = deps.throttle.take(accountId);
  if (!state.allowed) return { refused: withUsage(deps, insightsRateLimitError(), state) };
  const entities = entitiesOf(accountId)!;
  const now = deps.context.now();
  const parsed = parseInsightsQuery(
    (name) => param(request, name),
    localClock(now, entities.account.timezoneName),
  );
  if (!parsed.ok) return { refused: withUsage(deps, parsed.response, state) };
  return { token: access.token, state, entities, now, query: parsed.query };
}

function handleSync(deps: InsightsDeps, request: FastifyRequest, prefix: string, node: string): GraphOutcome {
  const accountId = accountIdOf(node)!;
  const admitted = admitInsightsCall(deps, request, node, accountId);
  if ('refused' in admitted) return admitted.refused;
  const { token, state, entities, now, query } = admitted;
  const view = viewOf(entities, query, now, `sync/${token.user.userId}`);
  if (deps.rows.count(view, SYNC_ROW_LIMIT) > SYNC_ROW_LIMIT)
    return withUsage(deps, tooMuchDataError(), state);
  const version = stringParam(request.params, 'version')!;
  const response = pageOf(deps, request, view, (limit, after) => {
    // `next` repeats the request (token included when it came in the query, as Graph does).
    const params = new URLSearchParams(request.url.split('?')[1] ?? '');
    for (const name of ['limit', 'after', 'before']) params.delete(name);
    params.set('limit', String(limit));
    params.set('after', after);
    return `${requestOrigin(request)}${prefix}/${version}/${node}/insights?${params.toString()}`;
  });
  return withUsage(deps, response, state);
}

function handleCreate(deps: InsightsDeps, request: FastifyRequest, node: string): GraphOutcome {
  const accountId = accountIdOf(node);
  if (accountId === undefined) return { response: unsupportedRequestError(request.method, node) };
  const admitted = admitInsightsCall(deps, request, node, accountId);
  if ('refused' in admitted) return admitted.refused;
  const { token, state, now, query } = admitted;
  const run = deps.runs.create(
    { accountId, user: token.user, query, createdAt: now },
    deps.store.takeJobFault(),
  );
  return withUsage(deps, { status: 200, body: { report_run_id: run.id } }, state);
}

/** The report run behind `node`, if the token's user owns it. */
function ownedRun(deps: InsightsDeps, request: FastifyRequest, node: string) {
  const run = deps.runs.get(node);
  const access = checkAccess(deps, request, node, run?.accountId ?? '');
  if (!access.ok) return access;
  if (!run || run.user !== access.token.user) {
    return { ok: false as const, outcome: { response: unsupportedRequestError(request.method, node) } };
  }
  return { ...access, run };
}

/** `GET /{v}/{run_id}`: one poll of a report run. */
export function handleRunStatus(deps: InsightsDeps, request: FastifyRequest, node: string): GraphOutcome {
  const owned = ownedRun(deps, request, node);
  if (!owned.ok) return owned.outcome;
  deps.runs.poll(owned.run, deps.context.now());
  const rendered = renderRun(owned.run, stringParam(request.query, 'fields'));
  const response = rendered.ok
    ? { status: 200, body: rendered.body }
    : nonexistingFieldError(rendered.unknownField, 'AdReportRun');
  // Polls are not counted against the insights budget, but they report it.
  return withUsage(deps, response, deps.throttle.peek(owned.run.accountId));
}

function handleRunInsights(
  deps: InsightsDeps,
  request: FastifyRequest,
  prefix: string,
  node: string,
): GraphOutcome {
  const owned = ownedRun(deps, request, node);
  if (!owned.ok) return owned.outcome;
  const { run, token, inQuery } = owned;
  const state = deps.throttle.take(run.accountId);
  if (!state.allowed) return withUsage(deps, insightsRateLimitError(), state);
  if (!run.completedAt) return withUsage(deps, reportNotReadyError(), state);
  const view = viewOf(entitiesOf(run.accountId)!, run.query, run.completedAt, `run/${run.id}`);
  const version = stringParam(request.params, 'version')!;
  const response = pageOf(deps, request, view, (limit, after) => {
    const params = new URLSearchParams();
    if (inQuery) params.set('access_token', token.value);
    params.set('limit', String(limit));
    params.set('after', after);
    return `${requestOrigin(request)}${prefix}/${version}/${run.id}/insights?${params.toString()}`;
  });
  return withUsage(deps, response, state);
}

/** The throttle error a `rate_limited` fault renders on an insights call: a spent budget. */
function faultedThrottle(deps: InsightsDeps, request: FastifyRequest): GraphResponse {
  const node = stringParam(request.params, 'node') ?? '';
  const accountId = accountIdOf(node) ?? deps.runs.get(node)?.accountId ?? node;
  const limits = deps.throttle.getLimits();
  const state: ThrottleState = {
    accountId,
    allowed: false,
    used: limits.callsPerWindow,
    limits,
    msUntilSlot: 60_000,
  };
  const outcome = withUsage(deps, insightsRateLimitError(), state);
  const usage = JSON.stringify(outcome.businessUseCaseUsage);
  return {
    ...outcome.response,
    headers: { ...outcome.response.headers, 'x-business-use-case-usage': usage },
  };
}

const limitsBody = z.strictObject({
  callsPerWindow: z.number().int().min(1).max(1_000_000).optional(),
  windowMs: z.number().int().min(1).max(86_400_000).optional(),
});

/** Registers the insights routes and the limits control route. */
export function registerInsightsRoutes(app: FastifyInstance, deps: InsightsDeps): void {
  const prefix = app.prefix;
  const spec = {
    truncatedBody: '{"data":[{"account_id":"',
    usageKey: (request: FastifyRequest) => accountIdOf(stringParam(request.params, 'node') ?? ''),
    rateLimited: (request: FastifyRequest) => faultedThrottle(deps, request),
  };
  app.get('/:version/:node/insights', (request: FastifyRequest, reply: FastifyReply) =>
    runGraphCall(deps, request, reply, spec, () => {
      const node = stringParam(request.params, 'node') ?? '';
      if (accountIdOf(node) !== undefined) return handleSync(deps, request, prefix, node);
      return handleRunInsights(deps, request, prefix, node);
    }),
  );
  app.post('/:version/:node/insights', (request: FastifyRequest, reply: FastifyReply) =>
    runGraphCall(deps, request, reply, { ...spec, truncatedBody: '{"report_run_id":"' }, () =>
      handleCreate(deps, request, stringParam(request.params, 'node') ?? ''),
    ),
  );
  app.get('/_control/limits', async () => deps.throttle.getLimits());
  app.post('/_control/limits', async (request, reply) => {
    const parsed = limitsBody.safeParse(request.body);
    if (!parsed.success) {
      const issues = parsed.error.issues.map(
        (issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`,
      );
      return reply
        .code(400)
        .send({ error: { code: 'validation_failed', message: `Invalid limits: ${issues.join('; ')}` } });
    }
    deps.throttle.setLimits({ ...deps.throttle.getLimits(), ...parsed.data });
    return deps.throttle.getLimits();
  });
}
