/**
 * The Meta Ads sandbox: an offline, faithful fake of Facebook Login and the Graph API calls Tributary
 * makes (same paths, payloads, paging, error bodies, headers and quirks), mounted by the sandbox host at
 * `/sandbox/meta-ads`.
 *
 * Served (relative to the prefix, `{v}` any `vNN.N`):
 * - `GET /{v}/dialog/oauth` — consent page; `sandbox_approve=<email>` / `sandbox_deny=1` skip it.
 * - `GET|POST /{v}/oauth/access_token` — code exchange (PKCE) and `fb_exchange_token`.
 * - `GET /{v}/me`, `GET|DELETE /{v}/me/permissions`, `GET /{v}/me/adaccounts` (also by user id).
 */
import type { SandboxProvider } from '../../kit/types.ts';
import { PROVIDER } from './constants.ts';
import { registerGraphRoutes } from './graph-routes.ts';
import { registerOAuthRoutes } from './oauth-routes.ts';
import { userSummaries } from './seed.ts';
import { MetaSandboxStore } from './store.ts';

export { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET } from './constants.ts';

/** The Meta Ads sandbox provider (`meta-ads`). */
export const metaAdsSandbox: SandboxProvider = {
  provider: PROVIDER,
  users: userSummaries,
  register(app, context) {
    // Meta's token endpoint also takes form posts; fastify parses only JSON unless told otherwise. The
    // parser is scoped to this plugin, so the rest of the server is unaffected.
    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (_request, body, done) => {
        const parsed: Record<string, string> = {};
        // First occurrence wins, as for repeated query parameters.
        for (const [key, value] of new URLSearchParams(String(body)))
          if (!(key in parsed)) parsed[key] = value;
        done(null, parsed);
      },
    );
    const deps = { store: new MetaSandboxStore(context), context };
    registerOAuthRoutes(app, deps);
    registerGraphRoutes(app, deps);
  },
};
