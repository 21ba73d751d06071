/**
 * The fuzzer's raw material: strings, numbers, ids and cursors chosen to break things (sizes, unicode, numeric
 * edge cases, ids of nothing and of the wrong shape, cursors that decode to the wrong thing), and "mutate one
 * thing" of an otherwise valid JSON value: replace a field with junk, drop it, add one, wrap it.
 */
import fc from 'fast-check';

/** One megabyte of text: over the body limit once JSON-quoted with anything else. */
export const ONE_MB = 1024 * 1024;

/** Strings that have broken parsers, databases and logs before. */
export const nastyStrings: readonly string[] = [
  '',
  ' ',
  '\t\n',
  '\u202Eevil.exe', // right-to-left override
  'مرحبا بالعالم', // RTL script
  'e\u0301'.repeat(300), // combining accents
  'Z̤̦̹͕̘̝̫͖̭̈́̈́̾͗͋ͨ͑ͦ',
  '👩‍👩‍👧‍👦🏳️‍🌈',
  '\u200B\u200C\u200D\uFEFF', // zero-width and BOM
  'a\u0000b', // NUL: PostgreSQL text cannot hold it
  '\u0000',
  '\uD800', // lone high surrogate
  '\uDFFFx', // lone low surrogate
  '\uFFFF\uFFFE',
  '%00',
  '%',
  '%ZZ',
  '../../../../etc/passwd',
  '..\\..\\windows',
  "' OR 1=1 --",
  '"; DROP TABLE connections; --',
  '$1',
  '\\',
  '{{7*7}}',
  '<script>alert(1)</script>',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  'x'.repeat(101),
  'x'.repeat(201),
  'x'.repeat(513),
  'x'.repeat(5000),
];

/** Numbers at and past every edge a schema or a database column has. */
export const nastyNumbers: readonly number[] = [
  -1,
  0,
  -0,
  0.5,
  1.5,
  -1e-300,
  5e-324,
  2 ** 31,
  2 ** 31 - 1,
  -(2 ** 31) - 1,
  2 ** 53,
  2 ** 53 + 2,
  -(2 ** 53) - 2,
  2 ** 63,
  1e21,
  1e308,
  -1e308,
  Number.MAX_VALUE,
];

/** What a number looks like in a query string when it is not one, or not a sane one. */
export const numericLookalikes: readonly string[] = [
  'NaN',
  'Infinity',
  '-Infinity',
  '1e999',
  '-1e999',
  '0x1F',
  '0b11',
  '1_000',
  ' 1 ',
  '+1',
  '-0',
  '1.0',
  '1e2',
  '9007199254740993',
  '99999999999999999999999',
  '-9223372036854775809',
  '١٢', // Arabic-Indic digits
  '１２', // full-width digits
];

/** Ids of nothing, and things that are not ids at all. */
export const forgedIds: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.uuid({ version: [1, 4, 7] }) },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      '00000000-0000-0000-0000-000000000000',
      'ffffffff-ffff-ffff-ffff-ffffffffffff',
      'FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF',
      '6ba7b8109dad11d180b400c04fd430c8', // a uuid without dashes
      '6ba7b810-9dad-11d1-80b4-00c04fd430c8-extra',
      '{6ba7b810-9dad-11d1-80b4-00c04fd430c8}',
      'urn:uuid:6ba7b810-9dad-11d1-80b4-00c04fd430c8',
      '6ba7b810-9dad-11d1-80b4-00c04fd430cG',
      '1',
      '0',
      '-1',
      '9223372036854775808',
      'meta-ads',
      'meta-ads:campaigns_daily',
      'x'.repeat(100),
      'x'.repeat(101),
      'x'.repeat(200),
      '.',
      '..',
      ' ',
    ),
  },
  { weight: 2, arbitrary: fc.constantFrom(...nastyStrings) },
);

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

