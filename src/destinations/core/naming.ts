/**
 * Table and column names in a warehouse, and how they are quoted. Every identifier that reaches
 * SQL passes {@link assertIdentifier} first and is quoted anyway, so a name can never change the
 * meaning of a statement even if it happens to be a keyword (`date` is one).
 */
import { TributaryError } from '../../domain/errors.ts';

/** The SQL dialects Tributary writes. */
export type Dialect = 'duckdb' | 'postgres';

const identifierPattern = /^[a-z][a-z0-9_]{0,62}$/;

/**
 * Prefixes kept for Tributary's own objects (system columns such as `__insert_date`, bookkeeping
 * tables such as `_tributary_loads`). The pattern already refuses a leading `_`; the explicit
 * list keeps the rule stated, should the pattern ever be relaxed.
 */
const reservedPrefixes = ['__', '_tributary'];

/** The system columns every destination table carries besides its user columns. */
export const systemColumnNames = ['account_id', 'account_name', '__insert_date', '__run_id'] as const;

/** The bookkeeping table {@link Destination.recordLoad} appends to. */
export const loadsTableName = '_tributary_loads';

/**
 * Throws `validation_failed` unless `name` is a lower-case identifier (`[a-z][a-z0-9_]{0,62}`)
 * outside the reserved prefixes. `what` names the thing in the message (e.g. `table`, `column`).
 */
export function assertIdentifier(name: string, what = 'identifier'): string {
  if (typeof name !== 'string' || !identifierPattern.test(name)) {
    throw new TributaryError(
      'validation_failed',
      `Invalid ${what} name ${JSON.stringify(name)}: use lower-case letters, digits and _, starting with a letter, at most 63 characters.`,
      { details: { [what]: name } },
    );
  }
  if (reservedPrefixes.some((prefix) => name.startsWith(prefix))) {
    throw new TributaryError('validation_failed', `The ${what} name ${JSON.stringify(name)} is reserved.`, {
      details: { [what]: name },
    });
  }
  return name;
}

/**
 * The default destination table of a template: `<source>_<template>` in snake_case, e.g.
 * (`meta-ads`, `campaign_daily`) → `meta_ads_campaign_daily`. Throws `validation_failed` when the
 * result is not a valid identifier (too long, or starting with a digit).
 */
export function tableNameFor(dataSource: string, templateSlug: string): string {
  const snake = (part: string) =>
    part
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '');
  // Template ids arrive as `<source>.<slug>`; only the slug belongs after the source prefix.
  const slug = templateSlug.includes('.')
    ? templateSlug.slice(templateSlug.lastIndexOf('.') + 1)
    : templateSlug;
  return assertIdentifier(`${snake(dataSource)}_${snake(slug)}`, 'table');
}

/**
 * Quotes an identifier for either dialect (both use `"…"` with doubled quotes). The name is not
 * validated here: callers validate names that come from outside, this only quotes.
 */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `"schema"."table"` for PostgreSQL, `"table"` for DuckDB (its tables live in the default schema). */
export function qualifiedName(dialect: Dialect, table: string, schema?: string): string {
  if (dialect === 'postgres' && schema !== undefined)
    return `${quoteIdentifier(schema)}.${quoteIdentifier(table)}`;
  return quoteIdentifier(table);
}

/**
 * Quotes a string literal. DuckDB takes `'…'` with doubled quotes. PostgreSQL does too while
 * `standard_conforming_strings` is on, but an `E'…'` literal is used when the value holds a
 * backslash so that a server with the setting off cannot reinterpret it.
 */
export function quoteLiteral(dialect: Dialect, value: string): string {
  const doubled = value.replaceAll("'", "''");
  if (dialect === 'postgres' && value.includes('\\')) return `E'${doubled.replaceAll('\\', '\\\\')}'`;
  return `'${doubled}'`;
}
