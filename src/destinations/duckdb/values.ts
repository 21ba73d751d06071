/**
 * Conversions between normalized cells and DuckDB values, both ways.
 */
import {
  BIGINT,
  BOOLEAN,
  DATE,
  DECIMAL,
  DOUBLE,
  DuckDBDataChunk,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  type DuckDBType,
  type DuckDBValue,
  VARCHAR,
} from '@duckdb/node-api';
import type { CellValue, ColumnSpec, FieldType } from '../../connectors/kit/types.ts';
import type { NormalCell } from '../core/cells.ts';
import { moneyPrecision, moneyScale } from '../core/typeMap.ts';

/** The most rows a DuckDB data chunk holds (the engine's vector size). */
const chunkRows = 2048;

/**
 * The type a field takes in the staging table. JSON is staged as VARCHAR: the cast into the
 * target's JSON column on INSERT is what validates it, with DuckDB's own error message.
 */
export function stagingType(type: FieldType): DuckDBType {
  switch (type) {
    case 'string':
    case 'json':
      return VARCHAR;
    case 'integer':
      return BIGINT;
    case 'decimal':
    case 'percent':
      return DOUBLE;
    case 'money':
      return DECIMAL(moneyPrecision, moneyScale);
    case 'date':
      return DATE;
    case 'boolean':
      return BOOLEAN;
  }
}

const dayMs = 86_400_000;

/**
 * Converts normalized column arrays to DuckDB values in place of a copy per chunk: dates become
 * day numbers (cached, a batch has few distinct dates), integers bigints, money exact decimals
 * built from the scaled integer, never from a double.
 */
function duckColumns(columns: ColumnSpec[], cells: NormalCell[][], dateCache: Map<string, DuckDBDateValue>) {
  return columns.map(({ type }, c): DuckDBValue[] => {
    const values = cells[c]!;
    switch (type) {
      case 'date':
        return values.map((value) => {
          if (value === null) return null;
          const text = value as string;
          let day = dateCache.get(text);
          if (day === undefined) {
            day = new DuckDBDateValue(Date.parse(`${text}T00:00:00Z`) / dayMs);
            dateCache.set(text, day);
          }
          return day;
        });
      case 'integer':
        return values.map((value) => (value === null ? null : BigInt(value as number)));
      case 'money':
        return values.map((value) =>
          value === null ? null : new DuckDBDecimalValue(value as bigint, moneyPrecision, moneyScale),
        );
      default:
        return values as DuckDBValue[];
    }
  });
}

/**
 * Cuts a normalized batch into data chunks of at most 2048 rows: appending whole chunks is
 * several times faster than appending value by value through the appender.
 */
export function* dataChunks(
  columns: ColumnSpec[],
  types: DuckDBType[],
  cells: NormalCell[][],
  rowCount: number,
  dateCache: Map<string, DuckDBDateValue>,
): Generator<DuckDBDataChunk> {
  const values = duckColumns(columns, cells, dateCache);
  for (let offset = 0; offset < rowCount; offset += chunkRows) {
    const size = Math.min(chunkRows, rowCount - offset);
    const chunk = DuckDBDataChunk.create(types, size);
    chunk.setColumns(
      values.map((column) =>
        offset === 0 && size === column.length ? column : column.slice(offset, offset + size),
      ),
    );
    yield chunk;
  }
}

/** A DuckDB value as a {@link CellValue}: dates as `YYYY-MM-DD`, decimals and bigints as numbers, timestamps as ISO text. */
export function cellFromDuckDb(value: DuckDBValue): CellValue {
  if (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    typeof value === 'number'
  ) {
    return value;
  }
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof DuckDBDecimalValue) return Number(value.toString());
  if (value instanceof DuckDBDateValue) return value.toString();
  if (value instanceof DuckDBTimestampTZValue || value instanceof DuckDBTimestampValue) {
    return new Date(Number(value.micros / 1000n)).toISOString();
  }
  return String(value);
}

/** A DuckDB aggregate (a sum may be a bigint, a wide decimal, a double or NULL) as a number; NULL counts as 0. */
export function numberFromDuckDb(value: DuckDBValue): number {
  if (value === null) return 0;
  const cell = cellFromDuckDb(value);
  return typeof cell === 'number' ? cell : Number(cell);
}
