/**
 * The Admin API v1beta calls discovery uses: `GET /admin/v1beta/accountSummaries` (every account the caller can
 * read with its property summaries), `GET /admin/v1beta/properties?filter=parent:accounts/<id>` and
 * `GET /admin/v1beta/properties/<id>`. Lists page with `pageSize` (default 50, larger than 200 coerced to 200) and an
 * opaque `pageToken`; `nextPageToken` is absent on the last page and an empty list is `{}` (proto3 JSON omits
 * empty fields).
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { runCall, type SandboxDeps } from './call.ts';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './constants.ts';
import type { SeedAccount, SeedProperty } from './seed.ts';
import { findProperty } from './seed.ts';
import { type IssuedAccessToken, principalAccounts, principalEmail } from './store.ts';
import { type ApiResponse, field, ok, rpc } from './wire.ts';

/** A property as the Admin API returns it. */
export function propertyResource(account: SeedAccount, property: SeedProperty): Record<string, string> {
  return {
    name: `properties/${property.propertyId}`,
    propertyType: 'PROPERTY_TYPE_ORDINARY',
    createTime: property.createTime,
    updateTime: property.updateTime,
    parent: `accounts/${account.accountId}`,
    displayName: property.displayName,
    industryCategory: property.industryCategory,
    timeZone: property.timeZone,
    currencyCode: property.currencyCode,
    serviceLevel: 'GOOGLE_ANALYTICS_STANDARD',
    account: `accounts/${account.accountId}`,
  };
}

function accountSummary(account: SeedAccount): Record<string, unknown> {
  const summary: Record<string, unknown> = {
    name: `accountSummaries/${account.accountId}`,
    account: `accounts/${account.accountId}`,
    displayName: account.displayName,
  };
  if (account.properties.length > 0) {
    summary.propertySummaries = account.properties.map((property) => ({
      property: `properties/${property.propertyId}`,
      displayName: property.displayName,
      propertyType: 'PROPERTY_TYPE_ORDINARY',
      parent: `accounts/${account.accountId}`,
    }));
  }
  return summary;
}

/** The page size asked for, or an error response (Google checks the int32 syntax and the sign). */
function pageSize(query: unknown): number | ApiResponse {
  const text = field(query, 'pageSize');
  if (text === undefined || text === '') return DEFAULT_PAGE_SIZE;
  if (!/^-?\d+$/.test(text) || Math.abs(Number(text)) > 2_147_483_647) {
    return rpc.invalidArgument(`Invalid value at 'page_size' (TYPE_INT32), "${text}"`);
  }
  const size = Number(text);
  if (size < 0) return rpc.invalidArgument('page_size must not be negative.');
  return size === 0 ? DEFAULT_PAGE_SIZE : Math.min(size, MAX_PAGE_SIZE);
}

/** Page tokens bind the offset to the list and caller they were issued for; anything else is invalid. */
function pageBinding(list: string, token: IssuedAccessToken): string {
  return createHash('sha256')
    .update(`${list}|${principalEmail(token.grant.principal)}`)
    .digest('hex')
    .slice(0, 12);
}

function encodePageToken(offset: number, binding: string): string {
  return Buffer.from(JSON.stringify({ o: offset, b: binding })).toString('base64url');
}

function pageOffset(query: unknown, binding: string): number | ApiResponse {
  const text = field(query, 'pageToken');
  if (!text) return 0;
  try {
    const decoded = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as {
      o?: unknown;
      b?: unknown;
    };
    if (
      decoded.b === binding &&
      typeof decoded.o === 'number' &&
      Number.isSafeInteger(decoded.o) &&
      decoded.o > 0
    ) {
      return decoded.o;
    }
  } catch {
    // Falls through to Google's answer for a token it did not issue.
  }
  return rpc.invalidArgument('Invalid page token.');
}

/** One page of `items` under `key`, with `nextPageToken` when more remain; `{}` when there is nothing. */
function listPage(
  query: unknown,
  binding: string,
  key: string,
  items: Record<string, unknown>[],
): ApiResponse {
  const size = pageSize(query);
  if (typeof size !== 'number') return size;
  const offset = pageOffset(query, binding);
  if (typeof offset !== 'number') return offset;
  const page = items.slice(offset, offset + size);
  const body: Record<string, unknown> = {};
  if (page.length > 0) body[key] = page;
  if (offset + size < items.length) body.nextPageToken = encodePageToken(offset + size, binding);
  return ok(body);
}

function listProperties(query: unknown, token: IssuedAccessToken): ApiResponse {
  const filter = field(query, 'filter');
  if (!filter) {
    return rpc.invalidArgument(
      'filter: A filter is required, e.g. "parent:accounts/123" or "ancestor:accounts/123".',
    );
  }
  const match = /^\s*(parent|ancestor)\s*:\s*accounts\/(\d+)\s*$/.exec(filter);
  if (!match) return rpc.invalidArgument(`Invalid filter: "${filter}".`);
  const accountId = match[2]!;
  const account = principalAccounts(token.grant.principal).find(
    (candidate) => candidate.accountId === accountId,
  );
  if (!account) return rpc.accountPermission(`accounts/${accountId}`);
  const items = account.properties.map((property) => propertyResource(account, property));
  return listPage(query, pageBinding(`properties/${accountId}`, token), 'properties', items);
}

function getProperty(id: string, token: IssuedAccessToken): ApiResponse {
  const found = findProperty(id);
  const visible = found && principalAccounts(token.grant.principal).includes(found.account);
  if (!found || !visible) return rpc.accountPermission(`properties/${id}`);
  return ok(propertyResource(found.account, found.property));
}

/** Registers the Admin API routes. */
export function registerAdminRoutes(app: FastifyInstance, deps: SandboxDeps): void {
  app.get('/admin/v1beta/accountSummaries', (request, reply) =>
    runCall(deps, request, reply, 'analytics', (token) => {
      const items = principalAccounts(token!.grant.principal).map(accountSummary);
      return listPage(request.query, pageBinding('accountSummaries', token!), 'accountSummaries', items);
    }),
  );
  app.get('/admin/v1beta/properties', (request, reply) =>
    runCall(deps, request, reply, 'analytics', (token) => listProperties(request.query, token!)),
  );
  app.get<{ Params: { id: string } }>('/admin/v1beta/properties/:id', (request, reply) =>
    runCall(deps, request, reply, 'analytics', (token) => getProperty(request.params.id, token!)),
  );
}
