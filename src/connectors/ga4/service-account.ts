/**
 * The second GA4 credential: a Google Cloud service-account JSON key. The form takes the key file's text, checks
 * it is one (not an OAuth client file or a gcloud user credential) with messages that say what to do, signs an
 * RS256 JWT with the key (`node:crypto`), exchanges it at the token endpoint (the JWT bearer grant) and checks the
 * token with `accountSummaries`. The key is kept sealed in `TokenSet.secrets`: a refresh signs a new assertion.
 */
import { createPrivateKey, type KeyObject, sign } from 'node:crypto';
import { TributaryError } from '../../domain/errors.ts';
import type { ConnectorEnvironment, CredentialForm, ProviderIdentity, TokenSet } from '../kit/types.ts';
import { classifyTokenResponse } from './errors.ts';
import { callGoogle, type Ga4Settings, malformed, objectBody, requireGa4Settings } from './google-api.ts';

/** Where the key lives in `TokenSet.secrets`. */
export const SERVICE_ACCOUNT_SECRET = 'serviceAccountKey';
/** A service account reads reports only. */
export const SERVICE_ACCOUNT_SCOPE = 'https://www.googleapis.com/auth/analytics.readonly';
/** Google refuses assertions valid for longer than an hour. */
const ASSERTION_LIFETIME_S = 3600;
/** The longest key file the form takes (a Google key file is about 2.3 kB). */
export const SERVICE_ACCOUNT_KEY_MAX_LENGTH = 16_384;
/** The JWT bearer grant type of RFC 7523. */
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

const WHERE_TO_GET_ONE =
  'in Google Cloud Console → IAM & Admin → Service accounts → (the account) → Keys → Add key → Create new key → JSON, ' +
  'then paste the whole file';

/** A parsed, checked service-account key. */
export interface ServiceAccountKey {
  clientEmail: string;
  /** The service account's numeric unique id (stable across its keys), when the file has it. */
  clientId: string | null;
  privateKeyId: string | null;
  privateKey: KeyObject;
  /** The `aud` of the assertion. */
  tokenUri: string;
}

function invalid(message: string): TributaryError {
  return new TributaryError('validation_failed', `Google Analytics 4: ${message}`);
}

function text(record: Record<string, unknown>, name: string): string | null {
  const value = record[name];
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/** Why a JSON object is not a service-account key, or null when it claims to be one. */
function wrongKind(record: Record<string, unknown>): string | null {
  if (record.installed !== undefined || record.web !== undefined) {
    return `This is an OAuth client file, not a service-account key: ${WHERE_TO_GET_ONE}`;
  }
  const type = record.type;
  if (type === 'service_account') return null;
  if (type === 'authorized_user') {
    return `This is a user credential file (from gcloud auth application-default login), not a service-account key: ${WHERE_TO_GET_ONE}`;
  }
  if (type === 'external_account') {
    return `This is a workload identity federation configuration, not a service-account key: ${WHERE_TO_GET_ONE}`;
  }
  if (type === undefined)
    return `The JSON has no "type": "service_account", so it is not a service-account key: ${WHERE_TO_GET_ONE}`;
  return `The file's "type" is ${JSON.stringify(type)}, not "service_account": ${WHERE_TO_GET_ONE}`;
}

/**
 * Parses and checks a key file's text. Every refusal is `validation_failed` naming the problem and the remedy; no
 * message ever quotes the private key.
 */
export function parseServiceAccountKey(raw: string): ServiceAccountKey {
  const trimmed = raw.trim();
  if (trimmed === '') throw invalid(`The key is empty: ${WHERE_TO_GET_ONE}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    throw invalid(`The key is not JSON: ${WHERE_TO_GET_ONE}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalid(`The key is not a JSON object: ${WHERE_TO_GET_ONE}`);
  }
  const record = parsed as Record<string, unknown>;
  const kind = wrongKind(record);
  if (kind) throw invalid(kind);
  const missing = ['client_email', 'private_key', 'token_uri'].filter((name) => text(record, name) === null);
  if (missing.length > 0) {
    throw invalid(
      `The service-account key has no ${missing.join(', ')}: download a new key (${WHERE_TO_GET_ONE})`,
    );
  }
  const clientEmail = text(record, 'client_email')!.trim();
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(clientEmail)) {
    throw invalid("The key's client_email is not an email address: download a new key");
  }
  const tokenUri = text(record, 'token_uri')!.trim();
  let tokenUrl: URL | null = null;
  try {
    tokenUrl = new URL(tokenUri);
  } catch {
    tokenUrl = null;
  }
  if (!tokenUrl || (tokenUrl.protocol !== 'https:' && tokenUrl.protocol !== 'http:')) {
    throw invalid("The key's token_uri is not a URL: download a new key");
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: text(record, 'private_key')!, format: 'pem' });
  } catch {
    throw invalid(
      'The key\'s private_key is not a readable PEM private key (was the file edited, or its "\\n" line breaks lost?): paste the file unchanged or download a new key',
    );
  }
  if (privateKey.asymmetricKeyType !== 'rsa') {
    throw invalid(
      `The key's private_key is a ${privateKey.asymmetricKeyType ?? 'non-RSA'} key; Google service-account keys are RSA`,
    );
  }
  const clientId = record.client_id;
  return {
    clientEmail,
    clientId: typeof clientId === 'string' && clientId !== '' ? clientId : null,
    privateKeyId: text(record, 'private_key_id'),
    privateKey,
    tokenUri,
  };
}

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

