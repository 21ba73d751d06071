/**
 * Encodes normalized rows in PostgreSQL's COPY text format: one line per row, tab between
 * fields, `\N` for NULL, and backslash escapes for backslash, newline, carriage return and tab.
 * Text format rather than CSV because it is unambiguous without quoting (an empty string is an
 * empty field, NULL is `\N`) and is what the server parses fastest.
 */
import type { FieldType } from '../../connectors/kit/types.ts';
import { TributaryError } from '../../domain/errors.ts';
import { formatScaled, type NormalCell } from '../core/cells.ts';

const needsEscape = /[\\\n\r\t\0]/;
const escapes: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Escapes one text field. PostgreSQL text cannot hold a NUL character at all, so one is refused
 * here, naming the column, rather than surfacing as an encoding error from the server.
 */
export function escapeCopyText(value: string, column = 'a text'): string {
  if (!needsEscape.test(value)) return value;
  if (value.includes('\0')) {
    throw new TributaryError(
      'validation_failed',
      `Column ${column} holds a NUL character, which PostgreSQL text cannot store.`,
      { details: { column } },
    );
  }
  return value.replace(/[\\\n\r\t]/g, (character) => escapes[character]!);
}

/** The COPY text of one normalized cell of a column of `type`. */
function field(type: FieldType, value: NormalCell, column: string): string {
  if (value === null) return '\\N';
  switch (type) {
    case 'money':
      return formatScaled(value as bigint);
    case 'boolean':
      return value ? 't' : 'f';
    case 'string':
    case 'json':
      return escapeCopyText(value as string, column);
    default:
      // Numbers print as the shortest text that reads back to the same double (and NaN or
      // Infinity as PostgreSQL spells them); dates are already YYYY-MM-DD.
      return String(value);
  }
}

/** Encodes a column-major batch (as `normalizeBatch` returns it) into COPY text lines. */
export function encodeCopyBatch(
  columns: { name: string; type: FieldType }[],
  cells: NormalCell[][],
  rowCount: number,
): Buffer {
  const lines = new Array<string>(rowCount);
  const fields = new Array<string>(columns.length);
  for (let r = 0; r < rowCount; r++) {
    for (let c = 0; c < columns.length; c++) {
      const column = columns[c]!;
      fields[c] = field(column.type, cells[c]![r] ?? null, column.name);
    }
    lines[r] = fields.join('\t');
  }
  return Buffer.from(rowCount === 0 ? '' : `${lines.join('\n')}\n`, 'utf8');
}
