/**
 * TikTok For Business authorization, sandbox edition: the authorization page (`/portal/auth`, served by
 * business-api.tiktok.com in real life), the code exchange (`oauth2/access_token/`) and revocation
 * (`oauth2/revoke_token/`). Advertiser tokens are long-term: no expiry, no refresh token.
 */
import type { FastifyInstance } from 'fastify';
import {
  type CodeProblem,
  redeemAuthorizationCode,
  sameSecret,
} from '../../../sandbox/authorization-codes.ts';
import {
  checkAuthorizeClient,
  consentChoice,
  consentLinks,
  redirectTo,
} from '../../../sandbox/authorization-request.ts';
import { runApiCall, type SandboxDeps } from './call.ts';
import { renderConsentPage, renderErrorPage, sendPage } from './consent-page.ts';
import { API_PREFIX, GRANTED_SCOPES, SANDBOX_APP_ID, SANDBOX_APP_SECRET } from './constants.ts';
import { authorizedAdvertisers, findUserByEmail, seedUsers } from './seed.ts';
import { type ApiResponse, errors, ok, stringParam } from './wire.ts';

/** True when the request names the sandbox app with its secret. */
export function appCredentialsValid(appId: string | undefined, secret: string | undefined): boolean {
  return appId === SANDBOX_APP_ID && sameSecret(secret, SANDBOX_APP_SECRET);
}

function registerAuthorizationPage(app: FastifyInstance, deps: SandboxDeps): void {
  app.get('/portal/auth', async (request, reply) => {
    const client = checkAuthorizeClient(request.query, { clientIdParam: 'app_id', clientId: SANDBOX_APP_ID });
    if (client.problem === 'unknown_client') {
      return sendPage(
        reply,
        400,
        renderErrorPage(
          'Invalid app',
          `The app_id "${client.clientId ?? ''}" is not registered with the sandbox.`,
        ),
      );
    }
    if (!client.ok) {
      return sendPage(
        reply,
        400,
        renderErrorPage('Invalid redirect URL', 'redirect_uri is missing or is not an absolute http(s) URL.'),
      );
    }
    const { redirectUri, state } = client;
    const choice = consentChoice(request.query);
    if (choice.kind === 'deny') {
      return reply.redirect(
        redirectTo(redirectUri, {
          error: 'access_denied',
          error_description: 'The user canceled the authorization.',
          state,
        }),
        302,
      );
    }
    if (choice.kind === 'approve') {
      const user = findUserByEmail(choice.email);
      if (!user) {
        return sendPage(
          reply,
          400,
          renderErrorPage('Unknown sandbox user', `No sandbox user has the email "${choice.email}".`),
        );
      }
      const code = deps.store.issueCode(user, redirectUri);
      // TikTok names the code `auth_code` and also sends `code`; both carry the same value.
      return reply.redirect(redirectTo(redirectUri, { auth_code: code.value, code: code.value, state }), 302);
    }
    return sendPage(
      reply,
      200,
      renderConsentPage({
        users: seedUsers,
        links: consentLinks(request.url),
      }),
    );
  });
}

/** Reads a JSON body field (TikTok's POST endpoints take JSON only). */
function bodyField(body: unknown, name: string): string | undefined {
  return stringParam(body, name);
}

/** TikTok's wording of why a code cannot be redeemed (its exchange checks no redirect URI and no PKCE). */
function codeRefusal(problem: CodeProblem): string {
  if (problem === 'used_code') return 'the auth_code has already been used';
  if (problem === 'expired_code') return 'the auth_code has expired';
  return 'the auth_code does not exist';
}

function exchange(deps: SandboxDeps, body: unknown): ApiResponse {
  const now = deps.context.now();
  for (const name of ['app_id', 'secret', 'auth_code']) {
    if (!bodyField(body, name)) return errors.parameter(now, name, 'Missing data for required field.');
  }
  if (!appCredentialsValid(bodyField(body, 'app_id'), bodyField(body, 'secret'))) {
    return errors.appCredentials(now);
  }
  // TikTok checks neither the redirect URI nor PKCE at the exchange.
  const redeemed = redeemAuthorizationCode(deps.store.findCode(bodyField(body, 'auth_code')!), {
    now: now.getTime(),
  });
  if (!redeemed.ok) return errors.authCode(now, codeRefusal(redeemed.problem));
  const { code } = redeemed;
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
