/**
 * Who may do what: the roles, the access levels endpoints declare, and the one permission table
 * that decides between them. The server checks it in one place for every endpoint; the web app
 * reads the same table to hide what a role cannot do.
 */

/** A user's role in a workspace, lowest first. */
export const roles = ['viewer', 'editor', 'admin'] as const;
export type Role = (typeof roles)[number];

/**
 * What an endpoint needs:
 * - `public`: anyone (health, sign-in, the OAuth callback, accepting an invitation);
 * - `signedIn`: any signed-in user, whatever the workspace (who am I, sign out, my password);
 * - `read`: read the workspace's objects (never credentials);
 * - `write`: create, change and delete connections, extractions, destinations, templates, webhooks, runs;
 * - `admin`: the workspace's people, roles, invitations, sharing and audit log;
 * - `ownTokens`: a user's own API tokens in the workspace (any role; a token's role is capped by the user's).
 */
export const accessLevels = ['public', 'signedIn', 'read', 'write', 'admin', 'ownTokens'] as const;
export type AccessLevel = (typeof accessLevels)[number];

/** The permission table: the roles each workspace access level admits. */
export const permissionTable: Record<Exclude<AccessLevel, 'public' | 'signedIn'>, readonly Role[]> = {
  read: ['viewer', 'editor', 'admin'],
  write: ['editor', 'admin'],
  admin: ['admin'],
  ownTokens: ['viewer', 'editor', 'admin'],
};

/** True when `role` may use an endpoint that needs `level` (public and signed-in levels take no role). */
export function roleAllows(role: Role, level: AccessLevel): boolean {
  if (level === 'public' || level === 'signedIn') return true;
  return permissionTable[level].includes(role);
}

/** The lower of two roles: a token's effective role is capped by its creator's current one. */
export function lowerRole(a: Role, b: Role): Role {
  return roles.indexOf(a) <= roles.indexOf(b) ? a : b;
}

/** True when `role` is at most `ceiling` (a user cannot mint a token or invite above their own role). */
export function roleWithin(role: Role, ceiling: Role): boolean {
  return roles.indexOf(role) <= roles.indexOf(ceiling);
}

/** The shortest password accepted: length is what makes a password hard to guess. */
export const MIN_PASSWORD_LENGTH = 10;

/** The workspace that holds everything made before workspaces existed (migration 0007). */
export const DEFAULT_WORKSPACE_ID = '00000000-0000-4000-8000-000000000001';

/** Who is making a request, as resolved from a session cookie or an API token. */
export interface Caller {
  userId: string;
  email: string;
  /** How the caller proved who they are. */
  via: 'session' | 'token';
  /** The token's id when `via` is `token`. */
  tokenId: string | null;
  /** The workspace the request acts in, and the caller's effective role there (null: none chosen yet). */
  workspaceId: string | null;
  role: Role | null;
}

/** Objects a request names by id, whose workspace the server checks before the handler runs. */
export const ownedKinds = [
  'connection',
  'sharedConnection',
  'extraction',
  'run',
  'destination',
  'template',
  'webhook',
  'token',
  'member',
  'invitation',
] as const;
export type OwnedKind = (typeof ownedKinds)[number];
