/**
 * Where a PostgreSQL destination URL may point. A team's warehouse on loopback or a private network is the normal
 * case and stays allowed; link-local and cloud metadata addresses are refused (see `domain/networkTargets.ts`),
 * whether spelled in the URL's host, in a `host`/`hostaddr` query parameter (libpq style, which `pg` honours) or
 * reached through a name that resolves there.
 */
import dns from 'node:dns/promises';
import { TributaryError } from '../../domain/errors.ts';
import { resolvedTargetReason } from '../../domain/networkTargets.ts';

/** Every host a connection string can make `pg` connect to (Unix socket paths are local and not listed). */
export function postgresHosts(url: string): string[] {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [];
  }
  const named = [
    decodeURIComponent(parsed.hostname),
    ...parsed.searchParams.getAll('host'),
    ...parsed.searchParams.getAll('hostaddr'),
  ];
  return named
    .flatMap((value) => value.split(','))
    .map((host) => host.trim())
    .filter((host) => host !== '' && !host.startsWith('/'));
}

const resolveHost = async (host: string) =>
  (await dns.lookup(host, { all: true })).map((entry) => entry.address);

/** Throws `validation_failed` when the URL points at a link-local or metadata address; passes otherwise. */
export async function assertPostgresTarget(url: string): Promise<void> {
  for (const host of postgresHosts(url)) {
    const reason = await resolvedTargetReason(host, resolveHost);
    if (reason) {
      throw new TributaryError(
        'validation_failed',
        `PostgreSQL destination: the url points at ${reason}; Tributary does not connect there`,
        { details: { field: 'url' } },
      );
    }
  }
}
