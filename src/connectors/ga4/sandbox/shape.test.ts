/**
 * Shape honesty: for each recorded (documentation) or derived GA4 payload in `fixtures/`, the sandbox's matching
 * response has the same keys and JSON types, recursively (values may differ); and every key the sandbox sends in
 * a report or metadata body is a field of the proto message (`data_api_v1beta_messages.json`) with that field's
 * JSON type. Where a documentation sample leaves a part out (`kind`, `metadata` contents), it is set aside
 * explicitly, never silently.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findUserByEmail } from './seed.ts';
import { apiGet, inject, login, runReport, startSandbox, type TestSandbox } from './test-harness.ts';

/** A JSON value's structure: objects → key→shape (sorted), arrays → shape of the first element, scalars → type. */
type Shape = string | Shape[] | { [key: string]: Shape };

function shapeOf(value: unknown): Shape {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? [] : [shapeOf(value[0])];
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
    return Object.fromEntries(entries.map(([key, item]) => [key, shapeOf(item)]));
  }
  return typeof value;
}

// biome-ignore lint/suspicious/noExplicitAny: fixtures are arbitrary JSON.
function fixture(path: string): any {
  return JSON.parse(readFileSync(new URL(`./fixtures/${path}`, import.meta.url), 'utf8'));
}

interface ProtoField {
  json_name: string;
  type: string;
  repeated: boolean;
}
const messages = fixture('data_api_v1beta_messages.json').messages as Record<string, ProtoField[]>;

/** Problems of `value` against proto message `type` in proto3 JSON (int64 as strings, enums as strings). */
function protoProblems(value: unknown, type: string, path: string): string[] {
  const scalar: Record<string, string> = {
    string: 'string',
    int32: 'number',
    int64: 'string',
    bool: 'boolean',
  };
  if (scalar[type]) return typeof value === scalar[type] ? [] : [`${path}: ${typeof value}, proto ${type}`];
  if (['MetricType', 'MetricAggregation', 'BlockedReason'].includes(type)) {
    return typeof value === 'string' ? [] : [`${path}: enum ${type} must be a string`];
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return [`${path}: ${type} must be an object`];
  const fields = messages[type];
  if (!fields) return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, item]) => {
    const field = fields.find((candidate) => candidate.json_name === key);
    if (!field) return [`${path}.${key}: not a field of ${type}`];
    if (!field.repeated) return protoProblems(item, field.type, `${path}.${key}`);
    if (!Array.isArray(item)) return [`${path}.${key}: repeated field must be an array`];
    return item.flatMap((element, index) => protoProblems(element, field.type, `${path}.${key}[${index}]`));
  });
}

describe('shapeOf and protoProblems', () => {
  it('tell different structures apart and ignore values', () => {
    expect(shapeOf({ b: 1, a: ['x'], c: null })).toEqual({ a: ['string'], b: 'number', c: 'null' });
    expect(shapeOf({ a: 1 })).not.toEqual(shapeOf({ a: '1' }));
    expect(protoProblems({ rowCount: '2' }, 'RunReportResponse', 'r')).toEqual([
      'r.rowCount: string, proto int32',
    ]);
    expect(
      protoProblems({ rows: [{ metricValues: [{ value: 2 }] }] }, 'RunReportResponse', 'r'),
    ).toHaveLength(1);
    expect(protoProblems({ rowcount: 2 }, 'RunReportResponse', 'r')).toEqual([
      'r.rowcount: not a field of RunReportResponse',
    ]);
  });
});

let sandbox: TestSandbox;
let token: string;
const property = findUserByEmail('alex@example.com')!.accounts[0]!.properties[0]!;
beforeAll(async () => {
  sandbox = await startSandbox();
  token = (await login(sandbox, 'alex@example.com')).access;
});
afterAll(async () => {
  await sandbox.close();
});

const lastWeek = [{ startDate: '7daysAgo', endDate: 'yesterday' }];

