/**
 * The API's data shapes as zod schemas: the one source of truth for server validation, the
 * generated OpenAPI document, the CLI, the web client and the tests.
 */
import { z } from 'zod';
import { fieldTypes } from '../connectors/kit/types.ts';
import {
  accountStatuses,
  accountSyncModes,
  connectionSortKeys,
  credentialStatuses,
} from '../domain/connection.ts';
import { errorCategories, errorCodeList } from '../domain/errors.ts';

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.enum(errorCodeList),
      message: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .meta({ id: 'ErrorBody' });
export type ErrorBody = z.infer<typeof errorBodySchema>;

export const authTypeSchema = z.enum(['oauth2', 'api_key', 'login', 'service_account']);

export const dataSourceSummarySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    authType: authTypeSchema,
    sandbox: z.boolean().describe('True when the source runs against its built-in sandbox'),
    configured: z.boolean().describe('False when neither real app credentials nor the sandbox are available'),
    formAuthType: authTypeSchema
      .nullable()
      .describe(
        'The auth type of the credential form an OAuth source also takes (GA4: service_account); null when none',
      ),
  })
  .meta({ id: 'DataSourceSummary' });
export type DataSourceSummary = z.infer<typeof dataSourceSummarySchema>;

export const fieldSpecSchema = z.object({
  name: z.string(),
  label: z.string(),
  type: z.enum(fieldTypes),
  description: z.string(),
});

export const credentialFieldSchema = z.object({
  name: z.string(),
  label: z.string(),
  secret: z.boolean(),
  description: z.string(),
  maxLength: z.number().int(),
  pattern: z.string().optional(),
});

export const dataSourceDetailSchema = dataSourceSummarySchema
  .extend({
    credentialFields: z
      .array(credentialFieldSchema)
      .describe('The credential form (api_key, login, or service-account key); empty for OAuth-only sources'),
    setupGuide: z.string().describe('Markdown'),
    troubleshooting: z.string().describe('Markdown'),
    mapping: z
      .string()
      .nullable()
      .describe('Markdown: source field → paid_ads__basic_performance field (null when the source has none)'),
    schema: z.object({ dimensions: z.array(fieldSpecSchema), metrics: z.array(fieldSpecSchema) }),
  })
  .meta({ id: 'DataSourceDetail' });
export type DataSourceDetail = z.infer<typeof dataSourceDetailSchema>;

export const problemDetailsSchema = z
  .object({
    code: z.enum(errorCodeList),
    category: z.enum(errorCategories),
    message: z.string(),
    remedy: z.string(),
    at: z.iso.datetime(),
  })
  .meta({ id: 'ProblemDetails' });

const isoOrNull = z.iso.datetime().nullable();

export const connectionSchema = z
  .object({
    id: z.uuid(),
    dataSource: z.object({ id: z.string(), name: z.string() }),
    businessAccount: z.string().nullable().describe('Email or login of the authorizing user'),
    businessAccountId: z.string().nullable().describe("The provider's id of that user"),
    status: z.enum(credentialStatuses),
    statusDetails: problemDetailsSchema.nullable(),
    accountStatus: z.enum(accountStatuses),
    accountsCount: z.number().int().describe('Accounts available to extractions: selected and not lost'),
    accountSync: z
      .enum(accountSyncModes)
      .describe('all: every account, including ones discovered later; selected: only the chosen ones'),
    createdAt: z.iso.datetime(),
    lastAuthorizedAt: isoOrNull,
    accountsSyncedAt: isoOrNull,
    actions: z.object({ extract: z.boolean(), reconnect: z.boolean(), delete: z.boolean() }),
    sharedFrom: z
      .object({ workspaceId: z.uuid(), workspaceName: z.string() })
      .nullable()
      .describe('The workspace that shared this connection with yours (null: your own connection)'),
  })
  .meta({ id: 'Connection' });
export type ConnectionView = z.infer<typeof connectionSchema>;

