/**
 * Google's token endpoint (`POST /token`: `authorization_code`, `refresh_token` and the service-account
 * `urn:ietf:params:oauth:grant-type:jwt-bearer` grants), revocation (`POST /revoke`) and the OpenID userinfo
 * endpoint (`GET /v1/userinfo`), sandbox edition. Bodies are form-encoded as at Google (JSON is accepted too).
 */
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  type CodeProblem,
  redeemAuthorizationCode,
  sameSecret,
} from '../../../sandbox/authorization-codes.ts';
import { runCall, type SandboxDeps } from './call.ts';
import { ACCESS_TOKEN_SECONDS, SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET } from './constants.ts';
import { verifyAssertion } from './service-accounts.ts';
import type { Grant, IssuedAccessToken } from './store.ts';
import { type ApiResponse, field, oauthError, ok } from './wire.ts';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** Signs the sandbox's ID tokens; generated per process, since nothing outside the sandbox verifies them. */
const idTokenKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const ID_TOKEN_KID = createHash('sha1').update(String(process.pid)).digest('hex');

/** Client credentials from the body or an HTTP Basic header; an error response when they are wrong. */
function checkClient(request: FastifyRequest): ApiResponse | undefined {
  let clientId = field(request.body, 'client_id');
  let secret = field(request.body, 'client_secret');
  const basic = /^Basic\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  if (basic?.[1]) {
    const [id, ...rest] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
    clientId = decodeURIComponent(id ?? '');
    secret = decodeURIComponent(rest.join(':'));
  }
  if (!clientId) return oauthError(400, 'invalid_request', 'Could not determine client ID from request.');
  if (clientId !== SANDBOX_CLIENT_ID)
    return oauthError(401, 'invalid_client', 'The OAuth client was not found.');
  if (!sameSecret(secret, SANDBOX_CLIENT_SECRET)) return oauthError(401, 'invalid_client', 'Unauthorized');
  return undefined;
}

function base64urlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** An OpenID Connect ID token for a user grant that asked `openid`. */
function idToken(token: IssuedAccessToken): string | undefined {
  const { grant } = token;
  if (grant.principal.kind !== 'user' || !grant.scopes.includes('openid')) return undefined;
  const { user } = grant.principal;
  const now = Math.floor(Date.now() / 1000);
  const atHash = createHash('sha256').update(token.value).digest().subarray(0, 16).toString('base64url');
  const claims: Record<string, unknown> = {
    iss: 'https://accounts.google.com',
    azp: SANDBOX_CLIENT_ID,
    aud: SANDBOX_CLIENT_ID,
    sub: user.sub,
    at_hash: atHash,
    iat: now,
    exp: now + ACCESS_TOKEN_SECONDS + 1,
  };
  if (grant.scopes.includes('https://www.googleapis.com/auth/userinfo.email')) {
    Object.assign(claims, { email: user.email, email_verified: true });
  }
  if (grant.scopes.includes('https://www.googleapis.com/auth/userinfo.profile')) {
    Object.assign(claims, { name: user.name, given_name: user.givenName, family_name: user.familyName });
  }
  const signed = `${base64urlJson({ alg: 'RS256', kid: ID_TOKEN_KID, typ: 'JWT' })}.${base64urlJson(claims)}`;
  return `${signed}.${sign('RSA-SHA256', Buffer.from(signed), idTokenKey).toString('base64url')}`;
}

/** The token response for a fresh access token (with the refresh token on the first grant only). */
function tokenResponse(deps: SandboxDeps, grant: Grant, withRefreshToken: boolean): ApiResponse {
  const token = deps.store.issueAccessToken(grant);
  const body: Record<string, unknown> = { access_token: token.value, expires_in: ACCESS_TOKEN_SECONDS };
  if (grant.principal.kind === 'user') {
    if (withRefreshToken && grant.refreshToken) body.refresh_token = grant.refreshToken;
    body.scope = grant.scopes.join(' ');
  }
  body.token_type = 'Bearer';
  const id = idToken(token);
  if (id) body.id_token = id;
  return ok(body);
}

/** Google's answer to each reason a code cannot be redeemed. */
function codeRefusal(problem: CodeProblem): ApiResponse {
  if (problem === 'unknown_code') return oauthError(400, 'invalid_grant', 'Malformed auth code.');
  if (problem === 'redirect_uri_mismatch') return oauthError(400, 'redirect_uri_mismatch', 'Bad Request');
  if (problem === 'missing_verifier') return oauthError(400, 'invalid_grant', 'Missing code verifier.');
  if (problem === 'wrong_verifier') return oauthError(400, 'invalid_grant', 'Invalid code verifier.');
  return oauthError(400, 'invalid_grant', 'Bad Request');
}

