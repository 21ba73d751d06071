/**
 * Endpoints of a workspace's team (issue 6): members and their roles, invitations (created by an
 * admin, inspected and accepted by the invitee), connections shared with other workspaces, and the
 * audit log (read, or exported to a destination).
 */
import { z } from 'zod';
import { MIN_PASSWORD_LENGTH, roles } from '../domain/access.ts';
import type { ErrorCode } from '../domain/errors.ts';
import { sessionSchema } from './accessEndpoints.ts';
import type { Endpoint } from './endpoints.ts';
import { idParamsSchema } from './schemas.ts';

const common: ErrorCode[] = ['validation_failed'];
const role = z.enum(roles);

export const memberSchema = z
  .object({
    userId: z.uuid(),
    email: z.string(),
    name: z.string(),
    role,
    joinedAt: z.iso.datetime(),
  })
  .meta({ id: 'Member' });

export const updateMemberBodySchema = z.strictObject({ role });

export const invitationSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    role,
    invitedBy: z.string().nullable().describe('Email of the admin who invited (null: that user is gone)'),
    createdAt: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
    usedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Invitation' });

export const createInvitationBodySchema = z.strictObject({
  email: z.email({ error: () => 'email must be an email address' }).max(320),
  role,
  expiresInHours: z.number().int().min(1).max(720).default(72),
});

export const createdInvitationSchema = z.object({
  invitation: invitationSchema,
  url: z.string().describe('The link to send to the invitee; shown only in this response'),
});

export const invitationTokenQuerySchema = z.strictObject({ token: z.string().max(200) });

export const invitationPreviewSchema = z
  .object({
    workspaceName: z.string(),
    email: z.string(),
    role,
    expiresAt: z.iso.datetime(),
    userExists: z.boolean().describe('True: sign in with your password; false: choose one'),
  })
  .meta({ id: 'InvitationPreview' });

export const acceptInvitationBodySchema = z.strictObject({
  token: z.string().max(200),
  password: z
    .string()
    .max(1000)
    .describe(
      `A new user's password (at least ${MIN_PASSWORD_LENGTH} characters), or an existing user's own`,
    ),
  name: z.string().trim().max(200).optional(),
});

export const connectionShareSchema = z
  .object({ workspaceId: z.uuid(), workspaceName: z.string(), sharedAt: z.iso.datetime() })
  .meta({ id: 'ConnectionShare' });

export const shareConnectionBodySchema = z.strictObject({ workspaceId: z.string().max(100) });
export const unshareParamsSchema = z.strictObject({
  id: z.string().max(100),
  workspaceId: z.string().max(100),
});

export const auditEntrySchema = z
  .object({
    id: z.number().int(),
    actor: z.string().describe('Email of the user, with "(API token)" when a token acted'),
    action: z.string().describe('The endpoint name, e.g. createInvitation'),
    targetType: z.string(),
    targetId: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
    at: z.iso.datetime(),
  })
  .meta({ id: 'AuditEntry' });

