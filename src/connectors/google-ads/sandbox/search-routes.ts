/**
 * The Google Ads API v25 routes: `GET customers:listAccessibleCustomers`, `POST customers/{id}/googleAds:search`
 * (pages of 1,000 rows with `nextPageToken`) and `POST customers/{id}/googleAds:searchStream` (a JSON array of
 * batches of up to 10,000 rows). Access follows Google's rules: a customer the user reaches only through a
 * manager needs that manager in `login-customer-id`. Other paths get Google's HTML 404.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { localClock } from '../../../sandbox/calendar.ts';
import { type AdsResponse, adsErrors, adsOk, newRequestId } from './ads-wire.ts';
import { type Caller, runAdsCall, type SandboxDeps } from './call.ts';
import { API_VERSION, SEARCH_PAGE_SIZE, STREAM_BATCH_SIZE } from './constants.ts';
import { jsonPath } from './gaql-fields.ts';
import { GaqlError, parseGaql } from './gaql-parser.ts';
import { checkQuery } from './query-check.ts';
import { type QueryResult, runQuery } from './query-rows.ts';
import { findCustomer, levelBelow, type SeedCustomer } from './seed.ts';

const NOT_FOUND_PAGE =
  '<!DOCTYPE html><html lang=en><meta charset=utf-8><title>Error 404 (Not Found)!!1</title><p><b>404.</b> <ins>That’s an error.</ins><p>The requested URL was not found on this server. <ins>That’s all we know.</ins></html>';

/** Google's answer to a JSON body with a field the method does not have. */
function unknownField(name: string): AdsResponse {
  return {
    status: 400,
    requestId: newRequestId(),
    body: {
      error: {
        code: 400,
        message: `Invalid JSON payload received. Unknown name "${name}": Cannot find field.`,
        status: 'INVALID_ARGUMENT',
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.BadRequest',
            fieldViolations: [
              { description: `Invalid JSON payload received. Unknown name "${name}": Cannot find field.` },
            ],
          },
        ],
      },
    },
  };
}

/** The customer the caller may query, or the error Google gives. */
function reach(caller: Caller, customerId: string): SeedCustomer | AdsResponse {
  if (!/^\d{10}$/.test(customerId)) return adsErrors.invalidCustomerId(customerId);
  const target = findCustomer(customerId);
  const reachable = (customer: SeedCustomer) =>
    caller.user.accessible.some((root) => levelBelow(root, customer) !== undefined);
  if (!target) return adsErrors.permissionDenied();
  if (caller.loginCustomerId === undefined) {
    if (!caller.user.accessible.includes(target)) return adsErrors.permissionDenied();
  } else {
    const login = findCustomer(caller.loginCustomerId);
    if (!login || !reachable(login) || levelBelow(login, target) === undefined)
      return adsErrors.permissionDenied();
  }
  return target.status === 'ENABLED' ? target : adsErrors.customerNotEnabled();
}

/** Body fields each method takes (REST accepts lowerCamelCase and snake_case). */
const BODY_FIELDS = {
  search: [
    'query',
    'pageToken',
    'page_token',
    'pageSize',
    'page_size',
    'validateOnly',
    'validate_only',
    'searchSettings',
    'search_settings',
  ],
  searchStream: ['query', 'summaryRowSetting', 'summary_row_setting'],
};

type Method = keyof typeof BODY_FIELDS;

/** Runs the body's query for the customer; an error response when the body or query is wrong. */
function execute(
  deps: SandboxDeps,
  customer: SeedCustomer,
  body: Record<string, unknown>,
  method: Method,
): { result: QueryResult; fieldMask: string; query: string } | AdsResponse {
  const extra = Object.keys(body).find((key) => !BODY_FIELDS[method].includes(key));
  if (extra) return unknownField(extra);
  const query = body.query;
  if (typeof query !== 'string' || query.trim() === '') {
    return adsErrors.request('REQUIRED_FIELD_MISSING', 'The required field was not present.', 'query');
  }
  try {
    const clock = localClock(deps.context.now(), customer.timeZone);
    const checked = checkQuery(parseGaql(query), customer, clock);
    const fieldMask = checked.select.map((field) => jsonPath(field.name).join('.')).join(',');
    return { result: runQuery(checked, customer, clock), fieldMask, query };
  } catch (error) {
    if (error instanceof GaqlError) return adsErrors.query(error.code, error.message, error.trigger);
    throw error;
  }
}

/** Page tokens bind the offset to the customer and query, as Google's do. */
function pageToken(customer: SeedCustomer, query: string, offset: number): string {
  const binding = createHash('sha256').update(`${customer.id}\n${query}`).digest('base64url').slice(0, 16);
  return Buffer.from(JSON.stringify({ b: binding, o: offset })).toString('base64url');
}

