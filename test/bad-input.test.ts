/**
 * Generated bad requests against every endpoint of the contract: wrong types, extra fields, huge
 * and unicode strings, forged ids and cursors, bad JSON, wrong content types. None may get a 5xx,
 * every 4xx carries the error body, and the store is unchanged.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Endpoint, endpoints } from '../src/contract/endpoints.ts';
import { errorCodeList } from '../src/domain/errors.ts';
import { startTestApp, type TestApp } from './harness.ts';

const junkString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '%',
    '%00',
    '../../etc/passwd',
    "' OR 1=1 --",
    '\u0000',
    'x'.repeat(5000),
    '🦀',
    '-1',
  ),
);
const junkValue: fc.Arbitrary<unknown> = fc.oneof(
  junkString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(junkString, { maxLength: 3 }),
  fc.dictionary(junkString, junkString, { maxKeys: 3 }),
);
const queryString = fc
  .dictionary(
    fc.constantFrom('search', 'sort', 'order', 'limit', 'cursor', 'state', 'code', 'error', 'x'),
    junkString,
    {
      maxKeys: 4,
    },
  )
  .map((entries) => new URLSearchParams(entries).toString());
const body = fc.oneof(
  fc
    .dictionary(fc.constantFrom('dataSource', 'credentials', 'returnTo', 'extra'), junkValue, { maxKeys: 3 })
    .map((value) => JSON.stringify(value)),
  junkValue.map((value) => JSON.stringify(value) ?? ''),
  fc.constantFrom('{', '{"dataSource":', 'null', '[]', '"meta-ads"', '\u0000'),
);

describe('bad input never gets a 5xx', () => {
  let app: TestApp;
  beforeAll(async () => {
    // Thousands of requests from one client: the API's per-client rate limit is not what this test is about.
    app = await startTestApp('pglite', { TRIBUTARY_API_RATE_LIMIT: '1000000' });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('answers generated requests to every endpoint with a 4xx error body (or a success)', async () => {
    const before = await app.runtime.context.db.query('SELECT count(*)::int AS n FROM connections');
    let requests = 0;
    for (const [name, endpoint] of Object.entries(endpoints) as [string, Endpoint][]) {
      await fc.assert(
        fc.asyncProperty(
          junkString,
          queryString,
          body,
          fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', ''),
          async (id, query, payload, contentType) => {
            const path = endpoint.path.replace(/:id/, encodeURIComponent(id) || '%20');
            const hasBody = endpoint.method !== 'GET' && endpoint.method !== 'DELETE';
            const response = await fetch(`${app.url}${path}?${query}`, {
              method: endpoint.method,
              // As a signed-in admin, so the requests reach validation and the handlers, not just the 401.
              headers: { ...app.authHeaders, ...(hasBody && contentType ? { 'content-type': contentType } : {}) },
              body: hasBody ? payload : undefined,
              redirect: 'manual',
            });
            requests += 1;
            const text = await response.text();
            expect(
              response.status,
              `${name} ${endpoint.method} ${path.slice(0, 100)}?${query.slice(0, 100)} → ${text.slice(0, 300)}`,
            ).toBeLessThan(500);
            if (
              response.status >= 400 &&
              response.headers.get('content-type')?.includes('application/json')
            ) {
              const parsed = JSON.parse(text) as { error?: { code?: string; message?: string } };
              expect(errorCodeList).toContain(parsed.error?.code);
              expect(parsed.error?.message?.length).toBeGreaterThan(0);
            }
          },
        ),
        { numRuns: 150, seed: 20261127 },
      );
    }
    expect(requests).toBeGreaterThanOrEqual(150 * Object.keys(endpoints).length);
    const after = await app.runtime.context.db.query('SELECT count(*)::int AS n FROM connections');
    expect(after).toEqual(before);
    expect((await fetch(`${app.url}/api/v1/health`)).status).toBe(200);
  });
});