export const listAuditQuerySchema = z.strictObject({
  before: z.coerce
    .number()
    .int()
    .min(1)
    .max(Number.MAX_SAFE_INTEGER)
    .optional()
    .describe('Entries older than this id (nextBefore)'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

export const exportAuditBodySchema = z.strictObject({ destinationId: z.string().max(100) });
export const auditExportSchema = z.object({
  table: z.string(),
  rows: z.number().int(),
});

export const teamEndpoints = {
  listMembers: {
    method: 'GET',
    access: 'admin',
    path: '/api/v1/members',
    summary: 'Members of this workspace and their roles',
    success: { status: 200, schema: z.object({ items: z.array(memberSchema) }) },
    errors: ['authentication_required', 'role_forbidden'],
  },
  updateMember: {
    method: 'PATCH',
    access: 'admin',
    owns: { params: { id: 'member' } },
    path: '/api/v1/members/:id',
    summary: 'Change a member’s role (the last admin cannot be demoted)',
    params: idParamsSchema,
    body: updateMemberBodySchema,
    success: { status: 200, schema: memberSchema },
    errors: [...common, 'not_found', 'conflict', 'role_forbidden'],
  },
  removeMember: {
    method: 'DELETE',
    access: 'admin',
    owns: { params: { id: 'member' } },
    path: '/api/v1/members/:id',
    summary: 'Remove a member; their API tokens for this workspace are revoked (the last admin stays)',
    params: idParamsSchema,
    success: { status: 204, schema: null },
    errors: [...common, 'not_found', 'conflict', 'role_forbidden'],
  },
  listInvitations: {
    method: 'GET',
    access: 'admin',
    path: '/api/v1/invitations',
    summary: 'Invitations to this workspace, newest first',
    success: { status: 200, schema: z.object({ items: z.array(invitationSchema) }) },
    errors: ['authentication_required', 'role_forbidden'],
  },
  createInvitation: {
    method: 'POST',
    access: 'admin',
    path: '/api/v1/invitations',
    summary: 'Invite someone by email with a role; the single-use link is shown once',
    body: createInvitationBodySchema,
    success: { status: 201, schema: createdInvitationSchema },
    errors: [...common, 'role_forbidden', 'conflict'],
  },
  revokeInvitation: {
    method: 'DELETE',
    access: 'admin',
    owns: { params: { id: 'invitation' } },
    path: '/api/v1/invitations/:id',
    summary: 'Revoke an invitation; its link stops working',
    params: idParamsSchema,
    success: { status: 204, schema: null },
    errors: [...common, 'not_found', 'role_forbidden'],
  },
  inspectInvitation: {
    method: 'GET',
    access: 'public',
    path: '/api/v1/auth/invitation',
    summary: 'What an invitation link offers (workspace, email, role), before accepting it',
    query: invitationTokenQuerySchema,
    success: { status: 200, schema: invitationPreviewSchema },
    errors: [...common, 'invitation_invalid'],
  },
  acceptInvitation: {
    method: 'POST',
    access: 'public',
    path: '/api/v1/auth/invitation',
    summary: 'Accept an invitation: a new user chooses a password, an existing one proves theirs; signs in',
    body: acceptInvitationBodySchema,
    success: { status: 200, schema: sessionSchema },
    errors: [...common, 'invitation_invalid', 'sign_in_failed', 'sign_in_throttled'],
  },
  listConnectionShares: {
    method: 'GET',
    access: 'admin',
    owns: { params: { id: 'connection' } },
    path: '/api/v1/connections/:id/shares',
    summary: 'Workspaces this connection’s accounts are shared with',
    params: idParamsSchema,
    success: { status: 200, schema: z.object({ items: z.array(connectionShareSchema) }) },
    errors: [...common, 'not_found', 'role_forbidden'],
  },
  shareConnection: {
    method: 'POST',
    access: 'admin',
    owns: { params: { id: 'connection' } },
    path: '/api/v1/connections/:id/shares',
    summary: 'Share a connection with another workspace you administer: it may read and extract from it',
    params: idParamsSchema,
    body: shareConnectionBodySchema,
    success: { status: 201, schema: connectionShareSchema },
    errors: [...common, 'not_found', 'workspace_not_found', 'role_forbidden'],
  },
  unshareConnection: {
    method: 'DELETE',
    access: 'admin',
    owns: { params: { id: 'connection' } },
    path: '/api/v1/connections/:id/shares/:workspaceId',
    summary: 'Stop sharing a connection; that workspace’s extractions on it are paused',
    params: unshareParamsSchema,
    success: { status: 204, schema: null },
    errors: [...common, 'not_found', 'role_forbidden'],
  },
  listAudit: {
    method: 'GET',
    access: 'admin',
    path: '/api/v1/audit',
    summary: 'The audit log of this workspace, newest first',
    query: listAuditQuerySchema,
    success: {
      status: 200,
      schema: z.object({ items: z.array(auditEntrySchema), nextBefore: z.number().int().nullable() }),
    },
    errors: [...common, 'role_forbidden'],
  },
  exportAudit: {
    method: 'POST',
    access: 'admin',
    owns: { body: { destinationId: 'destination' } },
    path: '/api/v1/audit/export',
    summary: 'Write this workspace’s audit log to table tributary_audit_log of a destination (replacing it)',
    body: exportAuditBodySchema,
    success: { status: 200, schema: auditExportSchema },
    errors: [...common, 'not_found', 'role_forbidden', 'destination_unavailable'],
  },
} as const satisfies Record<string, Endpoint>;
