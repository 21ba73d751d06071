/**
 * Handlers of a workspace's members: list them, change a role, remove one. A workspace always
 * keeps at least one admin; a removed member's API tokens for it stop working at once.
 */
import { TributaryError } from '../../domain/errors.ts';
import { type MemberRecord, usersRepository } from '../../store/usersRepository.ts';
import { type Handler, workspaceOf } from '../routes.ts';

/** A member as the API shows it. */
export function memberView(member: MemberRecord) {
  return {
    userId: member.userId,
    email: member.email,
    name: member.name,
    role: member.role,
    joinedAt: member.joinedAt.toISOString(),
  };
}

function lastAdmin(action: string): TributaryError {
  return new TributaryError(
    'conflict',
    `The last admin of a workspace cannot be ${action}: make another member an admin first`,
  );
}

/** GET /api/v1/members */
export const listMembers: Handler<'listMembers'> = async (input, context) => ({
  items: (await usersRepository.members(context.db, workspaceOf(input).workspaceId)).map(memberView),
});

/** PATCH /api/v1/members/:id */
export const updateMember: Handler<'updateMember'> = async (input, context) => {
  const { workspaceId } = workspaceOf(input);
  const userId = input.params.id;
  const role = input.body.role;
  await context.db.transaction(async (tx) => {
    const admins = await usersRepository.lockAdmins(tx, workspaceId);
    if (role !== 'admin' && admins.length === 1 && admins[0] === userId) throw lastAdmin('demoted');
    if (!(await usersRepository.setRole(tx, workspaceId, userId, role)))
      throw new TributaryError('not_found', `No member ${userId}`);
  });
  const member = await usersRepository.member(context.db, workspaceId, userId);
  if (!member) throw new TributaryError('not_found', `No member ${userId}`);
  return memberView(member);
};

/** DELETE /api/v1/members/:id */
export const removeMember: Handler<'removeMember'> = async (input, context) => {
  const { workspaceId } = workspaceOf(input);
  const userId = input.params.id;
  const now = context.now();
  await context.db.transaction(async (tx) => {
    const admins = await usersRepository.lockAdmins(tx, workspaceId);
    if (admins.length === 1 && admins[0] === userId) throw lastAdmin('removed');
    if (!(await usersRepository.removeMember(tx, workspaceId, userId)))
      throw new TributaryError('not_found', `No member ${userId}`);
    // Tokens already stop resolving without the membership; revoking them keeps it so if they rejoin.
    await usersRepository.revokeTokens(tx, workspaceId, userId, now);
  });
  context.logger.info({ workspaceId, userId }, 'member removed');
  return undefined;
};
