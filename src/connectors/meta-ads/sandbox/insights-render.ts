/**
 * Renders numeric insights rows in Meta's wire format: every metric a JSON string (integers as
 * `"2480"`, money in the account currency without trailing zeros as `"37.2"`, ratios to at most six
 * decimals as `"1.435"`), dates as `YYYY-MM-DD`, ids as numeric strings, action metrics as arrays of
 * `{action_type, value, <window>…}`, breakdown values as extra top-level keys. Fields with no value on a
 * row (a cost per click without clicks, a list without entries) are left out, as Graph leaves them out.
 *
 * A report page renders thousands of rows, so the work that depends only on the query (which fields,
 * which windows, the currency's exponent) is planned once per query view, and every field is rendered
 * by a module-level function reading one reusable per-view context: rendering a row creates no closures.
 */
import { dayString } from '../../../sandbox/calendar.ts';
import type { SandboxAd, SandboxAdSet, SandboxCampaign } from './entities.ts';
import { LEVEL_RANK } from './insights-params.ts';
import type { Bucket, InsightsRow, QueryView } from './insights-rows.ts';
import {
  ACTION_TYPES,
  actionSlot,
  CONVERSION_ACTIONS,
  currencyExponent,
  DEFAULT_COMPONENTS,
  SLOT,
  VALUE_ACTIONS,
  valueSlot,
  WINDOWS,
} from './metrics.ts';

/** A ratio as Meta prints it: rounded to six decimals, trailing zeros dropped. */
export function formatRatio(value: number): string {
  // Below 1e9 the six-decimal text has at most 15 significant digits, so it is exactly what the
  // shortest round-trip printing of its parsed value gives back (DBL_DIG is 15): dropping the trailing
  // zeros as text equals `String(Number(text))`, without the parse and the second printing.
  if (value < 1e9 && value > -1e9) {
    const text = value.toFixed(6);
    let end = text.length;
    while (text.charCodeAt(end - 1) === 48) end -= 1;
    if (text.charCodeAt(end - 1) === 46) end -= 1;
    // `-0.0000001` prints as `-0.000000`; Meta prints zero without a sign.
    return end === 2 && text.charCodeAt(0) === 45 && text.charCodeAt(1) === 48 ? '0' : text.slice(0, end);
  }
  const rounded = Number(value.toFixed(6));
  return String(rounded === 0 ? 0 : rounded);
}

/** An amount in minor units as a decimal string in major units, exact, trailing zeros dropped. */
export function formatMoney(minor: number, exponent: number): string {
  if (exponent === 0) return String(minor);
  if (Number.isInteger(minor) && minor < 1e15 && minor > -1e15 && exponent <= 6) {
    // Integer arithmetic is exact here (the quotient's rounding error stays far below one minor unit);
    // the text route below is the general case.
    const scale = 10 ** exponent;
    const magnitude = Math.abs(minor);
    const whole = Math.floor(magnitude / scale);
    let fraction = magnitude - whole * scale;
    const sign = minor < 0 ? '-' : '';
    if (fraction === 0) return `${sign}${whole}`;
    let digits = exponent;
    while (fraction % 10 === 0) {
      fraction /= 10;
      digits -= 1;
    }
    return `${sign}${whole}.${String(fraction).padStart(digits, '0')}`;
  }
  const digits = String(Math.abs(minor)).padStart(exponent + 1, '0');
  const fraction = digits.slice(-exponent).replace(/0+$/, '');
  const whole = `${minor < 0 ? '-' : ''}${digits.slice(0, -exponent)}`;
  return fraction ? `${whole}.${fraction}` : whole;
}

type Entry = Record<string, string>;

/** What a field renderer reads: the query's constants and the row being rendered. */
interface RowContext {
  view: QueryView;
  exponent: number;
  /** `10 ** exponent`, to turn minor units into major ones. */
  divisor: number;
  rank: number;
  omitReach: boolean;
  /** Components of the modelled windows the query asked for, and their key names. */
  windows: number[];
  windowNames: string[];
  // The row.
  v: Float64Array;
  bucket: Bucket;
  spend: number;
  ad: SandboxAd | undefined;
  adset: SandboxAdSet | undefined;
  campaign: SandboxCampaign | undefined;
}

type FieldRenderer = (context: RowContext) => unknown;

/** The default-attribution count of an action (what `actions[].value` reports). */
function defaultCountOf(v: Float64Array, action: number): number {
  let sum = 0;
  for (const component of DEFAULT_COMPONENTS) sum += v[actionSlot(action, component)]!;
  return sum;
}

function defaultValueOf(v: Float64Array, valueAction: number): number {
  let value = 0;
  for (const component of DEFAULT_COMPONENTS) value += v[valueSlot(valueAction, component)]!;
  return value;
}

