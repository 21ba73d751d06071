import { useApiQuery } from '../../api.ts';

/** One connection with its accounts, refreshed every second while its accounts load. */
export function useConnection(id: string) {
  return useApiQuery(
    'getConnection',
    { params: { id } },
    {
      refetchInterval: (query) => (query.state.data?.accountStatus === 'loading' ? 1000 : false),
    },
  );
}
