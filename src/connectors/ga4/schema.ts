/**
 * The GA4 dimensions and metrics Tributary reports. Field (and column) names are lower snake_case, as destination
 * identifiers must be; each field knows its Data API name (`sessionSource`, `screenPageViews`). On the wire every
 * cell is a string; the metric's `type` (from the response's `metricHeaders`) says how to read it: TYPE_INTEGER →
 * integer, TYPE_FLOAT → decimal (rates: percent), TYPE_SECONDS → decimal seconds, TYPE_CURRENCY → money.
 */
import type { FieldSpec, FieldType, SourceSchema } from '../kit/types.ts';

/** A field with the Data API name it is asked for and, for metrics, the MetricType Google reports it with. */
export interface Ga4Field extends FieldSpec {
  apiName: string;
  /** `TYPE_INTEGER`, `TYPE_FLOAT`, `TYPE_SECONDS`, `TYPE_CURRENCY`; null for dimensions. */
  metricType: string | null;
}

function dimension(name: string, apiName: string, label: string, description: string): Ga4Field {
  return { name, apiName, label, type: 'string', description, metricType: null };
}

function metric(
  name: string,
  apiName: string,
  metricType: string,
  type: FieldType,
  label: string,
  description: string,
): Ga4Field {
  return { name, apiName, label, type, description, metricType };
}

/** The `date` dimension becomes the `date` column (`YYYYMMDD` on the wire, `YYYY-MM-DD` in the table). */
export const DATE_FIELD: Ga4Field = {
  name: 'date',
  apiName: 'date',
  label: 'Date',
  type: 'date',
  description: 'The day in the property time zone (sent as YYYYMMDD).',
  metricType: null,
};

const dimensions: Ga4Field[] = [
  DATE_FIELD,
  dimension(
    'session_source',
    'sessionSource',
    'Session source',
    'Where the session came from (google, newsletter, (direct)).',
  ),
  dimension(
    'session_medium',
    'sessionMedium',
    'Session medium',
    'The medium of the session (organic, cpc, email, (none)).',
  ),
  dimension(
    'session_campaign_name',
    'sessionCampaignName',
    'Session campaign',
    'The campaign name of the session, or (not set).',
  ),
  dimension(
    'session_default_channel_group',
    'sessionDefaultChannelGroup',
    'Default channel group',
    "The session's default channel group (Organic Search, Paid Search, Direct…).",
  ),
  dimension('country', 'country', 'Country', 'The country the user was in (English name).'),
  dimension('device_category', 'deviceCategory', 'Device category', 'desktop, mobile, tablet or smart tv.'),
  dimension(
    'landing_page',
    'landingPage',
    'Landing page',
    'The page path (without query) of the first page view of the session.',
  ),
  dimension('event_name', 'eventName', 'Event name', 'The name of the event, e.g. page_view or purchase.'),
];

const metrics: Ga4Field[] = [
  metric(
    'sessions',
    'sessions',
    'TYPE_INTEGER',
    'integer',
    'Sessions',
    'Sessions that began on the site or app.',
  ),
  metric(
    'active_users',
    'activeUsers',
    'TYPE_INTEGER',
    'integer',
    'Active users',
    'Distinct engaged users (not additive across rows or days).',
  ),
  metric(
    'new_users',
    'newUsers',
    'TYPE_INTEGER',
    'integer',
    'New users',
    'Users who visited for the first time.',
  ),
  metric(
    'total_users',
    'totalUsers',
    'TYPE_INTEGER',
    'integer',
    'Total users',
    'Distinct users who logged an event (not additive across rows or days).',
  ),
  metric(
    'engaged_sessions',
    'engagedSessions',
    'TYPE_INTEGER',
    'integer',
    'Engaged sessions',
    'Sessions longer than 10 s, with a key event, or with 2+ page views.',
  ),
  metric(
    'screen_page_views',
    'screenPageViews',
    'TYPE_INTEGER',
    'integer',
    'Views',
    'Web page views and app screen views.',
  ),
  metric('event_count', 'eventCount', 'TYPE_INTEGER', 'integer', 'Event count', 'Events triggered.'),
  metric(
    'key_events',
    'keyEvents',
    'TYPE_INTEGER',
    'integer',
    'Key events',
    'Key events (formerly conversions); restated for a few days as late events arrive.',
  ),
  metric(
    'engagement_rate',
    'engagementRate',
    'TYPE_FLOAT',
    'percent',
    'Engagement rate',
    'Engaged sessions / sessions, as a percentage (GA4 sends a fraction).',
  ),
  metric(
    'bounce_rate',
    'bounceRate',
    'TYPE_FLOAT',
    'percent',
    'Bounce rate',
    'Sessions that were not engaged / sessions, as a percentage (GA4 sends a fraction).',
  ),
  metric(
    'average_session_duration',
    'averageSessionDuration',
    'TYPE_SECONDS',
    'decimal',
    'Average session duration (s)',
    'Average length of a session, in seconds.',
  ),
  metric(
    'user_engagement_duration',
    'userEngagementDuration',
    'TYPE_SECONDS',
    'decimal',
    'User engagement (s)',
    'Total time the site or app was in the foreground, in seconds.',
  ),
  metric(
    'total_revenue',
    'totalRevenue',
    'TYPE_CURRENCY',
    'money',
    'Total revenue',
    'Purchase, subscription and ad revenue, in the property currency; restated for a few days.',
  ),
  metric(
    'purchase_revenue',
    'purchaseRevenue',
    'TYPE_CURRENCY',
    'money',
    'Purchase revenue',
    'Revenue from purchases, in the property currency; restated for a few days.',
  ),
];

/** The schema shown on the GA4 data source page. */
export const ga4Schema: SourceSchema = {
  dimensions: dimensions.map(({ apiName: _api, metricType: _type, ...spec }) => spec),
  metrics: metrics.map(({ apiName: _api, metricType: _type, ...spec }) => spec),
};

/** Every field by its column name. */
const byName = new Map([...dimensions, ...metrics].map((field) => [field.name, field]));

/** A field by column name; throws at load time if a template names a field the schema lacks. */
export function ga4Field(name: string): Ga4Field {
  const found = byName.get(name);
  if (!found) throw new Error(`ga4 templates: ${name} is not in the data-source schema`);
  return found;
}

/** The plain FieldSpec of a field (what templates expose). */
export function fieldSpec(name: string): FieldSpec {
  const { apiName: _api, metricType: _type, ...spec } = ga4Field(name);
  return { ...spec };
}
