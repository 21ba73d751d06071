/**
 * Google's authorization endpoint, sandbox edition (`GET /o/oauth2/v2/auth`): checks the client, redirect URI,
 * response type, scopes and PKCE parameters like Google, then `sandbox_approve=<email>` → 302 to the redirect URI
 * with `code`, `state`, `scope`; `sandbox_deny=1` → 302 with `error=access_denied`; otherwise the consent page.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { SandboxDeps } from './call.ts';
import { pageSecurityHeaders, renderConsentPage, renderErrorPage } from './consent-page.ts';
import { KNOWN_SCOPES, SANDBOX_CLIENT_ID, SCOPE_ALIASES } from './constants.ts';
import { findUserByEmail, seedUsers } from './seed.ts';
import { field } from './wire.ts';

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
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hash === '';
  } catch {
    return false;
  }
}

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
    const clientId = field(query, 'client_id');
    if (clientId !== SANDBOX_CLIENT_ID) {
      return sendPage(
        reply,
        401,
        renderErrorPage(
          'Error 401: invalid_client',
          `The OAuth client was not found. (client_id "${clientId ?? ''}")`,
        ),
      );
    }
    const redirectUri = field(query, 'redirect_uri');
    if (!redirectUri || !isHttpUrl(redirectUri)) {
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
    const challenge = field(query, 'code_challenge');
    const method = field(query, 'code_challenge_method') ?? (challenge ? 'plain' : undefined);
    if (
      challenge !== undefined &&
      (!/^[A-Za-z0-9._~-]{43,128}$/.test(challenge) || !['S256', 'plain'].includes(method!))
    ) {
      return sendPage(
        reply,
        400,
        renderErrorPage('Error 400: invalid_request', 'Invalid code_challenge or code_challenge_method.'),
      );
    }
    const state = field(query, 'state');
    if (field(query, 'sandbox_deny') === '1') {
      return reply.redirect(redirectWith(redirectUri, { error: 'access_denied', state }), 302);
    }
    const approveAs = field(query, 'sandbox_approve');
    if (approveAs !== undefined) {
      const user = findUserByEmail(approveAs);
      if (!user) {
        return sendPage(
          reply,
          400,
          renderErrorPage('Unknown sandbox user', `No sandbox Google account has the email "${approveAs}".`),
        );
      }
      const code = deps.store.issueCode({
        user,
        redirectUri,
        scopes,
        offline: field(query, 'access_type') === 'offline',
        codeChallenge: challenge,
        codeChallengeMethod: method,
      });
      return reply.redirect(
        redirectWith(redirectUri, {
          state,
          code: code.value,
          scope: scopes.join(' '),
          authuser: '0',
          prompt: 'consent',
        }),
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
        scopeDescriptions: scopes.map((scope) => scopeDescriptions[scope] ?? scope),
        approveHref: (user) => href('sandbox_approve', user.email),
        denyHref: href('sandbox_deny', '1'),
      }),
    );
  });
}
