/**
 * Service-account keys and the JWT-bearer grant. The committed sandbox-only keys (`service-account-keys/*.json`,
 * shaped like Google key files) are loaded once; an assertion is an RS256 JWT whose header names the key
 * (`kid` = `private_key_id`) and whose claims are `iss` = `client_email`, `scope`, `aud` = the token URI, `iat`,
 * `exp` (≤ one hour after `iat`). Checks run on the real clock, like every token lifetime.
 */
import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ASSERTION_SKEW_SECONDS, GOOGLE_TOKEN_URI, MAX_ASSERTION_SECONDS } from './constants.ts';
import { type SeedServiceAccount, seedServiceAccounts } from './seed.ts';

/** A Google service-account key file, as committed (and as Google Cloud Console downloads it). */
export interface ServiceAccountKeyFile {
  type: 'service_account';
  project_id: string;
  private_key_id: string;
  private_key: string;
  client_email: string;
  client_id: string;
  auth_uri: string;
  token_uri: string;
  auth_provider_x509_cert_url: string;
  client_x509_cert_url: string;
  universe_domain: string;
}

interface LoadedKey {
  serviceAccount: SeedServiceAccount;
  file: ServiceAccountKeyFile;
  text: string;
  publicKey: KeyObject;
}

const loaded: LoadedKey[] = seedServiceAccounts.map((serviceAccount) => {
  const text = readFileSync(
    new URL(`./service-account-keys/${serviceAccount.keyFile}.json`, import.meta.url),
    'utf8',
  );
  const file = JSON.parse(text) as ServiceAccountKeyFile;
  return { serviceAccount, file, text, publicKey: createPublicKey(file.private_key) };
});

/** The key file text of a seeded service account (for the control route), or undefined. */
export function keyFileText(email: string): string | undefined {
  const wanted = email.trim().toLowerCase();
  return loaded.find((key) => key.file.client_email === wanted)?.text;
}

/** The parsed key file of a seeded service account (tests sign assertions with it). */
export function keyFile(email: string): ServiceAccountKeyFile | undefined {
  const wanted = email.trim().toLowerCase();
  return loaded.find((key) => key.file.client_email === wanted)?.file;
}

/** Why an assertion was refused, with the token endpoint's error and description. */
export interface AssertionFailure {
  ok: false;
  status: number;
  error: string;
  description: string;
}

/** An accepted assertion: who it is for and the scopes it asked. */
export interface AssertionSuccess {
  ok: true;
  serviceAccount: SeedServiceAccount;
  scopes: string[];
}

const invalidGrant = (description: string): AssertionFailure => ({
  ok: false,
  status: 400,
  error: 'invalid_grant',
  description,
});

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Verifies a JWT-bearer assertion. `ownTokenUrl` is the sandbox's own token URL, accepted as `aud` besides
 * Google's (`https://oauth2.googleapis.com/token`), since a sandbox-mode client posts to the sandbox whatever its
 * key's `token_uri` says.
 */
export function verifyAssertion(assertion: string, ownTokenUrl: string): AssertionSuccess | AssertionFailure {
  const parts = assertion.split('.');
  const [headerPart, claimsPart, signaturePart] = parts;
  if (parts.length !== 3 || !headerPart || !claimsPart || !signaturePart) {
    return invalidGrant('Invalid JWT: Token must be a short-lived token and in a reasonable timeframe');
  }
  const header = decodeJson(headerPart);
  const claims = decodeJson(claimsPart);
  if (!header || !claims) return invalidGrant('Invalid JWT Signature.');
  if (header.alg !== 'RS256') return invalidGrant('Invalid JWT Signature.');
  const issuer = typeof claims.iss === 'string' ? claims.iss.toLowerCase() : '';
  const key = loaded.find(
    (candidate) =>
      candidate.file.client_email === issuer &&
      (header.kid === undefined || header.kid === candidate.file.private_key_id),
  );
  if (!key) return invalidGrant('Invalid JWT Signature.');
  const signed = Buffer.from(`${headerPart}.${claimsPart}`);
  const signature = Buffer.from(signaturePart, 'base64url');
  if (!verify('RSA-SHA256', signed, key.publicKey, signature)) return invalidGrant('Invalid JWT Signature.');
  const audience = typeof claims.aud === 'string' ? claims.aud : '';
  if (audience !== GOOGLE_TOKEN_URI && audience !== ownTokenUrl) {
    return invalidGrant(`Invalid JWT: Failed audience check. The right audience is ${GOOGLE_TOKEN_URI}`);
  }
  const { iat, exp } = claims;
  const now = Date.now() / 1000;
  if (
    typeof iat !== 'number' ||
    typeof exp !== 'number' ||
    exp <= iat ||
    exp - iat > MAX_ASSERTION_SECONDS ||
    iat > now + ASSERTION_SKEW_SECONDS ||
    exp < now - ASSERTION_SKEW_SECONDS
  ) {
    return invalidGrant(
      'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.',
    );
  }
  if (claims.sub !== undefined && claims.sub !== key.file.client_email) {
    // Domain-wide delegation (impersonating a user) is not set up for the sandbox's service accounts.
    return {
      ok: false,
      status: 401,
      error: 'unauthorized_client',
      description:
        'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.',
    };
  }
  const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : [];
  if (scopes.length === 0) {
    return {
      ok: false,
      status: 400,
      error: 'invalid_scope',
      description: 'Invalid OAuth scope or ID token audience provided.',
    };
  }
  return { ok: true, serviceAccount: key.serviceAccount, scopes };
}
