/**
 * The endpoint table: every API route declared once. The server registers routes from it, the
 * OpenAPI document is generated from it, and the typed client (CLI, tests, web) calls through it.
 */
import type { z } from 'zod';
import { z as zod } from 'zod';
import type { AccessLevel, OwnedKind } from '../domain/access.ts';
import type { ErrorCode } from '../domain/errors.ts';
import { accessEndpoints } from './accessEndpoints.ts';
import { extractionEndpoints } from './extractionEndpoints.ts';
import {
  accountSelectionBodySchema,
  accountsResponseSchema,
  authorizationResponseSchema,
  connectionDetailSchema,
  connectionPageSchema,
  createConnectionBodySchema,
  dataSourceDetailSchema,
  dataSourceParamsSchema,
  dataSourceSummarySchema,
  healthSchema,
  idParamsSchema,
  listConnectionsQuerySchema,
  oauthCallbackQuerySchema,
  reconnectBodySchema,
  syncAccountsResponseSchema,
} from './schemas.ts';
import { teamEndpoints } from './teamEndpoints.ts';
import { webhookEndpoints } from './webhookEndpoints.ts';

/** One API route. `path` uses `:name` parameters. */
export interface Endpoint {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Who may call it: checked against the permission table before the handler runs. */
  access: AccessLevel;
  /**
   * Ids in the request that name objects of the caller's workspace: each is checked to belong to it
   * (or, for `sharedConnection`, to be shared with it) before the handler runs; otherwise 404.
   */
  owns?: {
    params?: Record<string, OwnedKind>;
    query?: Record<string, OwnedKind>;
    body?: Record<string, OwnedKind>;
  };
  path: string;
  summary: string;
  /** False for a POST that changes nothing (previews): no audit entry. */
  audit?: false;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** The success status and body (null for an empty body, or a non-JSON response like a redirect page). */
  success: { status: number; schema: z.ZodType | null };
  errors: ErrorCode[];
}

const common: ErrorCode[] = ['validation_failed'];

