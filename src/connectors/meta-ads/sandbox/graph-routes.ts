/**
 * The Graph API nodes and edges the sandbox serves: the user node (`/me`), its permissions (read and
 * revoke) and its ad accounts, plus Graph-style errors for every path it does not serve.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { VERSION_PATTERN } from './constants.ts';
import {
  invalidCursorError,
  missingPermissionsError,
  nonexistingFieldError,
  unknownPathError,
  unsupportedRequestError,
} from './errors.ts';
import {
  defaultAdAccountFields,
  defaultUserFields,
  type FieldSelection,
  parseFields,
  projectAdAccount,
  projectUser,
  unknownAdAccountField,
} from './fields.ts';
import {
  authenticate,
  type GraphOutcome,
  runGraphCall,
  type SandboxDeps,
  usageKeyOfPresentedToken,
} from './graph-call.ts';
import { effectiveLimit, paginate } from './paging.ts';
import type { IssuedAccessToken } from './store.ts';
import { type GraphResponse, graphError, requestOrigin, sendGraph, stringParam } from './wire.ts';

type Resolved =
  | { ok: true; token: IssuedAccessToken; inQuery: boolean }
  | { ok: false; outcome: GraphOutcome };

/** Authenticates and checks that the path's node is `me` or the token's own user id. */
function resolveNode(deps: SandboxDeps, request: FastifyRequest): Resolved {
  const node = stringParam(request.params, 'node') ?? '';
  const auth = authenticate(deps, request, node);
  if (!auth.ok) return { ok: false, outcome: { response: auth.response } };
  if (node !== 'me' && node !== auth.token.user.userId) {
    return { ok: false, outcome: { response: unsupportedRequestError(request.method, node) } };
  }
  return auth;
}

/** Parses `fields`, falling back to the node's defaults; a syntax error becomes Graph's 2500. */
function selectedFields(
  request: FastifyRequest,
  defaults: FieldSelection[],
): { ok: true; fields: FieldSelection[] } | { ok: false; response: GraphResponse } {
  const raw = stringParam(request.query, 'fields');
  if (raw === undefined || raw.trim() === '') return { ok: true, fields: defaults };
  const parsed = parseFields(raw);
  if (!parsed.ok) {
    return {
      ok: false,
      response: graphError(400, { message: parsed.message, type: 'OAuthException', code: 2500 }),
    };
  }
  return parsed.fields.length > 0 ? parsed : { ok: true, fields: defaults };
}

function handleMe(deps: SandboxDeps, request: FastifyRequest): GraphOutcome {
  const resolved = resolveNode(deps, request);
  if (!resolved.ok) return resolved.outcome;
  const fields = selectedFields(request, defaultUserFields);
  if (!fields.ok) return { response: fields.response };
  const projection = projectUser(resolved.token.user, resolved.token.scopes, fields.fields);
  if (!projection.ok)
    return { response: nonexistingFieldError(projection.unknownField, projection.nodeType) };
  return { response: { status: 200, body: projection.value } };
}

function handlePermissions(deps: SandboxDeps, request: FastifyRequest): GraphOutcome {
  const resolved = resolveNode(deps, request);
  if (!resolved.ok) return resolved.outcome;
  const data = [...resolved.token.scopes].sort().map((permission) => ({ permission, status: 'granted' }));
  return { response: { status: 200, body: { data } } };
}

function handleRevoke(deps: SandboxDeps, request: FastifyRequest): GraphOutcome {
  const resolved = resolveNode(deps, request);
  if (!resolved.ok) return resolved.outcome;
  deps.store.revokeApp(resolved.token.user, resolved.token.clientId);
  return { response: { status: 200, body: { success: true } } };
}