export const accountSchema = z
  .object({
    id: z.string().describe("The provider's account id"),
    name: z.string(),
    currency: z.string().nullable(),
    timezone: z.string().nullable(),
    status: z.string().describe('Status at the provider, e.g. active, disabled, closed'),
    addedAt: z.iso.datetime(),
    lostAt: isoOrNull.describe('When discovery stopped seeing the account (access lost)'),
    selected: z
      .boolean()
      .describe('Whether extractions may use it (always true when the connection syncs all)'),
    manager: z
      .boolean()
      .describe('A manager account (Google Ads MCC): shown with its hierarchy, never extracted'),
    managerPath: z
      .array(z.string())
      .describe(
        'Names of the accounts above this one, top first (manager chain; GA4: the account of a property)',
      ),
  })
  .meta({ id: 'Account' });
export type AccountView = z.infer<typeof accountSchema>;

export const connectionDetailSchema = connectionSchema
  .extend({
    configuration: z.object({
      authType: authTypeSchema,
      scopes: z.array(z.string()),
      tokenExpiresAt: isoOrNull,
    }),
    accounts: z.array(accountSchema),
  })
  .meta({ id: 'ConnectionDetail' });
export type ConnectionDetailView = z.infer<typeof connectionDetailSchema>;

export const listConnectionsQuerySchema = z.strictObject({
  search: z
    .string()
    .max(200)
    .optional()
    .describe('Case-insensitive match on data source name or business account'),
  sort: z
    .enum(connectionSortKeys, {
      error: () =>
        `sort must be one of: ${connectionSortKeys.join(', ')} (Status and Actions are not sortable)`,
    })
    .default('createdAt'),
  order: z.enum(['asc', 'desc'], { error: () => 'order must be asc or desc' }).default('desc'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(512).optional().describe('nextCursor of the previous page'),
});
export type ListConnectionsQuery = z.infer<typeof listConnectionsQuerySchema>;

export const connectionPageSchema = z
  .object({ items: z.array(connectionSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'ConnectionPage' });

export const idParamsSchema = z.strictObject({ id: z.string().max(100) });
export const dataSourceParamsSchema = z.strictObject({ id: z.string().max(100) });

const returnToSchema = z
  .string()
  .max(500)
  .regex(/^\/(?![/\\])[^\s]*$/, 'returnTo must be a path on this server, like /connections')
  .optional();

export const createConnectionBodySchema = z.strictObject({
  dataSource: z.string().min(1).max(100),
  credentials: z.record(z.string().max(100), z.string().max(20_000)).optional(),
  returnTo: returnToSchema,
});

export const authorizationResponseSchema = z
  .object({
    connection: connectionSchema,
    authorizationUrl: z.string().nullable().describe('Open it to authorize; null for non-OAuth sources'),
  })
  .meta({ id: 'AuthorizationResponse' });

export const reconnectBodySchema = z
  .strictObject({
    returnTo: returnToSchema,
    credentials: z.record(z.string().max(100), z.string().max(20_000)).optional(),
  })
  .optional();

export const syncAccountsResponseSchema = z.object({ connection: connectionSchema });

export const accountSelectionBodySchema = z.discriminatedUnion(
  'sync',
  [
    z.strictObject({ sync: z.literal('all') }),
    z.strictObject({
      sync: z.literal('selected'),
      accountIds: z.array(z.string().min(1).max(64)).min(1).max(5000),
    }),
  ],
  { error: () => 'sync must be "all", or "selected" with accountIds' },
);
export type AccountSelection = z.infer<typeof accountSelectionBodySchema>;

export const accountsResponseSchema = z.object({ items: z.array(accountSchema) });

export const oauthCallbackQuerySchema = z.object({
  state: z.string().max(512).optional(),
  code: z.string().max(4096).optional(),
  error: z.string().max(500).optional(),
  error_description: z.string().max(2000).optional(),
  error_reason: z.string().max(500).optional(),
});

export const healthSchema = z.object({
  status: z.literal('ok'),
  store: z.enum(['pglite', 'postgres']),
  version: z.string(),
});
