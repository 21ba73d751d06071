import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api, useApiQuery } from '../../api.ts';

/**
 * Reconnects a connection: OAuth sources go to the provider's page (and come back to `returnTo`);
 * sources that take credentials open the credential form on the connection's Settings tab.
 */
export function useReconnect(returnTo: string) {
  const navigate = useNavigate();
  const sources = useApiQuery('listDataSources', {}, { staleTime: 5 * 60_000 });
  const [reconnectingId, setReconnectingId] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const reconnect = async (connection: { id: string; dataSource: { id: string } }) => {
    const source = sources.data?.items.find((item) => item.id === connection.dataSource.id);
    if (source && source.authType !== 'oauth2') {
      navigate(`/connections/${connection.id}/settings?reconnect=1`);
      return;
    }
    setReconnectingId(connection.id);
    setError(null);
    try {
      const result = await api.call('reconnectConnection', {
        params: { id: connection.id },
        body: { returnTo },
      });
      if (result.authorizationUrl) window.location.assign(result.authorizationUrl);
      else setReconnectingId(null);
    } catch (failure) {
      setError(failure);
      setReconnectingId(null);
    }
  };
  return { reconnect, reconnectingId, error, clearError: () => setError(null) };
}
