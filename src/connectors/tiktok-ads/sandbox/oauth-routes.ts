/**
 * TikTok For Business authorization, sandbox edition: the authorization page (`/portal/auth`, served by
 * business-api.tiktok.com in real life), the code exchange (`oauth2/access_token/`) and revocation
 * (`oauth2/revoke_token/`). Advertiser tokens are long-term: no expiry, no refresh token.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { runApiCall, type SandboxDeps } from './call.ts';
import { pageSecurityHeaders, renderConsentPage, renderErrorPage } from './consent-page.ts';
import { API_PREFIX, GRANTED_SCOPES, SANDBOX_APP_ID, SANDBOX_APP_SECRET } from './constants.ts';
import { authorizedAdvertisers, findUserByEmail, seedUsers } from './seed.ts';
import { type ApiResponse, errors, ok, stringParam } from './wire.ts';

function sendPage(reply: FastifyReply, status: number, html: string): FastifyReply {
  return reply.code(status).headers(pageSecurityHeaders).type('text/html; charset=utf-8').send(html);
}

/** Appends parameters to the app's redirect URI, keeping its own query. */
function redirectWith(redirectUri: string, params: Record<string, string | undefined>): string {
  const target = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) target.searchParams.set(name, value);
  }
  return target.toString();
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Compares secrets without leaking their length or content through timing. */
function sameSecret(given: string | undefined, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return given !== undefined && timingSafeEqual(digest(given), digest(expected));
}

/** True when the request names the sandbox app with its secret. */
export function appCredentialsValid(appId: string | undefined, secret: string | undefined): boolean {
  return appId === SANDBOX_APP_ID && sameSecret(secret, SANDBOX_APP_SECRET);
}

function registerAuthorizationPage(app: FastifyInstance, deps: SandboxDeps): void {
  app.get('/portal/auth', async (request, reply) => {
    const query = request.query;
    const appId = stringParam(query, 'app_id');
    if (appId !== SANDBOX_APP_ID) {
      return sendPage(
        reply,
        400,
        renderErrorPage('Invalid app', `The app_id "${appId ?? ''}" is not registered with the sandbox.`),
      );
    }
    const redirectUri = stringParam(query, 'redirect_uri');
    if (!redirectUri || !isHttpUrl(redirectUri)) {
      return sendPage(
        reply,
        400,
        renderErrorPage('Invalid redirect URL', 'redirect_uri is missing or is not an absolute http(s) URL.'),
      );
    }
    const state = stringParam(query, 'state');
    if (stringParam(query, 'sandbox_deny') === '1') {
      return reply.redirect(
        redirectWith(redirectUri, {
          error: 'access_denied',
          error_description: 'The user canceled the authorization.',
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
      const code = deps.store.issueCode(user, redirectUri);
      // TikTok names the code `auth_code` and also sends `code`; both carry the same value.
      return reply.redirect(
        redirectWith(redirectUri, { auth_code: code.value, code: code.value, state }),
        302,
      );
    }
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
        users: seedUsers,
        approveHref: (user) => href('sandbox_approve', user.email),
        denyHref: href('sandbox_deny', '1'),
      }),
    );
  });
}

/** Reads a JSON body field (TikTok's POST endpoints take JSON only). */
function bodyField(body: unknown, name: string): string | undefined {
  return stringParam(body, name);
}

function exchange(deps: SandboxDeps, body: unknown): ApiResponse {
  const now = deps.context.now();
  for (const name of ['app_id', 'secret', 'auth_code']) {
    if (!bodyField(body, name)) return errors.parameter(now, name, 'Missing data for required field.');
  }
  if (!appCredentialsValid(bodyField(body, 'app_id'), bodyField(body, 'secret'))) {
    return errors.appCredentials(now);
  }
  const code = deps.store.findCode(bodyField(body, 'auth_code')!);
  if (!code) return errors.authCode(now, 'the auth_code does not exist');
  if (code.used) return errors.authCode(now, 'the auth_code has already been used');
  if (now.getTime() >= code.expiresAt) return errors.authCode(now, 'the auth_code has expired');
  // Consumed only on success, so a client that fixes its request can still finish in time.
  code.used = true;
  const token = deps.store.issueToken(code.user);
  return ok(now, {
    access_token: token.value,
    advertiser_ids: authorizedAdvertisers(code.user).map((advertiser) => advertiser.advertiserId),
    scope: [...GRANTED_SCOPES],
  });
}

function revoke(deps: SandboxDeps, body: unknown): ApiResponse {
  const now = deps.context.now();
  for (const name of ['app_id', 'secret', 'access_token']) {
    if (!bodyField(body, name)) return errors.parameter(now, name, 'Missing data for required field.');
  }
  if (!appCredentialsValid(bodyField(body, 'app_id'), bodyField(body, 'secret'))) {
    return errors.appCredentials(now);
  }
  const lookup = deps.store.lookupToken(bodyField(body, 'access_token')!);
  if (lookup.status === 'unknown') return errors.tokenInvalid(now);
  lookup.token.revoked = true;
  return ok(now, {});
}

/** Registers the authorization page, the token exchange and revocation. */
export function registerOAuthRoutes(app: FastifyInstance, deps: SandboxDeps): void {
  registerAuthorizationPage(app, deps);
  app.post(`${API_PREFIX}/oauth2/access_token/`, (request, reply) =>
    runApiCall(deps, request, reply, () => exchange(deps, request.body), { authenticated: false }),
  );
  app.post(`${API_PREFIX}/oauth2/revoke_token/`, (request, reply) =>
    runApiCall(deps, request, reply, () => revoke(deps, request.body), { authenticated: false }),
  );
}
