import type { EndpointResult } from '../../../../src/contract/endpoints.ts';

/** One data source as the catalog lists it. */
export type DataSourceSummary = EndpointResult<'listDataSources'>['items'][number];

/** How a user signs in to a source, in their words rather than the API's. */
export const authTypeLabels: Record<DataSourceSummary['authType'], string> = {
  oauth2: 'OAuth',
  api_key: 'API key',
  service_account: 'Service-account key',
  login: 'Login',
};

/**
 * The Make a new connection page for this source. Its `?source=` opens the credential form of an
 * API-key or login source; an OAuth source is started from that page's catalog (one click there).
 */
export function connectPath(source: Pick<DataSourceSummary, 'id' | 'authType'>): string {
  return source.authType === 'oauth2'
    ? '/connections/new'
    : `/connections/new?source=${encodeURIComponent(source.id)}`;
}
