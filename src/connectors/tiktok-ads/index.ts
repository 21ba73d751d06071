/**
 * The TikTok Ads data source (TikTok API for Business, Marketing API v1.3).
 */
import type { ConnectorDefinition } from '../kit/types.ts';
import { createTiktokAdsConnector, TIKTOK_ENV_VARS } from './connector.ts';

/** Registry entry for TikTok Ads: identity, the env vars it reads, and the connector factory. */
export const tiktokAdsConnector: ConnectorDefinition = {
  id: 'tiktok-ads',
  name: 'TikTok Ads',
  authType: 'oauth2',
  envVars: [...TIKTOK_ENV_VARS],
  create: createTiktokAdsConnector,
};

export { advertiserStatusWord, parseAdvertiserInfo, parseAuthorizedAdvertisers } from './accounts.ts';
export {
  createTiktokAdsConnector,
  resolveTiktokSettings,
  TIKTOK_ENV_VARS,
  TIKTOK_OAUTH_SCOPES,
  TIKTOK_SANDBOX_APP_ID,
  TIKTOK_SANDBOX_APP_SECRET,
} from './connector.ts';
export { classifyTiktokResponse } from './errors.ts';
export { createTiktokAdsExtraction, TIKTOK_RECONCILABLE_METRICS } from './extraction.ts';
export { tiktokAdsSchema } from './schema.ts';
export { tiktokAdsTemplates } from './templates.ts';
