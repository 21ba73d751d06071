/**
 * The Meta Ads sandbox: an offline, faithful fake of Facebook Login and the Graph API calls Tributary
 * makes (same paths, payloads, paging, error bodies, headers and quirks), mounted by the sandbox host at
 * `/sandbox/meta-ads`.
 *
 * Served (relative to the prefix, `{v}` any `vNN.N`):
 * - `GET /{v}/dialog/oauth` — consent page; `sandbox_approve=<email>` / `sandbox_deny=1` skip it.
 * - `GET|POST /{v}/oauth/access_token` — code exchange (PKCE) and `fb_exchange_token`.
 * - `GET /{v}/me`, `GET|DELETE /{v}/me/permissions`, `GET /{v}/me/adaccounts` (also by user id).
 * - `GET /{v}/act_{id}/insights` (sync), `POST /{v}/act_{id}/insights` (report run),
 *   `GET /{v}/{report_run_id}` and `GET /{v}/{report_run_id}/insights`.
 * - `GET|POST /_control/limits`: the per-account insights call budget (sandbox control, not Graph).
 * - `GET|POST /_control/latency`: a delay before every insights answer (sandbox control, see latency.ts).
 *
 * `truth()` gives the account-level daily totals the insights API reports at the virtual clock.
 */
import type { SandboxProvider } from '../../kit/types.ts';
import { PROVIDER } from './constants.ts';
import { registerGraphRoutes } from './graph-routes.ts';
import { handleRunStatus, registerInsightsRoutes } from './insights-routes.ts';
import { InsightsRowCache } from './insights-rows.ts';
import { registerLatencyControl } from './latency.ts';
import { registerOAuthRoutes } from './oauth-routes.ts';
import { ReportRuns } from './report-runs.ts';
import { userSummaries } from './seed.ts';
import { MetaSandboxStore } from './store.ts';
import { InsightsThrottle } from './throttle.ts';
import { insightsTruth } from './truth.ts';

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
    const deps = {
      store: new MetaSandboxStore(context),
      context,
      rows: new InsightsRowCache(),
      runs: new ReportRuns(),
      throttle: new InsightsThrottle(),
    };
    // Requests held open by the `hang` fault would keep `app.close()` waiting for ever.
    deps.store.watchConnections(app.server);
    app.addHook('preClose', (done) => {
      deps.store.releaseHeld();
      done();
    });
    registerLatencyControl(app);
    registerOAuthRoutes(app, deps);
    registerGraphRoutes(app, deps, (request, node) =>
      deps.runs.get(node) ? handleRunStatus(deps, request, node) : undefined,
    );
    registerInsightsRoutes(app, deps);
  },
  truth(account, from, to, context) {
    return insightsTruth(account, from, to, context.now());
  },
};
