/**
 * How a PostgreSQL destination reads values back: as cells rather than pg's defaults.
 */
import pg from 'pg';

const timestamptzParser = pg.types.getTypeParser(1184, 'text');

/**
 * Values come back as {@link CellValue}s: dates stay `YYYY-MM-DD` text (the default parser would
 * shift them through a local-time Date), bigint and numeric become numbers, JSON stays text, and
 * timestamps become ISO text.
 */
const cellParsers: Record<number, (text: string) => unknown> = {
  1082: (text) => text,
  20: Number,
  1700: Number,
  114: (text) => text,
  3802: (text) => text,
  1184: (text) => (timestamptzParser(text) as Date).toISOString(),
};
/** The type parsers every query of a destination reads with (pass as the pool's `types`). */
export const cellTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    cellParsers[oid] ?? pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};
