/**
 * The TikTok Ads sandbox: an offline, faithful fake of TikTok For Business authorization and the
 * Marketing API v1.3 calls Tributary makes (same paths with their trailing slash, the `Access-Token`
 * header, HTTP 200 envelopes with a non-zero `code` for errors, `page_info` paging, mixed string/number
 * metrics, JSON-encoded array parameters), mounted by the sandbox host at `/sandbox/tiktok-ads`.
 *
 * Served (relative to the prefix):
 * - `GET /portal/auth` — authorization page; `sandbox_approve=<email>` / `sandbox_deny=1` skip it.
 * - `POST /open_api/v1.3/oauth2/access_token/`, `POST /open_api/v1.3/oauth2/revoke_token/`.
 * - `GET /open_api/v1.3/user/info/`, `GET /open_api/v1.3/oauth2/advertiser/get/`,
 *   `GET /open_api/v1.3/advertiser/info/` (≤ 100 ids).
 * - `GET /open_api/v1.3/report/integrated/get/` — BASIC and AUDIENCE, four data levels, `stat_time_day`.
 * Anything else (a path without its trailing slash included) is TikTok's plain `404 page not found`.
 *
 * `truth()` gives the advertiser-level daily totals the report gives at the virtual clock.
 */
import type { SandboxProvider } from '../../kit/types.ts';
import { registerAccountRoutes } from './account-routes.ts';
import type { SandboxDeps } from './call.ts';
import { PROVIDER } from './constants.ts';
import { registerOAuthRoutes } from './oauth-routes.ts';
import { registerReportRoutes } from './report-routes.ts';
import { userSummaries } from './seed.ts';
import { TikTokSandboxStore } from './store.ts';
import { reportTruth } from './truth.ts';
import { errors, send } from './wire.ts';

export { SANDBOX_APP_ID, SANDBOX_APP_SECRET } from './constants.ts';

/** The TikTok Ads sandbox provider (`tiktok-ads`). */
export const tiktokAdsSandbox: SandboxProvider = {
  provider: PROVIDER,
  users: userSummaries,
  register(app, context) {
    const deps: SandboxDeps = { store: new TikTokSandboxStore(context), context };
    // Requests held open by the `hang` fault would keep `app.close()` waiting for ever.
    deps.store.watchConnections(app.server);
    app.addHook('preClose', (done) => {
      deps.store.releaseHeld();
      done();
    });
    // TikTok's gateway answers unknown paths (a missing trailing slash included) with a bare 404.
    app.setNotFoundHandler((_request, reply) =>
      reply.code(404).type('text/plain; charset=utf-8').send('404 page not found'),
    );
    // A body fastify cannot parse (not JSON, wrong content type) is a parameter error on TikTok.
    app.setErrorHandler((error, _request, reply) => {
      const status = (error as { statusCode?: number }).statusCode ?? 500;
      if (status >= 400 && status < 500) {
        return send(reply, errors.parameter(context.now(), 'body', 'Request body must be a JSON object.'));
      }
      return send(reply, errors.system(context.now()));
    });
    registerOAuthRoutes(app, deps);
    registerAccountRoutes(app, deps);
    registerReportRoutes(app, deps);
  },
  truth(account, from, to, context) {
    return reportTruth(account, from, to, context.now());
  },
};
