/**
 * GA4 runs the shared connector conformance suite against its sandbox (see `docs/connector-guide.md`). GA4 has no
 * impressions or clicks: the daily truth it must equal is sessions and page views.
 */
import { describeConnectorConformance } from '../kit/conformance.ts';
import { ga4Connector } from './index.ts';
import { ga4Sandbox } from './sandbox/index.ts';

describeConnectorConformance({
  definition: ga4Connector,
  sandbox: ga4Sandbox,
  users: { withAccounts: 'alex@example.com', paging: 'agency@example.com', empty: 'nora@example.com' },
  read: {
    templateId: 'ga4.traffic_daily',
    // Late events keep key events and revenue of a day moving for three days.
    restatementDays: 3,
    restatedColumns: ['key_events', 'total_revenue'],
  },
  truthColumns: { sessions: 'sessions', screenPageViews: 'screen_page_views', keyEvents: 'key_events' },
  // Google's hourly property quota refills on the hour: far too long to sleep through in a test.
  throttleWaitMs: null,
});
