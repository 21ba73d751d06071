/**
 * Facebook Login, sandbox edition: the OAuth dialog (`/{version}/dialog/oauth`, served by
 * www.facebook.com in real life) and the token endpoint (`/{version}/oauth/access_token` on
 * graph.facebook.com), with PKCE, single-use codes, short- and long-lived tokens.
 */
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
import { renderConsentPage, renderErrorPage, sendPage } from './consent-page.ts';
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

/** The app's redirect URI with `params`, and the `#_=_` fragment Facebook Login famously appends to every redirect. */
function redirectWith(redirectUri: string, params: Record<string, string | undefined>): string {
  return redirectTo(redirectUri, params, '_=_');
}

/** Splits Meta's comma-separated `scope` (spaces tolerated), de-duplicated, in request order. */
function parseScopes(raw: string | undefined): string[] {
  return [...new Set((raw ?? '').split(/[\s,]+/).filter(Boolean))];
}

type DialogCheck =
  | {
      ok: true;
      redirectUri: string;
      state: string | undefined;
      challenge?: CodeChallenge | undefined;
      scopes: string[];
    }
  | { ok: false; html: string };

/** Validates a dialog request the way Meta does before it shows anything to the user. */
function checkDialog(query: unknown): DialogCheck {
  const fail = (title: string, message: string): DialogCheck => ({
    ok: false,
    html: renderErrorPage(title, message),
  });
  const client = checkAuthorizeClient(query, { clientIdParam: 'client_id', clientId: SANDBOX_CLIENT_ID });
  if (client.problem === 'unknown_client') {
    return fail(
      'Invalid App ID',
      `The provided app ID "${client.clientId ?? ''}" is not registered with the sandbox.`,
    );
  }
  if (!client.ok) {
    return fail(
      "URL can't be loaded",
      'The redirect_uri parameter is missing or is not an absolute http(s) URL.',
    );
  }
  const { redirectUri, state } = client;
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
  const method = stringParam(query, 'code_challenge_method');
  // Meta takes an empty code_challenge as absent, and then an empty code_challenge_method too.
  const pkce = readPkceChallenge(stringParam(query, 'code_challenge') || undefined, method, {
    methods: ['S256', 'plain'],
    defaultMethod: 'plain',
    checkFormat: true,
  });
  if (pkce.ok || (pkce.problem === 'method_without_challenge' && !method)) {
    return { ok: true, redirectUri, state, scopes, challenge: pkce.ok ? pkce.challenge : undefined };
  }
  if (pkce.problem === 'method_without_challenge')
    return fail('Invalid PKCE request', 'code_challenge_method was given without code_challenge.');
  if (pkce.problem === 'unsupported_method')
    return fail('Invalid PKCE request', `Unsupported code_challenge_method "${method}".`);
  return fail('Invalid PKCE request', 'code_challenge must be 43–128 URL-safe characters.');
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
    const checked = checkDialog(request.query);
    if (!checked.ok) return sendPage(reply, 400, checked.html);
    const { redirectUri, state } = checked;
    const choice = consentChoice(request.query);
    if (choice.kind === 'deny') {
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

    if (choice.kind === 'approve') {
      const user = findUserByEmail(choice.email);
      if (!user) {
        return sendPage(
          reply,
          400,
          renderErrorPage('Unknown sandbox user', `No sandbox user has the email "${choice.email}".`),
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
    return sendPage(
      reply,
      200,
      renderConsentPage({
        scopes: checked.scopes.length > 0 ? checked.scopes : ['public_profile'],
        users: seedUsers,
        links: consentLinks(request.url),
      }),
    );
  });
}

/** Meta's token response; `expires_in` is a number of seconds. */
function tokenBody(token: IssuedAccessToken, lifetimeSeconds: number): GraphResponse {
  return {
    status: 200,
    body: { access_token: token.value, token_type: 'bearer', expires_in: lifetimeSeconds },
  };
}

/** Meta's answer to each reason a code cannot be redeemed. */
const codeRefusals: Record<CodeProblem, () => GraphResponse> = {
  unknown_code: oauthErrors.badCodeFormat,
  used_code: oauthErrors.codeUsed,
  expired_code: oauthErrors.codeExpired,
  redirect_uri_mismatch: oauthErrors.redirectMismatch,
  missing_verifier: oauthErrors.invalidCodeVerifier,
  wrong_verifier: oauthErrors.invalidCodeVerifier,
};

/** `authorization_code`: exchanges a dialog code for a short-lived user token. */
function exchangeCode(deps: SandboxDeps, param: (name: string) => string | undefined): GraphResponse {
  const value = param('code');
  if (!value) return oauthErrors.missingParameter('code');
  const found = deps.store.findCode(value);
  const redeemed = redeemAuthorizationCode(found?.clientId === SANDBOX_CLIENT_ID ? found : undefined, {
    now: deps.store.now(),
    redirectUri: param('redirect_uri'),
    challenge: found?.challenge,
    verifier: param('code_verifier'),
  });
  if (!redeemed.ok) return codeRefusals[redeemed.problem]();
  const { code } = redeemed;
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
