/**
 * Meta Ads runs the shared connector conformance suite against its sandbox (see `docs/connector-guide.md`).
 */
import { describeConnectorConformance } from '../kit/conformance.ts';
import { metaAdsConnector } from './index.ts';
import { metaAdsSandbox } from './sandbox/index.ts';

describeConnectorConformance({
  definition: metaAdsConnector,
  sandbox: metaAdsSandbox,
  users: { withAccounts: 'alex@example.com', paging: 'agency@example.com', empty: 'nora@example.com' },
  read: {
    templateId: 'meta-ads.campaign_daily',
    // The sandbox restates conversion actions for a week; their values and cost per action follow the counts.
    restatementDays: 7,
    restatedColumns: [
      'actions_add_to_cart',
      'actions_purchase',
      'action_values_purchase',
      'cost_per_action_type_purchase',
    ],
  },
  // An insights throttle announces its reset in whole minutes (`estimated_time_to_regain_access`): too long to
  // sleep through here; the wait branch is covered by the replayed pacing tests.
  throttleWaitMs: null,
});
