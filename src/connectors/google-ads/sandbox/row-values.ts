/**
 * What a field is worth for one row: attribute values from the row's entities (with Google's resource-name
 * formats), metric values from a summed delivery vector, and the test of a WHERE condition against them.
 */

import { SLOT } from './delivery.ts';
import type { CustomerEntities } from './entities.ts';
import type { FieldSpec } from './gaql-fields.ts';
import type { Condition, Literal } from './gaql-parser.ts';
import type { SeedCustomer } from './seed.ts';

/** A raw field value before JSON encoding. */
export type RawValue = string | number | boolean;

/** The entities one row is about (indexes into the customer's entity lists). */
export interface RowContext {
  customer: SeedCustomer;
  entities?: CustomerEntities | undefined;
  campaign?: number | undefined;
  adGroup?: number | undefined;
  ad?: number | undefined;
  keyword?: number | undefined;
  term?: number | undefined;
  /** For `customer_client` rows: the linked account and its level below `customer`. */
  client?: { customer: SeedCustomer; level: number } | undefined;
}

function campaignValue(ctx: RowContext, name: string): RawValue | undefined {
  const campaign = ctx.entities!.campaigns[ctx.campaign!]!;
  const values: Record<string, RawValue> = {
    resource_name: `customers/${ctx.customer.id}/campaigns/${campaign.id}`,
    id: campaign.id,
    name: campaign.name,
    status: campaign.status,
    advertising_channel_type: campaign.channel,
  };
  return values[name];
}

function adGroupValue(ctx: RowContext, name: string): RawValue | undefined {
  const group = ctx.entities!.adGroups[ctx.adGroup!]!;
  const values: Record<string, RawValue> = {
    resource_name: `customers/${ctx.customer.id}/adGroups/${group.id}`,
    id: group.id,
    name: group.name,
    status: 'ENABLED',
  };
  return values[name];
}

function adGroupAdValue(ctx: RowContext, name: string): RawValue | undefined {
  const ad = ctx.entities!.ads[ctx.ad!]!;
  const group = ctx.entities!.adGroups[ad.adGroup]!;
  const values: Record<string, RawValue> = {
    resource_name: `customers/${ctx.customer.id}/adGroupAds/${group.id}~${ad.id}`,
    status: 'ENABLED',
    'ad.resource_name': `customers/${ctx.customer.id}/ads/${ad.id}`,
    'ad.id': ad.id,
    'ad.name': ad.name,
    'ad.type': ad.type,
  };
  return values[name];
}

function criterionValue(ctx: RowContext, resource: string, name: string): RawValue | undefined {
  const keyword = ctx.entities!.keywords[ctx.keyword!]!;
  const group = ctx.entities!.adGroups[keyword.adGroup]!;
  if (resource === 'keyword_view') {
    return name === 'resource_name'
      ? `customers/${ctx.customer.id}/keywordViews/${group.id}~${keyword.criterionId}`
      : undefined;
  }
  const values: Record<string, RawValue> = {
    resource_name: `customers/${ctx.customer.id}/adGroupCriteria/${group.id}~${keyword.criterionId}`,
    criterion_id: keyword.criterionId,
    'keyword.text': keyword.text,
    'keyword.match_type': keyword.matchType,
  };
  return values[name];
}

function searchTermValue(ctx: RowContext, name: string): RawValue | undefined {
  const term = ctx.entities!.searchTerms[ctx.term!]!;
  const group = ctx.entities!.adGroups[ctx.adGroup!]!;
  const campaign = ctx.entities!.campaigns[ctx.campaign!]!;
  const encoded = Buffer.from(term.text).toString('base64url');
  const values: Record<string, RawValue> = {
    resource_name: `customers/${ctx.customer.id}/searchTermViews/${campaign.id}~${group.id}~${encoded}`,
    search_term: term.text,
    status: term.status,
  };
  return values[name];
}

function customerValue(customer: SeedCustomer, name: string): RawValue | undefined {
  const values: Record<string, RawValue> = {
    resource_name: `customers/${customer.id}`,
    id: customer.id,
    descriptive_name: customer.name,
    currency_code: customer.currency,
    time_zone: customer.timeZone,
    manager: customer.manager,
    status: customer.status,
  };
  return values[name];
}