function handleAdAccounts(deps: SandboxDeps, request: FastifyRequest, prefix: string): GraphOutcome {
  const resolved = resolveNode(deps, request);
  if (!resolved.ok) return resolved.outcome;
  const { token, inQuery } = resolved;
  if (!token.scopes.includes('ads_read') && !token.scopes.includes('ads_management')) {
    return { response: missingPermissionsError() };
  }
  const fields = selectedFields(request, defaultAdAccountFields);
  if (!fields.ok) return { response: fields.response };
  const unknown = unknownAdAccountField(fields.fields);
  if (unknown) return { response: nonexistingFieldError(unknown, 'AdAccount') };

  const user = token.user;
  const limit = effectiveLimit(stringParam(request.query, 'limit'));
  const rawFields = stringParam(request.query, 'fields');
  const version = stringParam(request.params, 'version')!;
  const page = paginate({
    items: user.accounts,
    idOf: (account) => account.accountId,
    scope: user.userId,
    limit,
    after: stringParam(request.query, 'after'),
    before:
      stringParam(request.query, 'after') === undefined ? stringParam(request.query, 'before') : undefined,
    link: (cursor) => {
      // Graph's links name the node by id instead of `me`, and carry the access token when the request
      // did (a well-known leak: whoever logs `next` logs the token).
      const params = new URLSearchParams();
      if (inQuery) params.set('access_token', token.value);
      if (rawFields !== undefined) params.set('fields', rawFields);
      params.set('limit', String(limit));
      if ('after' in cursor) params.set('after', cursor.after);
      else params.set('before', cursor.before);
      return `${requestOrigin(request)}${prefix}/${version}/${user.userId}/adaccounts?${params.toString()}`;
    },
  });
  if (!page.ok) return { response: invalidCursorError() };
  const now = deps.context.now();
  const data = page.items.map((account) => projectAdAccount(user, account, fields.fields, now));
  return {
    response: { status: 200, body: page.paging ? { data, paging: page.paging } : { data } },
    businessUseCaseUsage: { [user.usageKey]: [deps.store.recordBusinessCall(user.usageKey)] },
  };
}

/** Graph's answer to a path the sandbox does not serve: an unknown object, or unknown path components. */
function notFound(
  deps: SandboxDeps,
  prefix: string,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  const path = (request.url.split('?')[0] ?? '').slice(prefix.length);
  const segments = path.split('/').filter(Boolean);
  const [version, node, ...rest] = segments;
  const versioned = version !== undefined && VERSION_PATTERN.test(version);
  let response: GraphResponse;
  if (versioned && node !== undefined && rest.length > 0 && (node === 'me' || /^\d+$/.test(node))) {
    // A known node with an edge the sandbox does not have, e.g. `/v25.0/me/feed`.
    response = unknownPathError(`/${rest.join('/')}`);
  } else {
    // Graph reads the first unknown segment as an object id.
    response = unsupportedRequestError(request.method, (versioned ? node : version) ?? '');
  }
  return sendGraph(reply, response, {
    version: versioned ? version : 'v25.0',
    appUsage: deps.store.recordCall(),
  });
}

/**
 * Registers the Graph routes and the Graph-style not-found handler for the sandbox prefix. `otherNode`
 * answers `GET /{v}/{node}` for nodes that are not users (report runs), or returns undefined.
 */
export function registerGraphRoutes(
  app: FastifyInstance,
  deps: SandboxDeps,
  otherNode: (request: FastifyRequest, node: string) => GraphOutcome | undefined = () => undefined,
): void {
  const prefix = app.prefix;
  const usageKey = (request: FastifyRequest) => usageKeyOfPresentedToken(deps, request);
  app.get('/:version/:node', (request, reply) =>
    runGraphCall(deps, request, reply, { truncatedBody: '{"id":"1', usageKey }, () => {
      const node = stringParam(request.params, 'node') ?? '';
      return otherNode(request, node) ?? handleMe(deps, request);
    }),
  );
  app.get('/:version/:node/permissions', (request, reply) =>
    runGraphCall(deps, request, reply, { truncatedBody: '{"data":[{"permission":"ads_', usageKey }, () =>
      handlePermissions(deps, request),
    ),
  );
  app.delete('/:version/:node/permissions', (request, reply) =>
    runGraphCall(deps, request, reply, { truncatedBody: '{"succ', usageKey }, () =>
      handleRevoke(deps, request),
    ),
  );
  app.get('/:version/:node/adaccounts', (request, reply) =>
    runGraphCall(deps, request, reply, { truncatedBody: '{"data":[{"id":"act_', usageKey }, () =>
      handleAdAccounts(deps, request, prefix),
    ),
  );
  app.setNotFoundHandler((request, reply) => notFound(deps, prefix, request, reply));
}
