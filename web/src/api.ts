/**
 * The web app's access to the API: the contract's typed client, and react-query hooks keyed
 * by endpoint name and request so every page shares one cache.
 *
 * Every call carries the CSRF token (echoed from the `tributary_csrf` cookie: the server refuses a
 * cookie request that changes state without it) and the workspace the user chose (kept in
 * localStorage, so a reload stays in it). A 401 `authentication_required` from any call means the
 * session has ended: listeners (the auth gate) are told, and the sign-in page takes over.
 */
import {
  type QueryKey,
  type UseQueryOptions,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { ApiError, createApiClient } from '../../src/contract/client.ts';
import type { EndpointName, EndpointRequest, EndpointResult } from '../../src/contract/endpoints.ts';

export { ApiError };

const CSRF_COOKIE = 'tributary_csrf';
const WORKSPACE_KEY = 'tributary.workspace';

/** The CSRF token the server gave this browser (a readable cookie), or null before sign-in. */
function csrfToken(): string | null {
  for (const part of document.cookie.split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === CSRF_COOKIE) {
      return decodeURIComponent(part.slice(index + 1).trim());
    }
  }
  return null;
}

/** The workspace requests act in, as chosen in the switcher (null: the server picks the first). */
export function chosenWorkspace(): string | null {
  try {
    return window.localStorage.getItem(WORKSPACE_KEY);
  } catch {
    return null;
  }
}

/** Remembers the workspace requests act in (null forgets it). */
export function chooseWorkspace(id: string | null): void {
  try {
    if (id) window.localStorage.setItem(WORKSPACE_KEY, id);
    else window.localStorage.removeItem(WORKSPACE_KEY);
  } catch {
    // Storage can be disabled; the choice then lasts only until the page reloads.
  }
}

/** True when this browser holds a session's CSRF cookie, i.e. it has signed in and not out since. */
export function hasCsrfCookie(): boolean {
  return csrfToken() !== null;
}

function requestHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const csrf = csrfToken();
  if (csrf) headers['x-csrf-token'] = csrf;
  const workspace = chosenWorkspace();
  if (workspace) headers['x-tributary-workspace'] = workspace;
  return headers;
}

const signedOutListeners = new Set<() => void>();

/** Calls `listener` whenever an API call finds the session gone (401); returns the unsubscribe. */
export function onSignedOut(listener: () => void): () => void {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

const client = createApiClient({ baseUrl: window.location.origin, headers: requestHeaders });

/** The typed API client for this origin. */
export const api: typeof client = {
  async call(name, request) {
    try {
      return await client.call(name, request);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401 && error.code === 'authentication_required') {
        for (const listener of signedOutListeners) listener();
      }
      throw error;
    }
  },
};

/** The cache key of one endpoint call; invalidate with `[name]` to refresh every call of it. */
export function apiKey<N extends EndpointName>(name: N, request: EndpointRequest<N> = {}): QueryKey {
  return [name, request];
}

/** Reads an endpoint through the shared cache. */
export function useApiQuery<N extends EndpointName>(
  name: N,
  request: EndpointRequest<N> = {},
  options: Omit<UseQueryOptions<EndpointResult<N>, ApiError>, 'queryKey' | 'queryFn'> = {},
) {
  return useQuery<EndpointResult<N>, ApiError>({
    queryKey: apiKey(name, request),
    queryFn: () => api.call(name, request),
    ...options,
  });
}

/** Calls a state-changing endpoint; on success, refreshes the cached reads named in `invalidates`. */
export function useApiMutation<N extends EndpointName>(name: N, invalidates: EndpointName[] = []) {
  const client = useQueryClient();
  return useMutation<EndpointResult<N>, ApiError, EndpointRequest<N>>({
    mutationFn: (request) => api.call(name, request),
    onSuccess: async () => {
      await Promise.all(invalidates.map((key) => client.invalidateQueries({ queryKey: [key] })));
    },
  });
}
