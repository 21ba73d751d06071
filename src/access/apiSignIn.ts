/**
 * Signing in from a program over HTTP, as a browser would: creates the owner on a fresh server (or
 * signs in), keeps the session cookie and CSRF token, and can mint an API token. Used by the test
 * harness, the benchmarks and the CLI's first-run setup.
 */
import { createApiClient } from '../contract/client.ts';
import type { Role } from '../domain/access.ts';

/** A signed-in browser-like session: the cookies to send and the CSRF token to echo. */
export interface ApiSession {
  cookie: string;
  csrf: string;
  /** Headers for a state-changing request of this session (cookie + CSRF), optionally in a workspace. */
  headers(workspaceId?: string): Record<string, string>;
}

function sessionFrom(response: Response): ApiSession {
  const cookies = response.headers.getSetCookie().map((line) => line.split(';')[0]!);
  const session = cookies.find((cookie) => cookie.startsWith('tributary_session='));
  const csrf = cookies.find((cookie) => cookie.startsWith('tributary_csrf='));
  if (!session || !csrf)
    throw new Error(`No session cookies in the sign-in response (HTTP ${response.status})`);
  const cookie = `${session}; ${csrf}`;
  const csrfToken = csrf.slice('tributary_csrf='.length);
  return {
    cookie,
    csrf: csrfToken,
    headers: (workspaceId) => ({
      cookie,
      'x-csrf-token': csrfToken,
      ...(workspaceId ? { 'x-tributary-workspace': workspaceId } : {}),
    }),
  };
}

async function post(baseUrl: string, path: string, body: unknown): Promise<Response> {
  return fetch(new URL(path, baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** Creates the owner account on a server that has none, and returns its session. */
export async function setupOwnerOverHttp(
  baseUrl: string,
  owner: { email: string; password: string; name?: string },
): Promise<ApiSession> {
  const response = await post(baseUrl, '/api/v1/auth/setup', owner);
  if (response.status !== 201)
    throw new Error(`Owner setup refused: HTTP ${response.status} ${await response.text()}`);
  return sessionFrom(response);
}

/** Signs in with email and password; throws with the server's answer when refused. */
export async function signInOverHttp(baseUrl: string, email: string, password: string): Promise<ApiSession> {
  const response = await post(baseUrl, '/api/v1/auth/sign-in', { email, password });
  if (response.status !== 200)
    throw new Error(`Sign-in refused: HTTP ${response.status} ${await response.text()}`);
  return sessionFrom(response);
}

/** Mints an API token for a session's workspace (its default one unless named). */
export async function createTokenOverHttp(
  baseUrl: string,
  session: ApiSession,
  token: { name: string; role?: Role; workspaceId?: string },
): Promise<string> {
  const api = createApiClient({ baseUrl, headers: session.headers(token.workspaceId) });
  const created = await api.call('createToken', {
    body: { name: token.name, ...(token.role ? { role: token.role } : {}) },
  });
  return created.token;
}