export const endpoints = {
  health: {
    method: 'GET',
    access: 'public',
    path: '/api/v1/health',
    summary: 'Liveness and store kind',
    success: { status: 200, schema: healthSchema },
    errors: [],
  },
  listDataSources: {
    method: 'GET',
    access: 'read',
    path: '/api/v1/data-sources',
    summary: 'The data source catalog',
    success: { status: 200, schema: zod.object({ items: zod.array(dataSourceSummarySchema) }) },
    errors: [],
  },
  getDataSource: {
    method: 'GET',
    access: 'read',
    path: '/api/v1/data-sources/:id',
    summary: 'A data source with its setup guide, troubleshooting guide and schema',
    params: dataSourceParamsSchema,
    success: { status: 200, schema: dataSourceDetailSchema },
    errors: [...common, 'unknown_data_source'],
  },
  listConnections: {
    method: 'GET',
    access: 'read',
    path: '/api/v1/connections',
    summary: 'Connected sources: search, sort and cursor pagination',
    query: listConnectionsQuerySchema,
    success: { status: 200, schema: connectionPageSchema },
    errors: [...common, 'invalid_sort', 'invalid_cursor'],
  },
  createConnection: {
    method: 'POST',
    access: 'write',
    path: '/api/v1/connections',
    summary: 'Make a new connection; OAuth sources return the URL to authorize at',
    body: createConnectionBodySchema,
    success: { status: 201, schema: authorizationResponseSchema },
    errors: [
      ...common,
      'unknown_data_source',
      'wrong_auth_type',
      'provider_not_configured',
      'auth_invalid_credentials',
      'provider_unavailable',
    ],
  },
  getConnection: {
    method: 'GET',
    access: 'read',
    owns: { params: { id: 'sharedConnection' } },
    path: '/api/v1/connections/:id',
    summary: 'A connection with its configuration and accounts',
    params: idParamsSchema,
    success: { status: 200, schema: connectionDetailSchema },
    errors: [...common, 'not_found'],
  },
  listConnectionAccounts: {
    method: 'GET',
    access: 'read',
    owns: { params: { id: 'sharedConnection' } },
    path: '/api/v1/connections/:id/accounts',
    summary: 'Accounts discovered behind a connection',
    params: idParamsSchema,
    success: { status: 200, schema: accountsResponseSchema },
    errors: [...common, 'not_found'],
  },
  updateConnectionAccounts: {
    method: 'PATCH',
    access: 'write',
    owns: { params: { id: 'connection' } },
    path: '/api/v1/connections/:id/accounts',
    summary: 'Choose the accounts extractions may use: all (including future ones) or a selection',
    params: idParamsSchema,
    body: accountSelectionBodySchema,
    success: { status: 200, schema: connectionDetailSchema },
    errors: [...common, 'not_found'],
  },
  syncConnectionAccounts: {
    method: 'POST',
    access: 'write',
    owns: { params: { id: 'connection' } },
    path: '/api/v1/connections/:id/sync-accounts',
    summary: 'Start account discovery now (runs as a job)',
    params: idParamsSchema,
    success: { status: 202, schema: syncAccountsResponseSchema },
    errors: [...common, 'not_found', 'connection_not_authorized'],
  },
  reconnectConnection: {
    method: 'POST',
    access: 'write',
    owns: { params: { id: 'connection' } },
    path: '/api/v1/connections/:id/reconnect',
    summary: 'Authorize again, keeping the connection, its accounts and extractions',
    params: idParamsSchema,
    body: reconnectBodySchema,
    success: { status: 200, schema: authorizationResponseSchema },
    errors: [
      ...common,
      'not_found',
      'provider_not_configured',
      'wrong_auth_type',
      'auth_invalid_credentials',
      'business_account_mismatch',
    ],
  },
  deleteConnection: {
    method: 'DELETE',
    access: 'write',
    owns: { params: { id: 'connection' } },
    path: '/api/v1/connections/:id',
    summary: 'Remove the connection and its stored credential; loaded data stays',
    params: idParamsSchema,
    success: { status: 204, schema: null },
    errors: [...common, 'not_found'],
  },
  oauthCallback: {
    method: 'GET',
    access: 'public',
    path: '/api/v1/oauth/callback',
    summary: 'Where the provider sends the user back after authorizing (an HTML page or a redirect)',
    query: oauthCallbackQuerySchema,
    success: { status: 200, schema: null },
    errors: [...common, 'invalid_oauth_state', 'oauth_denied', 'business_account_mismatch'],
  },
  ...extractionEndpoints,
  ...webhookEndpoints,
  ...accessEndpoints,
  ...teamEndpoints,
} as const satisfies Record<string, Endpoint>;

export type Endpoints = typeof endpoints;
export type EndpointName = keyof Endpoints;

type Infer<T> = T extends z.ZodType ? z.infer<T> : undefined;
type InferInput<T> = T extends z.ZodType ? z.input<T> : undefined;

/** What a handler of endpoint `N` receives (after validation and defaults). */
export interface EndpointInput<N extends EndpointName> {
  params: Infer<Endpoints[N] extends { params: infer P } ? P : undefined>;
  query: Infer<Endpoints[N] extends { query: infer Q } ? Q : undefined>;
  body: Infer<Endpoints[N] extends { body: infer B } ? B : undefined>;
}

/** What a caller of endpoint `N` sends (before defaults). */
export interface EndpointRequest<N extends EndpointName> {
  params?: InferInput<Endpoints[N] extends { params: infer P } ? P : undefined>;
  query?: InferInput<Endpoints[N] extends { query: infer Q } ? Q : undefined>;
  body?: InferInput<Endpoints[N] extends { body: infer B } ? B : undefined>;
}

/** The success body of endpoint `N`. */
export type EndpointResult<N extends EndpointName> = Infer<Endpoints[N]['success']['schema']>;
