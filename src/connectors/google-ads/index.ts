/**
 * The Google Ads data source (Google Ads API v25, REST).
 */
import type { ConnectorDefinition } from '../kit/types.ts';
import { createGoogleAdsConnector, GOOGLE_ADS_ENV_VARS } from './connector.ts';

/** Registry entry for Google Ads: identity, the env vars it reads, and the connector factory. */
export const googleAdsConnector: ConnectorDefinition = {
  id: 'google-ads',
  name: 'Google Ads',
  authType: 'oauth2',
  envVars: [...GOOGLE_ADS_ENV_VARS],
  create: createGoogleAdsConnector,
};

export { customerStatusWord, parseAccessibleCustomers, parseCustomerClientPage } from './accounts.ts';
export {
  createGoogleAdsConnector,
  GOOGLE_ADS_ENV_VARS,
  GOOGLE_ADS_OAUTH_SCOPES,
  GOOGLE_ADS_SANDBOX_CLIENT_ID,
  GOOGLE_ADS_SANDBOX_CLIENT_SECRET,
  GOOGLE_ADS_SANDBOX_DEVELOPER_TOKEN,
  resolveGoogleAdsSettings,
} from './connector.ts';
export { classifyGoogleAdsResponse } from './errors.ts';
export { createGoogleAdsExtraction, GOOGLE_ADS_RECONCILABLE_METRICS } from './extraction.ts';
export { googleAdsSchema } from './schema.ts';
export { googleAdsTemplates } from './templates.ts';
