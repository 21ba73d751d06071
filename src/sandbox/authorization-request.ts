/**
 * What every sandbox's OAuth authorize endpoint shares: reading the client id and redirect URI before anything
 * else (until both are good the endpoint can only show an error page, never redirect), the tester's choice on the
 * consent page (`sandbox_deny=1`, `sandbox_approve=<email>`, or neither yet), links back to the same authorize URL
 * carrying that choice, redirects that keep the app's own query, and the PKCE challenge (RFC 7636). Each provider
 * keeps its own paths, parameter names, error pages, scopes and redirect parameters, and calls these with them.
 */

/** The first string value of a query or form field (repeated fields arrive as arrays). */
export function firstParam(source: unknown, name: string): string | undefined {
  if (typeof source !== 'object' || source === null) return undefined;
  const value = (source as Record<string, unknown>)[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : undefined;
}

/** True for an absolute http(s) URL; `withoutFragment` also refuses one with a `#fragment` (as Google does). */
export function isHttpUrl(value: string, options: { withoutFragment?: boolean } = {}): boolean {
  try {
    const url = new URL(value);
    const http = url.protocol === 'http:' || url.protocol === 'https:';
    return http && !(options.withoutFragment && url.hash !== '');
  } catch {
    return false;
  }
}

/**
 * The app's redirect URI with `params` added in the given order (undefined ones left out), keeping its own query;
 * `fragment` replaces its fragment (Facebook Login appends `#_=_`).
 */
export function redirectTo(
  redirectUri: string,
  params: Record<string, string | undefined>,
  fragment?: string,
): string {
  const target = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) target.searchParams.set(name, value);
  }
  if (fragment !== undefined) target.hash = fragment;
  return target.toString();
}

/** How one provider names and checks the app on its authorize endpoint. */
export interface AuthorizeClientRules {
  /** The query parameter naming the app: `client_id` (OAuth 2.0), `app_id` (TikTok). */
  clientIdParam: string;
  /** The one app the sandbox knows. */
  clientId: string;
  /** Refuse a redirect URI with a fragment (RFC 6749 §3.1.2 says it must not have one; Google enforces it). */
  redirectWithoutFragment?: boolean;
}

/** The outcome of {@link checkAuthorizeClient}: the app's redirect URI and state, or what is wrong. */
export type AuthorizeClientCheck =
  | { ok: true; problem?: never; redirectUri: string; state: string | undefined }
  | { ok: false; problem: 'unknown_client'; clientId: string | undefined }
  | { ok: false; problem: 'missing_redirect_uri' }
  | { ok: false; problem: 'redirect_uri_not_http'; redirectUri: string };

/**
 * Checks the app and its redirect URI, in that order. The sandbox registers no redirect URIs: any absolute http(s)
 * URL is the app's, since the apps under test run on whatever host and port they were started on.
 */
export function checkAuthorizeClient(query: unknown, rules: AuthorizeClientRules): AuthorizeClientCheck {
  const clientId = firstParam(query, rules.clientIdParam);
  if (clientId !== rules.clientId) return { ok: false, problem: 'unknown_client', clientId };
  const redirectUri = firstParam(query, 'redirect_uri');
  if (!redirectUri) return { ok: false, problem: 'missing_redirect_uri' };
  if (!isHttpUrl(redirectUri, { withoutFragment: rules.redirectWithoutFragment })) {
    return { ok: false, problem: 'redirect_uri_not_http', redirectUri };
  }
  return { ok: true, redirectUri, state: firstParam(query, 'state') };
}

/** What the tester chose on the consent page: deny, approve as a seeded user, or nothing yet (show the page). */
export type ConsentChoice = { kind: 'deny' } | { kind: 'approve'; email: string } | { kind: 'ask' };

/** Reads the tester's choice; a deny wins over an approve sent with it. */
export function consentChoice(query: unknown): ConsentChoice {
  if (firstParam(query, 'sandbox_deny') === '1') return { kind: 'deny' };
  const email = firstParam(query, 'sandbox_approve');
  return email === undefined ? { kind: 'ask' } : { kind: 'approve', email };
}

/** Links from the consent page back to the same authorize URL, carrying one choice. */
export interface ConsentLinks {
  approveHref(email: string): string;
  denyHref: string;
}

/** Links back to the authorize URL `requestUrl` (path and query), minus any earlier choice, plus the new one. */
export function consentLinks(requestUrl: string): ConsentLinks {
  const base = new URLSearchParams(requestUrl.split('?')[1] ?? '');
  base.delete('sandbox_approve');
  base.delete('sandbox_deny');
  const href = (name: string, value: string) => {
    const params = new URLSearchParams(base);
    params.set(name, value);
    return `?${params.toString()}`;
  };
  return { approveHref: (email) => href('sandbox_approve', email), denyHref: href('sandbox_deny', '1') };
}

/** A PKCE transformation (RFC 7636 §4.2). */
export type PkceMethod = 'S256' | 'plain';

/** The challenge an authorization code is bound to. */
export interface PkceChallenge {
  value: string;
  method: PkceMethod;
}

/** How one provider takes PKCE on its authorize endpoint. */
export interface PkceRules {
  /** The methods it accepts. */
  methods: readonly PkceMethod[];
  /** The method when `code_challenge_method` is absent (RFC 7636 says `plain`; LinkedIn takes only S256). */
  defaultMethod: PkceMethod;
  /** Refuse a challenge that is not 43–128 unreserved characters (RFC 7636 §4.2). */
  checkFormat?: boolean;
}

/** The outcome of {@link readPkceChallenge}; each provider words the problems its own way (or lets some pass). */
export type PkceRead =
  | { ok: true; challenge: PkceChallenge | undefined }
  | { ok: false; problem: 'method_without_challenge' | 'unsupported_method' | 'malformed_challenge' };

const CHALLENGE_FORMAT = /^[A-Za-z0-9._~-]{43,128}$/;

/**
 * Reads `code_challenge` and `code_challenge_method` (given as read: undefined when absent). A method without a
 * challenge is reported, since providers differ on it; the method is checked before the challenge's format.
 */
export function readPkceChallenge(
  challenge: string | undefined,
  method: string | undefined,
  rules: PkceRules,
): PkceRead {
  if (challenge === undefined) {
    return method === undefined
      ? { ok: true, challenge: undefined }
      : { ok: false, problem: 'method_without_challenge' };
  }
  const resolved = method ?? rules.defaultMethod;
  const known = rules.methods.find((candidate) => candidate === resolved);
  if (!known) return { ok: false, problem: 'unsupported_method' };
  if (rules.checkFormat && !CHALLENGE_FORMAT.test(challenge))
    return { ok: false, problem: 'malformed_challenge' };
  return { ok: true, challenge: { value: challenge, method: known } };
}
