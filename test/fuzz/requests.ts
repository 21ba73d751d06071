/**
 * Generated requests for one endpoint of the contract, as fast-check arbitraries. Each starts from inputs the
 * endpoint's zod schemas accept (ids of nothing where an id goes) and then breaks one thing: a mutated field, a
 * forged id or cursor, bad JSON, a wrong content type, duplicate query keys, a mangled path, odd headers, the
 * wrong method — or is plain junk. Requests carry their wire form (path, query, headers, body text) so a failure
 * prints exactly what was sent.
 */
import fc from 'fast-check';
import type { z } from 'zod';
import type { Endpoint } from '../../src/contract/endpoints.ts';
import { forgedCursors, forgedIds, hugeString, junkValue, longUrlString, mutateOne } from './junk.ts';
import { badJsonTexts, contentTypes, encodeLoose, headerTwists, pathTwist, queryTwist } from './twists.ts';
import { validArbitrary } from './validValues.ts';

/**
 * Who sends a request: the owner's admin API token, nobody, the owner's browser session without its CSRF header, or
 * with it (what reaches session-only endpoints such as createWorkspace).
 */
export type CallerKind = 'admin' | 'anonymous' | 'sessionNoCsrf' | 'session';

/** One request as it goes on the wire. */
export interface FuzzRequest {
  endpoint: string;
  /** The family of bad input, e.g. `mutated body`, `bad json`, `forged id`. */
  kind: string;
  /** What exactly was broken. */
  note: string;
  caller: CallerKind;
  method: string;
  path: string;
  /** Raw query string without the `?`. */
  query: string;
  /** Headers besides the caller's credentials (which the sender adds unless these override them). */
  headers: Record<string, string>;
  body?: string;
}

/** What generation needs to know about the running app. */
export interface FuzzContext {
  /** Real ids of other kinds (the workspace), to send where a different kind of id goes. */
  realIds: string[];
  /**
   * Ids of real objects by kind (connection, extraction, run, …, as the endpoint table's `owns` names them), sent
   * where GET endpoints take an id so their queries reach real rows; never to other methods, where a valid request
   * would change them.
   */
  readIds: Record<string, string[]>;
  /**
   * Per endpoint, a test of whether a request body would be accepted and create something. Generated bodies of
   * those endpoints always fail it, so "nothing changes in the store" stays a real check.
   */
  wouldCreate: Partial<Record<string, (body: unknown) => boolean>>;
}

interface Inputs {
  params: Record<string, unknown> | undefined;
  query: Record<string, unknown> | undefined;
  body: unknown;
  note: string;
  kind: string;
}

function asText(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
}

function pathOf(endpoint: Endpoint, params: Record<string, unknown> | undefined): string {
  return endpoint.path.replace(/:(\w+)/g, (_, key: string) => encodeLoose(asText(params?.[key])));
}

function queryOf(query: Record<string, unknown> | undefined): string {
  if (!query) return '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (value === null) parts.push(encodeLoose(key));
    else if (Array.isArray(value))
      for (const item of value) parts.push(`${encodeLoose(key)}=${encodeLoose(asText(item))}`);
    else parts.push(`${encodeLoose(key)}=${encodeLoose(asText(value))}`);
  }
  return parts.join('&');
}

