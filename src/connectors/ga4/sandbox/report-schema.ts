/**
 * The dimensions and metrics the sandbox's Data API serves, with the metric types Google's metadata gives them
 * (WIRE-FORMATS §5.6), and the `GET /v1beta/properties/<id>/metadata` body built from them.
 */

/** The metric types the sandbox uses (Google's `MetricType`). */
export type MetricType = 'TYPE_INTEGER' | 'TYPE_FLOAT' | 'TYPE_SECONDS' | 'TYPE_CURRENCY';

/** One served dimension. */
export interface DimensionSpec {
  apiName: string;
  uiName: string;
  description: string;
  category: string;
}

/** One served metric. */
export interface MetricSpec extends DimensionSpec {
  type: MetricType;
}

/** The dimensions, in the order the metadata lists them. */
export const DIMENSIONS: readonly DimensionSpec[] = [
  {
    apiName: 'date',
    uiName: 'Date',
    description: 'The date of the event, formatted as YYYYMMDD.',
    category: 'Time',
  },
  {
    apiName: 'sessionSource',
    uiName: 'Session source',
    description: 'The source that initiated a session on your website or app.',
    category: 'Traffic Source',
  },
  {
    apiName: 'sessionMedium',
    uiName: 'Session medium',
    description: 'The medium that initiated a session on your website or app.',
    category: 'Traffic Source',
  },
  {
    apiName: 'sessionCampaignName',
    uiName: 'Session campaign',
    description: 'The marketing campaign name for a session.',
    category: 'Traffic Source',
  },
  {
    apiName: 'sessionDefaultChannelGroup',
    uiName: 'Session default channel group',
    description: "The session's default channel group is based primarily on source and medium.",
    category: 'Traffic Source',
  },
  {
    apiName: 'country',
    uiName: 'Country',
    description: 'The country from which the user activity originated.',
    category: 'Geography',
  },
  {
    apiName: 'deviceCategory',
    uiName: 'Device category',
    description: 'The type of device: Desktop, Tablet, or Mobile.',
    category: 'Platform / Device',
  },
  {
    apiName: 'landingPage',
    uiName: 'Landing page',
    description: 'The page path associated with the first pageview in a session.',
    category: 'Page / Screen',
  },
  {
    apiName: 'eventName',
    uiName: 'Event name',
    description: 'The name of the event.',
    category: 'Event',
  },
];

/** The metrics, in the order the metadata lists them. */
export const METRICS: readonly MetricSpec[] = [
  {
    apiName: 'sessions',
    uiName: 'Sessions',
    description: 'The number of sessions that began on your site or app.',
  },
  { apiName: 'activeUsers', uiName: 'Active users', description: 'The number of distinct active users.' },
  {
    apiName: 'newUsers',
    uiName: 'New users',
    description: 'The number of users who interacted for the first time.',
  },
  {
    apiName: 'totalUsers',
    uiName: 'Total users',
    description: 'The number of distinct users who logged an event.',
  },
  {
    apiName: 'engagedSessions',
    uiName: 'Engaged sessions',
    description:
      'The number of sessions that lasted longer than 10 seconds, or had a key event, or had 2 or more views.',
  },
  {
    apiName: 'screenPageViews',
    uiName: 'Views',
    description: 'The number of app screens or web pages your users viewed.',
  },
  { apiName: 'eventCount', uiName: 'Event count', description: 'The count of events.' },
  { apiName: 'keyEvents', uiName: 'Key events', description: 'The count of key events.' },
  {
    apiName: 'engagementRate',
    uiName: 'Engagement rate',
    description: 'The percentage of engaged sessions (Engaged sessions divided by Sessions), as a fraction.',
  },
  {
    apiName: 'bounceRate',
    uiName: 'Bounce rate',
    description: 'The percentage of sessions that were not engaged, as a fraction.',
  },
  {
    apiName: 'averageSessionDuration',
    uiName: 'Average session duration',
    description: "The average duration (in seconds) of users' sessions.",
  },
  {
    apiName: 'userEngagementDuration',
    uiName: 'User engagement',
    description: 'The total amount of time (in seconds) your website or app was in the foreground.',
  },
  {
    apiName: 'totalRevenue',
    uiName: 'Total revenue',
    description: 'The sum of revenue from purchases, subscriptions, and advertising, minus refunds.',
  },
  {
    apiName: 'purchaseRevenue',
    uiName: 'Purchase revenue',
    description: 'The sum of revenue from purchases minus refunded transaction revenue.',
  },
].map((metric) => ({ ...metric, ...metricKind(metric.apiName) }));

function metricKind(name: string): { type: MetricType; category: string } {
  if (name === 'engagementRate' || name === 'bounceRate') return { type: 'TYPE_FLOAT', category: 'Session' };
  if (name === 'averageSessionDuration' || name === 'userEngagementDuration') {
    return { type: 'TYPE_SECONDS', category: 'Session' };
  }
  if (name === 'totalRevenue' || name === 'purchaseRevenue')
    return { type: 'TYPE_CURRENCY', category: 'Revenue' };
  if (name.endsWith('Users')) return { type: 'TYPE_INTEGER', category: 'User' };
  if (name === 'eventCount' || name === 'keyEvents') return { type: 'TYPE_INTEGER', category: 'Event' };
  return { type: 'TYPE_INTEGER', category: 'Session' };
}

/** The served dimension with this API name. */
export const dimensionSpec = (name: string) => DIMENSIONS.find((spec) => spec.apiName === name);
/** The served metric with this API name. */
export const metricSpec = (name: string) => METRICS.find((spec) => spec.apiName === name);

/** The body of `GET /v1beta/properties/<id>/metadata` (proto3 JSON: false booleans are left out). */
export function metadataBody(propertyId: string): Record<string, unknown> {
  return {
    name: `properties/${propertyId}/metadata`,
    dimensions: DIMENSIONS.map(({ apiName, uiName, description, category }) => ({
      apiName,
      uiName,
      description,
      category,
    })),
    metrics: METRICS.map(({ apiName, uiName, description, type, category }) => ({
      apiName,
      uiName,
      description,
      type,
      category,
    })),
  };
}