describe('runReport against the recorded payloads', () => {
  it('has the documentation response shape (kind and metadata contents set aside)', async () => {
    const response = await runReport(
      sandbox,
      property.propertyId,
      { dateRanges: lastWeek, dimensions: [{ name: 'country' }], metrics: [{ name: 'activeUsers' }] },
      token,
    );
    const { kind, metadata, ...rest } = response.json;
    expect(kind).toBe('analyticsData#runReport');
    expect(Object.keys(metadata).sort()).toEqual(['currencyCode', 'timeZone']);
    expect(shapeOf({ ...rest, metadata: {} })).toEqual(
      shapeOf(fixture('run_report_response_doc_example.json')),
    );
  });

  it('has the documented Row shape', async () => {
    const response = await runReport(
      sandbox,
      property.propertyId,
      {
        dateRanges: lastWeek,
        dimensions: [{ name: 'eventName' }, { name: 'country' }],
        metrics: [{ name: 'eventCount' }],
      },
      token,
    );
    for (const row of response.json.rows)
      expect(shapeOf(row)).toEqual(shapeOf(fixture('row_doc_example.json')));
  });

  it('answers the documented request example', async () => {
    const response = await runReport(
      sandbox,
      property.propertyId,
      fixture('run_report_request_example.json'),
      token,
    );
    expect(response.status).toBe(200);
    expect(response.json.dimensionHeaders).toEqual([{ name: 'country' }]);
  });

  it('has the propertyQuota shape of the quota payloads', async () => {
    const response = await runReport(
      sandbox,
      property.propertyId,
      { dateRanges: lastWeek, metrics: [{ name: 'sessions' }], returnPropertyQuota: true },
      token,
    );
    const quota = response.json.propertyQuota;
    for (const example of fixture('property_quota_own_equivalent.json')) {
      const keys = Object.keys(example.propertyQuota);
      const picked = Object.fromEntries(keys.map((key) => [key, quota[key]]));
      expect(shapeOf({ propertyQuota: picked })).toEqual(shapeOf(example));
    }
  });

  it('sends every field with its proto JSON type (report with totals and quota, metadata)', async () => {
    const response = await runReport(
      sandbox,
      property.propertyId,
      {
        dateRanges: lastWeek,
        dimensions: [{ name: 'date' }, { name: 'deviceCategory' }],
        metrics: ['sessions', 'engagementRate', 'averageSessionDuration', 'totalRevenue'].map((name) => ({
          name,
        })),
        metricAggregations: ['TOTAL', 'MAXIMUM', 'MINIMUM'],
        returnPropertyQuota: true,
        limit: '5',
      },
      token,
    );
    expect(Object.keys(response.json).sort()).toEqual([
      'dimensionHeaders',
      'kind',
      'maximums',
      'metadata',
      'metricHeaders',
      'minimums',
      'propertyQuota',
      'rowCount',
      'rows',
      'totals',
    ]);
    expect(protoProblems(response.json, 'RunReportResponse', 'runReport')).toEqual([]);
    const metadata = await apiGet(sandbox, `/data/v1beta/properties/${property.propertyId}/metadata`, token);
    expect(protoProblems(metadata.json, 'Metadata', 'metadata')).toEqual([]);
  });

  it('errors have the google.rpc.Status shape', async () => {
    const expected = shapeOf(fixture('error_envelope_google_rpc_status_shape.json').body);
    await inject(sandbox, 'rate_limited');
    const limited = await runReport(
      sandbox,
      property.propertyId,
      { dateRanges: lastWeek, metrics: [{ name: 'sessions' }] },
      token,
    );
    expect([limited.status, shapeOf(limited.json)]).toEqual([429, expected]);
    const invalid = await runReport(
      sandbox,
      property.propertyId,
      { dateRanges: lastWeek, metrics: [{ name: 'x' }] },
      token,
    );
    expect(shapeOf(invalid.json)).toEqual(expected);
    expect(shapeOf((await apiGet(sandbox, '/admin/v1beta/accountSummaries')).json)).toEqual(expected);
  });
});
