/**
 * The web app's access to the API: the contract's typed client, and react-query hooks keyed
 * by endpoint name and request so every page shares one cache.
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

/** The typed API client for this origin. */
export const api = createApiClient({ baseUrl: window.location.origin });

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
