/**
 * The Google Analytics 4 data source (Analytics Admin API and Data API v1beta), with two credentials: a Google
 * user through OAuth, or a service-account JSON key.
 */
import type { ConnectorDefinition } from '../kit/types.ts';
import { createGa4Connector, GA4_ENV_VARS } from './connector.ts';

/** Registry entry for GA4: identity, the env vars it reads, and the connector factory. */
export const ga4Connector: ConnectorDefinition = {
  id: 'ga4',
  name: 'Google Analytics 4',
  authType: 'oauth2',
  envVars: [...GA4_ENV_VARS],
  create: createGa4Connector,
};

export { parseAccountSummaries, parsePropertiesPage, propertyStatusWord } from './accounts.ts';
export { ADMIN_PAGE_SIZE, createGa4Connector, GA4_ENV_VARS } from './connector.ts';
export { classifyGoogleApiResponse, classifyTokenResponse } from './errors.ts';
export { createGa4Extraction, GA4_RECONCILABLE_METRICS } from './extraction.ts';
export {
  GA4_SANDBOX_CLIENT_ID,
  GA4_SANDBOX_CLIENT_SECRET,
  type Ga4Settings,
  resolveGa4Settings,
} from './google-api.ts';
export { GA4_OAUTH_SCOPES } from './oauth.ts';
export { ga4Schema } from './schema.ts';
export { parseServiceAccountKey, SERVICE_ACCOUNT_SCOPE, SERVICE_ACCOUNT_SECRET } from './service-account.ts';
export { ga4Templates } from './templates.ts';
