/**
 * TikTok Ads runs the shared connector conformance suite against its sandbox (see `docs/connector-guide.md`).
 */
import { describeConnectorConformance } from '../kit/conformance.ts';
import { tiktokAdsConnector } from './index.ts';
import { tiktokAdsSandbox } from './sandbox/index.ts';

describeConnectorConformance({
  definition: tiktokAdsConnector,
  sandbox: tiktokAdsSandbox,
  users: { withAccounts: 'alex@example.com', paging: 'agency@example.com', empty: 'nora@example.com' },
  read: {
    templateId: 'tiktok-ads.campaign_daily',
    // The sandbox restates `conversion` for a week; cost per conversion and conversion rate follow it.
    restatementDays: 7,
    restatedColumns: ['conversion', 'cost_per_conversion', 'conversion_rate'],
  },
  // TikTok sends no reset time: the connector guesses a short first back-off (about a second), which a test
  // can sleep through.
  throttleWaitMs: 2_000,
});
