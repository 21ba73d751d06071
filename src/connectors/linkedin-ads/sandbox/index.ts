/**
 * The LinkedIn Ads sandbox: an offline, faithful fake of LinkedIn's OAuth 2.0 and the versioned Marketing
 * API calls Tributary makes (the `LinkedIn-Version` and `X-Restli-Protocol-Version: 2.0.0` headers, Rest.li
 * query syntax, cursor paging, the unpaginated `adAnalytics` finder with its silent 15,000-element cap,
 * decimal-string costs, Rest.li error envelopes), mounted by the sandbox host at `/sandbox/linkedin-ads`.
 *
 * Served (relative to the prefix; real hosts www.linkedin.com and api.linkedin.com):
 * - `GET /oauth/v2/authorization` — consent page; `sandbox_approve=<email>` (with optional
 *   `sandbox_scopes=<comma list>` to grant fewer scopes) / `sandbox_deny=1` skip it.
 * - `POST /oauth/v2/accessToken` (authorization_code, refresh_token), `/oauth/v2/introspectToken`,
 *   `/oauth/v2/revoke`; `GET /v2/userinfo`.
 * - `GET /rest/adAccounts?q=search`, `/rest/adAccounts/{id}`, `/rest/adAccounts/{id}/adCampaignGroups`,
 *   `/adCampaigns` (q=search), `/creatives` (q=criteria); `GET /rest/adAnalytics?q=analytics`.
 * Anything else is LinkedIn's 404 `RESOURCE_NOT_FOUND`.
 *
 * `truth()` gives the account-level UTC daily totals the analytics finder gives at the virtual clock.
 */
import type { SandboxProvider } from '../../kit/types.ts';
import { registerAccountRoutes } from './account-routes.ts';
import { registerAnalyticsRoutes } from './analytics-routes.ts';
import type { SandboxDeps } from './call.ts';
import { PROVIDER } from './constants.ts';
import { registerEntityRoutes } from './entity-routes.ts';
import { registerOAuthRoutes } from './oauth-routes.ts';
import { userSummaries } from './seed.ts';
import { LinkedInSandboxStore } from './store.ts';
import { analyticsTruth } from './truth.ts';
import { errors, oauthError, send } from './wire.ts';

export { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET } from './constants.ts';

/** The LinkedIn Ads sandbox provider (`linkedin-ads`). */
export const linkedinAdsSandbox: SandboxProvider = {
  provider: PROVIDER,
  users: userSummaries,
  register(app, context) {
    const deps: SandboxDeps = { store: new LinkedInSandboxStore(context), context };
    // Requests held open by the `hang` fault would keep `app.close()` waiting for ever.
    deps.store.watchConnections(app.server);
    app.addHook('preClose', (done) => {
      deps.store.releaseHeld();
      done();
    });
    // LinkedIn's token endpoints take form-encoded bodies (scoped to this sandbox's routes).
    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (_request, body, done) => {
        const form: Record<string, string | string[]> = {};
        for (const [name, value] of new URLSearchParams(String(body))) {
          const previous = form[name];
          form[name] = previous === undefined ? value : [...[previous].flat(), value];
        }
        done(null, form);
      },
    );
    app.setNotFoundHandler((_request, reply) => send(reply, errors.noResource()));
    app.setErrorHandler((error, request, reply) => {
      const status = (error as { statusCode?: number }).statusCode ?? 500;
      if (status >= 400 && status < 500) {
        // A body the token endpoint cannot read (JSON, say) is a missing parameter to LinkedIn.
        if (request.url.includes('/oauth/v2/')) {
          return send(
            reply,
            oauthError(400, 'invalid_request', 'A required parameter "grant_type" is missing'),
          );
        }
        return send(
          reply,
          errors.badRequest('ILLEGAL_ARGUMENT', error instanceof Error ? error.message : 'Bad request'),
        );
      }
      return send(reply, errors.serverError());
    });
    registerOAuthRoutes(app, deps);
    registerAccountRoutes(app, deps);
    registerEntityRoutes(app, deps);
    registerAnalyticsRoutes(app, deps);
  },
  truth(account, from, to, context) {
    return analyticsTruth(account, from, to, context.now());
  },
};
