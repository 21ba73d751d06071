/**
 * Benchmarks act as a signed-in user, like everyone else: the owner is set up on the fresh server
 * and an admin API token minted for the Default workspace.
 */
import { type ApiSession, createTokenOverHttp, setupOwnerOverHttp } from '../src/access/apiSignIn.ts';

/** The owner the benchmarks set up. */
export const benchOwner = { email: 'bench@example.com', password: 'bench password 1234', name: 'Bench' };

/** The owner as the benchmarks use it: the browser session and an admin API token. */
export interface BenchOwner {
  session: ApiSession;
  token: string;
  /** `{authorization: 'Bearer …'}` for the token. */
  authHeaders: Record<string, string>;
}

/** Sets up the owner on a fresh server; returns its session and an admin token for the Default workspace. */
export async function benchOwnerSession(baseUrl: string, tokenName = 'benchmark'): Promise<BenchOwner> {
  const session = await setupOwnerOverHttp(baseUrl, benchOwner);
  const token = await createTokenOverHttp(baseUrl, session, { name: tokenName });
  return { session, token, authHeaders: { authorization: `Bearer ${token}` } };
}

/** Sets up the owner on a fresh server and returns `{authorization: 'Bearer …'}` for its admin token. */
export async function benchAuthHeaders(baseUrl: string): Promise<Record<string, string>> {
  return (await benchOwnerSession(baseUrl)).authHeaders;
}
