/**
 * Endpoints of people and access: first-run setup, sign-in and sign-out, the session, passwords,
 * workspaces, and API tokens.
 */
import { z } from 'zod';
import { MIN_PASSWORD_LENGTH, roles } from '../domain/access.ts';
import type { ErrorCode } from '../domain/errors.ts';
import type { Endpoint } from './endpoints.ts';
import { idParamsSchema } from './schemas.ts';

const common: ErrorCode[] = ['validation_failed'];

const email = z.email({ error: () => 'email must be an email address' }).max(320);
const password = z
  .string()
  .min(MIN_PASSWORD_LENGTH, { error: () => `password must be at least ${MIN_PASSWORD_LENGTH} characters` })
  .max(1000);
const role = z.enum(roles);

export const workspaceSchema = z
  .object({ id: z.uuid(), name: z.string(), role })
  .meta({ id: 'Workspace', description: 'A workspace with the caller’s role in it' });

export const sessionSchema = z
  .object({
    user: z.object({ id: z.uuid(), email: z.string(), name: z.string() }),
    via: z.enum(['session', 'token']),
    workspaces: z.array(workspaceSchema),
    workspace: workspaceSchema.nullable().describe('The workspace requests act in'),
  })
  .meta({ id: 'Session' });

export const setupStatusSchema = z.object({
  setupRequired: z.boolean().describe('True until the owner account exists'),
  setupAllowed: z.boolean().describe('Setup is only offered to a browser on this machine'),
});

export const setupBodySchema = z.strictObject({
  email,
  password,
  name: z.string().trim().max(200).default(''),
});

export const signInBodySchema = z.strictObject({
  email: z.string().max(320),
  password: z.string().max(1000),
});
export const signInLinkBodySchema = z.strictObject({
  token: z.string().max(200),
  newPassword: password
    .optional()
    .describe('Also make this the password (account recovery); the user’s other sessions end'),
});
export const changePasswordBodySchema = z.strictObject({
  currentPassword: z.string().max(1000),
  newPassword: password,
});

export const createWorkspaceBodySchema = z.strictObject({ name: z.string().trim().min(1).max(200) });

export const tokenSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    role,
    prefix: z.string().describe('The first characters of the token, to recognise it'),
    userEmail: z.string(),
    createdAt: z.iso.datetime(),
    lastUsedAt: z.iso.datetime().nullable(),
    expiresAt: z.iso.datetime().nullable(),
    revokedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'ApiToken' });

export const createTokenBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  role: role.optional().describe('At most your own role; defaults to it'),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});

export const createdTokenSchema = z.object({
  token: z.string().describe('The secret, shown only in this response'),
  item: tokenSchema,
});

export const accessEndpoints = {
  getSetupStatus: {
    method: 'GET',
    access: 'public',
    path: '/api/v1/auth/setup',
    summary: 'Whether the owner account still has to be created',
    success: { status: 200, schema: setupStatusSchema },
    errors: [],
  },
  setupOwner: {
    method: 'POST',
    access: 'public',
    path: '/api/v1/auth/setup',
    summary: 'Create the owner account (first run, from this machine only) and sign in',
    body: setupBodySchema,
    success: { status: 201, schema: sessionSchema },
    errors: [...common, 'setup_not_allowed'],
  },
  signIn: {
    method: 'POST',
    access: 'public',
    path: '/api/v1/auth/sign-in',
    summary: 'Sign in with email and password (sets the session cookie)',
    body: signInBodySchema,
    success: { status: 200, schema: sessionSchema },
    errors: [...common, 'sign_in_failed', 'sign_in_throttled'],
  },
  signInWithLink: {
    method: 'POST',
    access: 'public',
    path: '/api/v1/auth/sign-in-link',
    summary:
      'Sign in with a one-time link from `tributary users sign-in-link` (optionally setting a new password)',
    body: signInLinkBodySchema,
    success: { status: 200, schema: sessionSchema },
    errors: [...common, 'sign_in_failed'],
  },
  signOut: {
    method: 'POST',
    access: 'signedIn',
    audit: false,
    path: '/api/v1/auth/sign-out',
    summary: 'End this session',
    success: { status: 204, schema: null },
    errors: ['authentication_required', 'csrf_failed'],
  },
  getSession: {
    method: 'GET',
    access: 'signedIn',
    path: '/api/v1/auth/session',
    summary: 'Who is signed in, their workspaces, and the one requests act in',
    success: { status: 200, schema: sessionSchema },
    errors: ['authentication_required'],
  },
  changePassword: {
    method: 'POST',
    access: 'signedIn',
    path: '/api/v1/auth/password',
    summary: 'Change your password; your other sessions end',
    body: changePasswordBodySchema,
    success: { status: 204, schema: null },
    errors: [...common, 'authentication_required', 'sign_in_failed', 'sign_in_throttled'],
  },
  listWorkspaces: {
    method: 'GET',
    access: 'signedIn',
    path: '/api/v1/workspaces',
    summary: 'Your workspaces and your role in each',
    success: { status: 200, schema: z.object({ items: z.array(workspaceSchema) }) },
    errors: ['authentication_required'],
  },
  createWorkspace: {
    method: 'POST',
    access: 'admin',
    path: '/api/v1/workspaces',
    summary: 'Create a workspace (an admin of the workspace you act in, signed in); you become its admin',
    body: createWorkspaceBodySchema,
    success: { status: 201, schema: workspaceSchema },
    errors: [...common, 'authentication_required', 'role_forbidden'],
  },
  listTokens: {
    method: 'GET',
    access: 'ownTokens',
    path: '/api/v1/tokens',
    summary: 'API tokens of this workspace: yours, or everyone’s for an admin',
    success: { status: 200, schema: z.object({ items: z.array(tokenSchema) }) },
    errors: ['authentication_required'],
  },
  createToken: {
    method: 'POST',
    access: 'ownTokens',
    path: '/api/v1/tokens',
    summary: 'Create an API token for this workspace; the secret is shown once',
    body: createTokenBodySchema,
    success: { status: 201, schema: createdTokenSchema },
    errors: [...common, 'role_forbidden'],
  },
  revokeToken: {
    method: 'DELETE',
    access: 'ownTokens',
    owns: { params: { id: 'token' } },
    path: '/api/v1/tokens/:id',
    summary: 'Revoke a token (yours; an admin may revoke anyone’s); it stops working at once',
    params: idParamsSchema,
    success: { status: 204, schema: null },
    errors: [...common, 'not_found'],
  },
} as const satisfies Record<string, Endpoint>;
