/**
 * Google's authorization endpoint, sandbox edition (`GET /o/oauth2/v2/auth`): checks the client, redirect URI,
 * response type, scopes and PKCE parameters like Google, then `sandbox_approve=<email>` → 302 to the redirect URI
 * with `code`, `state`, `scope`; `sandbox_deny=1` → 302 with `error=access_denied`; otherwise the consent page.
 */
import type { FastifyInstance } from 'fastify';
import {
  checkAuthorizeClient,
  consentChoice,
  consentLinks,
  readPkceChallenge,
  redirectTo,
} from '../../../sandbox/authorization-request.ts';
import type { SandboxDeps } from './call.ts';
import { renderConsentPage, renderErrorPage, sendPage } from './consent-page.ts';
import { KNOWN_SCOPES, SANDBOX_CLIENT_ID, SCOPE_ALIASES } from './constants.ts';
import { findUserByEmail, seedUsers } from './seed.ts';
import { field } from './wire.ts';

/** Expands Google's short scope names and drops duplicates, keeping the order asked. */
export function normalizeScopes(text: string): string[] {
  const scopes = text
    .split(/[\s+]+/)
    .filter(Boolean)
    .map((scope) => SCOPE_ALIASES[scope] ?? scope);
  return [...new Set(scopes)];
}

const scopeDescriptions: Record<string, string> = {
  'https://www.googleapis.com/auth/analytics.readonly': 'See and download your Google Analytics data',
  'https://www.googleapis.com/auth/analytics': 'View your Google Analytics data',
  'https://www.googleapis.com/auth/analytics.edit': 'Edit Google Analytics management entities',
  'https://www.googleapis.com/auth/userinfo.email': 'See your primary Google Account email address',
  'https://www.googleapis.com/auth/userinfo.profile':
    'See your personal info, including any personal info you’ve made publicly available',
  openid: 'Associate you with your personal info on Google',
};

/** Registers the authorization endpoint. */
export function registerAuthorizeRoute(app: FastifyInstance, deps: SandboxDeps): void {
  app.get('/o/oauth2/v2/auth', async (request, reply) => {
    const query = request.query;
    const client = checkAuthorizeClient(query, {
      clientIdParam: 'client_id',
      clientId: SANDBOX_CLIENT_ID,
      redirectWithoutFragment: true,
    });
    if (client.problem === 'unknown_client') {
      return sendPage(
        reply,
        401,
        renderErrorPage(
          'Error 401: invalid_client',
          `The OAuth client was not found. (client_id "${client.clientId ?? ''}")`,
        ),
      );
    }
    if (!client.ok) {
      return sendPage(
        reply,
        400,
        renderErrorPage(
          'Error 400: redirect_uri_mismatch',
          'redirect_uri is missing or is not an absolute http(s) URL without a fragment.',
        ),
      );
    }
    const missing = ['response_type', 'scope'].find((name) => !field(query, name));
    if (missing) {
      return sendPage(
        reply,
        400,
        renderErrorPage('Error 400: invalid_request', `Required parameter is missing: ${missing}`),
      );
    }
    if (field(query, 'response_type') !== 'code') {
      return sendPage(
        reply,
        400,
        renderErrorPage(
          'Error 400: unsupported_response_type',
          `Invalid response_type: ${field(query, 'response_type')}`,
        ),
      );
    }
    const scopes = normalizeScopes(field(query, 'scope')!);
    const unknown = scopes.filter((scope) => !KNOWN_SCOPES.includes(scope));
    if (unknown.length > 0) {
      return sendPage(
        reply,
        400,
        renderErrorPage(
          'Error 400: invalid_scope',
          `Some requested scopes were invalid. {invalid=[${unknown.join(', ')}]}`,
        ),
      );
    }
    const pkce = readPkceChallenge(field(query, 'code_challenge'), field(query, 'code_challenge_method'), {
      methods: ['S256', 'plain'],
      defaultMethod: 'plain',
      checkFormat: true,
    });
    // A method without a challenge asks for nothing: Google lets it pass.
    if (!pkce.ok && pkce.problem !== 'method_without_challenge') {
      return sendPage(
        reply,
        400,
        renderErrorPage('Error 400: invalid_request', 'Invalid code_challenge or code_challenge_method.'),
      );
    }
    const { redirectUri, state } = client;
    const choice = consentChoice(query);
    if (choice.kind === 'deny') {
      return reply.redirect(redirectTo(redirectUri, { error: 'access_denied', state }), 302);
    }
    if (choice.kind === 'approve') {
      const user = findUserByEmail(choice.email);
      if (!user) {
        return sendPage(
          reply,
          400,
          renderErrorPage(
            'Unknown sandbox user',
            `No sandbox Google account has the email "${choice.email}".`,
          ),
        );
      }
      const challenge = pkce.ok ? pkce.challenge : undefined;
      const code = deps.store.issueCode({
        user,
        redirectUri,
        scopes,
        offline: field(query, 'access_type') === 'offline',
        codeChallenge: challenge?.value,
        codeChallengeMethod: challenge?.method,
      });
      return reply.redirect(
        redirectTo(redirectUri, {
          state,
          code: code.value,
          scope: scopes.join(' '),
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
        scopeDescriptions: scopes.map((scope) => scopeDescriptions[scope] ?? scope),
        links: consentLinks(request.url),
      }),
    );
  });
}
