/**
 * Facebook Login, sandbox edition: the OAuth dialog (`/{version}/dialog/oauth`, served by
 * www.facebook.com in real life) and the token endpoint (`/{version}/oauth/access_token` on
 * graph.facebook.com), with PKCE, single-use codes, short- and long-lived tokens.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { pageSecurityHeaders, renderConsentPage, renderErrorPage } from './consent-page.ts';
import {
  KNOWN_SCOPES,
  LONG_LIVED_SECONDS,
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
  SHORT_LIVED_SECONDS,
  VERSION_PATTERN,
} from './constants.ts';
import { appNotAuthorizedError, oauthErrors, sessionExpiredError, unparsableTokenError } from './errors.ts';
import { runGraphCall, type SandboxDeps } from './graph-call.ts';
import { findUserByEmail, seedUsers } from './seed.ts';
import type { CodeChallenge, IssuedAccessToken } from './store.ts';
import { type GraphResponse, stringParam } from './wire.ts';

function sendPage(reply: FastifyReply, status: number, html: string): FastifyReply {
  return reply.code(status).headers(pageSecurityHeaders).type('text/html; charset=utf-8').send(html);
}

/**
 * Appends parameters to the app's redirect URI, keeping its own query, and adds the `#_=_` fragment
 * Facebook Login famously appends to every redirect.
 */
function redirectWith(redirectUri: string, params: Record<string, string | undefined>): string {
  const target = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) target.searchParams.set(name, value);
  }
  target.hash = '_=_';
  return target.toString();
}

/** Splits Meta's comma-separated `scope` (spaces tolerated), de-duplicated, in request order. */
function parseScopes(raw: string | undefined): string[] {
  return [...new Set((raw ?? '').split(/[\s,]+/).filter(Boolean))];
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

type DialogCheck =
  | { ok: true; challenge?: CodeChallenge | undefined; scopes: string[] }
  | { ok: false; html: string };

/** Validates a dialog request the way Meta does before it shows anything to the user. */
function checkDialog(query: unknown): DialogCheck {
  const fail = (title: string, message: string): DialogCheck => ({
    ok: false,
    html: renderErrorPage(title, message),
  });
  const clientId = stringParam(query, 'client_id');
  if (clientId !== SANDBOX_CLIENT_ID) {
    return fail(
      'Invalid App ID',
      `The provided app ID "${clientId ?? ''}" is not registered with the sandbox.`,
    );
  }
  const redirectUri = stringParam(query, 'redirect_uri');
  if (!redirectUri || !isHttpUrl(redirectUri)) {
    return fail(
      "URL can't be loaded",
      'The redirect_uri parameter is missing or is not an absolute http(s) URL.',
    );
  }
  const responseType = stringParam(query, 'response_type') ?? 'code';
  if (responseType !== 'code') {
    return fail(
      'Unsupported response type',
      `The sandbox only implements response_type=code, not "${responseType}".`,
    );
  }
  const scopes = parseScopes(stringParam(query, 'scope'));
  const unknown = scopes.filter((scope) => !KNOWN_SCOPES.has(scope));
  if (unknown.length > 0) return fail('Invalid Scopes', `Invalid Scopes: ${unknown.join(', ')}.`);
  const challenge = stringParam(query, 'code_challenge');
  const method = stringParam(query, 'code_challenge_method');
  if (!challenge) {
    if (method)
      return fail('Invalid PKCE request', 'code_challenge_method was given without code_challenge.');
    return { ok: true, scopes };
  }
  // RFC 7636: the method defaults to "plain" when absent.
  const resolved = method ?? 'plain';
  if (resolved !== 'S256' && resolved !== 'plain') {
    return fail('Invalid PKCE request', `Unsupported code_challenge_method "${resolved}".`);
  }
  if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(challenge)) {
    return fail('Invalid PKCE request', 'code_challenge must be 43–128 URL-safe characters.');
  }
  return { ok: true, scopes, challenge: { value: challenge, method: resolved } };
}

function registerDialog(app: FastifyInstance, deps: SandboxDeps): void {
  app.get('/:version/dialog/oauth', async (request, reply) => {
    const version = stringParam(request.params, 'version') ?? '';
    if (!VERSION_PATTERN.test(version)) {
      return sendPage(
        reply,
        404,
        renderErrorPage('Page not found', `"${version}" is not a Graph API version.`),
      );
    }
    const query = request.query;
    const checked = checkDialog(query);
    if (!checked.ok) return sendPage(reply, 400, checked.html);
    const redirectUri = stringParam(query, 'redirect_uri')!;
    const state = stringParam(query, 'state');

    if (stringParam(query, 'sandbox_deny') === '1') {
      // Meta's real denial parameters, in Meta's order.
      return reply.redirect(
        redirectWith(redirectUri, {
          error: 'access_denied',
          error_code: '200',
          error_description: 'Permissions error',
          error_reason: 'user_denied',
          state,
        }),
        302,
      );
    }

    const approveAs = stringParam(query, 'sandbox_approve');
    if (approveAs !== undefined) {
      const user = findUserByEmail(approveAs);
      if (!user) {
        return sendPage(
          reply,
          400,
          renderErrorPage('Unknown sandbox user', `No sandbox user has the email "${approveAs}".`),
        );
      }
      // Facebook Login always grants public_profile on top of what the app asked for.
      const scopes = [...new Set([...checked.scopes, 'public_profile'])];
      const code = deps.store.issueCode({
        clientId: SANDBOX_CLIENT_ID,
        redirectUri,
        challenge: checked.challenge,
        user,
        scopes,
      });
      return reply.redirect(redirectWith(redirectUri, { code: code.value, state }), 302);
    }

    // Links back to this very dialog URL, minus any earlier sandbox choice, plus the new one.
    const base = new URLSearchParams(request.url.split('?')[1] ?? '');
    base.delete('sandbox_approve');
    base.delete('sandbox_deny');
    const href = (name: string, value: string) => {
      const params = new URLSearchParams(base);
      params.set(name, value);
      return `?${params.toString()}`;
    };
    return sendPage(
      reply,
      200,
      renderConsentPage({
        scopes: checked.scopes.length > 0 ? checked.scopes : ['public_profile'],
        users: seedUsers,
        approveHref: (user) => href('sandbox_approve', user.email),
        denyHref: href('sandbox_deny', '1'),
      }),
    );
  });
}

