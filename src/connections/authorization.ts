/**
 * The OAuth authorization of a connection: starting it (state, PKCE, URL) and completing it at the
 * callback (single-use state, code exchange, identity check, sealed credential, discovery).
 */
import crypto from 'node:crypto';
import type { Connector } from '../connectors/kit/types.ts';
import type { Connection } from '../domain/connection.ts';
import { TributaryError } from '../domain/errors.ts';
import { connectionsRepository } from '../store/connectionsRepository.ts';
import { oauthStatesRepository } from '../store/credentialsRepository.ts';
import type { Queryable } from '../store/db.ts';
import { activateConnection } from './activation.ts';
import type { AppContext } from './context.ts';
import { recordConnectionProblem } from './health.ts';

/** How long an authorization link stays valid. */
export const STATE_TTL_MS = 10 * 60 * 1000;

const hashState = (state: string) => crypto.createHash('sha256').update(state).digest('hex');

/** The callback URL registered with every provider app. */
function callbackUrl(context: AppContext): string {
  return `${context.publicUrl()}/api/v1/oauth/callback`;
}

/** Returns the connector for a data source id, or raises the errors the API promises. */
export function requireOAuthConnector(
  context: AppContext,
  dataSource: string,
): Connector & { oauth: NonNullable<Connector['oauth']> } {
  const connector = context.connectors.get(dataSource);
  if (!connector) throw new TributaryError('unknown_data_source', `Unknown data source "${dataSource}"`);
  if (!connector.configured) {
    // A refused setting (a base URL off the provider's hosts) makes a connector unconfigured too; building a URL
    // raises that setting's own error, which names the variable to fix.
    try {
      connector.oauth?.authorizationUrl({ state: 'configuration-check', redirectUri: callbackUrl(context) });
    } catch (error) {
      if (error instanceof TributaryError && error.code === 'provider_not_configured') throw error;
    }
    throw new TributaryError(
      'provider_not_configured',
      `${connector.name} has no app credentials configured and the sandbox is off`,
    );
  }
  if (!connector.oauth) {
    throw new TributaryError('wrong_auth_type', `${connector.name} is not an OAuth source`);
  }
  return connector as Connector & { oauth: NonNullable<Connector['oauth']> };
}

/** Why an authorization starts, where to send the person afterwards, and who started it. */
export interface AuthorizationStart {
  purpose: 'authorize' | 'reconnect';
  returnTo: string | null;
  /**
   * The SHA-256 of the browser session that asked (the caller's `sessionHash`), or null for an API token. A state
   * started by a session completes only in that session, so a link lured out of one person's browser cannot
   * attach another account to their connection (login CSRF on the callback). A token caller (the CLI) prints the
   * link for any browser, often one not signed in to Tributary: there the 256-bit, single-use, 10-minute state,
   * bound to one connection, is the whole proof.
   */
  sessionHash: string | null;
}

/**
 * Creates a single-use state for `connection` and returns the provider URL to authorize at. The URL is built before
 * anything is written, so a provider not ready to authorize (Google Ads without a developer token) refuses with
 * nothing saved; `db` lets a caller write the state in its own transaction.
 */
export async function startAuthorization(
  context: AppContext,
  connection: Connection,
  start: AuthorizationStart,
  db: Queryable = context.db,
): Promise<string> {
  const { purpose, returnTo, sessionHash } = start;
  const connector = requireOAuthConnector(context, connection.dataSource);
  const state = crypto.randomBytes(32).toString('base64url');
  const stateHash = hashState(state);
  const verifier = connector.oauth.pkce ? crypto.randomBytes(32).toString('base64url') : null;
  const redirectUri = callbackUrl(context);
  const codeChallenge = verifier
    ? crypto.createHash('sha256').update(verifier).digest('base64url')
    : undefined;
  const url = connector.oauth.authorizationUrl({ state, redirectUri, codeChallenge });
  const now = context.now();
  // Abandoned authorizations are swept here: cheap (indexed) and no scheduler needed.
  await oauthStatesRepository.deleteExpired(db, now);
  await oauthStatesRepository.insert(
    db,
    stateHash,
    {
      connectionId: connection.id,
      purpose,
      sealedVerifier: verifier ? context.vault.seal(verifier, stateHash) : null,
      redirectUri,
      returnTo,
      expiresAt: new Date(now.getTime() + STATE_TTL_MS),
      sessionHash,
    },
    now,
  );
  return url;
}

