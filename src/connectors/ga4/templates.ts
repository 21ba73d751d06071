/**
 * The five global GA4 templates, each a daily `runReport` of one property broken down by a few dimensions. The Data
 * API takes at most 10 metrics per request, so each template offers at most 10: a selection can never be refused
 * for its size. `date` is always asked for and becomes the `date` column; it is not a selectable dimension.
 */
import type { Template } from '../kit/types.ts';
import { fieldSpec } from './schema.ts';

/** The Data API refuses more than 9 dimensions or 10 metrics in one request (INVALID_ARGUMENT). */
export const MAX_REQUEST_DIMENSIONS = 9;
export const MAX_REQUEST_METRICS = 10;

/**
 * Days of history offered. Aggregated GA4 report data is not cut by the property's data-retention setting (that
 * applies to explorations); three years covers year-on-year comparisons.
 */
export const HISTORICAL_DEPTH_DAYS = 1095;
/** Key events and revenue of a day keep arriving for about three days (the sandbox models 3). */
export const DEFAULT_LOOKBACK_DAYS = 3;
/**
 * The widest window of one read. GA4 has no date-range cap, but high-cardinality reports roll rows into "(other)"
 * over long ranges; a month keeps pages few and rows exact, and the reader splits further when Google reports data
 * lost to "(other)".
 */
export const MAX_WINDOW_DAYS = 30;

interface TemplateInput {
  slug: string;
  name: string;
  description: string;
  level: string;
  dimensions: string[];
  metrics: string[];
  defaultMetrics: string[];
  requiredMetrics: string[];
}

function template(input: TemplateInput): Template {
  if (input.metrics.length > MAX_REQUEST_METRICS || input.dimensions.length + 1 > MAX_REQUEST_DIMENSIONS) {
    throw new Error(`ga4.${input.slug}: more fields than one runReport request takes`);
  }
  return {
    id: `ga4.${input.slug}`,
    dataSource: 'ga4',
    name: input.name,
    description: input.description,
    dataClass: 'daily',
    level: input.level,
    dimensions: input.dimensions.map(fieldSpec),
    metrics: input.metrics.map(fieldSpec),
    // The breakdown is what the template is: without its dimensions, rows would collapse into each other.
    requiredDimensions: [...input.dimensions],
    requiredMetrics: [...input.requiredMetrics],
    defaultDimensions: [...input.dimensions],
    defaultMetrics: [...input.defaultMetrics],
    settings: [],
    rules: [],
    historicalDepthDays: HISTORICAL_DEPTH_DAYS,
    defaultLookbackDays: DEFAULT_LOOKBACK_DAYS,
    maxWindowDays: MAX_WINDOW_DAYS,
  };
}

/** The GA4 templates, in catalog order. */
export const ga4Templates: readonly Template[] = [
  template({
    slug: 'traffic_daily',
    name: 'Traffic — daily',
    description: 'One row per property and day: sessions, users, views, engagement, key events and revenue.',
    level: 'property',
    dimensions: [],
    metrics: [
      'sessions',
      'total_users',
      'new_users',
      'active_users',
      'engaged_sessions',
      'screen_page_views',
      'key_events',
      'total_revenue',
      'engagement_rate',
      'average_session_duration',
    ],
    defaultMetrics: [
      'sessions',
      'total_users',
      'new_users',
      'engaged_sessions',
      'screen_page_views',
      'key_events',
      'total_revenue',
      'engagement_rate',
    ],
    requiredMetrics: ['sessions'],
  }),
  template({
    slug: 'acquisition_daily',
    name: 'Acquisition by source / medium / campaign — daily',
    description: 'One row per day, session source, medium, campaign and default channel group.',
    level: 'property',
    dimensions: [
      'session_source',
      'session_medium',
      'session_campaign_name',
      'session_default_channel_group',
    ],
    metrics: [
      'sessions',
      'total_users',
      'new_users',
      'engaged_sessions',
      'screen_page_views',
      'event_count',
      'key_events',
      'total_revenue',
      'engagement_rate',
      'average_session_duration',
    ],
    defaultMetrics: [
      'sessions',
      'total_users',
      'new_users',
      'engaged_sessions',
      'key_events',
      'total_revenue',
    ],
    requiredMetrics: ['sessions'],
  }),
  template({
    slug: 'geo_device_daily',
    name: 'Country and device — daily',
    description: 'One row per day, country and device category.',
    level: 'property',
    dimensions: ['country', 'device_category'],
    metrics: [
      'sessions',
      'total_users',
      'new_users',
      'active_users',
      'engaged_sessions',
      'screen_page_views',
      'key_events',
      'total_revenue',
      'engagement_rate',
      'bounce_rate',
    ],
    defaultMetrics: [
      'sessions',
      'total_users',
      'new_users',
      'screen_page_views',
      'key_events',
      'total_revenue',
    ],
    requiredMetrics: ['sessions'],
  }),
  template({
    slug: 'landing_pages_daily',
    name: 'Landing pages — daily',
    description: 'One row per day and landing page (the first page of each session).',
    level: 'property',
    dimensions: ['landing_page'],
    metrics: [
      'sessions',
      'total_users',
      'new_users',
      'engaged_sessions',
      'screen_page_views',
      'key_events',
      'total_revenue',
      'engagement_rate',
      'bounce_rate',
      'average_session_duration',
    ],
    defaultMetrics: [
      'sessions',
      'new_users',
      'engaged_sessions',
      'key_events',
      'total_revenue',
      'bounce_rate',
    ],
    requiredMetrics: ['sessions'],
  }),
  template({
    slug: 'key_events_daily',
    name: 'Events and key events — daily',
    description:
      'One row per day and event name: how often each event fired, how many were key events, revenue.',
    level: 'property',
    dimensions: ['event_name'],
    metrics: [
      'event_count',
      'key_events',
      'total_users',
      'total_revenue',
      'purchase_revenue',
      'user_engagement_duration',
    ],
    defaultMetrics: ['event_count', 'key_events', 'total_users', 'total_revenue'],
    requiredMetrics: ['event_count'],
  }),
];

/** Our own definition of a template id, or undefined for another source's template. */
export function findGa4Template(id: string): Template | undefined {
  return ga4Templates.find((candidate) => candidate.id === id);
}