function pageOffset(token: string, customer: SeedCustomer, query: string): number | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      b?: unknown;
      o?: unknown;
    };
    if (typeof parsed.o !== 'number' || !Number.isInteger(parsed.o) || parsed.o < 0) return undefined;
    return pageToken(customer, query, parsed.o) === token ? parsed.o : undefined;
  } catch {
    return undefined;
  }
}

function search(
  deps: SandboxDeps,
  caller: Caller,
  customerId: string,
  body: Record<string, unknown>,
): AdsResponse {
  const customer = reach(caller, customerId);
  if ('requestId' in customer) return customer;
  if (body.pageSize !== undefined || body.page_size !== undefined) {
    return adsErrors.request(
      'PAGE_SIZE_NOT_SUPPORTED',
      `Setting the page size is not supported. Search Responses will have fixed page size of '${SEARCH_PAGE_SIZE}' rows.`,
    );
  }
  const token = (body.pageToken ?? body.page_token) as unknown;
  const validateOnly = (body.validateOnly ?? body.validate_only) === true;
  if (validateOnly && token !== undefined) {
    return adsErrors.request(
      'VALIDATE_ONLY_REQUEST_HAS_PAGE_TOKEN',
      'A validate only request cannot have a page token.',
    );
  }
  const ran = execute(deps, customer, body, 'search');
  if ('status' in ran) return ran;
  if (validateOnly) return adsOk({});
  let offset = 0;
  if (token !== undefined && token !== '') {
    const found = typeof token === 'string' ? pageOffset(token, customer, ran.query) : undefined;
    if (found === undefined)
      return adsErrors.request('INVALID_PAGE_TOKEN', 'Page token is invalid.', String(token));
    offset = found;
  }
  const page = ran.result.rows.slice(offset, offset + SEARCH_PAGE_SIZE);
  const next =
    offset + SEARCH_PAGE_SIZE < ran.result.rows.length
      ? pageToken(customer, ran.query, offset + SEARCH_PAGE_SIZE)
      : undefined;
  const settings = (body.searchSettings ?? body.search_settings) as Record<string, unknown> | undefined;
  const wantsTotal =
    settings?.returnTotalResultsCount === true || settings?.return_total_results_count === true;
  // proto3 JSON leaves out an empty `results` list.
  return adsOk({
    ...(page.length > 0 ? { results: page } : {}),
    ...(next ? { nextPageToken: next } : {}),
    ...(wantsTotal ? { totalResultsCount: String(ran.result.total) } : {}),
    fieldMask: ran.fieldMask,
    queryResourceConsumption: String(ran.result.consumption),
  });
}

function searchStream(
  deps: SandboxDeps,
  caller: Caller,
  customerId: string,
  body: Record<string, unknown>,
): AdsResponse {
  const customer = reach(caller, customerId);
  if ('requestId' in customer) return customer;
  const ran = execute(deps, customer, body, 'searchStream');
  if ('status' in ran) return ran;
  const requestId = newRequestId();
  const batches: Record<string, unknown>[] = [];
  const rows = ran.result.rows;
  for (let start = 0; start === 0 || start < rows.length; start += STREAM_BATCH_SIZE) {
    const results = rows.slice(start, start + STREAM_BATCH_SIZE);
    batches.push({
      ...(results.length > 0 ? { results } : {}),
      fieldMask: ran.fieldMask,
      requestId,
      queryResourceConsumption: String(ran.result.consumption),
    });
  }
  return adsOk(batches, requestId);
}

function listAccessible(caller: Caller): AdsResponse {
  const names = caller.user.accessible.map((customer) => `customers/${customer.id}`);
  // proto3 JSON omits an empty repeated field: a user without accounts gets `{}`.
  return adsOk(names.length > 0 ? { resourceNames: names } : {});
}

function notFound(reply: FastifyReply): FastifyReply {
  return reply.code(404).type('text/html; charset=UTF-8').send(NOT_FOUND_PAGE);
}

/** Registers the Ads API routes under `/v25/`. */
export function registerSearchRoutes(app: FastifyInstance, deps: SandboxDeps): void {
  app.all(`/${API_VERSION}/*`, async (request, reply) => {
    const path = (request.params as { '*': string })['*'];
    const body =
      typeof request.body === 'object' && request.body !== null
        ? (request.body as Record<string, unknown>)
        : {};
    if (path === 'customers:listAccessibleCustomers' && request.method === 'GET') {
      return runAdsCall(deps, request, reply, listAccessible, { stream: false });
    }
    const match = /^customers\/([^/]+)\/googleAds:(search|searchStream)$/.exec(path);
    if (!match || request.method !== 'POST') return notFound(reply);
    const [, customerId, method] = match;
    if (method === 'searchStream') {
      return runAdsCall(deps, request, reply, (caller) => searchStream(deps, caller, customerId!, body), {
        stream: true,
      });
    }
    return runAdsCall(deps, request, reply, (caller) => search(deps, caller, customerId!, body), {
      stream: false,
    });
  });
}