function shapeKeys(schema: z.ZodType | undefined): string[] {
  const shape = (schema as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape ? Object.keys(shape) : [];
}

/** Ids where ids go: of nothing, a real id of another kind, and on reads mostly real objects of the right kind. */
function paramsArbitrary(endpoint: Endpoint, context: FuzzContext) {
  const keys = shapeKeys(endpoint.params);
  if (keys.length === 0) return fc.constant(undefined);
  const everyRead = Object.values(context.readIds).flat();
  const idFor = (key: string) => {
    const kind =
      endpoint.owns?.params?.[key] ?? (endpoint.path.startsWith('/api/v1/data-sources/') ? 'dataSource' : '');
    const ofKind = endpoint.method === 'GET' ? (context.readIds[kind] ?? []) : [];
    const anyKind = endpoint.method === 'GET' ? everyRead : [];
    return fc.oneof(
      { weight: 4, arbitrary: fc.uuid({ version: 4 }) },
      { weight: 1, arbitrary: fc.constantFrom(...context.realIds) },
      ...(ofKind.length > 0 ? [{ weight: 10, arbitrary: fc.constantFrom(...ofKind) }] : []),
      ...(anyKind.length > 0 ? [{ weight: 2, arbitrary: fc.constantFrom(...anyKind) }] : []),
    );
  };
  return fc.record(Object.fromEntries(keys.map((key) => [key, idFor(key)]))) as fc.Arbitrary<
    Record<string, unknown>
  >;
}

/** Non-GET endpoints whose success changes nothing: previews, and signing out a token (it has no session). */
export const harmlessSuccess: ReadonlySet<string> = new Set([
  'previewSchedules',
  'previewExtraction',
  'signOut',
]);

/**
 * On endpoints that cannot change anything (GETs, previews), ids the endpoint table says a query or body names
 * (`owns`) are often real ones of that kind, so the request gets past the ownership check into the handler.
 */
function withRealIds(
  values: fc.Arbitrary<unknown>,
  name: string,
  endpoint: Endpoint,
  part: 'query' | 'body',
  context: FuzzContext,
): fc.Arbitrary<unknown> {
  const owned = Object.entries(endpoint.owns?.[part] ?? {});
  if (owned.length === 0 || (endpoint.method !== 'GET' && !harmlessSuccess.has(name))) return values;
  const pick = Object.fromEntries(
    owned.map(([field, kind]) => [
      field,
      fc.option(fc.constantFrom(...(context.readIds[kind] ?? [''])), { freq: 3 }),
    ]),
  );
  return fc.tuple(values, fc.record(pick)).map(([value, ids]) => {
    if (!value || typeof value !== 'object') return value;
    const real = Object.fromEntries(Object.entries(ids).filter(([, id]) => id !== null));
    return { ...value, ...real };
  });
}

/** Valid inputs for every part the endpoint declares (bodies of creating endpoints already broken). */
function validInputs(endpoint: Endpoint, context: FuzzContext, name: string): fc.Arbitrary<Inputs> {
  const creates = context.wouldCreate[name];
  const body = endpoint.body
    ? creates
      ? validArbitrary(endpoint.body).chain((valid) => mutateOne(valid).map((mutated) => mutated.value))
      : withRealIds(validArbitrary(endpoint.body), name, endpoint, 'body', context)
    : fc.constant(undefined);
  return fc.record({
    params: paramsArbitrary(endpoint, context),
    query: endpoint.query
      ? (withRealIds(validArbitrary(endpoint.query), name, endpoint, 'query', context) as fc.Arbitrary<
          Record<string, unknown>
        >)
      : fc.constant(undefined),
    body,
    note: fc.constant(creates ? 'body broken (a valid one would create something)' : 'valid inputs'),
    kind: fc.constant('valid'),
  });
}

/** Valid inputs with one part mutated by {@link mutateOne}. */
function mutatedInputs(endpoint: Endpoint, context: FuzzContext, name: string): fc.Arbitrary<Inputs> | null {
  const parts = (['params', 'query', 'body'] as const).filter((part) => endpoint[part]);
  if (parts.length === 0) return null;
  return fc.tuple(validInputs(endpoint, context, name), fc.constantFrom(...parts)).chain(([inputs, part]) =>
    mutateOne(inputs[part] ?? {}, part === 'body' ? hugeString : longUrlString).map((mutated) => ({
      ...inputs,
      [part]: mutated.value as never,
      note: `${part}: ${mutated.note}`,
      kind: `mutated ${part}`,
    })),
  );
}

function withParams(
  inputs: fc.Arbitrary<Inputs>,
  endpoint: Endpoint,
  value: fc.Arbitrary<string>,
  kind: string,
) {
  const keys = shapeKeys(endpoint.params);
  return fc.tuple(inputs, fc.constantFrom(...keys), value).map(([base, key, id]) => ({
    ...base,
    params: { ...base.params, [key]: id },
    note: `path ${key} = ${JSON.stringify(id.slice(0, 60))}`,
    kind,
  }));
}

/** Callers, mostly the admin token; never the full session for signOut, where it would end that session. */
function callersFor(name: string): fc.Arbitrary<CallerKind> {
  return fc.oneof(
    { weight: 7, arbitrary: fc.constant<CallerKind>('admin') },
    { weight: 1, arbitrary: fc.constant<CallerKind>('anonymous') },
    { weight: 1, arbitrary: fc.constant<CallerKind>('sessionNoCsrf') },
    { weight: 1, arbitrary: fc.constant<CallerKind>(name === 'signOut' ? 'sessionNoCsrf' : 'session') },
  );
}

/** Fully random junk: any id, any query, any body, any content type (what the first fuzzer sent). */
function junkRequest(endpoint: Endpoint): fc.Arbitrary<Inputs & { contentType: string }> {
  const keys = shapeKeys(endpoint.params);
  return fc.record({
    params: fc.record(
      Object.fromEntries(keys.map((key) => [key, fc.oneof(fc.string({ maxLength: 40 }), forgedIds)])),
    ),
    query: fc.dictionary(
      fc.constantFrom(...shapeKeys(endpoint.query), 'x', 'limit', 'cursor'),
      fc.oneof(fc.string({ maxLength: 30 }), forgedCursors),
      { maxKeys: 4 },
    ),
    body: fc.oneof(
      junkValue,
      fc.dictionary(fc.constantFrom(...shapeKeys(endpoint.body), 'extra'), junkValue, { maxKeys: 4 }),
    ),
    note: fc.constant('random junk'),
    kind: fc.constant('junk'),
    contentType: fc.constantFrom('application/json', 'text/plain', ''),
  }) as fc.Arbitrary<Inputs & { contentType: string }>;
}

function contentType(type: string): Record<string, string> {
  return type ? { 'content-type': type } : {};
}

function wire(name: string, endpoint: Endpoint, inputs: Inputs, caller: CallerKind): FuzzRequest {
  const sendsBody = endpoint.method !== 'GET' && inputs.body !== undefined;
  return {
    endpoint: name,
    kind: inputs.kind,
    note: inputs.note,
    caller,
    method: endpoint.method,
    path: pathOf(endpoint, inputs.params),
    query: queryOf(inputs.query),
    headers: sendsBody ? { 'content-type': 'application/json' } : {},
    ...(sendsBody ? { body: JSON.stringify(inputs.body) } : {}),
  };
}

/** Every kind of bad request for one endpoint, weighted; requests that would create something are filtered out. */
export function requestArbitrary(
  name: string,
  endpoint: Endpoint,
  context: FuzzContext,
): fc.Arbitrary<FuzzRequest> {
  const callers = callersFor(name);
  const valid = validInputs(endpoint, context, name);
  const mutated = mutatedInputs(endpoint, context, name);
  const hasParams = shapeKeys(endpoint.params).length > 0;
  const hasCursor = shapeKeys(endpoint.query).includes('cursor');
  const writes = endpoint.method !== 'GET';
  const plain = (inputs: fc.Arbitrary<Inputs>) =>
    fc.tuple(inputs, callers).map(([i, c]) => wire(name, endpoint, i, c));
  const options: fc.WeightedArbitrary<FuzzRequest>[] = [
    { weight: 6, arbitrary: plain(valid) },
    {
      weight: 8,
      arbitrary: fc.tuple(junkRequest(endpoint), callers).map(([inputs, caller]) => {
        const request = wire(name, endpoint, inputs, caller);
        return { ...request, headers: contentType(request.body !== undefined ? inputs.contentType : '') };
      }),
    },
    {
      weight: 6,
      arbitrary: fc.tuple(plain(valid), queryTwist(shapeKeys(endpoint.query))).map(([request, twist]) => ({
        ...request,
        kind: 'query syntax',
        note: twist.note,
        query: [request.query, twist.query].filter(Boolean).join('&'),
      })),
    },
    {
      weight: 4,
      arbitrary: fc.tuple(plain(valid), fc.nat()).chain(([request]) =>
        pathTwist(request.path).map((twist) => ({
          ...request,
          kind: 'path',
          note: twist.note,
          path: twist.path,
        })),
      ),
    },
    {
      weight: 4,
      arbitrary: fc.tuple(plain(valid), headerTwists).map(([request, twist]) => ({
        ...request,
        kind: 'headers',
        note: twist.note,
        headers: { ...request.headers, ...twist.headers },
      })),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(plain(valid), fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'))
        .map(([request, method]) => ({
          ...request,
          kind: 'method',
          note: `${method} instead of ${request.method}`,
          method,
          // Without a body: another route on the same path must not receive this endpoint's input.
          headers: {},
          body: undefined,
        }))
        // A real object's path with another method would be a valid delete, pause or sync of it.
        .filter((request) =>
          Object.values(context.readIds).every((ids) =>
            ids.every((id) => !request.path.includes(encodeLoose(id))),
          ),
        ),
    },
  ];
  if (mutated) options.push({ weight: 40, arbitrary: plain(mutated) });
  if (hasParams)
    options.push(
      { weight: 8, arbitrary: plain(withParams(valid, endpoint, forgedIds, 'forged id')) },
      {
        weight: 2,
        arbitrary: plain(
          withParams(
            valid,
            endpoint,
            fc.constantFrom('x'.repeat(150), 'x'.repeat(199), 'x'.repeat(201), 'x'.repeat(10_000)),
            'long id',
          ),
        ),
      },
    );
  if (hasCursor)
    options.push({
      weight: 20,
      arbitrary: fc.tuple(valid, forgedCursors, callers).map(([inputs, cursor, caller]) =>
        wire(
          name,
          endpoint,
          {
            ...inputs,
            query: { ...inputs.query, cursor },
            kind: 'forged cursor',
            note: `cursor ${cursor.slice(0, 60)}`,
          },
          caller,
        ),
      ),
    });
  if (writes)
    options.push(
      {
        weight: 6,
        arbitrary: fc.tuple(plain(valid), badJsonTexts).map(([request, body]) => ({
          ...request,
          kind: 'bad json',
          note: `body ${JSON.stringify(body.slice(0, 40))}${body.length > 40 ? ` (${body.length} chars)` : ''}`,
          headers: { 'content-type': 'application/json' },
          body,
        })),
      },
      {
        weight: 6,
        arbitrary: fc.tuple(plain(valid), contentTypes).map(([request, type]) => ({
          ...request,
          kind: 'content type',
          note: `content-type ${JSON.stringify(type)}`,
          headers: contentType(type),
          body: request.body ?? '{}',
        })),
      },
      {
        weight: 1,
        arbitrary: fc.tuple(plain(valid), hugeString, fc.boolean()).map(([request, huge, over]) => ({
          ...request,
          kind: 'huge body',
          note: over ? 'body over 1 MB' : `one ${huge.length}-character field`,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(
            over ? { x: huge, y: huge } : { [shapeKeys(endpoint.body)[0] ?? 'huge']: huge },
          ),
        })),
      },
    );
  const creates = context.wouldCreate[name];
  const arbitrary = fc.oneof(...options);
  if (!creates) return arbitrary;
  return arbitrary.filter((request) => {
    if (request.body === undefined) return true;
    try {
      return !creates(JSON.parse(request.body));
    } catch {
      return true;
    }
  });
}

/** The request for a report: huge strings cut to their start and length. */
export function describeRequest(request: FuzzRequest): string {
  const cut = (text: string, max = 300) =>
    text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;
  return [
    `${request.method} ${cut(request.path)}${request.query ? `?${cut(request.query)}` : ''}`,
    `  endpoint ${request.endpoint} · ${request.kind} · ${cut(request.note, 200)} · caller ${request.caller}`,
    `  headers ${cut(JSON.stringify(request.headers))}`,
    request.body === undefined ? '  (no body)' : `  body ${cut(JSON.stringify(request.body))}`,
  ].join('\n');
}
