/**
 * The fields Meta Ads templates offer, with warehouse types, and the rule that turns a field name into a column
 * name. Plain fields are taken from the data-source schema (`schema.ts`) so labels and types agree; action
 * metrics (`actions:<action_type>` …) are flattened out of Meta's `list<AdsActionStats>` fields, one column per
 * action type, because a warehouse user sums `actions_purchase`, not a JSON array.
 */
import type { FieldSpec, FieldType } from '../kit/types.ts';
import { metaAdsSchema } from './schema.ts';

/** The three `list<AdsActionStats>` Graph fields that action metrics are read from. */
export const ACTION_LIST_FIELDS = ['actions', 'action_values', 'cost_per_action_type'] as const;
export type ActionListField = (typeof ACTION_LIST_FIELDS)[number];

/** Action types offered as metrics, with the label a marketer knows them by (Ads Manager wording). */
export const ACTION_TYPES: readonly { type: string; label: string }[] = [
  { type: 'link_click', label: 'Link clicks' },
  { type: 'landing_page_view', label: 'Landing page views' },
  { type: 'post_engagement', label: 'Post engagements' },
  { type: 'page_engagement', label: 'Page engagements' },
  { type: 'video_view', label: '3-second video plays' },
  { type: 'lead', label: 'Leads' },
  { type: 'add_to_cart', label: 'Adds to cart' },
  { type: 'initiate_checkout', label: 'Checkouts initiated' },
  { type: 'purchase', label: 'Purchases' },
  { type: 'offsite_conversion.fb_pixel_purchase', label: 'Website purchases (Meta Pixel)' },
];

/** A metric read from an action list: which list, and which `action_type` in it. */
export interface ActionMetricRef {
  list: ActionListField;
  actionType: string;
}

/** Splits `actions:purchase` into its list and action type; null for plain metrics. */
export function parseActionMetric(name: string): ActionMetricRef | null {
  const colon = name.indexOf(':');
  if (colon < 0) return null;
  const list = name.slice(0, colon);
  const actionType = name.slice(colon + 1);
  if (!(ACTION_LIST_FIELDS as readonly string[]).includes(list) || actionType === '') return null;
  return { list: list as ActionListField, actionType };
}

const schemaFields = new Map([...metaAdsSchema.dimensions, ...metaAdsSchema.metrics].map((f) => [f.name, f]));

/** A field from the data-source schema; throws at load time if a template names a field the schema lacks. */
function fromSchema(name: string): FieldSpec {
  const field = schemaFields.get(name);
  if (!field) throw new Error(`meta-ads templates: ${name} is not in the data-source schema`);
  return { ...field };
}

/** Dimensions of every level, in hierarchy order; the account itself is the destination's `account_id`. */
export const LEVEL_DIMENSIONS: Readonly<Record<'account' | 'campaign' | 'adset' | 'ad', readonly string[]>> =
  {
    // `account_id` / `account_name` are system columns of every destination table, so templates never offer
    // them as user columns (they would collide); an account-level row is identified by (account, date).
    account: [],
    campaign: ['campaign_id', 'campaign_name', 'objective', 'buying_type'],
    adset: ['campaign_id', 'campaign_name', 'adset_id', 'adset_name', 'objective', 'buying_type'],
    ad: [
      'campaign_id',
      'campaign_name',
      'adset_id',
      'adset_name',
      'ad_id',
      'ad_name',
      'objective',
      'buying_type',
    ],
  };

/** FieldSpecs of the named schema dimensions (level or breakdown dimensions). */
export function dimensionFields(names: readonly string[]): FieldSpec[] {
  return names.map(fromSchema);
}

/** Plain numeric metrics every template offers, in the order tables show them. */
const PLAIN_METRICS = [
  'impressions',
  'reach',
  'frequency',
  'clicks',
  'unique_clicks',
  'inline_link_clicks',
  'spend',
  'cpc',
  'cpm',
  'cpp',
  'ctr',
] as const;

function actionMetric(list: ActionListField, type: string, label: string): FieldSpec {
  const kinds: Record<ActionListField, { label: string; type: FieldType; description: string }> = {
    actions: {
      label,
      type: 'integer',
      description: `Number of ${type} actions attributed to the ads (default attribution of the selected windows).`,
    },
    action_values: {
      label: `${label} — value`,
      type: 'money',
      description: `Conversion value of ${type} actions, in the account currency.`,
    },
    cost_per_action_type: {
      label: `${label} — cost per action`,
      type: 'money',
      description: `Average cost per ${type} action; empty when there were none.`,
    },
  };
  const kind = kinds[list];
  return { name: `${list}:${type}`, label: kind.label, type: kind.type, description: kind.description };
}

/** Every metric of the Meta Ads templates: plain metrics, then per action list one metric per action type. */
export const TEMPLATE_METRICS: readonly FieldSpec[] = [
  ...PLAIN_METRICS.map(fromSchema),
  ...ACTION_LIST_FIELDS.flatMap((list) =>
    ACTION_TYPES.map((action) => actionMetric(list, action.type, action.label)),
  ),
];

/** Longest identifier PostgreSQL keeps (NAMEDATALEN − 1); DuckDB is more lenient. */
export const MAX_COLUMN_NAME_LENGTH = 63;

/** A short, stable FNV-1a hash, so a shortened column name stays unique and the same across runs. */
function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/**
 * The destination column name of a field: lower snake_case, SQL-safe (`[a-z][a-z0-9_]*`), at most 63 chars.
 * `actions:offsite_conversion.fb_pixel_purchase` → `actions_offsite_conversion_fb_pixel_purchase`.
 */
export function columnName(field: string): string {
  let name = field
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (!/^[a-z]/.test(name)) name = `f_${name}`;
  if (name.length > MAX_COLUMN_NAME_LENGTH) {
    // Truncation alone could merge two long names; the hash of the full field name keeps them apart.
    name = `${name.slice(0, MAX_COLUMN_NAME_LENGTH - 9).replace(/_+$/, '')}_${shortHash(field)}`;
  }
  return name;
}
