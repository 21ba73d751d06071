/**
 * LinkedIn's OAuth 2.0, sandbox edition (www.linkedin.com in real life): the consent page
 * (`/oauth/v2/authorization`), the token endpoint (`/oauth/v2/accessToken`: `authorization_code` and
 * `refresh_token` grants, form-encoded), token introspection and revocation. Access tokens live 60 days;
 * the refresh token lives a year from the first grant and refreshing hands back the same one with what is
 * left of its year.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { redeemAuthorizationCode, sameSecret } from '../../../sandbox/authorization-codes.ts';
import {
  checkAuthorizeClient,
  consentChoice,
  readPkceChallenge,
  redirectTo,
} from '../../../sandbox/authorization-request.ts';
import type { SandboxDeps } from './call.ts';
import { renderConsentPage, renderErrorPage, sendPage } from './consent-page.ts';
import { APP_SCOPES, PROVIDER, SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET } from './constants.ts';
import { findUserByEmail, seedUsers } from './seed.ts';
import type { IssuedAccessToken } from './store.ts';
import { type ApiResponse, errors, oauthError, ok, send } from './wire.ts';

/** Every value of a query or form field (repeated fields arrive as arrays). */
function values(source: unknown, name: string): string[] {
  if (typeof source !== 'object' || source === null) return [];
  const value = (source as Record<string, unknown>)[name];
  const list = Array.isArray(value) ? value : [value];
  return list.filter((item): item is string => typeof item === 'string');
}

function field(source: unknown, name: string): string | undefined {
  return values(source, name)[0];
}

/** Splits a scope list; LinkedIn documents spaces and also takes commas. */
function scopeList(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter((scope) => scope !== ''))];
}

function authorize(deps: SandboxDeps, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const query = request.query;
  const client = checkAuthorizeClient(query, { clientIdParam: 'client_id', clientId: SANDBOX_CLIENT_ID });
  if (client.problem === 'unknown_client') {
    return sendPage(
      reply,
      400,
      renderErrorPage(
        'Invalid client',
        `The client_id "${client.clientId ?? ''}" is not registered with the sandbox.`,
      ),
    );
  }
  if (!client.ok) {
    return sendPage(
      reply,
      400,
      renderErrorPage('Invalid redirect_uri', 'redirect_uri is missing or is not an absolute http(s) URL.'),
    );
  }
  const { redirectUri, state } = client;
  // Once the app and its redirect URI are good, LinkedIn sends every other refusal back to the app.
  const fail = (error: string, description: string) =>
    reply.redirect(redirectTo(redirectUri, { error, error_description: description, state }), 302);
  if (field(query, 'response_type') !== 'code') {
    return fail('invalid_request', 'The parameter response_type must be "code"');
  }
  const requested = scopeList(field(query, 'scope') ?? '');
  if (requested.length === 0) return fail('invalid_request', 'The parameter scope is missing');
  const unknown = requested.find((scope) => !APP_SCOPES.includes(scope));
  if (unknown)
    return fail('unauthorized_scope_error', `Scope "${unknown}" is not authorized for your application`);
  const choice = consentChoice(query);
  if (choice.kind === 'deny') return fail('user_cancelled_authorize', 'The user cancelled the authorization');
  if (choice.kind === 'ask') {
    const carried = Object.keys(query as Record<string, unknown>).flatMap((name) =>
      name.startsWith('sandbox_') ? [] : values(query, name).map((item): [string, string] => [name, item]),
    );
    return sendPage(reply, 200, renderConsentPage({ users: seedUsers, scopes: requested, carried }));
  }
  const user = findUserByEmail(choice.email);
  if (!user) {
    return sendPage(
      reply,
      400,
      renderErrorPage('Unknown sandbox member', `No sandbox member has the email "${choice.email}".`),
    );
  }
  // The member may untick permissions: the token then carries only those left ticked.
  const ticked = values(query, 'sandbox_scopes').flatMap(scopeList);
  const declining = ticked.length > 0 || field(query, 'sandbox_scopes_shown') === '1';
  const scopes = declining ? requested.filter((scope) => ticked.includes(scope)) : requested;
  const pkce = readPkceChallenge(field(query, 'code_challenge'), field(query, 'code_challenge_method'), {
    methods: ['S256'],
    defaultMethod: 'S256',
  });
  // A method without a challenge asks for nothing: LinkedIn lets it pass.
  if (!pkce.ok && pkce.problem !== 'method_without_challenge') {
    return fail('invalid_request', 'Only the S256 code_challenge_method is supported');
  }
  const codeChallenge = pkce.ok ? pkce.challenge?.value : undefined;
  const code = deps.store.issueCode({ user, redirectUri, scopes, codeChallenge });
  return reply.redirect(redirectTo(redirectUri, { code: code.value, state }), 302);
}

