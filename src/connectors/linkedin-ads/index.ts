/**
 * The LinkedIn Ads data source (LinkedIn Marketing API, versioned `/rest`, `LinkedIn-Version` 202511 by default).
 */
import type { ConnectorDefinition } from '../kit/types.ts';
import { createLinkedInAdsConnector, LINKEDIN_ENV_VARS } from './connector.ts';

/** Registry entry for LinkedIn Ads: identity, the env vars it reads, and the connector factory. */
export const linkedinAdsConnector: ConnectorDefinition = {
  id: 'linkedin-ads',
  name: 'LinkedIn Ads',
  authType: 'oauth2',
  envVars: [...LINKEDIN_ENV_VARS],
  create: (environment) => createLinkedInAdsConnector(environment),
};

export { accountStatusWord, parseAdAccount } from './accounts.ts';
export { createLinkedInAdsConnector, LINKEDIN_ENV_VARS, type LinkedInConnectorOptions } from './connector.ts';
export { classifyLinkedInOAuthResponse, classifyLinkedInResponse, nextUtcMidnight } from './errors.ts';
export { createLinkedInAdsExtraction, LINKEDIN_RECONCILABLE_METRICS } from './extraction.ts';
export { LINKEDIN_OAUTH_SCOPES, REQUIRED_SCOPES } from './oauth.ts';
export { ANALYTICS_ELEMENT_CAP, type AnalyticsPlan, planAnalytics } from './report-windows.ts';
export {
  DEFAULT_LINKEDIN_VERSION,
  LINKEDIN_SANDBOX_CLIENT_ID,
  LINKEDIN_SANDBOX_CLIENT_SECRET,
  resolveLinkedInSettings,
} from './rest-api.ts';
export { linkedinAdsSchema } from './schema.ts';
export { linkedinAdsTemplates } from './templates.ts';
