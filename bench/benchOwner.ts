/**
 * Benchmarks act as a signed-in user, like everyone else: the owner is set up on the fresh server
 * and an admin API token minted for the Default workspace.
 */
import { createTokenOverHttp, setupOwnerOverHttp } from '../src/access/apiSignIn.ts';

/** The owner the benchmarks set up. */
export const benchOwner = { email: 'bench@example.com', password: 'bench password 1234', name: 'Bench' };

/** Sets up the owner on a fresh server and returns `{authorization: 'Bearer …'}` for its admin token. */
export async function benchAuthHeaders(baseUrl: string): Promise<Record<string, string>> {
  const session = await setupOwnerOverHttp(baseUrl, benchOwner);
  const token = await createTokenOverHttp(baseUrl, session, { name: 'benchmark' });
  return { authorization: `Bearer ${token}` };
}
