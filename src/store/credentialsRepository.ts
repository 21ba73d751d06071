/**
 * SQL for sealed credentials and OAuth authorization states. Only vault envelopes and hashes are
 * stored here; plaintext secrets never reach the database.
 */
import type { Queryable } from './db.ts';

/** A pending OAuth authorization, found by the hash of its `state`. */
export interface OAuthStateRecord {
  connectionId: string;
  purpose: 'authorize' | 'reconnect';
  sealedVerifier: string | null;
  redirectUri: string;
  returnTo: string | null;
  expiresAt: Date;
  /** The SHA-256 of the browser session that started it (null: an API token did); the callback must carry it. */
  sessionHash: string | null;
}

export const credentialsRepository = {
  async put(db: Queryable, connectionId: string, sealed: string, now: Date): Promise<void> {
    await db.query(
      `INSERT INTO credentials (connection_id, sealed, updated_at) VALUES ($1, $2, $3)
       ON CONFLICT (connection_id) DO UPDATE SET sealed = EXCLUDED.sealed, updated_at = EXCLUDED.updated_at`,
      [connectionId, sealed, now],
    );
  },

  async get(db: Queryable, connectionId: string): Promise<string | null> {
    const rows = await db.query('SELECT sealed FROM credentials WHERE connection_id = $1', [connectionId]);
    return rows[0] ? String(rows[0].sealed) : null;
  },

  /**
   * Takes the refresh lease of a credential when nobody holds it (or the holder's lease ran out) and returns the
   * sealed credential as it is now; null while another refresher holds it.
   */
  async claimRefresh(
    db: Queryable,
    connectionId: string,
    owner: string,
    now: Date,
    until: Date,
  ): Promise<string | null> {
    const rows = await db.query(
      `UPDATE credentials SET refresh_owner = $2, refresh_until = $4
       WHERE connection_id = $1 AND (refresh_until IS NULL OR refresh_until < $3)
       RETURNING sealed`,
      [connectionId, owner, now, until],
    );
    return rows[0] ? String(rows[0].sealed) : null;
  },

  /**
   * Stores the refreshed credential and gives the lease back. The credential is written even when the lease ran
   * out meanwhile: the new token set is valid, and a rotated refresh token must never be lost.
   */
  async completeRefresh(
    db: Queryable,
    connectionId: string,
    owner: string,
    sealed: string,
    now: Date,
  ): Promise<void> {
    await db.query(
      `UPDATE credentials SET sealed = $3, updated_at = $4,
         refresh_owner = CASE WHEN refresh_owner = $2 THEN NULL ELSE refresh_owner END,
         refresh_until = CASE WHEN refresh_owner = $2 THEN NULL ELSE refresh_until END
       WHERE connection_id = $1`,
      [connectionId, owner, sealed, now],
    );
  },

  /** Gives the lease back after a failed refresh. */
  async releaseRefresh(db: Queryable, connectionId: string, owner: string): Promise<void> {
    await db.query(
      `UPDATE credentials SET refresh_owner = NULL, refresh_until = NULL
       WHERE connection_id = $1 AND refresh_owner = $2`,
      [connectionId, owner],
    );
  },
};

export const oauthStatesRepository = {
  async insert(db: Queryable, stateHash: string, record: OAuthStateRecord, now: Date): Promise<void> {
    await db.query(
      `INSERT INTO oauth_states (state_hash, connection_id, purpose, sealed_verifier, redirect_uri, return_to,
         expires_at, created_at, session_hash) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)`,
      [
        stateHash,
        record.connectionId,
        record.purpose,
        record.sealedVerifier,
        record.redirectUri,
        record.returnTo,
        record.expiresAt,
        now,
        record.sessionHash,
      ],
    );
  },

  /**
   * Removes and returns the state: a state works once, whatever happens next. A state bound to a session is
   * consumed only by a request of that session (`sessionHash`); for another it stays and `'otherSession'` returns.
   */
  async consume(
    db: Queryable,
    stateHash: string,
    sessionHash: string | null,
  ): Promise<OAuthStateRecord | 'otherSession' | null> {
    const rows = await db.query(
      `DELETE FROM oauth_states WHERE state_hash = $1 AND (session_hash IS NULL OR session_hash = $2)
       RETURNING *`,
      [stateHash, sessionHash],
    );
    const row = rows[0];
    if (!row) {
      const bound = await db.query('SELECT 1 FROM oauth_states WHERE state_hash = $1', [stateHash]);
      return bound.length > 0 ? 'otherSession' : null;
    }
    return {
      connectionId: String(row.connection_id),
      purpose: row.purpose as OAuthStateRecord['purpose'],
      sealedVerifier: row.sealed_verifier === null ? null : String(row.sealed_verifier),
      redirectUri: String(row.redirect_uri),
      returnTo: row.return_to === null ? null : String(row.return_to),
      expiresAt: row.expires_at as Date,
      sessionHash: row.session_hash === null ? null : String(row.session_hash),
    };
  },

  async deleteExpired(db: Queryable, now: Date): Promise<number> {
    const rows = await db.query('DELETE FROM oauth_states WHERE expires_at < $1 RETURNING state_hash', [now]);
    return rows.length;
  },
};