function authorizationCodeGrant(deps: SandboxDeps, request: FastifyRequest): ApiResponse {
  const clientError = checkClient(request);
  if (clientError) return clientError;
  const value = field(request.body, 'code');
  if (!value) return oauthError(400, 'invalid_request', 'Missing required parameter: code');
  const redirectUri = field(request.body, 'redirect_uri');
  if (!redirectUri) return oauthError(400, 'invalid_request', 'Missing parameter: redirect_uri');
  const found = deps.store.findCode(value);
  // Codes expire on the real clock, like the tokens (see store.ts).
  const redeemed = redeemAuthorizationCode(found, {
    now: Date.now(),
    redirectUri,
    challenge:
      found?.codeChallenge === undefined
        ? undefined
        : { value: found.codeChallenge, method: found.codeChallengeMethod === 'S256' ? 'S256' : 'plain' },
    verifier: field(request.body, 'code_verifier'),
  });
  if (!redeemed.ok) return codeRefusal(redeemed.problem);
  const { code } = redeemed;
  const grant = deps.store.newGrant({ kind: 'user', user: code.user }, code.scopes, code.offline);
  return tokenResponse(deps, grant, true);
}

function refreshTokenGrant(deps: SandboxDeps, request: FastifyRequest): ApiResponse {
  const clientError = checkClient(request);
  if (clientError) return clientError;
  const value = field(request.body, 'refresh_token');
  if (!value) return oauthError(400, 'invalid_request', 'Missing required parameter: refresh_token');
  const grant = deps.store.grantOfRefreshToken(value);
  if (!grant) return oauthError(400, 'invalid_grant', 'Token has been expired or revoked.');
  return tokenResponse(deps, grant, false);
}

function jwtBearerGrant(deps: SandboxDeps, request: FastifyRequest): ApiResponse {
  const assertion = field(request.body, 'assertion');
  if (!assertion) return oauthError(400, 'invalid_request', 'Missing required parameter: assertion');
  const ownTokenUrl = `${request.protocol}://${request.host}${request.url.split('?')[0]}`;
  const verified = verifyAssertion(assertion, ownTokenUrl);
  if (!verified.ok) return oauthError(verified.status, verified.error, verified.description);
  const grant = deps.store.newGrant(
    { kind: 'service', serviceAccount: verified.serviceAccount },
    verified.scopes,
    false,
  );
  return tokenResponse(deps, grant, false);
}

function exchange(deps: SandboxDeps, request: FastifyRequest): ApiResponse {
  const grantType = field(request.body, 'grant_type') ?? '';
  if (grantType === 'authorization_code') return authorizationCodeGrant(deps, request);
  if (grantType === 'refresh_token') return refreshTokenGrant(deps, request);
  if (grantType === JWT_BEARER) return jwtBearerGrant(deps, request);
  return oauthError(400, 'unsupported_grant_type', `Invalid grant_type: ${grantType}`);
}

function userinfo(token: IssuedAccessToken): ApiResponse {
  const { principal, scopes } = token.grant;
  const withEmail = scopes.includes('https://www.googleapis.com/auth/userinfo.email');
  if (principal.kind === 'service') {
    const { serviceAccount } = principal;
    return ok(
      withEmail
        ? { sub: serviceAccount.clientId, email: serviceAccount.email, email_verified: true }
        : { sub: serviceAccount.clientId },
    );
  }
  const { user } = principal;
  const body: Record<string, unknown> = { sub: user.sub };
  if (scopes.includes('https://www.googleapis.com/auth/userinfo.profile')) {
    Object.assign(body, {
      name: user.name,
      given_name: user.givenName,
      family_name: user.familyName,
      picture: `https://lh3.googleusercontent.com/a/sandbox-${user.sub}=s96-c`,
    });
  }
  if (withEmail) Object.assign(body, { email: user.email, email_verified: true });
  return ok(body);
}

/** Registers the token, revocation and userinfo endpoints. */
export function registerTokenRoutes(app: FastifyInstance, deps: SandboxDeps): void {
  app.post('/token', (request, reply) =>
    runCall(deps, request, reply, 'oauth', () => exchange(deps, request)),
  );
  app.post('/revoke', (request, reply) =>
    runCall(deps, request, reply, 'oauth', () => {
      const value = field(request.body, 'token') ?? field(request.query, 'token');
      if (!value) return oauthError(400, 'invalid_request', 'Missing required parameter: token');
      return deps.store.revoke(value) ? ok({}) : oauthError(400, 'invalid_token', 'Token expired or revoked');
    }),
  );
  app.get('/v1/userinfo', (request, reply) =>
    runCall(deps, request, reply, 'userinfo', (token) => userinfo(token!)),
  );
}