/** Cursors: base64 junk, base64 of JSON of the wrong shape, of the right shape with wrong types, over-long. */
export const forgedCursors: fc.Arbitrary<string> = fc.oneof(
  fc.base64String({ maxLength: 64 }),
  fc.string({ maxLength: 40 }),
  fc.jsonValue({ maxDepth: 2 }).map((value) => base64url(JSON.stringify(value))),
  fc
    .record({
      createdAt: fc.oneof(fc.string(), fc.integer(), fc.constant('9999-99-99T99:99:99Z')),
      id: fc.oneof(fc.uuid(), fc.string(), fc.constant(null)),
      sort: fc.oneof(fc.string(), fc.constant('createdAt')),
      value: fc.jsonValue({ maxDepth: 1 }),
      v: fc.jsonValue({ maxDepth: 1 }),
    })
    .map((value) => base64url(JSON.stringify(value))),
  fc.constantFrom(
    base64url('{'),
    base64url('null'),
    base64url('[]'),
    base64url('"x"'),
    base64url('{"__proto__":{"polluted":true}}'),
    base64url('\u0000'),
    base64url('\uD800'),
    '====',
    '!!!!',
    'A'.repeat(512),
    'A'.repeat(513),
    `${base64url('{"id":"x"}')}.${'z'.repeat(40)}`,
  ),
);

const junkLeaf: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom<unknown>(...nastyStrings) },
  { weight: 3, arbitrary: fc.constantFrom<unknown>(...nastyNumbers) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 2, arbitrary: forgedIds },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(true, false, null) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
);

