/**
 * Handlers of invitations: an admin invites an email with a role (at most their own) and gets a
 * single-use link, shown once; the invitee inspects it, then accepts it — a new user choosing a
 * password, an existing one proving theirs (throttled like sign-in) — and is signed in.
 */
import crypto from 'node:crypto';
import { hashPassword } from '../../access/passwords.ts';
import { hashSecret, isSecretOf, newSecret } from '../../access/secrets.ts';
import { checkPassword, openSession } from '../../access/signIn.ts';
import type { AppContext } from '../../connections/context.ts';
import { MIN_PASSWORD_LENGTH, roleWithin } from '../../domain/access.ts';
import { TributaryError } from '../../domain/errors.ts';
import { auditRepository } from '../../store/auditRepository.ts';
import { type InvitationRecord, invitationsRepository } from '../../store/invitationsRepository.ts';
import { usersRepository } from '../../store/usersRepository.ts';
import { SESSION_TTL_MS, setSessionCookies } from '../authentication.ts';
import { type Handler, workspaceOf } from '../routes.ts';
import { sessionView } from './signIn.ts';

const HOUR_MS = 3_600_000;

/** An invitation as the API shows it (never its secret). */
export function invitationView(invitation: InvitationRecord) {
  return {
    id: invitation.id,
    email: invitation.email,
    role: invitation.role,
    invitedBy: invitation.invitedBy,
    createdAt: invitation.createdAt.toISOString(),
    expiresAt: invitation.expiresAt.toISOString(),
    usedAt: invitation.usedAt ? invitation.usedAt.toISOString() : null,
  };
}

function invalid(): TributaryError {
  return new TributaryError(
    'invitation_invalid',
    'This invitation link is unknown, used, revoked or expired',
  );
}

/** The usable invitation a link's secret opens; unknown, used and expired ones are refused alike. */
async function usableInvitation(context: AppContext, token: string): Promise<InvitationRecord> {
  if (!isSecretOf('invitation', token)) throw invalid();
  const invitation = await invitationsRepository.findUsable(context.db, hashSecret(token), context.now());
  if (!invitation) throw invalid();
  return invitation;
}

/** GET /api/v1/invitations */
export const listInvitations: Handler<'listInvitations'> = async (input, context) => ({
  items: (await invitationsRepository.list(context.db, workspaceOf(input).workspaceId)).map(invitationView),
});

/** POST /api/v1/invitations */
export const createInvitation: Handler<'createInvitation'> = async (input, context) => {
  const { workspaceId, caller } = workspaceOf(input);
  const { email, role, expiresInHours } = input.body;
  if (!roleWithin(role, caller.role!))
    throw new TributaryError('role_forbidden', `A ${caller.role} cannot invite a ${role}`);
  const invitee = await usersRepository.findByEmail(context.db, email.trim());
  if (invitee && (await usersRepository.role(context.db, workspaceId, invitee.id)))
    throw new TributaryError(
      'conflict',
      `${email} is already a member of this workspace: change their role instead`,
    );
  const secret = newSecret('invitation');
  const now = context.now();
  const id = crypto.randomUUID();
  await invitationsRepository.insert(context.db, {
    id,
    workspaceId,
    email: email.trim(),
    role,
    tokenHash: hashSecret(secret),
    invitedBy: caller.userId,
    at: now,
    expiresAt: new Date(now.getTime() + expiresInHours * HOUR_MS),
  });
  const stored = await invitationsRepository.get(context.db, id);
  return {
    invitation: invitationView(stored!),
    url: `${context.publicUrl()}/invitation?token=${encodeURIComponent(secret)}`,
  };
};

/** DELETE /api/v1/invitations/:id */
export const revokeInvitation: Handler<'revokeInvitation'> = async ({ params }, context) => {
  if (!(await invitationsRepository.delete(context.db, params.id)))
    throw new TributaryError('not_found', `No invitation ${params.id}`);
  return undefined;
};

/** GET /api/v1/auth/invitation?token= */
export const inspectInvitation: Handler<'inspectInvitation'> = async ({ query }, context) => {
  const invitation = await usableInvitation(context, query.token);
  return {
    workspaceName: invitation.workspaceName,
    email: invitation.email,
    role: invitation.role,
    expiresAt: invitation.expiresAt.toISOString(),
    userExists: (await usersRepository.findByEmail(context.db, invitation.email)) !== null,
  };
};

/** POST /api/v1/auth/invitation */
export const acceptInvitation: Handler<'acceptInvitation'> = async ({ body }, context, reply) => {
  const invitation = await usableInvitation(context, body.token);
  const existing = await usersRepository.findByEmail(context.db, invitation.email);
  // An existing user proves who they are exactly as at sign-in (same throttle); a new one sets a password.
  const userId = existing
    ? await checkPassword(context, invitation.email, body.password, reply.request.ip)
    : crypto.randomUUID();
  if (!existing && body.password.length < MIN_PASSWORD_LENGTH)
    throw new TributaryError(
      'validation_failed',
      `Invalid request — body.password: password must be at least ${MIN_PASSWORD_LENGTH} characters`,
      {
        details: {
          issues: [
            {
              location: 'body',
              path: 'password',
              message: `password must be at least ${MIN_PASSWORD_LENGTH} characters`,
            },
          ],
        },
      },
    );
  const passwordHash = existing ? null : await hashPassword(body.password);
  const now = context.now();
  await context.db.transaction(async (tx) => {
    // Consumed first, in the same transaction: of two concurrent accepts only one joins.
    if (!(await invitationsRepository.consume(tx, invitation.id, now))) throw invalid();
    if (!existing)
      await usersRepository.insert(tx, {
        id: userId,
        email: invitation.email,
        name: body.name ?? '',
        passwordHash,
        at: now,
      });
    await usersRepository.addMember(tx, invitation.workspaceId, userId, invitation.role, now);
    // The request is anonymous, so the central audit trail has no workspace for it: the join is recorded here.
    await auditRepository.append(tx, {
      workspaceId: invitation.workspaceId,
      actorUserId: userId,
      actorTokenId: null,
      actor: invitation.email,
      action: 'acceptInvitation',
      targetType: 'member',
      targetId: userId,
      details: { invitationId: invitation.id, role: invitation.role, newUser: !existing },
      at: now,
    });
  });
  const opened = await openSession(context.db, userId, now, SESSION_TTL_MS);
  setSessionCookies(reply, opened.session, opened.csrf, context.publicUrl().startsWith('https:'));
  return sessionView(context, userId, 'session', invitation.workspaceId);
};
