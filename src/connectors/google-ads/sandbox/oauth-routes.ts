/**
 * Google sign-in, sandbox edition: the consent page (`/o/oauth2/v2/auth`, accounts.google.com in real
 * life), the token endpoint (`/token`: code exchange with PKCE, refresh), revocation (`/revoke`) and the
 * OpenID userinfo endpoint (`/v1/userinfo`).
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  type CodeProblem,
  redeemAuthorizationCode,
  sameSecret,
} from '../../../sandbox/authorization-codes.ts';
import {
  checkAuthorizeClient,
  consentChoice,
  consentLinks,
  readPkceChallenge,
  redirectTo,
} from '../../../sandbox/authorization-request.ts';
import { bearerToken, type SandboxDeps } from './call.ts';
import { renderConsentPage, renderErrorPage, sendPage } from './consent-page.ts';
import {
  EXPIRES_IN_SECONDS,
  KNOWN_SCOPES,
  PROVIDER,
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
} from './constants.ts';
import {
  cutOAuthBody,
  idToken,
  invalidCredentials,
  type OAuthEndpoint,
  type OAuthResponse,
  oauthError,
  oauthFault,
  sendOAuth,
  stringField,
} from './oauth-wire.ts';
import { findUserByEmail, type SeedUser, seedUsers } from './seed.ts';
import type { Grant, IssuedAccessToken } from './store.ts';

/** The requested scopes in Google's long form, or the first unknown one. */
function grantedScopes(scope: string): { scopes: string[] } | { unknown: string } {
  const scopes: string[] = [];
  for (const name of scope.split(/[\s+]+/).filter(Boolean)) {
    const long = KNOWN_SCOPES.get(name);
    if (!long) return { unknown: name };
    if (!scopes.includes(long)) scopes.push(long);
  }
  return { scopes };
}

function authorize(deps: SandboxDeps, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const query = request.query;
  const param = (name: string) => stringField(query, name);
  const page = (status: number, error: string, message: string) =>
    sendPage(reply, status, renderErrorPage(error, status, message));
  const client = checkAuthorizeClient(query, { clientIdParam: 'client_id', clientId: SANDBOX_CLIENT_ID });
  if (client.problem === 'unknown_client')
    return page(401, 'invalid_client', 'The OAuth client was not found.');
  if (client.problem === 'missing_redirect_uri')
    return page(400, 'invalid_request', 'Missing required parameter: redirect_uri');
  if (!client.ok) {
    return page(
      400,
      'redirect_uri_mismatch',
      `The redirect URI "${client.redirectUri}" is not an absolute http(s) URL.`,
    );
  }
  const { redirectUri, state } = client;
  const responseType = param('response_type');
  if (!responseType) return page(400, 'invalid_request', 'Missing required parameter: response_type');
  if (responseType !== 'code') {
    return page(400, 'unsupported_response_type', `Invalid response_type: ${responseType}`);
  }
  const scope = param('scope');
  if (!scope) return page(400, 'invalid_request', 'Missing required parameter: scope');
  const granted = grantedScopes(scope);
  if ('unknown' in granted) {
    return page(400, 'invalid_scope', `Some requested scopes were invalid. {invalid=[${granted.unknown}]}`);
  }
  const challenge = param('code_challenge');
  const method = param('code_challenge_method');
  const pkce = readPkceChallenge(challenge, method, { methods: ['S256', 'plain'], defaultMethod: 'plain' });
  // Google wants a non-empty challenge with any method.
  if (!pkce.ok || (method !== undefined && !challenge)) {
    return page(400, 'invalid_request', `Invalid code_challenge_method or missing code_challenge: ${method}`);
  }
  const choice = consentChoice(query);
  if (choice.kind === 'deny') {
    return reply.redirect(redirectTo(redirectUri, { error: 'access_denied', state }), 302);
  }
  if (choice.kind === 'approve') {
    const user = findUserByEmail(choice.email);
    if (!user)
      return page(400, 'invalid_request', `No sandbox Google account has the email "${choice.email}".`);
    const code = deps.store.issueCode(user, {
      clientId: SANDBOX_CLIENT_ID,
      redirectUri,
      scopes: granted.scopes,
      offline: param('access_type') === 'offline',
      codeChallenge: pkce.challenge?.value,
      codeChallengeMethod: pkce.challenge?.method,
    });
    return reply.redirect(
      redirectTo(redirectUri, {
        state,
        code: code.value,
        scope: granted.scopes.join(' '),
        authuser: '0',
        prompt: 'consent',
      }),
      302,
    );
  }
  return sendPage(
    reply,
    200,
    renderConsentPage({
      users: seedUsers,
      links: consentLinks(request.url),
    }),
  );
}

