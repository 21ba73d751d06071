/**
 * Renders numeric insights rows in Meta's wire format: every metric a JSON string (integers as
 * `"2480"`, money in the account currency without trailing zeros as `"37.2"`, ratios to at most six
 * decimals as `"1.435"`), dates as `YYYY-MM-DD`, ids as numeric strings, action metrics as arrays of
 * `{action_type, value, <window>…}`, breakdown values as extra top-level keys. Fields with no value on a
 * row (a cost per click without clicks, a list without entries) are left out, as Graph leaves them out.
 */
import { dayString } from '../../../sandbox/calendar.ts';
import { LEVEL_RANK } from './insights-params.ts';
import type { Bucket, InsightsRow, QueryView } from './insights-rows.ts';
import {
  ACTION_TYPES,
  actionSlot,
  CONVERSION_ACTIONS,
  currencyExponent,
  DEFAULT_COMPONENTS,
  defaultCount,
  SLOT,
  VALUE_ACTIONS,
  valueSlot,
  WINDOWS,
} from './metrics.ts';

/** A ratio as Meta prints it: rounded to six decimals, trailing zeros dropped. */
export function formatRatio(value: number): string {
  const rounded = Number(value.toFixed(6));
  return String(rounded === 0 ? 0 : rounded);
}

/** An amount in minor units as a decimal string in major units, exact, trailing zeros dropped. */
export function formatMoney(minor: number, exponent: number): string {
  if (exponent === 0) return String(minor);
  const digits = String(Math.abs(minor)).padStart(exponent + 1, '0');
  const fraction = digits.slice(-exponent).replace(/0+$/, '');
  const whole = `${minor < 0 ? '-' : ''}${digits.slice(0, -exponent)}`;
  return fraction ? `${whole}.${fraction}` : whole;
}

type Entry = Record<string, string>;

/** The entities a row belongs to, at its level and above. */
function lineage(view: QueryView, row: InsightsRow) {
  const { entities, query } = view;
  if (query.level === 'ad') {
    const ad = entities.ads[row.entity]!;
    return { ad, adset: entities.adsets[ad.adset], campaign: entities.campaigns[ad.campaign] };
  }
  if (query.level === 'adset') {
    const adset = entities.adsets[row.entity]!;
    return { ad: undefined, adset, campaign: entities.campaigns[adset.campaign] };
  }
  if (query.level === 'campaign')
    return { ad: undefined, adset: undefined, campaign: entities.campaigns[row.entity] };
  return { ad: undefined, adset: undefined, campaign: undefined };
}

