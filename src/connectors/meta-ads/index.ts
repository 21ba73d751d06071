/**
 * The Meta Ads data source (Facebook / Instagram ads through the Graph Marketing API).
 */
import type { ConnectorDefinition } from '../kit/types.ts';
import { createMetaAdsConnector, META_ENV_VARS } from './connector.ts';

/** Registry entry for Meta Ads: identity, the env vars it reads, and the connector factory. */
export const metaAdsConnector: ConnectorDefinition = {
  id: 'meta-ads',
  name: 'Meta Ads',
  authType: 'oauth2',
  envVars: [...META_ENV_VARS],
  create: createMetaAdsConnector,
};

export { accountStatusWord, parseAdAccountsPage } from './accounts.ts';
export {
  createMetaAdsConnector,
  META_ENV_VARS,
  META_OAUTH_SCOPES,
  META_SANDBOX_CLIENT_ID,
  META_SANDBOX_CLIENT_SECRET,
  resolveMetaSettings,
} from './connector.ts';
export { classifyMetaResponse } from './errors.ts';
export { createMetaAdsExtraction, META_RECONCILABLE_METRICS } from './extraction.ts';
export { metaAdsSchema } from './schema.ts';
export { columnName } from './template-fields.ts';
export { metaAdsTemplates } from './templates.ts';
