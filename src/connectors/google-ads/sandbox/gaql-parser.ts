/**
 * A parser for the Google Ads Query Language subset the sandbox serves:
 * `SELECT <fields> FROM <resource> [WHERE <cond> [AND <cond>]*] [ORDER BY <field> [ASC|DESC], …] [LIMIT n]`
 * with conditions `=`, `!=`, `>`, `>=`, `<`, `<=`, `IN (…)`, `NOT IN (…)`, `BETWEEN a AND b`, `DURING <range>`.
 * Keywords are case-insensitive; field names are snake_case. Syntax errors carry Google's `QueryError` codes.
 */

/** A syntax or semantic error in a query, answered as HTTP 400 with `errorCode.queryError`. */
export class GaqlError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly trigger?: string,
  ) {
    super(message);
  }
}

/** A literal as written: quoted string, number, or bare identifier (enum constants, TRUE/FALSE). */
export interface Literal {
  kind: 'string' | 'number' | 'identifier';
  text: string;
}

/** Comparison operators. */
export type Comparison = '=' | '!=' | '>' | '>=' | '<' | '<=';

/** One WHERE condition. */
export type Condition =
  | { field: string; op: Comparison; value: Literal }
  | { field: string; op: 'IN' | 'NOT IN'; values: Literal[] }
  | { field: string; op: 'BETWEEN'; low: Literal; high: Literal }
  | { field: string; op: 'DURING'; range: string };

/** A parsed query. */
export interface GaqlQuery {
  select: string[];
  from: string;
  where: Condition[];
  orderBy: { field: string; descending: boolean }[];
  limit?: number | undefined;
}

interface Token {
  kind: 'word' | 'string' | 'number' | 'symbol';
  text: string;
}

const SYMBOLS = ['!=', '>=', '<=', '=', '>', '<', ',', '(', ')'];

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < query.length) {
    const char = query[index]!;
    if (/\s/.test(char)) {
      index += 1;
      continue;
    }
    if (char === "'" || char === '"') {
      let end = index + 1;
      let text = '';
      while (end < query.length && query[end] !== char) {
        if (query[end] === '\\' && end + 1 < query.length) end += 1;
        if (query[end] === '\n') throw new GaqlError('PROHIBITED_NEWLINE_IN_STRING', 'Newline in string.');
        text += query[end];
        end += 1;
      }
      if (end >= query.length) {
        throw new GaqlError('STRING_NOT_TERMINATED', 'String literal not terminated.', query.slice(index));
      }
      tokens.push({ kind: 'string', text });
      index = end + 1;
      continue;
    }
    const number = /^-?\d+(\.\d+)?/.exec(query.slice(index));
    if (number) {
      tokens.push({ kind: 'number', text: number[0] });
      index += number[0].length;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(query.slice(index));
    if (word) {
      tokens.push({ kind: 'word', text: word[0] });
      index += word[0].length;
      continue;
    }
    const symbol = SYMBOLS.find((candidate) => query.startsWith(candidate, index));
    if (!symbol) throw new GaqlError('BAD_SYMBOL', `Unexpected character '${char}'.`, char);
    tokens.push({ kind: 'symbol', text: symbol });
    index += symbol.length;
  }
  return tokens;
}

class Cursor {
  private index = 0;
  constructor(private readonly tokens: Token[]) {}

  peek(): Token | undefined {
    return this.tokens[this.index];
  }

  next(expected: string): Token {
    const token = this.tokens[this.index];
    if (!token)
      throw new GaqlError('UNEXPECTED_END_OF_QUERY', `Unexpected end of query; expected ${expected}.`);
    this.index += 1;
    return token;
  }

  /** True (and consumed) when the next token is the keyword, case-insensitively. */
  keyword(word: string): boolean {
    const token = this.peek();
    if (token?.kind === 'word' && token.text.toUpperCase() === word) {
      this.index += 1;
      return true;
    }
    return false;
  }

  symbol(text: string): boolean {
    const token = this.peek();
    if (token?.kind === 'symbol' && token.text === text) {
      this.index += 1;
      return true;
    }
    return false;
  }

  field(): string {
    const token = this.next('a field name');
    if (token.kind !== 'word')
      throw new GaqlError('BAD_FIELD_NAME', `Expected a field name, got '${token.text}'.`, token.text);
    return token.text;
  }