/** Any JSON-able junk: leaves, small containers, and the odd huge one. */
export const junkValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 12, arbitrary: junkLeaf },
  { weight: 2, arbitrary: fc.array(junkLeaf, { maxLength: 4 }) },
  { weight: 2, arbitrary: fc.dictionary(fc.string({ maxLength: 10 }), junkLeaf, { maxKeys: 3 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<unknown>(
      [],
      {},
      [[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]],
      Array.from({ length: 10_000 }, (_, index) => index),
      'é'.repeat(100_000),
    ),
  },
);

/** A string of about 1 MB (under the body limit on its own: the validators, not the parser, must refuse it). */
export const hugeString = fc.constantFrom('x'.repeat(1_000_000), '🦀'.repeat(250_000), 'é'.repeat(500_000));

/** A JSON value with one thing changed, and what was changed. */
export interface Mutated {
  value: unknown;
  note: string;
}

type Path = (string | number)[];

/** Every place in a JSON value a mutation can hit: the root, each property, each array item. */
function placesOf(value: unknown, path: Path = [], out: Path[] = []): Path[] {
  out.push(path);
  if (out.length > 200) return out;
  if (Array.isArray(value))
    for (const [index, item] of value.slice(0, 5).entries()) placesOf(item, [...path, index], out);
  else if (value && typeof value === 'object')
    for (const [key, item] of Object.entries(value)) placesOf(item, [...path, key], out);
  return out;
}

function clone(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

/** Sets an own property, even `__proto__` (which plain assignment would turn into a prototype change). */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function parentOf(root: unknown, path: Path): { parent: unknown; key: string | number } | null {
  if (path.length === 0) return null;
  let parent = root;
  for (const step of path.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[step];
  return { parent, key: path[path.length - 1]! };
}

/** The wrong JSON type for a value: a string where a number goes, an object where a string goes, … */
function wrongTypeFor(value: unknown): fc.Arbitrary<unknown> {
  if (typeof value === 'string')
    return fc.constantFrom<unknown>(0, 1, -1, true, null, [value], { value }, Number(value) || 12);
  if (typeof value === 'number')
    return fc.constantFrom<unknown>(String(value), 'NaN', 'Infinity', '1e999', true, null, [value]);
  if (typeof value === 'boolean') return fc.constantFrom<unknown>('true', 1, 0, null, 'yes');
  if (Array.isArray(value)) return fc.constantFrom<unknown>(value[0] ?? 'x', {}, 'x', null, 1);
  if (value && typeof value === 'object') return fc.constantFrom<unknown>([value], 'x', null, 1, true);
  return fc.constantFrom<unknown>('x', 0, {}, []);
}

const extraKeys = fc.constantFrom(
  'extra',
  'id',
  'workspaceId',
  'role',
  'userId',
  'isAdmin',
  '__proto__',
  'constructor',
  'prototype',
  '',
  ' ',
  'a\u0000b',
  '\uD800',
  'k'.repeat(300),
);

/** A long string for a URL part: past every limit, short enough that the server reads the whole request line. */
export const longUrlString = fc.constantFrom('x'.repeat(3_000), 'é'.repeat(1_000), '🦀'.repeat(500));

/**
 * Changes exactly one thing of `valid`: one place gets junk, loses its key, gains a sibling, or the right wrong
 * type. `huge` is the long string to try (1 MB in bodies; in URLs, where the server reads 16 KB, less).
 */
export function mutateOne(valid: unknown, huge: fc.Arbitrary<string> = hugeString): fc.Arbitrary<Mutated> {
  const places = placesOf(valid);
  return fc.constantFrom(...places).chain((path) => {
    const at = path.length === 0 ? valid : path.reduce<unknown>((node, step) => (node as never)[step], valid);
    const where = path.length === 0 ? '(root)' : path.join('.');
    const replace = (junk: unknown, what: string): Mutated => {
      const root = clone(valid);
      const spot = parentOf(root, path);
      if (!spot) return { value: junk, note: `${where} ← ${what}` };
      if (Array.isArray(spot.parent)) spot.parent[spot.key as number] = junk;
      else setOwn(spot.parent as Record<string, unknown>, String(spot.key), junk);
      return { value: root, note: `${where} ← ${what}` };
    };
    // Weighted so a run stays within its time budget: one mutation in ~25 is a megabyte.
    const options: fc.WeightedArbitrary<Mutated>[] = [
      { weight: 5, arbitrary: junkValue.map((junk) => replace(junk, 'junk')) },
      { weight: 5, arbitrary: wrongTypeFor(at).map((junk) => replace(junk, 'wrong type')) },
      { weight: 1, arbitrary: huge.map((junk) => replace(junk, `huge string (${junk.length} chars)`)) },
      {
        weight: 3,
        arbitrary: fc.constantFrom(...nastyNumbers).map((junk) => replace(junk, `number ${junk}`)),
      },
      { weight: 4, arbitrary: fc.constantFrom(...nastyStrings).map((junk) => replace(junk, 'nasty string')) },
    ];
    const add = (weight: number, arbitrary: fc.Arbitrary<Mutated>) => options.push({ weight, arbitrary });
    if (typeof at === 'string')
      add(
        3,
        fc
          .constantFrom('\u0000', '\uD800', '\u202E', '\u0301', ' ', '🦀', 'x'.repeat(300))
          .map((suffix) => replace(at + suffix, `suffixed ${JSON.stringify(suffix.slice(0, 3))}`)),
      );
    if (at && typeof at === 'object' && !Array.isArray(at))
      add(
        4,
        fc.tuple(extraKeys, junkValue).map(([key, junk]) => {
          const root = clone(valid);
          const node = path.reduce<unknown>((inner, step) => (inner as never)[step], root);
          setOwn(node as Record<string, unknown>, key, junk);
          return { value: root, note: `${where} + extra key ${JSON.stringify(key.slice(0, 20))}` };
        }),
      );
    const spot = parentOf(valid, path);
    if (spot && !Array.isArray(spot.parent))
      add(
        4,
        fc.constant(null).map(() => {
          const root = clone(valid) as Record<string, unknown>;
          const parent = parentOf(root, path)!.parent as Record<string, unknown>;
          delete parent[spot.key as string];
          return { value: root, note: `${where} removed` };
        }),
      );
    if (spot && Array.isArray(spot.parent))
      add(
        1,
        fc.integer({ min: 5_001, max: 10_000 }).map((length) => {
          const root = clone(valid);
          const parent = parentOf(root, path)!.parent as unknown[];
          // Copies of a small item only: thousands of copies of a megabyte would not fit in a string.
          const item = (JSON.stringify(at) ?? '').length > 100 ? 'x' : at;
          parent.push(...Array.from({ length }, () => item));
          return {
            value: root,
            note: `${path.slice(0, -1).join('.') || '(root)'} grown to ${parent.length} items`,
          };
        }),
      );
    return fc.oneof(...options);
  });
}