function ratio(numerator: number, denominator: number): string | undefined {
  return denominator > 0 ? formatRatio(numerator / denominator) : undefined;
}

const ALL_ACTIONS = ACTION_TYPES.map((_, action) => action);
/** `conversions` lists the conversion actions other than the pixel's own (offsite) events. */
const CONVERSION_LIST = ALL_ACTIONS.filter((action) => {
  const type = ACTION_TYPES[action]!;
  return CONVERSION_ACTIONS.has(type) && !type.startsWith('offsite_');
});
const POST_ENGAGEMENT = ACTION_TYPES.indexOf('post_engagement');

/** Entries of an action list: one per action with a count in the default setting or any asked window. */
function actionEntries(context: RowContext, actions: readonly number[]): Entry[] {
  const { v, windows, windowNames } = context;
  const entries: Entry[] = [];
  for (const action of actions) {
    const value = defaultCountOf(v, action);
    let any = value !== 0;
    for (let index = 0; index < windows.length && !any; index += 1) {
      any = v[actionSlot(action, windows[index]!)] !== 0;
    }
    if (!any) continue;
    const entry: Entry = { action_type: ACTION_TYPES[action]!, value: String(value) };
    for (let index = 0; index < windows.length; index += 1) {
      entry[windowNames[index]!] = String(v[actionSlot(action, windows[index]!)]);
    }
    entries.push(entry);
  }
  return entries;
}

function valueEntries(context: RowContext): Entry[] {
  const { v, windows, windowNames, exponent } = context;
  const entries: Entry[] = [];
  for (let valueAction = 0; valueAction < VALUE_ACTIONS.length; valueAction += 1) {
    const value = defaultValueOf(v, valueAction);
    let any = value !== 0;
    for (let index = 0; index < windows.length && !any; index += 1) {
      any = v[valueSlot(valueAction, windows[index]!)] !== 0;
    }
    if (!any) continue;
    const entry: Entry = { action_type: VALUE_ACTIONS[valueAction]!, value: formatMoney(value, exponent) };
    for (let index = 0; index < windows.length; index += 1) {
      entry[windowNames[index]!] = formatMoney(v[valueSlot(valueAction, windows[index]!)]!, exponent);
    }
    entries.push(entry);
  }
  return entries;
}

/** The connector's recorded contract carries no window keys here, only the default value. */
function costPerActionType(context: RowContext): Entry[] {
  const { v, spend, divisor } = context;
  const entries: Entry[] = [];
  if (!(spend > 0)) return entries;
  for (let action = 0; action < ACTION_TYPES.length; action += 1) {
    const count = defaultCountOf(v, action);
    if (count > 0)
      entries.push({ action_type: ACTION_TYPES[action]!, value: formatRatio(spend / divisor / count) });
  }
  return entries;
}

function roas(context: RowContext, valueAction: number, label: string): Entry[] | undefined {
  const value = defaultValueOf(context.v, valueAction);
  return value > 0 && context.spend > 0
    ? [{ action_type: label, value: formatRatio(value / context.spend) }]
    : undefined;
}

const major = (context: RowContext) => context.spend / context.divisor;
const slot = (context: RowContext, index: number) => context.v[index]!;

