import { completeAuthorization } from '../../connections/authorization.ts';
import { TributaryError } from '../../domain/errors.ts';
import type { Handler } from '../routes.ts';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** The page a person sees in their browser when the provider sends them back. */
export function callbackPage(title: string, body: string, ok: boolean): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} — Tributary</title>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:0;display:grid;place-items:center;min-height:100vh;background:#f6f7f9}
main{background:#fff;padding:2rem 2.5rem;border-radius:12px;box-shadow:0 1px 4px #0002;max-width:32rem}
h1{font-size:1.3rem;color:${ok ? '#1a7f37' : '#b42318'}}a{color:#2457d6}</style></head>
<body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(body)}</p><p><a href="/">Back to Tributary</a></p></main></body></html>`;
}

/** `returnTo` with query parameters added. */
function withQuery(path: string, parameters: Record<string, string>): string {
  return `${path}${path.includes('?') ? '&' : '?'}${new URLSearchParams(parameters).toString()}`;
}

/**
 * GET /api/v1/oauth/callback — completes the authorization, then shows a page or goes to
 * `returnTo` (with `connection=`, and `error=`/`message=` when it failed, so the app shows why).
 */
export const oauthCallback: Handler<'oauthCallback'> = async ({ query, caller }, context, reply) => {
  const known: { returnTo?: string | null; connectionId?: string } = {};
  try {
    // The session this browser is signed in with (an expired or unknown cookie resolves to none): a state a
    // session started completes only there.
    const sessionHash = caller?.via === 'session' ? caller.sessionHash : null;
    const { connection, returnTo } = await completeAuthorization(context, query, sessionHash, known);
    if (returnTo) {
      return reply.redirect(withQuery(returnTo, { connection: connection.id }), 303);
    }
    return reply
      .code(200)
      .type('text/html; charset=utf-8')
      .send(
        callbackPage(
          'Connection authorized',
          `${connection.dataSourceName} is connected as ${connection.businessAccount}. Accounts are loading; you can close this window.`,
          true,
        ),
      );
  } catch (error) {
    // Browsers get the app (or a page); API clients (Accept: application/json) get the error body.
    const browser = !String(reply.request.headers.accept ?? '').includes('application/json');
    if (error instanceof TributaryError && browser && known.returnTo && known.connectionId) {
      const target = withQuery(known.returnTo, {
        connection: known.connectionId,
        error: error.code,
        message: error.message,
      });
      return reply.redirect(target, 303);
    }
    if (error instanceof TributaryError && browser) {
      return reply
        .code(error.httpStatus)
        .type('text/html; charset=utf-8')
        .header('x-error-code', error.code)
        .send(callbackPage('Authorization failed', `${error.message}. ${error.remedy}`, false));
    }
    throw error;
  }
};
