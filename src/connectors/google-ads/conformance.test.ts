/**
 * Google Ads runs the shared connector conformance suite against its sandbox (see `docs/connector-guide.md`).
 */
import { describeConnectorConformance } from '../kit/conformance.ts';
import { googleAdsConnector } from './index.ts';
import { googleAdsSandbox } from './sandbox/index.ts';

describeConnectorConformance({
  definition: googleAdsConnector,
  sandbox: googleAdsSandbox,
  users: { withAccounts: 'alex@example.com', paging: 'agency@example.com', empty: 'nora@example.com' },
  read: {
    templateId: 'google-ads.campaign_daily',
    // The sandbox restates conversion metrics for 14 days (conversion lag); the per-conversion ratios follow them.
    restatementDays: 14,
    restatedColumns: [
      'conversions',
      'conversions_value',
      'cost_per_conversion',
      'value_per_conversion',
      'all_conversions',
      'all_conversions_value',
    ],
  },
  // A `rate_limited` fault names `retryDelay: "2s"`, short enough to sleep through in a test.
  throttleWaitMs: 2_000,
});