/** Client credentials from the body, or from HTTP Basic (Google accepts both). */
function clientCredentials(request: FastifyRequest): {
  id?: string | undefined;
  secret?: string | undefined;
} {
  const basic = /^Basic\s+(\S+)$/i.exec(String(request.headers.authorization ?? ''));
  if (basic) {
    const [id, secret] = Buffer.from(basic[1]!, 'base64').toString('utf8').split(':');
    return { id: decodeURIComponent(id ?? ''), secret: decodeURIComponent(secret ?? '') };
  }
  return { id: stringField(request.body, 'client_id'), secret: stringField(request.body, 'client_secret') };
}

/** The token response body for a grant (Google's key order); a refresh token only on the code exchange. */
function tokenBody(user: SeedUser, grant: Grant, token: IssuedAccessToken, withRefresh: boolean): unknown {
  const issuedAt = Math.floor(Date.now() / 1000);
  const atHash = createHash('sha256').update(token.value).digest().subarray(0, 16).toString('base64url');
  const claims: Record<string, unknown> = {
    iss: 'https://accounts.google.com',
    azp: SANDBOX_CLIENT_ID,
    aud: SANDBOX_CLIENT_ID,
    sub: user.sub,
  };
  if (grant.scopes.includes(KNOWN_SCOPES.get('email')!))
    Object.assign(claims, { email: user.email, email_verified: true });
  Object.assign(claims, { at_hash: atHash, iat: issuedAt, exp: issuedAt + 3600 });
  return {
    access_token: token.value,
    expires_in: EXPIRES_IN_SECONDS,
    ...(withRefresh && grant.refreshToken ? { refresh_token: grant.refreshToken } : {}),
    scope: grant.scopes.join(' '),
    token_type: 'Bearer',
    ...(grant.scopes.includes('openid') ? { id_token: idToken(claims) } : {}),
  };
}

/** Google's answer to each reason a code cannot be redeemed. */
function codeRefusal(problem: CodeProblem): OAuthResponse {
  if (problem === 'redirect_uri_mismatch') return oauthError(400, 'redirect_uri_mismatch', 'Bad Request');
  if (problem === 'missing_verifier') return oauthError(400, 'invalid_grant', 'Missing code verifier.');
  if (problem === 'wrong_verifier') return oauthError(400, 'invalid_grant', 'Invalid code verifier.');
  return oauthError(400, 'invalid_grant', 'Bad Request');
}

function exchangeCode(deps: SandboxDeps, body: unknown): OAuthResponse {
  const value = stringField(body, 'code');
  if (!value) return oauthError(400, 'invalid_request', 'Missing required parameter: code');
  const found = deps.store.findCode(value);
  const redeemed = redeemAuthorizationCode(found, {
    now: deps.context.now().getTime(),
    redirectUri: stringField(body, 'redirect_uri'),
    challenge:
      found?.codeChallenge === undefined
        ? undefined
        : { value: found.codeChallenge, method: found.codeChallengeMethod ?? 'plain' },
    verifier: stringField(body, 'code_verifier'),
  });
  if (!redeemed.ok) return codeRefusal(redeemed.problem);
  const { code } = redeemed;
  const grant = deps.store.openGrant(code.user, code.scopes, code.offline);
  const token = deps.store.issueAccessToken(grant);
  return { status: 200, body: tokenBody(code.user, grant, token, true) };
}

