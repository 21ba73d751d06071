/**
 * Identity and discovery: `user/info/` (who authorized), `oauth2/advertiser/get/` (the advertisers the
 * token may read, unpaged) and `advertiser/info/` (details, at most 100 ids per call).
 */
import type { FastifyInstance } from 'fastify';
import { runApiCall, type SandboxDeps } from './call.ts';
import { API_PREFIX, MAX_ADVERTISER_IDS } from './constants.ts';
import { appCredentialsValid } from './oauth-routes.ts';
import { authorizedAdvertisers, findAdvertiser, type SeedAdvertiser, type SeedUser } from './seed.ts';
import type { IssuedAccessToken } from './store.ts';
import { type ApiResponse, errors, ok, stringListParam, stringParam } from './wire.ts';

/** `advertiser/info/` fields the sandbox serves, with their wire values (types as TikTok sends them). */
const advertiserFields: Record<string, (advertiser: SeedAdvertiser) => string | number> = {
  advertiser_id: (advertiser) => advertiser.advertiserId,
  name: (advertiser) => advertiser.name,
  status: (advertiser) => advertiser.status,
  role: () => 'ROLE_ADVERTISER',
  currency: (advertiser) => advertiser.currency,
  timezone: (advertiser) => advertiser.timezone,
  display_timezone: (advertiser) => advertiser.timezone,
  country: (advertiser) => advertiser.country,
  company: (advertiser) => advertiser.company,
  address: (advertiser) => `${advertiser.company}, 1 Sandbox Street`,
  language: () => 'en',
  create_time: (advertiser) => advertiser.createTime,
  balance: (advertiser) => (Number(advertiser.advertiserId.slice(-5)) % 50_000) / 10,
};

/** The field names `advertiser/info/` accepts in `fields`. */
export const ADVERTISER_FIELDS = Object.keys(advertiserFields);

/** The avatar URL TikTok would serve; never fetched by anything. */
function avatarOf(user: SeedUser): string {
  return `https://p16-sign-va.tiktokcdn.com/sandbox/avatar/${user.coreUserId}.jpeg`;
}

function userInfo(deps: SandboxDeps, token: IssuedAccessToken): ApiResponse {
  const { user } = token;
  return ok(deps.context.now(), {
    core_user_id: user.coreUserId,
    display_name: user.name,
    email: user.email,
    avatar_url: avatarOf(user),
    // Seconds since the epoch, a number, as TikTok sends it.
    create_time: 1577836800 + (Number(user.coreUserId.slice(-6)) % 100_000_000),
  });
}

function advertiserList(deps: SandboxDeps, token: IssuedAccessToken, query: unknown): ApiResponse {
  const now = deps.context.now();
  for (const name of ['app_id', 'secret']) {
    if (!stringParam(query, name)) return errors.parameter(now, name, 'Missing data for required field.');
  }
  if (!appCredentialsValid(stringParam(query, 'app_id'), stringParam(query, 'secret'))) {
    return errors.appCredentials(now);
  }
  return ok(now, {
    list: authorizedAdvertisers(token.user).map((advertiser) => ({
      advertiser_id: advertiser.advertiserId,
      advertiser_name: advertiser.name,
    })),
  });
}

function advertiserInfo(deps: SandboxDeps, token: IssuedAccessToken, query: unknown): ApiResponse {
  const now = deps.context.now();
  const ids = stringListParam(query, 'advertiser_ids');
  if (ids === undefined) return errors.parameter(now, 'advertiser_ids', 'Missing data for required field.');
  if (ids === null) return errors.parameter(now, 'advertiser_ids', 'Not a valid list.');
  if (ids.length === 0 || ids.length > MAX_ADVERTISER_IDS) {
    return errors.parameter(now, 'advertiser_ids', `Length must be between 1 and ${MAX_ADVERTISER_IDS}.`);
  }
  const fields = stringListParam(query, 'fields');
  if (fields === null) return errors.parameter(now, 'fields', 'Not a valid list.');
  const unknown = (fields ?? []).filter((field) => !(field in advertiserFields));
  if (unknown.length > 0) return errors.parameter(now, 'fields', `Invalid field(s): ${unknown.join(', ')}.`);
  const selected = fields && fields.length > 0 ? fields : ADVERTISER_FIELDS;
  const list: Record<string, string | number>[] = [];
  for (const id of ids) {
    const found = findAdvertiser(id);
    if (!found) return errors.advertiserNotFound(now, id);
    if (found.owner !== token.user)
      return errors.permission(now, `No permission to operate advertiser ${id}.`);
    list.push(
      Object.fromEntries(selected.map((field) => [field, advertiserFields[field]!(found.advertiser)])),
    );
  }
  return ok(now, { list });
}

/** Registers `user/info/`, `oauth2/advertiser/get/` and `advertiser/info/`. */
export function registerAccountRoutes(app: FastifyInstance, deps: SandboxDeps): void {
  app.get(`${API_PREFIX}/user/info/`, (request, reply) =>
    runApiCall(deps, request, reply, (token) => userInfo(deps, token!), { authenticated: true }),
  );
  app.get(`${API_PREFIX}/oauth2/advertiser/get/`, (request, reply) =>
    runApiCall(deps, request, reply, (token) => advertiserList(deps, token!, request.query), {
      authenticated: true,
    }),
  );
  app.get(`${API_PREFIX}/advertiser/info/`, (request, reply) =>
    runApiCall(deps, request, reply, (token) => advertiserInfo(deps, token!, request.query), {
      authenticated: true,
    }),
  );
}
