/**
 * The cross-source `paid_ads__basic_performance` model: one normalized table per destination holding every paid
 * source's spend, impressions, clicks and conversions by date, account and campaign. Each connector maps its own
 * columns to the model's (`ExtractionSupport.paidAds`, documented in its folder's `docs/mapping.md`); after a slice
 * of a mapped template lands, the model's rows of that (source, account, dates) are replaced from the source table
 * in one transaction, so the model's totals are always the sum of the sources' totals and a re-run never doubles.
 */
import type { PaidAdsFields } from '../../connectors/kit/types.ts';
import { type Dialect, quoteIdentifier as q, quoteLiteral } from './naming.ts';
import { sqlTypeFor } from './typeMap.ts';

/** The model's table name, the same in every destination. */
export const PAID_ADS_TABLE = 'paid_ads__basic_performance';

/** What an empty dimension becomes in the model, so group-bys never show a blank. */
export const UNKNOWN = 'Unknown';

/** One refresh: the rows of one account and date range of one source table. */
export interface PaidAdsRefresh {
  /** The extraction's table the rows come from. */
  sourceTable: string;
  /** Its columns, so a metric the user left out of the selection reads as 0 instead of failing. */
  sourceColumns: readonly string[];
  dataSource: string;
  accountId: string;
  currency: string | null;
  /** Inclusive `YYYY-MM-DD` dates. */
  from: string;
  to: string;
  fields: PaidAdsFields;
}

/** The model's columns, in table order, with their field types. */
const modelColumns = [
  ['date', 'date'],
  ['data_source', 'string'],
  ['account_id', 'string'],
  ['account_name', 'string'],
  ['campaign_id', 'string'],
  ['campaign_name', 'string'],
  ['currency', 'string'],
  ['spend', 'money'],
  ['impressions', 'integer'],
  ['clicks', 'integer'],
  ['conversions', 'decimal'],
  ['source_table', 'string'],
] as const;

/** `CREATE TABLE IF NOT EXISTS` for the model in `dialect`; `name` is the qualified table name. */
export function paidAdsTableDdl(dialect: Dialect, name: string): string {
  const columns = modelColumns.map(([column, type]) => `${q(column)} ${sqlTypeFor(dialect, type)} NOT NULL`);
  return `CREATE TABLE IF NOT EXISTS ${name} (${columns.join(', ')})`;
}

/**
 * The two statements of one refresh: delete the model's rows of (source, account, dates), then insert the source
 * table's rows of the same keys, summed per date and campaign with empty names normalized to `Unknown`.
 * `nameOf` qualifies a table name for the destination (PostgreSQL adds its schema).
 */
export function paidAdsRefreshSql(
  dialect: Dialect,
  refresh: PaidAdsRefresh,
  nameOf: (table: string) => string,
): string[] {
  const literal = (value: string) => quoteLiteral(dialect, value);
  const text = sqlTypeFor(dialect, 'string');
  const has = (column: string | undefined): column is string =>
    column !== undefined && refresh.sourceColumns.includes(column);
  const named = (column: string | undefined) =>
    has(column)
      ? `COALESCE(NULLIF(TRIM(CAST(${q(column)} AS ${text})), ''), ${literal(UNKNOWN)})`
      : literal(UNKNOWN);
  const summed = (column: string | undefined, type: 'money' | 'integer' | 'decimal') =>
    has(column) ? `CAST(COALESCE(SUM(${q(column)}), 0) AS ${sqlTypeFor(dialect, type)})` : '0';
  const keys = `${q('data_source')} = ${literal(refresh.dataSource)} AND ${q('account_id')} = ${literal(refresh.accountId)}
      AND ${q('date')} BETWEEN CAST(${literal(refresh.from)} AS DATE) AND CAST(${literal(refresh.to)} AS DATE)`;
  const campaignId = named(refresh.fields.campaignId);
  const campaignName = named(refresh.fields.campaignName);
  const accountName = named('account_name');
  const model = nameOf(PAID_ADS_TABLE);
  // PostgreSQL refuses a constant in GROUP BY: group by the expressions that read a column only.
  const groupBy = [q('date'), 'account_id', accountName, campaignId, campaignName].filter(
    (expression) => expression !== literal(UNKNOWN),
  );
  return [
    `DELETE FROM ${model} WHERE ${keys}`,
    `INSERT INTO ${model} (${modelColumns.map(([column]) => q(column)).join(', ')})
     SELECT ${q('date')}, ${literal(refresh.dataSource)}, account_id, ${accountName}, ${campaignId}, ${campaignName},
       ${literal(refresh.currency?.trim() || UNKNOWN)},
       ${summed(refresh.fields.spend, 'money')}, ${summed(refresh.fields.impressions, 'integer')},
       ${summed(refresh.fields.clicks, 'integer')}, ${summed(refresh.fields.conversions, 'decimal')},
       ${literal(refresh.sourceTable)}
     FROM ${nameOf(refresh.sourceTable)}
     WHERE account_id = ${literal(refresh.accountId)}
       AND ${q('date')} BETWEEN CAST(${literal(refresh.from)} AS DATE) AND CAST(${literal(refresh.to)} AS DATE)
     GROUP BY ${groupBy.join(', ')}`,
  ];
}