/** One renderer per modelled field; a field without one is valid on Meta but carries no value here. */
const renderers = new Map<string, FieldRenderer>([
  ['account_id', (c) => c.view.entities.account.accountId],
  ['account_name', (c) => c.view.entities.account.name],
  ['account_currency', (c) => c.view.entities.account.currency],
  ['campaign_id', (c) => c.campaign?.id],
  ['campaign_name', (c) => c.campaign?.name],
  ['objective', (c) => c.campaign?.objective],
  ['buying_type', (c) => c.campaign?.buyingType],
  ['adset_id', (c) => c.adset?.id],
  ['adset_name', (c) => c.adset?.name],
  ['optimization_goal', (c) => c.adset?.optimizationGoal],
  ['attribution_setting', (c) => (c.rank >= 2 ? '7d_click_1d_view' : undefined)],
  ['ad_id', (c) => c.ad?.id],
  ['ad_name', (c) => c.ad?.name],
  ['date_start', (c) => dayString(c.bucket.start)],
  ['date_stop', (c) => dayString(c.bucket.end)],
  ['impressions', (c) => String(slot(c, SLOT.impressions))],
  ['reach', (c) => (c.omitReach ? undefined : String(slot(c, SLOT.reach)))],
  ['frequency', (c) => (c.omitReach ? undefined : ratio(slot(c, SLOT.impressions), slot(c, SLOT.reach)))],
  ['clicks', (c) => String(slot(c, SLOT.clicks))],
  ['unique_clicks', (c) => String(slot(c, SLOT.uniqueClicks))],
  ['inline_link_clicks', (c) => String(slot(c, SLOT.inlineLinkClicks))],
  ['inline_post_engagement', (c) => String(defaultCountOf(c.v, POST_ENGAGEMENT))],
  ['spend', (c) => formatMoney(c.spend, c.exponent)],
  ['cpc', (c) => ratio(major(c), slot(c, SLOT.clicks))],
  ['cpm', (c) => ratio(major(c) * 1000, slot(c, SLOT.impressions))],
  ['cpp', (c) => (c.omitReach ? undefined : ratio(major(c) * 1000, slot(c, SLOT.reach)))],
  ['ctr', (c) => ratio(slot(c, SLOT.clicks) * 100, slot(c, SLOT.impressions))],
  ['unique_ctr', (c) => ratio(slot(c, SLOT.uniqueClicks) * 100, slot(c, SLOT.reach))],
  ['inline_link_click_ctr', (c) => ratio(slot(c, SLOT.inlineLinkClicks) * 100, slot(c, SLOT.impressions))],
  ['cost_per_inline_link_click', (c) => ratio(major(c), slot(c, SLOT.inlineLinkClicks))],
  ['cost_per_unique_click', (c) => ratio(major(c), slot(c, SLOT.uniqueClicks))],
  ['cost_per_inline_post_engagement', (c) => ratio(major(c), defaultCountOf(c.v, POST_ENGAGEMENT))],
  ['actions', (c) => actionEntries(c, ALL_ACTIONS)],
  ['conversions', (c) => actionEntries(c, CONVERSION_LIST)],
  ['action_values', valueEntries],
  ['cost_per_action_type', costPerActionType],
  ['purchase_roas', (c) => roas(c, 0, 'omni_purchase')],
  ['website_purchase_roas', (c) => roas(c, 1, 'offsite_conversion.fb_pixel_purchase')],
]);

/** What rendering a view's rows needs beyond the row: its fields in order, and the reusable context. */
interface RenderPlan {
  names: string[];
  render: FieldRenderer[];
  /** Breakdown keys of each grid cell (the same keys in every cell). */
  cellKeys: string[];
  context: RowContext;
}

const plans = new WeakMap<QueryView, RenderPlan>();

function planOf(view: QueryView): RenderPlan {
  let plan = plans.get(view);
  if (plan) return plan;
  const { query, entities } = view;
  const names: string[] = [];
  // Graph always sends the bucket's dates, asked for or not, after the fields that were.
  for (const field of [...new Set([...query.fields, 'date_start', 'date_stop'])]) {
    if (renderers.has(field)) names.push(field);
  }
  // Only the modelled windows get keys; `default`, `dda`, SKAdNetwork windows add none.
  const windows = query.windows
    .map((name) => WINDOWS.indexOf(name as (typeof WINDOWS)[number]))
    .filter((component) => component >= 0);
  const exponent = currencyExponent(entities.account.currency);
  plan = {
    names,
    render: names.map((name) => renderers.get(name)!),
    cellKeys: Object.keys(view.grid.cells[0] ?? {}),
    context: {
      view,
      exponent,
      divisor: 10 ** exponent,
      rank: LEVEL_RANK[query.level],
      omitReach: query.omitReach,
      windows,
      windowNames: windows.map((component) => WINDOWS[component]!),
      v: new Float64Array(0),
      bucket: { start: 0, end: 0 },
      spend: 0,
      ad: undefined,
      adset: undefined,
      campaign: undefined,
    },
  };
  plans.set(view, plan);
  return plan;
}

/** Points the context at the entities a row belongs to, at its level and above. */
function setLineage(context: RowContext, row: InsightsRow): void {
  const { entities, query } = context.view;
  context.ad = undefined;
  context.adset = undefined;
  context.campaign = undefined;
  if (query.level === 'ad') {
    const ad = entities.ads[row.entity]!;
    context.ad = ad;
    context.adset = entities.adsets[ad.adset];
    context.campaign = entities.campaigns[ad.campaign];
  } else if (query.level === 'adset') {
    const adset = entities.adsets[row.entity]!;
    context.adset = adset;
    context.campaign = entities.campaigns[adset.campaign];
  } else if (query.level === 'campaign') {
    context.campaign = entities.campaigns[row.entity];
  }
}

/** Renders one row with the query's fields, its bucket's dates and its breakdown values. */
export function renderRow(view: QueryView, row: InsightsRow, bucket: Bucket): Record<string, unknown> {
  const { names, render, cellKeys, context } = planOf(view);
  context.v = row.vector;
  context.bucket = bucket;
  context.spend = row.vector[SLOT.spend]!;
  setLineage(context, row);
  const out: Record<string, unknown> = {};
  for (let index = 0; index < names.length; index += 1) {
    const value = render[index]!(context);
    if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    out[names[index]!] = value;
  }
  const cell = view.grid.cells[row.cell]!;
  for (const key of cellKeys) out[key] = cell[key];
  return out;
}
