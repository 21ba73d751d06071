/**
 * Identity and discovery: `GET /v2/userinfo` (OpenID Connect: who authorized), `GET /rest/adAccounts`
 * (`q=search`: the accounts the member has a role on, cursor or offset paging) and
 * `GET /rest/adAccounts/{id}`.
 */
import type { FastifyInstance } from 'fastify';
import { type CallInput, requireScope, resourceLabel, runApiCall, type SandboxDeps } from './call.ts';
import { accountElement } from './elements.ts';
import { checkParams, pageOf, param, project, searchCriteria } from './finder.ts';
import { findAccount } from './seed.ts';
import { type ApiResponse, errors, ok } from './wire.ts';

/** Scopes that let a token read ad accounts and their entities. */
export const READ_ADS: readonly string[] = ['r_ads', 'rw_ads'];

function userinfo(input: CallInput): ApiResponse {
  const { user, scopes } = input.token.grant;
  if (!scopes.includes('openid')) return errors.accessDenied('userinfo.GET.NO_VERSION');
  const body: Record<string, unknown> = { sub: user.sub };
  if (scopes.includes('profile')) {
    Object.assign(body, {
      name: user.name,
      given_name: user.givenName,
      family_name: user.familyName,
      locale: { country: 'US', language: 'en' },
      picture: `https://media.licdn.com/dms/image/sandbox/profile-displayphoto/${user.sub}`,
    });
  }
  if (scopes.includes('email')) Object.assign(body, { email: user.email, email_verified: true });
  return ok(body);
}

const SEARCH_FIELDS = ['status', 'type', 'id', 'name', 'reference', 'currency'];

function searchAccounts(input: CallInput): ApiResponse {
  const { query } = input;
  const denied = requireScope(input, READ_ADS, 'adAccounts', 'FINDER-search');
  if (denied) return denied;
  const unknown = checkParams(query, [
    'q',
    'search',
    'pageSize',
    'pageToken',
    'start',
    'count',
    'fields',
    'sort',
  ]);
  if (unknown) return unknown;
  if (param(query, 'q') !== 'search') {
    return errors.badRequest(
      'ILLEGAL_ARGUMENT',
      `Invalid finder "${param(query, 'q') ?? ''}"; adAccounts has q=search`,
    );
  }
  const criteria = searchCriteria(query, SEARCH_FIELDS);
  if (!criteria.ok) return criteria.response;
  const { values, test } = criteria.value;
  const matches = input.token.grant.user.accounts.filter((account) => {
    // The sandbox has no test accounts: test:true finds nothing.
    if (test === true) return false;
    const wanted = (name: string, actual: string) => !values.has(name) || values.get(name)!.includes(actual);
    return (
      wanted('status', account.status) &&
      wanted('type', account.type) &&
      wanted('id', String(account.id)) &&
      wanted('name', account.name) &&
      wanted('reference', account.reference) &&
      wanted('currency', account.currency)
    );
  });
  const key = `adAccounts|${input.token.grant.user.sub}|${param(query, 'search') ?? ''}`;
  return pageOf(matches.map(accountElement), query, key, { offsetPaging: true });
}

function getAccount(input: CallInput, rawId: string): ApiResponse {
  const denied = requireScope(input, READ_ADS, 'adAccounts', 'GET');
  if (denied) return denied;
  const unknown = checkParams(input.query, ['fields']);
  if (unknown) return unknown;
  const id = /^\d{1,18}$/.test(rawId) ? Number(rawId) : undefined;
  const found = id === undefined ? undefined : findAccount(id);
  if (!found) return errors.notFound(`Not found: urn:li:sponsoredAccount:${rawId}`);
  if (found.owner !== input.token.grant.user) {
    return errors.accessDenied(resourceLabel('adAccounts', 'GET', input.version));
  }
  return ok(project(accountElement(found.account), param(input.query, 'fields')));
}

/** Registers `/v2/userinfo`, the account search and the account get. */
export function registerAccountRoutes(app: FastifyInstance, deps: SandboxDeps): void {
  app.get('/v2/userinfo', (request, reply) =>
    runApiCall(deps, request, reply, { family: 'v2', resource: 'userinfo.GET.NO_VERSION' }, userinfo),
  );
  app.get('/rest/adAccounts', (request, reply) =>
    runApiCall(
      deps,
      request,
      reply,
      { family: 'rest', resource: 'adAccounts.FINDER-search' },
      searchAccounts,
    ),
  );
  app.get<{ Params: { id: string } }>('/rest/adAccounts/:id', (request, reply) =>
    runApiCall(deps, request, reply, { family: 'rest', resource: 'adAccounts.GET' }, (input) =>
      getAccount(input, request.params.id),
    ),
  );
}
