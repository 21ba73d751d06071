/**
 * Turns warehouse driver errors into {@link TributaryError}s with a destination code, and keeps
 * connection secrets out of every message.
 */
import { TributaryError } from '../../domain/errors.ts';

/**
 * A connection URL with its password replaced by `***`, fit for messages and logs. A URL that
 * does not parse is not shown at all: the password could sit anywhere in it.
 */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    for (const key of [...parsed.searchParams.keys()]) {
      if (/pass|secret|key|token/i.test(key)) parsed.searchParams.set(key, '***');
    }
    return parsed.toString();
  } catch {
    return '(unparseable connection URL)';
  }
}

/** The strings a message must never contain for a given URL: the raw URL and its password. */
export function secretsOf(url: string): string[] {
  const secrets = [url];
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') secrets.push(parsed.password, decodeURIComponent(parsed.password));
  } catch {
    // An unparseable URL is covered by removing it whole.
  }
  return secrets.filter((secret) => secret.length >= 3);
}

function scrub(text: string, secrets: string[]): string {
  let out = text;
  for (const secret of secrets) out = out.replaceAll(secret, '***');
  return out;
}

/** PostgreSQL SQLSTATEs and socket errors after which a retry may succeed with nothing changed. */
function postgresUnavailable(code: string | undefined): boolean {
  if (code === undefined) return false;
  return (
    /^(?:08|57P)/.test(code) ||
    ['53300', '40001', '40P01', '55P03', '57014'].includes(code) ||
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'EPIPE'].includes(
      code,
    )
  );
}

/** DuckDB messages after which a retry may succeed: the file is locked by another process, or a write conflict. */
function duckDbUnavailable(message: string): boolean {
  return /Could not set lock on file|Conflicting lock|TransactionContext Error|write-write conflict|Conflict on/i.test(
    message,
  );
}

/**
 * Wraps a driver error as `destination_unavailable` (the warehouse cannot be reached, is locked,
 * or a transient conflict) or `destination_rejected` (everything else: permissions, disk full, a
 * dropped table, a value the column refuses). TributaryErrors pass through unchanged. `doing`
 * says what was attempted; `secrets` are removed from the message.
 */
export function destinationError(
  kind: 'duckdb' | 'postgres',
  doing: string,
  error: unknown,
  secrets: string[] = [],
): TributaryError {
  if (error instanceof TributaryError) return error;
  const raw = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  const sqlState = typeof code === 'string' ? code : undefined;
  const unavailable = kind === 'postgres' ? postgresUnavailable(sqlState) : duckDbUnavailable(raw);
  const label = kind === 'postgres' ? 'PostgreSQL' : 'DuckDB';
  const message = scrub(`${label} destination: ${doing} failed: ${raw.split('\n')[0]}`, secrets);
  const clean = scrub(raw, secrets);
  // The cause keeps the driver's full text for the server log, but only when it holds no secret.
  const cause = clean === raw ? error : new Error(clean);
  return new TributaryError(unavailable ? 'destination_unavailable' : 'destination_rejected', message, {
    details: { destination: kind, ...(sqlState === undefined ? {} : { sqlState }) },
    cause,
  });
}

/** Whether a destination error says the table does not exist yet (nothing was loaded). */
export function isMissingTableError(error: TributaryError): boolean {
  return /does not exist|not found|no such table|Catalog Error/i.test(error.message);
}
