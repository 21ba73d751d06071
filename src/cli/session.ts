/**
 * What every CLI command needs: the typed API client for `--url`, and output helpers that honor
 * `--json`.
 */
import type { Command } from 'commander';
import { type ApiClient, ApiError, createApiClient } from '../contract/client.ts';

/** The per-invocation CLI session, read from the root command's options. */
export interface CliSession {
  /** The API as the caller of `--token`. */
  client(): ApiClient;
  /** The server's base URL. */
  url(): string;
  json(): boolean;
  print(text: string): void;
}

export function cliSession(program: Command): CliSession {
  return {
    client: () => {
      const { url, token } = program.opts<{ url: string; token?: string }>();
      return createApiClient({ baseUrl: url, headers: token ? { authorization: `Bearer ${token}` } : {} });
    },
    url: () => program.opts<{ url: string }>().url,
    json: () => program.opts<{ json?: boolean }>().json === true,
    print: (text: string) => process.stdout.write(`${text}\n`),
  };
}

/** Waits until discovery has settled, printing progress. */
export async function waitForAccounts(session: CliSession, api: ApiClient, id: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let dots = 0;
  for (;;) {
    const connection = await api.call('getConnection', { params: { id } });
    if (connection.accountStatus !== 'loading') {
      if (!session.json() && dots > 0) process.stderr.write('\n');
      return connection;
    }
    if (Date.now() > deadline) throw new Error(`Accounts still loading after ${timeoutMs / 1000} s`);
    if (!session.json()) process.stderr.write(dots === 0 ? 'Loading accounts' : '.');
    dots += 1;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Approves a sandbox authorization without a browser, as the chosen seeded user. */
export async function approveInSandbox(authorizationUrl: string, email: string): Promise<void> {
  const url = new URL(authorizationUrl);
  url.searchParams.set('sandbox_approve', email);
  const consent = await fetch(url, { redirect: 'manual' });
  const location = consent.headers.get('location');
  if (!location) {
    throw new Error(
      `The sandbox refused the approval: ${(await consent.text()).replace(/<[^>]+>/g, ' ').trim()}`,
    );
  }
  const callback = await fetch(location, { redirect: 'manual', headers: { accept: 'application/json' } });
  if (callback.status >= 400) {
    const body = (await callback.json().catch(() => null)) as {
      error?: { code: string; message: string };
    } | null;
    throw new ApiError(
      callback.status,
      body?.error?.code ?? 'unexpected_response',
      body?.error?.message ?? 'Authorization failed',
    );
  }
}