/** The provider's answer at the callback. */
export interface CallbackInput {
  state?: string | undefined;
  code?: string | undefined;
  error?: string | undefined;
  error_description?: string | undefined;
}

/** Marks a connection as failed with `error` and returns the error to raise. */
async function recordFailure(
  context: AppContext,
  connectionId: string,
  error: TributaryError,
): Promise<TributaryError> {
  await recordConnectionProblem(context, connectionId, error, {
    credentialBroken: true,
    // A connection that never authorized has nothing to load.
    accountStatus: (current) => (current.status === 'pending' ? 'error' : current.accountStatus),
  });
  return error;
}

/**
 * Completes an authorization. The state is consumed first, so a replay fails whatever happened
 * the first time. Returns the connection and where the user asked to go next.
 */
export async function completeAuthorization(
  context: AppContext,
  input: CallbackInput,
  /** The SHA-256 of the callback request's session cookie (null: none, or not a live session). */
  sessionHash: string | null,
  /** Filled in as soon as the state is known, so a failure can still send the person back. */
  known: { returnTo?: string | null; connectionId?: string } = {},
): Promise<{ connection: Connection; returnTo: string | null }> {
  if (!input.state) throw new TributaryError('invalid_oauth_state', 'The callback has no state parameter');
  const stateHash = hashState(input.state);
  const record = await oauthStatesRepository.consume(context.db, stateHash, sessionHash);
  const now = context.now();
  if (record === 'otherSession') {
    // Left unconsumed and the connection untouched: the browser that started it can still finish.
    throw new TributaryError(
      'invalid_oauth_state',
      'This authorization was started in another browser session: finish it in the browser that started it',
    );
  }
  if (!record) {
    throw new TributaryError('invalid_oauth_state', 'The authorization state is unknown or was already used');
  }
  if (record.expiresAt.getTime() < now.getTime()) {
    throw new TributaryError('invalid_oauth_state', 'The authorization link expired (they last 10 minutes)');
  }
  const connection = await connectionsRepository.get(context.db, record.connectionId);
  if (!connection)
    throw new TributaryError('invalid_oauth_state', 'The connection of this authorization was deleted');
  known.returnTo = record.returnTo;
  known.connectionId = connection.id;
  const connector = requireOAuthConnector(context, connection.dataSource);

  if (input.error) {
    const denied = new TributaryError(
      'oauth_denied',
      `${connector.name} authorization was not granted: ${input.error_description ?? input.error}`,
    );
    // A working credential stays working when a reconnect attempt is cancelled.
    if (connection.status === 'active') throw denied;
    throw await recordFailure(context, connection.id, denied);
  }
  if (!input.code)
    throw new TributaryError('validation_failed', 'The callback has neither a code nor an error');

  let token: Awaited<ReturnType<typeof connector.oauth.exchangeCode>>;
  let identity: Awaited<ReturnType<typeof connector.identify>>;
  try {
    token = await connector.oauth.exchangeCode({
      code: input.code,
      redirectUri: record.redirectUri,
      codeVerifier: record.sealedVerifier ? context.vault.open(record.sealedVerifier, stateHash) : undefined,
    });
    identity = await connector.identify(token);
  } catch (error) {
    if (error instanceof TributaryError) throw await recordFailure(context, connection.id, error);
    throw error;
  }

  const updated = await activateConnection(context, connection, token, identity);
  context.logger.info({ connectionId: updated.id, purpose: record.purpose }, 'connection authorized');
  return { connection: updated, returnTo: record.returnTo };
}
