/**
 * The wire-level half of the fuzzer's bad requests: what goes wrong around the inputs rather than in them —
 * content types, bodies that are not JSON, query syntax, mangled paths, forged and malformed credentials.
 */
import fc from 'fast-check';
import { forgedCursors, junkValue, nastyStrings, numericLookalikes } from './junk.ts';

/** Percent-encodes like encodeURIComponent, but lone surrogates become the invalid UTF-8 bytes they would be. */
export function encodeLoose(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return Array.from(text, (char) => {
      const code = char.charCodeAt(0);
      if (char.length === 1 && code >= 0xd800 && code <= 0xdfff)
        return `%${(0xe0 | (code >> 12)).toString(16)}%${(0x80 | ((code >> 6) & 0x3f)).toString(16)}%${(0x80 | (code & 0x3f)).toString(16)}`;
      return encodeURIComponent(char);
    }).join('');
  }
}

/** Secrets of the right shape (prefix and length) that were never issued. */
export const forgedSecret = fc
  .tuple(
    fc.constantFrom('trs_', 'trb_', 'tri_', 'trl_', 'trc_'),
    fc.base64String({ minLength: 44, maxLength: 44 }),
  )
  .map(([prefix, rest]) => prefix + rest.replace(/[+/=]/g, 'A').slice(0, 43));

/** Content types the JSON API must refuse (or parse as JSON, for its variants). */
export const contentTypes = fc.constantFrom(
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'APPLICATION/JSON',
  'application/jsonx',
  'application/vnd.api+json',
  'application/octet-stream',
  '*/*',
  'a/b/c;;',
  '',
);

/** Bodies that are not JSON, or JSON that parsers treat differently (deep, duplicate keys, `__proto__`). */
export const badJsonTexts = fc.oneof(
  fc.constantFrom(
    '{',
    '}',
    '{"a":1,}',
    "{'a':1}",
    'NaN',
    '[1,2',
    '{"a":1}{"b":2}',
    '\uFEFF{}',
    '{"a":01}',
    '{"a":"\\x41"}',
    '{"a":"\\ud800"}',
    '{"a":1e999}',
    '{"__proto__":{"isAdmin":true}}',
    '{"constructor":{"prototype":{"isAdmin":true}}}',
    '{"name":"a","name":"b"}',
    '// comment\n{}',
    'null',
    'true',
    '0',
    '""',
    '',
    '   ',
    '\u0000',
    `${'['.repeat(5_000)}${']'.repeat(5_000)}`,
    `${'{"a":'.repeat(3_000)}1${'}'.repeat(3_000)}`,
    '['.repeat(100_000),
  ),
  fc.string({ unit: 'binary', maxLength: 50 }),
  junkValue.map((value) => JSON.stringify(value) ?? 'undefined'),
);

/** Raw query pieces that parsers disagree about. */
const queryPieces = fc.constantFrom(
  '%ZZ=1',
  '=x',
  '&&&',
  'a[b]=c',
  'a[]=1&a[]=2',
  '__proto__[x]=1',
  'constructor=1',
  '%00=%00',
  'k',
  '?=?',
);

/** Query strings that break the usual syntax: duplicate keys, odd pieces, thousands of keys. */
export function queryTwist(schemaKeys: string[]): fc.Arbitrary<{ query: string; note: string }> {
  const keys = [...schemaKeys, 'limit', 'cursor', 'id', 'x'];
  const values = fc.oneof(
    fc.constantFrom(...numericLookalikes),
    fc.constantFrom(...nastyStrings),
    forgedCursors,
  );
  return fc.oneof(
    fc.tuple(fc.constantFrom(...keys), values, values).map(([key, a, b]) => ({
      query: `${encodeLoose(key)}=${encodeLoose(a)}&${encodeLoose(key)}=${encodeLoose(b)}`,
      note: `duplicate query key ${key}`,
    })),
    fc
      .array(queryPieces, { minLength: 1, maxLength: 4 })
      .map((pieces) => ({ query: pieces.join('&'), note: 'odd query syntax' })),
    fc.integer({ min: 500, max: 3_000 }).map((count) => ({
      query: Array.from({ length: count }, (_, index) => `k${index}=${index}`).join('&'),
      note: `${count} query keys`,
    })),
  );
}

/** The path mangled: dot segments, encoded slashes, case, extra and very long segments. */
export function pathTwist(path: string): fc.Arbitrary<{ path: string; note: string }> {
  return fc
    .constantFrom<[string, (p: string) => string]>(
      ['trailing slash', (p) => `${p}/`],
      ['double slashes', (p) => p.replace(/\//g, '//')],
      ['dot segments', (p) => `${p}/../..`],
      ['encoded dots', (p) => `${p}/%2e%2e/%2e%2e`],
      ['encoded slash', (p) => `${p}%2Fx`],
      ['upper case', (p) => p.toUpperCase()],
      ['matrix parameter', (p) => `${p};jsessionid=1`],
      ['backslash', (p) => `${p}\\x`],
      ['extra segment', (p) => `${p}/x`],
      ['100 segments', (p) => `${p}${'/a'.repeat(100)}`],
      ['5,000-character segment', (p) => `${p}/${'x'.repeat(5_000)}`],
      ['10,000-character path', (p) => `${p}${'/y'.repeat(5_000)}`],
      ['20,000-character path', (p) => `${p}/${'z'.repeat(20_000)}`],
    )
    .map(([note, change]) => ({ path: change(path), note }));
}

/** Headers that are wrong: malformed or forged credentials, a foreign workspace, odd accept and encodings. */
export const headerTwists = fc.oneof(
  fc
    .constantFrom(
      'Bearer',
      'Bearer ',
      'Basic dXNlcjpwYXNz',
      'Bearer a b',
      'bearer',
      `Bearer ${'x'.repeat(8_000)}`,
      'Token x',
      '',
    )
    .map((authorization) => ({
      headers: { authorization },
      note: `authorization ${JSON.stringify(authorization.slice(0, 30))}`,
    })),
  forgedSecret.map((secret) => ({
    headers: { authorization: `Bearer ${secret}` },
    note: 'forged API token',
  })),
  forgedSecret.map((secret) => ({
    headers: { cookie: `tributary_session=${secret}` },
    note: 'forged session cookie',
  })),
  fc
    .constantFrom(
      'tributary_session=%ZZ',
      ';;;=',
      `tributary_session=${'a'.repeat(4_000)}`,
      'tributary_session=; tributary_session=x',
      '=',
    )
    .map((cookie) => ({ headers: { cookie }, note: `cookie ${JSON.stringify(cookie.slice(0, 30))}` })),
  fc
    .oneof(
      fc.uuid({ version: 4 }),
      fc.constantFrom('x', ' ', '00000000-0000-4000-8000-000000000001', 'x'.repeat(500)),
    )
    .map((workspace) => ({
      headers: { 'x-tributary-workspace': workspace },
      note: `workspace header ${workspace.slice(0, 40)}`,
    })),
  fc
    .constantFrom('text/html', 'application/xml', '*/*;q=0', 'x')
    .map((accept) => ({ headers: { accept }, note: `accept ${accept}` })),
  fc
    .constantFrom('gzip', 'br', 'deflate', 'x')
    .map((encoding) => ({ headers: { 'content-encoding': encoding }, note: `content-encoding ${encoding}` })),
);