function customerClientValue(ctx: RowContext, name: string): RawValue | undefined {
  const { customer: client, level } = ctx.client!;
  if (name === 'resource_name') return `customers/${ctx.customer.id}/customerClients/${client.id}`;
  if (name === 'client_customer') return `customers/${client.id}`;
  if (name === 'level') return level;
  if (name === 'hidden' || name === 'test_account') return false;
  return customerValue(client, name);
}

/** The value of an attribute field for a row. */
export function attributeValue(field: FieldSpec, ctx: RowContext): RawValue | undefined {
  const name = field.name.slice(field.resource.length + 1);
  switch (field.resource) {
    case 'customer':
      return customerValue(ctx.customer, name);
    case 'campaign':
      return campaignValue(ctx, name);
    case 'ad_group':
      return adGroupValue(ctx, name);
    case 'ad_group_ad':
      return adGroupAdValue(ctx, name);
    case 'keyword_view':
    case 'ad_group_criterion':
      return criterionValue(ctx, field.resource, name);
    case 'search_term_view':
      return searchTermValue(ctx, name);
    case 'customer_client':
      return customerClientValue(ctx, name);
    default:
      return undefined;
  }
}

/** The value of a metric for a summed vector; 0 where Google has nothing to divide by. */
export function metricValue(name: string, v: Float64Array): number {
  const cost = v[SLOT.costMicros]!;
  const conversions = v[SLOT.conversions8]! / 8;
  const ratio = (numerator: number, denominator: number) => (denominator > 0 ? numerator / denominator : 0);
  switch (name) {
    case 'metrics.impressions':
      return v[SLOT.impressions]!;
    case 'metrics.clicks':
      return v[SLOT.clicks]!;
    case 'metrics.cost_micros':
      return cost;
    case 'metrics.interactions':
      return v[SLOT.interactions]!;
    case 'metrics.view_through_conversions':
      return v[SLOT.viewThroughConversions]!;
    case 'metrics.video_trueview_views':
      return v[SLOT.videoViews]!;
    case 'metrics.conversions':
      return conversions;
    case 'metrics.conversions_value':
      return v[SLOT.conversionsValueCents]! / 100;
    case 'metrics.all_conversions':
      return v[SLOT.allConversions8]! / 8;
    case 'metrics.all_conversions_value':
      return v[SLOT.allConversionsValueCents]! / 100;
    case 'metrics.ctr':
      return ratio(v[SLOT.clicks]!, v[SLOT.impressions]!);
    case 'metrics.average_cpc':
      return ratio(cost, v[SLOT.clicks]!);
    case 'metrics.average_cpm':
      return ratio(cost * 1000, v[SLOT.impressions]!);
    case 'metrics.cost_per_conversion':
      return ratio(cost, conversions);
    case 'metrics.value_per_conversion':
      return ratio(v[SLOT.conversionsValueCents]! / 100, conversions);
    default:
      return 0;
  }
}

/** A literal as a value of the field's type. */
function literalValue(field: FieldSpec, literal: Literal): RawValue {
  if (field.type === 'bool') return literal.text.toUpperCase() === 'TRUE';
  if (field.type === 'int64' || field.type === 'double') return Number(literal.text);
  return literal.text;
}

function compare(a: RawValue, b: RawValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' || typeof b === 'boolean') return Number(a) - Number(b);
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

/** Orders two raw values (numbers numerically, text lexicographically). */
export const compareValues = compare;

/** Whether a row's value satisfies a condition (DURING is resolved to BETWEEN before rows are tested). */
export function satisfies(field: FieldSpec, value: RawValue | undefined, condition: Condition): boolean {
  if (value === undefined) return false;
  // int64 attributes are kept as decimal strings; compare them as numbers.
  const actual = field.type === 'int64' || field.type === 'double' ? Number(value) : value;
  switch (condition.op) {
    case 'IN':
      return condition.values.some((literal) => compare(actual, literalValue(field, literal)) === 0);
    case 'NOT IN':
      return condition.values.every((literal) => compare(actual, literalValue(field, literal)) !== 0);
    case 'BETWEEN':
      return (
        compare(actual, literalValue(field, condition.low)) >= 0 &&
        compare(actual, literalValue(field, condition.high)) <= 0
      );
    case 'DURING':
      return true;
    default: {
      const order = compare(actual, literalValue(field, condition.value));
      const tests = {
        '=': order === 0,
        '!=': order !== 0,
        '>': order > 0,
        '>=': order >= 0,
        '<': order < 0,
        '<=': order <= 0,
      };
      return tests[condition.op];
    }
  }
}