function refresh(deps: SandboxDeps, body: unknown): OAuthResponse {
  const value = stringField(body, 'refresh_token');
  if (!value) return oauthError(400, 'invalid_request', 'Missing required parameter: refresh_token');
  const grant = deps.store.findRefreshGrant(value);
  if (!grant || grant.revoked || grant.refreshRevoked) {
    return oauthError(400, 'invalid_grant', 'Token has been expired or revoked.');
  }
  const token = deps.store.issueAccessToken(grant);
  return { status: 200, body: tokenBody(grant.user, grant, token, false) };
}

function token(deps: SandboxDeps, request: FastifyRequest): OAuthResponse {
  const client = clientCredentials(request);
  if (!client.id) return oauthError(400, 'invalid_request', 'Could not determine client ID from request.');
  if (client.id !== SANDBOX_CLIENT_ID)
    return oauthError(401, 'invalid_client', 'The OAuth client was not found.');
  if (!sameSecret(client.secret, SANDBOX_CLIENT_SECRET))
    return oauthError(401, 'invalid_client', 'Unauthorized');
  const grantType = stringField(request.body, 'grant_type');
  if (grantType === 'authorization_code') return exchangeCode(deps, request.body);
  if (grantType === 'refresh_token') return refresh(deps, request.body);
  return oauthError(400, 'unsupported_grant_type', `Invalid grant_type: ${grantType ?? ''}`);
}

function revoke(deps: SandboxDeps, request: FastifyRequest): OAuthResponse {
  const value = stringField(request.body, 'token') ?? stringField(request.query, 'token');
  if (!value) return oauthError(400, 'invalid_request', 'Missing required parameter: token');
  if (!deps.store.revoke(value)) return oauthError(400, 'invalid_token', 'Token expired or revoked');
  return { status: 200, body: {} };
}

function userinfo(deps: SandboxDeps, request: FastifyRequest): OAuthResponse {
  const value = bearerToken(request);
  const lookup = value ? deps.store.lookupAccessToken(value) : undefined;
  if (lookup?.status !== 'valid') return invalidCredentials();
  const { user, scopes } = lookup.token.grant;
  const body: Record<string, unknown> = { sub: user.sub };
  // Like Google: name fields need the profile scope, the email needs the email scope.
  if (scopes.includes(KNOWN_SCOPES.get('profile')!)) {
    const [given, ...family] = user.name.split(' ');
    Object.assign(body, { name: user.name, given_name: given, family_name: family.join(' ') });
  }
  if (scopes.includes(KNOWN_SCOPES.get('email')!))
    Object.assign(body, { email: user.email, email_verified: true });
  return { status: 200, body };
}

/** Runs an OAuth endpoint with fault injection. */
function runOAuthCall(
  deps: SandboxDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  endpoint: OAuthEndpoint,
  handle: () => OAuthResponse,
): FastifyReply {
  const fault = deps.context.takeFault(PROVIDER);
  if (fault === 'revoked') {
    const presented = bearerToken(request) ?? stringField(request.body, 'refresh_token');
    if (presented) deps.store.revokeRefreshOf(presented);
  }
  if (fault === 'hang') {
    deps.store.hold(reply.raw);
    return reply;
  }
  const faulted = fault ? oauthFault(fault, endpoint) : undefined;
  if (faulted) return sendOAuth(reply, faulted);
  const response = handle();
  return sendOAuth(reply, fault === 'truncated_page' ? cutOAuthBody(response) : response);
}

/** Registers the consent page, the token endpoint, revocation and userinfo. */
export function registerOAuthRoutes(app: FastifyInstance, deps: SandboxDeps): void {
  app.get('/o/oauth2/v2/auth', async (request, reply) => authorize(deps, request, reply));
  app.post('/token', async (request, reply) =>
    runOAuthCall(deps, request, reply, 'token', () => token(deps, request)),
  );
  app.post('/revoke', async (request, reply) =>
    runOAuthCall(deps, request, reply, 'bearer', () => revoke(deps, request)),
  );
  app.get('/v1/userinfo', async (request, reply) =>
    runOAuthCall(deps, request, reply, 'bearer', () => userinfo(deps, request)),
  );
}