/** Compares secrets without leaking their length or content through timing. */
function sameSecret(given: string | undefined, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return given !== undefined && timingSafeEqual(digest(given), digest(expected));
}

/** Meta's token response; `expires_in` is a number of seconds. */
function tokenBody(token: IssuedAccessToken, lifetimeSeconds: number): GraphResponse {
  return {
    status: 200,
    body: { access_token: token.value, token_type: 'bearer', expires_in: lifetimeSeconds },
  };
}

function verifierMatches(challenge: CodeChallenge, verifier: string): boolean {
  const computed =
    challenge.method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
  return computed === challenge.value;
}

/** `authorization_code`: exchanges a dialog code for a short-lived user token. */
function exchangeCode(deps: SandboxDeps, param: (name: string) => string | undefined): GraphResponse {
  const value = param('code');
  if (!value) return oauthErrors.missingParameter('code');
  const code = deps.store.findCode(value);
  if (!code || code.clientId !== SANDBOX_CLIENT_ID) return oauthErrors.badCodeFormat();
  if (code.used) return oauthErrors.codeUsed();
  if (deps.store.now() >= code.expiresAt) return oauthErrors.codeExpired();
  if (param('redirect_uri') !== code.redirectUri) return oauthErrors.redirectMismatch();
  if (code.challenge) {
    const verifier = param('code_verifier');
    if (!verifier || !verifierMatches(code.challenge, verifier)) return oauthErrors.invalidCodeVerifier();
  }
  // Consumed only on success, so a client that fixes its request can still finish the flow in time.
  code.used = true;
  const token = deps.store.issueToken(
    { clientId: code.clientId, user: code.user, scopes: code.scopes, kind: 'short_lived' },
    SHORT_LIVED_SECONDS,
  );
  return tokenBody(token, SHORT_LIVED_SECONDS);
}

/** `fb_exchange_token`: trades a still-valid user token for a long-lived one. */
function exchangeToken(deps: SandboxDeps, param: (name: string) => string | undefined): GraphResponse {
  const value = param('fb_exchange_token');
  if (!value) return oauthErrors.missingParameter('fb_exchange_token');
  const lookup = deps.store.lookupToken(value);
  // An expired token cannot be exchanged: the user has to log in again.
  if (lookup.status === 'unknown') return unparsableTokenError();
  if (lookup.status === 'revoked') return appNotAuthorizedError();
  if (lookup.status === 'expired') {
    return sessionExpiredError(new Date(lookup.token.expiresAt), deps.context.now());
  }
  const source = lookup.token;
  const token = deps.store.issueToken(
    { clientId: source.clientId, user: source.user, scopes: source.scopes, kind: 'long_lived' },
    LONG_LIVED_SECONDS,
  );
  return tokenBody(token, LONG_LIVED_SECONDS);
}

function handleAccessToken(deps: SandboxDeps, request: FastifyRequest): GraphResponse {
  // Meta takes these as query parameters on GET, or as a form/JSON body on POST.
  const param = (name: string) => stringParam(request.query, name) ?? stringParam(request.body, name);
  const clientId = param('client_id');
  if (!clientId) return oauthErrors.missingClientId();
  if (clientId !== SANDBOX_CLIENT_ID) return oauthErrors.invalidAppId();
  if (!sameSecret(param('client_secret'), SANDBOX_CLIENT_SECRET)) return oauthErrors.invalidSecret();
  const grantType = param('grant_type') ?? 'authorization_code';
  if (grantType === 'authorization_code') return exchangeCode(deps, param);
  if (grantType === 'fb_exchange_token') return exchangeToken(deps, param);
  return oauthErrors.invalidGrantType(grantType);
}

/** Registers the dialog and the token endpoint. */
export function registerOAuthRoutes(app: FastifyInstance, deps: SandboxDeps): void {
  registerDialog(app, deps);
  const handler = (request: FastifyRequest, reply: FastifyReply) =>
    runGraphCall(
      deps,
      request,
      reply,
      {
        truncatedBody: '{"access_token":"EAA',
        usageKey: (req) => {
          const code = stringParam(req.query, 'code') ?? stringParam(req.body, 'code');
          return code ? deps.store.findCode(code)?.user.usageKey : undefined;
        },
      },
      () => ({ response: handleAccessToken(deps, request) }),
    );
  app.get('/:version/oauth/access_token', handler);
  app.post('/:version/oauth/access_token', handler);
}
