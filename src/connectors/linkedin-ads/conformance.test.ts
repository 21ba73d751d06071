/**
 * LinkedIn Ads runs the shared connector conformance suite against its sandbox (see `docs/connector-guide.md`).
 */
import { describeConnectorConformance } from '../kit/conformance.ts';
import { linkedinAdsConnector } from './index.ts';
import { linkedinAdsSandbox } from './sandbox/index.ts';

describeConnectorConformance({
  definition: linkedinAdsConnector,
  sandbox: linkedinAdsSandbox,
  users: { withAccounts: 'alex@example.com', paging: 'agency@example.com', empty: 'nora@example.com' },
  read: {
    templateId: 'linkedin-ads.campaign_daily',
    // Website conversions and their value are restated for a week; nothing else moves once the UTC day is over.
    restatementDays: 7,
    restatedColumns: ['external_website_conversions', 'conversion_value_in_local_currency'],
  },
  // Conversions (an integer, restated) are compared too; money is compared by the engine.
  truthColumns: {
    impressions: 'impressions',
    clicks: 'clicks',
    conversions: 'external_website_conversions',
  },
  // LinkedIn's limits are daily and reset at midnight UTC: no test can sleep through that.
  throttleWaitMs: null,
});
