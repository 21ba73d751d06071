/**
 * The Google Analytics 4 sandbox: an offline, faithful fake of Google sign-in (consent page, token endpoint with the
 * authorization-code, refresh and service-account JWT-bearer grants, revocation, userinfo), the Admin API v1beta
 * discovery calls and the Data API v1beta `runReport`, mounted by the sandbox host at `/sandbox/ga4`.
 *
 * Served (relative to the prefix):
 * - `GET /o/oauth2/v2/auth` — consent page; `sandbox_approve=<email>` / `sandbox_deny=1` skip it.
 * - `POST /token`, `POST /revoke`, `GET /v1/userinfo`.
 * - `GET /admin/v1beta/accountSummaries`, `GET /admin/v1beta/properties`, `GET /admin/v1beta/properties/<id>`.
 * - `POST /data/v1beta/properties/<id>:runReport`, `GET /data/v1beta/properties/<id>/metadata`.
 * - Sandbox-only: `GET /_control/service-account-key?email=`, `POST /_control/quota`.
 * Errors are google.rpc.Status bodies (`{"error":{code,message,status}}`) with Google's HTTP statuses.
 *
 * `truth()` gives the property-level daily totals the Data API reports at the virtual clock.
 */
import type { SandboxProvider } from '../../kit/types.ts';
import { registerAdminRoutes } from './admin-routes.ts';
import { registerAuthorizeRoute } from './authorize-route.ts';
import type { SandboxDeps } from './call.ts';
import { PROVIDER } from './constants.ts';
import { registerControlRoutes } from './control-routes.ts';
import { registerDataRoutes } from './data-routes.ts';
import { QuotaBook } from './quota.ts';
import { userSummaries } from './seed.ts';
import { Ga4SandboxStore } from './store.ts';
import { registerTokenRoutes } from './token-routes.ts';
import { propertyTruth } from './truth.ts';
import { rpc, send } from './wire.ts';

export { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET } from './constants.ts';

/** Parses `application/x-www-form-urlencoded` bodies (Google's token endpoint takes them) into a plain object. */
function parseForm(text: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(text));
}

/** The GA4 sandbox provider (`ga4`). */
export const ga4Sandbox: SandboxProvider = {
  provider: PROVIDER,
  users: userSummaries,
  register(app, context) {
    const deps: SandboxDeps = { store: new Ga4SandboxStore(context), quota: new QuotaBook(), context };
    // Requests held open by the `hang` fault would keep `app.close()` waiting for ever.
    deps.store.watchConnections(app.server);
    app.addHook('preClose', (done) => {
      deps.store.releaseHeld();
      done();
    });
    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (_request, body, done) => done(null, parseForm(String(body))),
    );
    app.setNotFoundHandler((_request, reply) =>
      send(reply, rpc.notFound('The requested URL was not found on this server.')),
    );
    // A body fastify cannot parse is Google's "Invalid JSON payload received".
    app.setErrorHandler((error, _request, reply) => {
      const status = (error as { statusCode?: number }).statusCode ?? 500;
      if (status >= 400 && status < 500) {
        const message = error instanceof Error ? error.message : 'The body could not be parsed.';
        return send(reply, rpc.invalidArgument(`Invalid JSON payload received. ${message}`));
      }
      return send(reply, rpc.internal());
    });
    registerAuthorizeRoute(app, deps);
    registerTokenRoutes(app, deps);
    registerAdminRoutes(app, deps);
    registerDataRoutes(app, deps);
    registerControlRoutes(app, deps);
  },
  truth(account, from, to, context) {
    return propertyTruth(account, from, to, context.now());
  },
};
