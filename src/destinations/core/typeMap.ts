/**
 * How a {@link FieldType} lands in each warehouse, and how a warehouse column type is read back.
 *
 * Money is exact (DECIMAL/NUMERIC with 4 fractional digits, enough for every ad platform's
 * micro-currency rounding) because spend is summed and reconciled against the provider to the
 * cent; ratios and modelled figures (decimal, percent) are doubles because they are estimates
 * already and a double keeps sums fast.
 */
import { type FieldType, fieldTypes } from '../../connectors/kit/types.ts';
import type { Dialect } from './naming.ts';

/** Total digits and fractional digits of a money column. */
export const moneyPrecision = 18;
export const moneyScale = 4;

const duckDbTypes: Record<FieldType, string> = {
  string: 'VARCHAR',
  integer: 'BIGINT',
  decimal: 'DOUBLE',
  money: `DECIMAL(${moneyPrecision},${moneyScale})`,
  percent: 'DOUBLE',
  date: 'DATE',
  boolean: 'BOOLEAN',
  json: 'JSON',
};

const postgresTypes: Record<FieldType, string> = {
  string: 'text',
  integer: 'bigint',
  decimal: 'double precision',
  money: `numeric(${moneyPrecision},${moneyScale})`,
  percent: 'double precision',
  date: 'date',
  boolean: 'boolean',
  json: 'jsonb',
};

/** The column type a field is created with in `dialect`. */
export function sqlTypeFor(dialect: Dialect, type: FieldType): string {
  return dialect === 'duckdb' ? duckDbTypes[type] : postgresTypes[type];
}

/** The system columns and their types, in table order after the user columns. */
export function systemColumnsDdl(dialect: Dialect): [string, string][] {
  const text = dialect === 'duckdb' ? 'VARCHAR' : 'text';
  const timestamp = dialect === 'duckdb' ? 'TIMESTAMPTZ' : 'timestamptz';
  return [
    ['account_id', `${text} NOT NULL`],
    ['account_name', text],
    ['__insert_date', `${timestamp} NOT NULL`],
    ['__run_id', `${text} NOT NULL`],
  ];
}

/**
 * The column comment that records the field type a column was created for. It is how `percent`
 * survives a round trip: percent and decimal share the double type, and preview would otherwise
 * call both `decimal`.
 */
export function typeComment(type: FieldType): string {
  return `tributary:${type}`;
}

const knownFieldTypes: ReadonlySet<string> = new Set(fieldTypes);

/**
 * The field type of a warehouse column: the one its Tributary comment records when present,
 * otherwise inferred from the SQL type as either dialect spells it (`DECIMAL(18,4)`,
 * `numeric(18,4)`, `double precision`, `TIMESTAMP WITH TIME ZONE`, …). Anything unknown, and
 * timestamps, read back as `string` (timestamps are returned as ISO text).
 */
export function fieldTypeOf(sqlType: string, comment?: string | null): FieldType {
  const recorded = comment?.startsWith('tributary:') ? comment.slice('tributary:'.length) : null;
  if (recorded !== null && knownFieldTypes.has(recorded)) return recorded as FieldType;
  const type = sqlType.toLowerCase().trim();
  const decimal = /^(?:decimal|numeric)\s*(?:\((\d+)\s*,\s*(\d+)\))?$/.exec(type);
  if (decimal) return decimal[2] === String(moneyScale) ? 'money' : 'decimal';
  if (/^(?:bigint|integer|int|int2|int4|int8|smallint|tinyint|hugeint|ubigint|uinteger)$/.test(type)) {
    return 'integer';
  }
  if (/^(?:double|double precision|float|float4|float8|real)$/.test(type)) return 'decimal';
  if (type === 'date') return 'date';
  if (type === 'boolean' || type === 'bool') return 'boolean';
  if (type === 'json' || type === 'jsonb') return 'json';
  return 'string';
}