  literal(): Literal {
    const token = this.next('a value');
    if (token.kind === 'symbol')
      throw new GaqlError('BAD_VALUE', `Expected a value, got '${token.text}'.`, token.text);
    return { kind: token.kind === 'word' ? 'identifier' : token.kind, text: token.text };
  }

  done(): boolean {
    return this.index >= this.tokens.length;
  }
}

function condition(cursor: Cursor): Condition {
  const field = cursor.field();
  if (cursor.keyword('BETWEEN')) {
    const low = cursor.literal();
    if (!cursor.keyword('AND')) throw new GaqlError('EXPECTED_AND', 'Expected AND in BETWEEN condition.');
    return { field, op: 'BETWEEN', low, high: cursor.literal() };
  }
  if (cursor.keyword('DURING')) {
    const token = cursor.next('a date range');
    if (token.kind !== 'word') {
      throw new GaqlError('INVALID_VALUE_WITH_DURING_OPERATOR', 'Invalid value with DURING.', token.text);
    }
    return { field, op: 'DURING', range: token.text.toUpperCase() };
  }
  const negated = cursor.keyword('NOT');
  if (cursor.keyword('IN')) {
    if (!cursor.symbol('(')) throw new GaqlError('EXPECTED_LIST', 'Expected a parenthesised list after IN.');
    const values: Literal[] = [];
    if (!cursor.symbol(')')) {
      do values.push(cursor.literal());
      while (cursor.symbol(','));
      if (!cursor.symbol(')')) throw new GaqlError('EXPECTED_LIST', 'Expected ) to close the IN list.');
    }
    if (values.length === 0)
      throw new GaqlError('PROHIBITED_EMPTY_LIST_IN_CONDITION', 'Empty list in condition.');
    return { field, op: negated ? 'NOT IN' : 'IN', values };
  }
  if (negated) throw new GaqlError('BAD_OPERATOR', 'Expected IN after NOT.');
  const operator = cursor.next('an operator');
  if (operator.kind !== 'symbol' || !['=', '!=', '>', '>=', '<', '<='].includes(operator.text)) {
    throw new GaqlError('BAD_OPERATOR', `Invalid operator '${operator.text}'.`, operator.text);
  }
  return { field, op: operator.text as Comparison, value: cursor.literal() };
}

/** Parses a query; throws {@link GaqlError} on invalid syntax. */
export function parseGaql(query: string): GaqlQuery {
  const cursor = new Cursor(tokenize(query));
  if (!cursor.keyword('SELECT'))
    throw new GaqlError('EXPECTED_SELECT', 'Expected SELECT at the start of the query.');
  const select: string[] = [];
  do select.push(cursor.field());
  while (cursor.symbol(','));
  if (!cursor.keyword('FROM')) {
    if (cursor.done())
      throw new GaqlError('UNEXPECTED_END_OF_QUERY', 'Unexpected end of query; expected FROM.');
    throw new GaqlError('EXPECTED_FROM', 'Expected FROM after the selected fields.', cursor.peek()?.text);
  }
  const from = cursor.field();
  const parsed: GaqlQuery = { select, from, where: [], orderBy: [] };
  if (cursor.keyword('WHERE')) {
    do parsed.where.push(condition(cursor));
    while (cursor.keyword('AND'));
  }
  if (cursor.keyword('ORDER')) {
    if (!cursor.keyword('BY')) throw new GaqlError('EXPECTED_BY', 'Expected BY after ORDER.');
    do {
      const field = cursor.field();
      const descending = cursor.keyword('DESC');
      if (!descending) cursor.keyword('ASC');
      parsed.orderBy.push({ field, descending });
    } while (cursor.symbol(','));
  }
  if (cursor.keyword('LIMIT')) {
    const token = cursor.next('a limit');
    if (token.kind !== 'number' || !/^-?\d+$/.test(token.text)) {
      throw new GaqlError('BAD_LIMIT_VALUE', `Invalid LIMIT value '${token.text}'.`, token.text);
    }
    if (Number(token.text) < 1)
      throw new GaqlError('LIMIT_VALUE_TOO_LOW', 'LIMIT must be at least 1.', token.text);
    parsed.limit = Number(token.text);
  }
  if (!cursor.done()) {
    const extra = cursor.peek()!.text;
    throw new GaqlError('UNEXPECTED_INPUT', `Unexpected input ${extra}.`, extra);
  }
  return parsed;
}
