/**
 * Rest.li protocol 2.0 query syntax, as LinkedIn's `/rest` API parses it: `List(a,b)`, records
 * `(key:value,key:(nested:value))`, and leaves percent-decoded *after* the structure is read. The structural
 * characters `( ) , :` must therefore arrive literally, and a URN inside a list must be percent-encoded
 * (`List(urn%3Ali%3AsponsoredAccount%3A1)`): an encoded parenthesis (`List%28…%29`) is just text, and a
 * raw colon inside a list is a syntax error. Both are answered with 400 by the routes.
 */

/** A parsed Rest.li value: a leaf string, a list, or a record. */
export type RestliValue = string | RestliValue[] | { [key: string]: RestliValue };

/** A syntax error with where it happened, for the 400 message. */
export class RestliSyntaxError extends Error {}

function decodeLeaf(raw: string): string {
  // `''` is Rest.li's empty string.
  if (raw === "''") return '';
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new RestliSyntaxError(`invalid percent-encoding in "${raw}"`);
  }
}

class Parser {
  private position = 0;

  constructor(private readonly text: string) {}

  parseWhole(): RestliValue {
    const value = this.value();
    if (this.position !== this.text.length) {
      throw new RestliSyntaxError(`unexpected "${this.text[this.position]}" at position ${this.position}`);
    }
    return value;
  }

  private value(): RestliValue {
    if (this.text.startsWith('List(', this.position)) return this.list();
    if (this.text[this.position] === '(') return this.record();
    return this.leaf();
  }

  private leaf(): string {
    const start = this.position;
    while (this.position < this.text.length && !'(),:'.includes(this.text[this.position]!))
      this.position += 1;
    return decodeLeaf(this.text.slice(start, this.position));
  }

  private expect(char: string): void {
    if (this.text[this.position] !== char) {
      const found = this.text[this.position] ?? 'end of input';
      throw new RestliSyntaxError(`expected "${char}" at position ${this.position}, found "${found}"`);
    }
    this.position += 1;
  }

  private list(): RestliValue[] {
    this.position += 'List('.length;
    const items: RestliValue[] = [];
    if (this.text[this.position] === ')') {
      this.position += 1;
      return items;
    }
    for (;;) {
      items.push(this.value());
      if (this.text[this.position] === ',') {
        this.position += 1;
        continue;
      }
      this.expect(')');
      return items;
    }
  }

  private record(): { [key: string]: RestliValue } {
    this.position += 1;
    const record: { [key: string]: RestliValue } = {};
    if (this.text[this.position] === ')') {
      this.position += 1;
      return record;
    }
    for (;;) {
      const key = this.leaf();
      if (key === '') throw new RestliSyntaxError(`empty key at position ${this.position}`);
      this.expect(':');
      record[key] = this.value();
      if (this.text[this.position] === ',') {
        this.position += 1;
        continue;
      }
      this.expect(')');
      return record;
    }
  }
}

/** Parses one raw (still percent-encoded) query value. */
export function parseRestli(raw: string): RestliValue {
  return new Parser(raw).parseWhole();
}

/** The query of a request: names decoded, values kept raw for {@link parseRestli}; repeated names kept. */
export function rawQuery(url: string): Map<string, string[]> {
  const params = new Map<string, string[]>();
  const query = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
  for (const part of query.split('&')) {
    if (part === '') continue;
    const equals = part.indexOf('=');
    const rawName = equals < 0 ? part : part.slice(0, equals);
    let name: string;
    try {
      name = decodeURIComponent(rawName);
    } catch {
      name = rawName;
    }
    const list = params.get(name) ?? [];
    list.push(equals < 0 ? '' : part.slice(equals + 1));
    params.set(name, list);
  }
  return params;
}

/** True when a parsed value is a record (not a list or leaf). */
export function isRecord(value: RestliValue | undefined): value is { [key: string]: RestliValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
