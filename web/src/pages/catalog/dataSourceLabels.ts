import type { EndpointResult } from '../../../../src/contract/endpoints.ts';

/** One data source as the catalog lists it. */
export type DataSourceSummary = EndpointResult<'listDataSources'>['items'][number];

/** How a user signs in to a source, in their words rather than the API's. */
export const authTypeLabels: Record<DataSourceSummary['authType'], string> = {
  oauth2: 'OAuth',
  api_key: 'API key',
  login: 'Login',
};

/** The Make a new connection page with this source already picked. */
export function connectPath(dataSourceId: string): string {
  return `/connections/new?dataSource=${encodeURIComponent(dataSourceId)}`;
}