/** Renders one row with the query's fields, its bucket's dates and its breakdown values. */
export function renderRow(view: QueryView, row: InsightsRow, bucket: Bucket): Record<string, unknown> {
  const { query, entities } = view;
  const v = row.vector;
  const exponent = currencyExponent(entities.account.currency);
  const major = (minor: number) => minor / 10 ** exponent;
  const spend = v[SLOT.spend]!;
  const money = (minor: number) => formatMoney(minor, exponent);
  const ratio = (numerator: number, denominator: number) =>
    denominator > 0 ? formatRatio(numerator / denominator) : undefined;
  const rank = LEVEL_RANK[query.level];
  const { ad, adset, campaign } = lineage(view, row);
  // Only the modelled windows get keys; `default`, `dda`, SKAdNetwork windows add none.
  const windows = query.windows
    .map((name) => WINDOWS.indexOf(name as (typeof WINDOWS)[number]))
    .filter((component) => component >= 0);

  const actionEntries = (filter: (type: string) => boolean): Entry[] =>
    ACTION_TYPES.flatMap((type, action) => {
      if (!filter(type)) return [];
      const value = defaultCount(v, action);
      const windowValues = windows.map((component) => v[actionSlot(action, component)]!);
      if (value === 0 && windowValues.every((count) => count === 0)) return [];
      const entry: Entry = { action_type: type, value: String(value) };
      windows.forEach((component, index) => {
        entry[WINDOWS[component]!] = String(windowValues[index]);
      });
      return [entry];
    });
  const valueEntries = (): Entry[] =>
    VALUE_ACTIONS.flatMap((type, valueAction) => {
      let value = 0;
      for (const component of DEFAULT_COMPONENTS) value += v[valueSlot(valueAction, component)]!;
      const windowValues = windows.map((component) => v[valueSlot(valueAction, component)]!);
      if (value === 0 && windowValues.every((amount) => amount === 0)) return [];
      const entry: Entry = { action_type: type, value: money(value) };
      windows.forEach((component, index) => {
        entry[WINDOWS[component]!] = money(windowValues[index]!);
      });
      return [entry];
    });
  const roas = (valueAction: number, label: string): Entry[] => {
    let value = 0;
    for (const component of DEFAULT_COMPONENTS) value += v[valueSlot(valueAction, component)]!;
    return value > 0 && spend > 0 ? [{ action_type: label, value: formatRatio(value / spend) }] : [];
  };
  const postEngagement = defaultCount(v, ACTION_TYPES.indexOf('post_engagement'));

  const values: Record<string, () => unknown> = {
    account_id: () => entities.account.accountId,
    account_name: () => entities.account.name,
    account_currency: () => entities.account.currency,
    campaign_id: () => campaign?.id,
    campaign_name: () => campaign?.name,
    objective: () => campaign?.objective,
    buying_type: () => campaign?.buyingType,
    adset_id: () => adset?.id,
    adset_name: () => adset?.name,
    optimization_goal: () => adset?.optimizationGoal,
    attribution_setting: () => (rank >= 2 ? '7d_click_1d_view' : undefined),
    ad_id: () => ad?.id,
    ad_name: () => ad?.name,
    date_start: () => dayString(bucket.start),
    date_stop: () => dayString(bucket.end),
    impressions: () => String(v[SLOT.impressions]),
    reach: () => (query.omitReach ? undefined : String(v[SLOT.reach])),
    frequency: () => (query.omitReach ? undefined : ratio(v[SLOT.impressions]!, v[SLOT.reach]!)),
    clicks: () => String(v[SLOT.clicks]),
    unique_clicks: () => String(v[SLOT.uniqueClicks]),
    inline_link_clicks: () => String(v[SLOT.inlineLinkClicks]),
    inline_post_engagement: () => String(postEngagement),
    spend: () => money(spend),
    cpc: () => ratio(major(spend), v[SLOT.clicks]!),
    cpm: () => ratio(major(spend) * 1000, v[SLOT.impressions]!),
    cpp: () => (query.omitReach ? undefined : ratio(major(spend) * 1000, v[SLOT.reach]!)),
    ctr: () => ratio(v[SLOT.clicks]! * 100, v[SLOT.impressions]!),
    unique_ctr: () => ratio(v[SLOT.uniqueClicks]! * 100, v[SLOT.reach]!),
    inline_link_click_ctr: () => ratio(v[SLOT.inlineLinkClicks]! * 100, v[SLOT.impressions]!),
    cost_per_inline_link_click: () => ratio(major(spend), v[SLOT.inlineLinkClicks]!),
    cost_per_unique_click: () => ratio(major(spend), v[SLOT.uniqueClicks]!),
    cost_per_inline_post_engagement: () => ratio(major(spend), postEngagement),
    actions: () => actionEntries(() => true),
    conversions: () => actionEntries((type) => CONVERSION_ACTIONS.has(type) && !type.startsWith('offsite_')),
    action_values: () => valueEntries(),
    cost_per_action_type: () =>
      // The connector's recorded contract carries no window keys here, only the default value.
      ACTION_TYPES.flatMap((type, action) => {
        const count = defaultCount(v, action);
        return count > 0 && spend > 0
          ? [{ action_type: type, value: formatRatio(major(spend) / count) }]
          : [];
      }),
    purchase_roas: () => roas(0, 'omni_purchase'),
    website_purchase_roas: () => roas(1, 'offsite_conversion.fb_pixel_purchase'),
  };

  const out: Record<string, unknown> = {};
  const put = (field: string) => {
    if (field in out) return;
    const value = values[field]?.();
    if (value === undefined || (Array.isArray(value) && value.length === 0)) return;
    out[field] = value;
  };
  for (const field of query.fields) put(field);
  // Graph always sends the bucket's dates, asked for or not.
  put('date_start');
  put('date_stop');
  Object.assign(out, view.grid.cells[row.cell]);
  return out;
}