/** The signed RS256 assertion of the JWT bearer grant (header `kid` = the key id, `aud` = the key's token_uri). */
export function signAssertion(key: ServiceAccountKey, now: Date): string {
  const header = { alg: 'RS256', typ: 'JWT', ...(key.privateKeyId ? { kid: key.privateKeyId } : {}) };
  const iat = Math.floor(now.getTime() / 1000);
  const claims = {
    iss: key.clientEmail,
    scope: SERVICE_ACCOUNT_SCOPE,
    aud: key.tokenUri,
    iat,
    exp: iat + ASSERTION_LIFETIME_S,
  };
  const unsigned = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  const signature = sign('RSA-SHA256', Buffer.from(unsigned), key.privateKey);
  return `${unsigned}.${base64url(signature)}`;
}

/**
 * Exchanges a fresh assertion for an access token. It is posted to the configured token endpoint (Google's, or the
 * sandbox's), never to a URL taken from the key file, so a crafted key cannot make the server call elsewhere.
 */
async function exchangeAssertion(
  environment: ConnectorEnvironment,
  settings: Ga4Settings,
  key: ServiceAccountKey,
  keyText: string,
): Promise<TokenSet> {
  const label = 'POST /token (jwt-bearer)';
  const now = new Date();
  const body = objectBody(
    await callGoogle(environment, {
      method: 'POST',
      url: settings.oauthEndpoints.token,
      label,
      form: { grant_type: JWT_BEARER, assertion: signAssertion(key, now) },
      classify: (response) => classifyTokenResponse(response, 'assertion'),
    }),
    label,
  );
  const accessToken = body.access_token;
  if (typeof accessToken !== 'string' || accessToken === '') throw malformed(label, 'no access_token');
  const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : ASSERTION_LIFETIME_S;
  // No refresh token for a service account: the key itself is the long-lived grant.
  return {
    accessToken,
    expiresAt: new Date(now.getTime() + expiresIn * 1000).toISOString(),
    scopes: [SERVICE_ACCOUNT_SCOPE],
    secrets: { [SERVICE_ACCOUNT_SECRET]: keyText },
  };
}

/** The key a credential carries, or null for an OAuth credential. */
export function serviceAccountKeyOf(token: TokenSet): ServiceAccountKey | null {
  const keyText = token.secrets?.[SERVICE_ACCOUNT_SECRET];
  if (keyText === undefined) return null;
  try {
    return parseServiceAccountKey(keyText);
  } catch (error) {
    // A stored key that no longer parses cannot sign: the user must paste a key again.
    throw new TributaryError(
      'auth_token_revoked',
      'Google Analytics 4: the stored service-account key is unusable',
      {
        cause: error,
      },
    );
  }
}

/** The identity of a service account: its email, and its numeric id (the same for all of its keys). */
export function serviceAccountIdentity(key: ServiceAccountKey): ProviderIdentity {
  return { businessAccount: key.clientEmail, businessAccountId: key.clientId ?? key.clientEmail };
}

/** A new access token for a stored key: a newly signed assertion. */
export async function refreshServiceAccountToken(
  environment: ConnectorEnvironment,
  token: TokenSet,
): Promise<TokenSet> {
  const key = serviceAccountKeyOf(token);
  if (!key)
    throw new TributaryError('auth_token_revoked', 'Google Analytics 4: the credential carries no key');
  return exchangeAssertion(
    environment,
    requireGa4Settings(environment),
    key,
    token.secrets![SERVICE_ACCOUNT_SECRET]!,
  );
}

/** Checks that a token can read the Admin API (one account summary); failures keep their classification. */
export async function checkAdminAccess(environment: ConnectorEnvironment, token: TokenSet): Promise<void> {
  const settings = requireGa4Settings(environment);
  const url = new URL(`${settings.adminBase}/accountSummaries`);
  url.searchParams.set('pageSize', '1');
  objectBody(
    await callGoogle(environment, {
      method: 'GET',
      url: url.toString(),
      label: 'GET /v1beta/accountSummaries',
      accessToken: token.accessToken,
    }),
    'GET /v1beta/accountSummaries',
  );
}

/** The credential form: one secret field holding the JSON key file. */
export function createServiceAccountForm(environment: ConnectorEnvironment): CredentialForm {
  return {
    // A connection made with a key is a service-account connection, whatever else the source offers.
    authType: 'service_account',
    fields: [
      {
        name: 'key',
        label: 'Service-account JSON key',
        secret: true,
        description:
          'The whole JSON key file of a Google Cloud service account that has the Viewer role on your GA4 properties ' +
          '(Cloud Console → IAM & Admin → Service accounts → Keys → Add key → JSON).',
        maxLength: SERVICE_ACCOUNT_KEY_MAX_LENGTH,
      },
    ],
    async verify(values) {
      const keyText = (values.key ?? '').trim();
      const key = parseServiceAccountKey(keyText);
      const settings = requireGa4Settings(environment);
      const token = await exchangeAssertion(environment, settings, key, keyText);
      await checkAdminAccess(environment, token);
      return { token, identity: serviceAccountIdentity(key) };
    },
  };
}
