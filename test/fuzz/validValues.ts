/**
 * Valid values from the contract's zod schemas, as fast-check arbitraries: the starting point the fuzzer mutates
 * one thing of. Zod 4 describes every input schema of the endpoint table as JSON Schema (`z.toJSONSchema`, input
 * side), and that subset — objects, strings with lengths, patterns and formats, numbers with bounds, enums,
 * literals, unions, arrays, records — is what this module turns into generators. Checks JSON Schema cannot carry
 * (refinements, trimming) are caught by parsing the result with the schema itself; see {@link validArbitrary}.
 */
import fc from 'fast-check';
import { z } from 'zod';

/** The part of JSON Schema that `z.toJSONSchema` emits for our request schemas. */
interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
}

/** Valid values stay small: the mutations, not the starting points, are where sizes go wild. */
const SMALL = 24;

function lengthBetween(min: number, max: number) {
  return (text: string) => text.length >= min && text.length <= max;
}

/** Strings matching `pattern`; fast-check's regex generator has no lookarounds, so those are generated without and checked after. */
function matching(pattern: string, min: number, max: number): fc.Arbitrary<string> {
  const regex = new RegExp(pattern);
  const simpler = new RegExp(pattern.replace(/\(\?[=!](?:\\.|[^)\\])*\)/g, ''));
  return fc
    .stringMatching(simpler, { size: 'xsmall' })
    .filter((text) => regex.test(text) && lengthBetween(min, max)(text));
}

function stringArbitrary(schema: JsonSchema): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? 10_000;
  switch (schema.format) {
    case 'uuid':
      return fc.uuid({ version: [4, 7] });
    case 'email':
      // Zod's email check is stricter than RFC 5322 (fc.emailAddress): letters, digits and dots only here.
      return fc.stringMatching(/^[a-z0-9]{1,12}(\.[a-z0-9]{1,8})?@[a-z]{1,10}\.[a-z]{2,6}$/);
    case 'uri':
      return fc.webUrl({ validSchemes: ['http', 'https'] }).filter(lengthBetween(min, max));
    case 'date':
      return fc
        .date({ min: new Date('1990-01-01'), max: new Date('2100-12-31'), noInvalidDate: true })
        .map((date) => date.toISOString().slice(0, 10));
    case 'date-time':
      return fc
        .date({ min: new Date('1990-01-01'), max: new Date('2100-12-31'), noInvalidDate: true })
        .map((date) => date.toISOString());
  }
  if (schema.pattern) return matching(schema.pattern, min, max);
  const upTo = Math.max(min, Math.min(max, SMALL));
  return fc.oneof(
    { weight: 14, arbitrary: fc.string({ minLength: min, maxLength: upTo }) },
    {
      weight: 2,
      arbitrary: fc
        .string({ unit: 'grapheme', minLength: min, maxLength: upTo })
        .filter(lengthBetween(min, max)),
    },
    // Exactly as long as allowed: the boundary is valid and worth reaching.
    { weight: 1, arbitrary: fc.constant('m'.repeat(Math.max(min, Math.min(max, 20_000)))) },
  );
}

function numberArbitrary(schema: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const min = Math.max(schema.minimum ?? -Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER);
  const max = Math.min(schema.maximum ?? Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  if (integer) return fc.oneof(fc.integer({ min, max }), fc.constantFrom(min, max));
  return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

function objectArbitrary(schema: JsonSchema): fc.Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  const fixed = fc.record(
    Object.fromEntries(Object.entries(properties).map(([key, value]) => [key, fromJsonSchema(value)])),
    { requiredKeys: (schema.required ?? []).filter((key) => key in properties) },
  );
  const extra = schema.additionalProperties;
  if (!extra || extra === true || Object.keys(properties).length > 0) return fixed;
  // A record: keys from propertyNames, values from additionalProperties.
  const keys = schema.propertyNames ? stringArbitrary(schema.propertyNames) : fc.string({ maxLength: SMALL });
  return fc.dictionary(keys, fromJsonSchema(extra), { maxKeys: 3 });
}

/** Values that satisfy `schema` (the subset described by {@link JsonSchema}). */
export function fromJsonSchema(schema: JsonSchema): fc.Arbitrary<unknown> {
  if ('const' in schema) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const choices = schema.anyOf ?? schema.oneOf;
  if (choices) return fc.oneof(...choices.map(fromJsonSchema));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      return stringArbitrary(schema);
    case 'integer':
      return numberArbitrary(schema, true);
    case 'number':
      return numberArbitrary(schema, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(schema.items ? fromJsonSchema(schema.items) : fc.jsonValue({ maxDepth: 1 }), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 4, 4)),
      });
    case 'object':
      return objectArbitrary(schema);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

const cache = new WeakMap<z.ZodType, fc.Arbitrary<unknown>>();

/**
 * Values the schema accepts. Generated from its JSON Schema, then parsed by the schema itself: what JSON Schema
 * cannot say (a `refine`, a `trim` before `min(1)`) is rare enough that filtering it out costs nothing.
 */
export function validArbitrary(schema: z.ZodType): fc.Arbitrary<unknown> {
  let arbitrary = cache.get(schema);
  if (!arbitrary) {
    const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
    arbitrary = fromJsonSchema(json).filter((value) => schema.safeParse(value).success);
    cache.set(schema, arbitrary);
  }
  return arbitrary;
}
