/**
 * The Google Ads sandbox: an offline, faithful fake of Google sign-in and the Google Ads API v25 calls
 * Tributary makes (the `developer-token` and `login-customer-id` headers, GAQL, proto3 JSON with int64 as
 * strings and money in micros, `googleAds:search` paging and `googleAds:searchStream` arrays of batches,
 * google.rpc.Status errors with a `GoogleAdsFailure` detail), mounted by the host at `/sandbox/google-ads`.
 *
 * Served (relative to the prefix):
 * - `GET /o/oauth2/v2/auth` — consent page; `sandbox_approve=<email>` / `sandbox_deny=1` skip it.
 * - `POST /token` (code exchange with PKCE, refresh), `POST /revoke`, `GET /v1/userinfo`.
 * - `GET /v25/customers:listAccessibleCustomers`, `POST /v25/customers/{id}/googleAds:search` (1,000 rows a
 *   page: a documented deviation from Google's 10,000), `POST /v25/customers/{id}/googleAds:searchStream`.
 *
 * `truth()` gives the account-level daily totals the reports sum to at the virtual clock; conversions keep
 * being restated for 14 days.
 */
import type { SandboxProvider } from '../../kit/types.ts';
import type { SandboxDeps } from './call.ts';
import { PROVIDER } from './constants.ts';
import { registerOAuthRoutes } from './oauth-routes.ts';
import { registerSearchRoutes } from './search-routes.ts';
import { userSummaries } from './seed.ts';
import { GoogleAdsSandboxStore } from './store.ts';
import { reportTruth } from './truth.ts';

export { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, SANDBOX_DEVELOPER_TOKEN } from './constants.ts';

/** Parses form posts (the OAuth endpoints); the first occurrence of a repeated field wins. */
function parseForm(text: string): Record<string, string> {
  const parsed: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(text)) if (!(key in parsed)) parsed[key] = value;
  return parsed;
}

/** The Google Ads sandbox provider (`google-ads`). */
export const googleAdsSandbox: SandboxProvider = {
  provider: PROVIDER,
  users: userSummaries,
  register(app, context) {
    const deps: SandboxDeps = { store: new GoogleAdsSandboxStore(context), context };
    // Requests held open by the `hang` fault would keep `app.close()` waiting for ever.
    deps.store.watchConnections(app.server);
    app.addHook('preClose', (done) => {
      deps.store.releaseHeld();
      done();
    });
    // Google's token and revoke endpoints take form posts; the parser is scoped to this plugin.
    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (_request, body, done) => done(null, parseForm(String(body))),
    );
    // A body that is not JSON gets Google's own complaint (a plain google.rpc.Status, no Ads failure).
    app.setErrorHandler((error, _request, reply) => {
      const status = (error as { statusCode?: number }).statusCode ?? 500;
      const client = status >= 400 && status < 500;
      return reply
        .code(client ? 400 : 500)
        .type('application/json; charset=UTF-8')
        .send({
          error: client
            ? {
                code: 400,
                message: `Invalid JSON payload received. ${(error as Error).message}`,
                status: 'INVALID_ARGUMENT',
              }
            : { code: 500, message: 'Internal error encountered.', status: 'INTERNAL' },
        });
    });
    registerOAuthRoutes(app, deps);
    registerSearchRoutes(app, deps);
  },
  truth(account, from, to, context) {
    return reportTruth(account, from, to, context.now());
  },
};