function clientError(body: unknown): ApiResponse | undefined {
  for (const name of ['client_id', 'client_secret']) {
    if (!field(body, name))
      return oauthError(400, 'invalid_request', `A required parameter "${name}" is missing`);
  }
  if (
    field(body, 'client_id') !== SANDBOX_CLIENT_ID ||
    !sameSecret(field(body, 'client_secret'), SANDBOX_CLIENT_SECRET)
  ) {
    return oauthError(401, 'invalid_client', 'Client authentication failed');
  }
  return undefined;
}

/** A signed-looking OpenID Connect `id_token`; nothing verifies it (the sandbox has no published keys). */
function idToken(token: IssuedAccessToken): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const { user } = token.grant;
  const seconds = Math.floor(token.createdAt / 1000);
  const claims = {
    iss: 'https://www.linkedin.com/oauth',
    aud: SANDBOX_CLIENT_ID,
    iat: seconds,
    exp: seconds + 3600,
    sub: user.sub,
    name: user.name,
    email: user.email,
  };
  return `${encode({ alg: 'RS256', typ: 'JWT', kid: 'sandbox' })}.${encode(claims)}.${createHash('sha256').update(token.value).digest('base64url')}`;
}

function tokenBody(token: IssuedAccessToken): ApiResponse {
  const { grant } = token;
  const body: Record<string, unknown> = {
    access_token: token.value,
    expires_in: Math.floor((token.expiresAt - token.createdAt) / 1000),
    refresh_token: grant.refreshToken,
    refresh_token_expires_in: Math.max(0, Math.floor((grant.refreshExpiresAt - Date.now()) / 1000)),
    scope: grant.scopes.join(','),
  };
  if (grant.scopes.includes('openid')) body.id_token = idToken(token);
  return ok(body);
}

const BAD_CODE =
  'Unable to retrieve access token: appid/redirect uri/code verifier does not match authorization code. Or authorization code expired. Or external member binding exists';

function exchangeCode(deps: SandboxDeps, body: unknown): ApiResponse {
  for (const name of ['code', 'redirect_uri']) {
    if (!field(body, name))
      return oauthError(400, 'invalid_request', `A required parameter "${name}" is missing`);
  }
  const found = deps.store.findCode(field(body, 'code')!);
  // LinkedIn gives one answer whatever is wrong with the code.
  const redeemed = redeemAuthorizationCode(found, {
    now: deps.context.now().getTime(),
    redirectUri: field(body, 'redirect_uri'),
    challenge:
      found?.codeChallenge === undefined ? undefined : { value: found.codeChallenge, method: 'S256' },
    verifier: field(body, 'code_verifier'),
  });
  if (!redeemed.ok) return oauthError(400, 'invalid_request', BAD_CODE);
  return tokenBody(deps.store.grant(redeemed.code.user, redeemed.code.scopes));
}

const BAD_REFRESH = 'The provided authorization grant or refresh token is invalid, expired or revoked';

function refresh(deps: SandboxDeps, body: unknown): ApiResponse {
  const refreshToken = field(body, 'refresh_token');
  if (!refreshToken)
    return oauthError(400, 'invalid_request', 'A required parameter "refresh_token" is missing');
  const grant = deps.store.lookupRefresh(refreshToken);
  if (grant === 'invalid') return oauthError(400, 'invalid_grant', BAD_REFRESH);
  return tokenBody(deps.store.issueAccessToken(grant));
}

