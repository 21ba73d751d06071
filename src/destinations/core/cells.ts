/**
 * Checks and normalizes the cells of extracted rows before either warehouse sees them, so both
 * backends accept and refuse the same values, and money is turned into an exact scaled integer
 * here, once, instead of trusting a binary double anywhere on the way in.
 */
import type { CellValue, FieldType } from '../../connectors/kit/types.ts';
import { TributaryError } from '../../domain/errors.ts';
import { moneyPrecision, moneyScale } from './typeMap.ts';

/** A normalized cell: money as a bigint scaled by 10^4, dates as `YYYY-MM-DD`, the rest as JS values. */
export type NormalCell = string | number | bigint | boolean | null;

const moneyLimit = 10n ** BigInt(moneyPrecision);
const decimalText = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,4}))?$/;
const datePattern = /^\d{4}-\d{2}-\d{2}$/;
const integerText = /^[+-]?\d{1,16}$/;

/** Thrown by the normalizers; the caller adds the row number and column name. */
class CellError extends Error {}

/**
 * Money scaled by 10^4, rounded half away from zero from the value's decimal text. A number is
 * read through its shortest round-trip text (`String(0.1)` is `"0.1"`), which is the decimal the
 * provider sent, so `0.1`, `0.2` and `123456789.1234` land exactly as written. Numeric strings are
 * accepted too and are exact by construction.
 */
export function scaledMoney(value: number | string | bigint): bigint {
  if (typeof value === 'bigint') return checkMoneyRange(value * 10n ** BigInt(moneyScale));
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new CellError('is not a finite number');
    // Fast path, same result as the text rule: below 1e11 the scaled double is within a tiny
    // fraction of the exact scaled decimal, so when it sits next to an integer (no half to round)
    // that integer is the answer. Values near a half, or larger, take the exact text path.
    const scaled = value * 10_000;
    const nearest = Math.round(scaled);
    if (Math.abs(value) < 1e11 && Math.abs(scaled - nearest) < 1e-3) return BigInt(nearest);
  }
  const match = decimalText.exec(typeof value === 'number' ? String(value) : value.trim());
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) throw new CellError('is not a decimal number');
  const [, sign, whole = '', fraction = '', exponentText] = match;
  const digits = BigInt(`${whole}${fraction}` || '0');
  const shift = Number(exponentText ?? 0) - fraction.length + moneyScale;
  let scaled: bigint;
  if (digits === 0n) scaled = 0n;
  else if (shift >= 0) {
    if (shift > moneyPrecision) throw new CellError(`exceeds the money range (${moneyPrecision} digits)`);
    scaled = digits * 10n ** BigInt(shift);
  } else {
    const divisor = 10n ** BigInt(-shift);
    scaled = digits / divisor;
    if ((digits % divisor) * 2n >= divisor) scaled += 1n;
  }
  return checkMoneyRange(sign === '-' ? -scaled : scaled);
}

function checkMoneyRange(scaled: bigint): bigint {
  if (scaled >= moneyLimit || scaled <= -moneyLimit) {
    throw new CellError(`exceeds the money range (${moneyPrecision - moneyScale} integer digits)`);
  }
  return scaled;
}

/** `12345n` → `"1.2345"`: the exact decimal text of a scaled money value. */
export function formatScaled(scaled: bigint, scale = moneyScale): string {
  const negative = scaled < 0n;
  const digits = (negative ? -scaled : scaled).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

/** True when `value` is a real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string' || !datePattern.test(value)) return false;
  const time = Date.UTC(Number(value.slice(0, 4)), Number(value.slice(5, 7)) - 1, Number(value.slice(8, 10)));
  return new Date(time).toISOString().slice(0, 10) === value;
}

function toNumber(value: CellValue): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    if (!Number.isNaN(parsed)) return parsed;
  }
  throw new CellError('is not a number');
}

/** Normalizes one cell for a column of `type`; `null` and `undefined` stay null. */
export function normalizeCell(type: FieldType, value: CellValue | undefined): NormalCell {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'string':
      return typeof value === 'string' ? value : String(value);
    case 'json':
      // JSON cells arrive as JSON text; scalars are valid JSON text as they print.
      return typeof value === 'string' ? value : JSON.stringify(value);
    case 'integer': {
      if (typeof value === 'string' && !integerText.test(value.trim()))
        throw new CellError('is not an integer');
      const number = toNumber(value);
      if (!Number.isSafeInteger(number)) throw new CellError('is not a (safe) integer');
      return number;
    }
    case 'decimal':
    case 'percent':
      return toNumber(value);
    case 'money':
      if (typeof value === 'boolean') throw new CellError('is not a decimal number');
      return scaledMoney(value);
    case 'date':
      if (!isIsoDate(value)) throw new CellError('is not a YYYY-MM-DD date');
      return value;
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      throw new CellError('is not a boolean');
  }
}

/**
 * Wraps a normalizer failure into `validation_failed` naming the row and column. The value is
 * cut short in the message: rows can hold long free text.
 */
export function cellFailure(
  error: unknown,
  row: number,
  column: string,
  type: FieldType,
  value: unknown,
): never {
  if (!(error instanceof CellError)) throw error;
  const shown = JSON.stringify(value)?.slice(0, 80) ?? String(value);
  throw new TributaryError(
    'validation_failed',
    `Row ${row}: column ${column} (${type}) ${error.message}: ${shown}.`,
    { details: { row, column, type } },
  );
}
