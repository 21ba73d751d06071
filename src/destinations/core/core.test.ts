/**
 * The pure helpers both backends share: names, type mapping, exact money, COPY text, counts,
 * error translation.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeCopyText } from '../postgres/copyText.ts';
import { formatScaled, normalizeCell, scaledMoney } from './cells.ts';
import { destinationError, redactUrl } from './errors.ts';
import { assertIdentifier, quoteIdentifier, quoteLiteral, tableNameFor } from './naming.ts';
import { writeCounts } from './specs.ts';
import { fieldTypeOf, sqlTypeFor } from './typeMap.ts';

describe('naming', () => {
  it('names a template table <source>_<template> in snake_case', () => {
    expect(tableNameFor('meta-ads', 'campaign_daily')).toBe('meta_ads_campaign_daily');
    expect(tableNameFor('google-ads', 'google-ads.adGroupDaily')).toBe('google_ads_ad_group_daily');
    expect(() => tableNameFor('9ads', 'x')).toThrow(/Invalid table name/);
    expect(() => tableNameFor('meta-ads', 'x'.repeat(60))).toThrow(/at most 63/);
  });

  it('accepts lower-case identifiers only, outside the reserved prefixes', () => {
    expect(assertIdentifier('spend_7d')).toBe('spend_7d');
    for (const bad of [
      'Spend',
      '7d',
      '',
      'a-b',
      'a b',
      '__insert_date',
      '_tributary_loads',
      'x'.repeat(64),
      'a"b',
    ]) {
      expect(() => assertIdentifier(bad, 'column')).toThrow(
        expect.objectContaining({ code: 'validation_failed' }),
      );
    }
  });

  it('quotes identifiers and literals for both dialects', () => {
    expect(quoteIdentifier('a"b')).toBe('"a""b"');
    expect(quoteLiteral('duckdb', "it's \\")).toBe("'it''s \\'");
    expect(quoteLiteral('postgres', "it's")).toBe("'it''s'");
    expect(quoteLiteral('postgres', 'back\\slash')).toBe("E'back\\\\slash'");
  });
});

describe('type mapping', () => {
  it('maps field types to each dialect and back', () => {
    expect(sqlTypeFor('duckdb', 'money')).toBe('DECIMAL(18,4)');
    expect(sqlTypeFor('postgres', 'money')).toBe('numeric(18,4)');
    expect(sqlTypeFor('postgres', 'json')).toBe('jsonb');
    expect(fieldTypeOf('DECIMAL(18,4)')).toBe('money');
    expect(fieldTypeOf('numeric(12,2)')).toBe('decimal');
    expect(fieldTypeOf('double precision')).toBe('decimal');
    expect(fieldTypeOf('DOUBLE', 'tributary:percent')).toBe('percent');
    expect(fieldTypeOf('BIGINT')).toBe('integer');
    expect(fieldTypeOf('TIMESTAMP WITH TIME ZONE')).toBe('string');
    expect(fieldTypeOf('jsonb', 'someone else’s comment')).toBe('json');
  });
});

describe('exact money', () => {
  it('scales by 10^4 from the decimal text, rounding half away from zero', () => {
    expect(scaledMoney(0.1)).toBe(1000n);
    expect(scaledMoney(123456789.1234)).toBe(1234567891234n);
    expect(scaledMoney(1.00005)).toBe(10001n);
    expect(scaledMoney(-1.00005)).toBe(-10001n);
    expect(scaledMoney(1e-7)).toBe(0n);
    expect(scaledMoney('99999999999999.9999')).toBe(999999999999999999n);
    expect(scaledMoney('1.5e3')).toBe(15000000n);
    expect(() => scaledMoney('100000000000000')).toThrow(/money range/);
    expect(() => scaledMoney(Number.NaN)).toThrow();
    expect(() => scaledMoney('1,5')).toThrow();
    expect(formatScaled(-5n)).toBe('-0.0005');
    expect(formatScaled(1234567891234n)).toBe('123456789.1234');
  });

  it('reads a number exactly as the decimal it prints as', () => {
    const decimal = fc
      .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 99_999_999_999n }), fc.integer({ min: 0, max: 9999 }))
      .map(
        ([negative, whole, fraction]) =>
          `${negative ? '-' : ''}${whole}.${String(fraction).padStart(4, '0')}`,
      );
    fc.assert(
      fc.property(decimal, (text) => {
        expect(scaledMoney(Number(text))).toBe(scaledMoney(text));
        // `+ 0` folds -0 (from "-0.0000") into 0, which is what a scaled zero prints as.
        expect(Number(formatScaled(scaledMoney(text)))).toBe(Number(text) + 0);
      }),
    );
  });

  it('normalizes other cells strictly', () => {
    expect(normalizeCell('integer', '42')).toBe(42);
    expect(() => normalizeCell('integer', 1.5)).toThrow();
    expect(() => normalizeCell('date', '2026-02-30')).toThrow();
    expect(normalizeCell('boolean', 'true')).toBe(true);
    expect(normalizeCell('json', 5)).toBe('5');
    expect(normalizeCell('string', undefined)).toBeNull();
  });
});

describe('COPY text', () => {
  it('escapes backslash, newline, carriage return and tab only', () => {
    expect(escapeCopyText('a\\b\nc\rd\te,"f"')).toBe('a\\\\b\\nc\\rd\\te,"f"');
    expect(escapeCopyText('\\N')).toBe('\\\\N');
    expect(() => escapeCopyText('a\0b', 'label')).toThrow(/label/);
  });
});

describe('write counts', () => {
  it('sums per-date updated, inserted and deleted', () => {
    const old = new Map([
      ['d1', 3],
      ['d2', 3],
      ['d3', 2],
    ]);
    const fresh = new Map([
      ['d1', 1],
      ['d2', 4],
      ['d4', 5],
    ]);
    expect(writeCounts(old, fresh)).toEqual({ updated: 4, inserted: 6, deleted: 4 });
  });
});

describe('destination errors', () => {
  it('redacts passwords and sorts failures into unavailable and rejected', () => {
    expect(redactUrl('postgres://u:p%40ss@h:5432/db?sslpassword=x')).toBe(
      'postgres://u:***@h:5432/db?sslpassword=***',
    );
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(destinationError('postgres', 'connecting', refused).code).toBe('destination_unavailable');
    const denied = Object.assign(new Error('permission denied for schema s'), { code: '42501' });
    expect(destinationError('postgres', 'writing', denied).code).toBe('destination_rejected');
    const diskFull = Object.assign(new Error('could not extend file: No space left on device'), {
      code: '53100',
    });
    expect(destinationError('postgres', 'writing', diskFull).code).toBe('destination_rejected');
    const locked = new Error('IO Error: Could not set lock on file "x.duckdb": Conflicting lock is held');
    expect(destinationError('duckdb', 'opening', locked).code).toBe('destination_unavailable');
    const leaky = destinationError('postgres', 'x', new Error('bad url postgres://u:hunter22@h/db'), [
      'hunter22',
    ]);
    expect(leaky.message).not.toContain('hunter22');
    expect(String((leaky.cause as Error).message)).not.toContain('hunter22');
  });
});