function accessToken(deps: SandboxDeps, body: unknown): ApiResponse {
  const grantType = field(body, 'grant_type');
  if (!grantType) return oauthError(400, 'invalid_request', 'A required parameter "grant_type" is missing');
  if (grantType !== 'authorization_code' && grantType !== 'refresh_token') {
    return oauthError(400, 'unsupported_grant_type', `The grant_type "${grantType}" is not supported`);
  }
  const client = clientError(body);
  if (client) return client;
  return grantType === 'authorization_code' ? exchangeCode(deps, body) : refresh(deps, body);
}

function introspect(deps: SandboxDeps, body: unknown): ApiResponse {
  const client = clientError(body);
  if (client) return client;
  const value = field(body, 'token');
  if (!value) return oauthError(400, 'invalid_request', 'A required parameter "token" is missing');
  const lookup = deps.store.lookupToken(value);
  if (lookup.status === 'unknown') return ok({ active: false });
  const { token } = lookup;
  return ok({
    active: lookup.status === 'valid',
    client_id: SANDBOX_CLIENT_ID,
    authorized_at: Math.floor(token.grant.authorizedAt / 1000),
    created_at: Math.floor(token.createdAt / 1000),
    status: lookup.status === 'valid' ? 'active' : lookup.status,
    expires_at: Math.floor(token.expiresAt / 1000),
    scope: token.grant.scopes.join(','),
    auth_type: '3L',
  });
}

function revoke(deps: SandboxDeps, body: unknown): ApiResponse {
  const client = clientError(body);
  if (client) return client;
  const value = field(body, 'token');
  if (!value) return oauthError(400, 'invalid_request', 'A required parameter "token" is missing');
  // Revoking ends the member's authorization of the app: its access tokens and its refresh token.
  const lookup = deps.store.lookupToken(value);
  if (lookup.status !== 'unknown') lookup.token.grant.revoked = true;
  const grant = deps.store.lookupRefresh(value);
  if (grant !== 'invalid') grant.revoked = true;
  return { status: 200, body: '', raw: true };
}

/** Runs an OAuth endpoint with the faults that mean something there, in the token endpoint's format. */
function oauthCall(deps: SandboxDeps, reply: FastifyReply, handle: () => ApiResponse): FastifyReply {
  const fault = deps.context.takeFault(PROVIDER);
  if (fault === 'hang') {
    deps.store.hold(reply.raw);
    return reply;
  }
  if (fault === 'rate_limited') return send(reply, errors.rateLimited());
  if (fault === 'server_error') return send(reply, errors.serverError());
  if (fault === 'revoked' || fault === 'token_expired')
    return send(reply, oauthError(400, 'invalid_grant', BAD_REFRESH));
  if (fault === 'malformed')
    return send(reply, {
      status: 200,
      body: '<html><body>Service temporarily unavailable</body></html>',
      raw: true,
    });
  const response = handle();
  if (fault === 'truncated_page' && response.status === 200 && !response.raw) {
    const text = JSON.stringify(response.body);
    return send(reply, { status: 200, body: text.slice(0, Math.floor(text.length / 2)), raw: true });
  }
  return send(reply, response);
}

/** Registers the consent page, the token endpoint, introspection and revocation. */
export function registerOAuthRoutes(app: FastifyInstance, deps: SandboxDeps): void {
  app.get('/oauth/v2/authorization', async (request, reply) => authorize(deps, request, reply));
  app.post('/oauth/v2/accessToken', async (request, reply) =>
    oauthCall(deps, reply, () => accessToken(deps, request.body)),
  );
  app.post('/oauth/v2/introspectToken', async (request, reply) =>
    oauthCall(deps, reply, () => introspect(deps, request.body)),
  );
  app.post('/oauth/v2/revoke', async (request, reply) =>
    oauthCall(deps, reply, () => revoke(deps, request.body)),
  );
}
