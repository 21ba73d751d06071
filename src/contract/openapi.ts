/**
 * Generates the OpenAPI 3.1 document from the endpoint table, so the document can never drift
 * from what the server validates.
 */
import { z } from 'zod';
import { type ErrorCode, errorCodes } from '../domain/errors.ts';
import { type Endpoint, endpoints } from './endpoints.ts';
import { errorBodySchema } from './schemas.ts';

type JsonSchema = Record<string, unknown>;

function toSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  delete json.$schema;
  return json;
}

function parametersOf(schema: z.ZodType | undefined, location: 'path' | 'query'): JsonSchema[] {
  if (!schema) return [];
  const json = toSchema(schema, 'input');
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required as string[] | undefined) ?? []);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || required.has(name),
    ...(typeof property.description === 'string' ? { description: property.description } : {}),
    schema: property,
  }));
}

/** Errors every endpoint of an access level can answer, raised before its handler runs. */
function implicitErrors(endpoint: Endpoint): ErrorCode[] {
  if (endpoint.access === 'public') return ['rate_limited_api'];
  const errors: ErrorCode[] = ['authentication_required', 'rate_limited_api'];
  if (endpoint.method !== 'GET') errors.push('csrf_failed');
  if (endpoint.access !== 'signedIn') errors.push('role_forbidden', 'workspace_not_found');
  if (endpoint.owns) errors.push('not_found');
  return errors;
}

function operationOf(name: string, endpoint: Endpoint): JsonSchema {
  const responses: Record<string, JsonSchema> = {};
  responses[String(endpoint.success.status)] = endpoint.success.schema
    ? {
        description: 'Success',
        content: { 'application/json': { schema: toSchema(endpoint.success.schema, 'output') } },
      }
    : { description: 'Success' };
  const byStatus = new Map<number, string[]>();
  for (const code of new Set([...endpoint.errors, ...implicitErrors(endpoint)])) {
    const status = errorCodes[code].httpStatus;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  for (const [status, codes] of byStatus) {
    responses[String(status)] = {
      description: `Error: ${codes.join(', ')}`,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
    };
  }
  return {
    operationId: name,
    summary: endpoint.summary,
    'x-tributary-access': endpoint.access,
    security: endpoint.access === 'public' ? [] : [{ apiToken: [] }, { session: [] }],
    parameters: [...parametersOf(endpoint.params, 'path'), ...parametersOf(endpoint.query, 'query')],
    ...(endpoint.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: toSchema(endpoint.body, 'input') } },
          },
        }
      : {}),
    responses,
  };
}

/** The OpenAPI 3.1 document served at `/api/v1/openapi.json`. */
export function buildOpenApiDocument(version: string): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const [name, endpoint] of Object.entries(endpoints) as [string, Endpoint][]) {
    const path = endpoint.path.replace(/:([a-zA-Z]+)/g, '{$1}');
    paths[path] = { ...paths[path], [endpoint.method.toLowerCase()]: operationOf(name, endpoint) };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Tributary API', version, license: { name: 'Apache-2.0' } },
    paths,
    components: {
      schemas: { ErrorBody: toSchema(errorBodySchema, 'output') },
      securitySchemes: {
        apiToken: {
          type: 'http',
          scheme: 'bearer',
          description:
            'An API token (`trb_…`) for one workspace, made in the UI, by `tributary login` or POST /api/v1/tokens',
        },
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'tributary_session',
          description:
            'The browser session; requests that change something also send the tributary_csrf cookie value in X-CSRF-Token, and X-Tributary-Workspace picks the workspace',
        },
      },
    },
  };
}
