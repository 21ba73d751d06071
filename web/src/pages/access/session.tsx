/**
 * The signed-in user as the whole app sees it: who they are, the workspace requests act in, their
 * role there, and what that role may do. What a role may do is read from the same permission table
 * and endpoint access levels the server checks, so a hidden button and a refused request agree.
 */
import { type QueryClient, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useMemo } from 'react';
import { useNavigate } from 'react-router';
import { type EndpointName, type EndpointResult, endpoints } from '../../../../src/contract/endpoints.ts';
import { type Role, roleAllows } from '../../../../src/domain/access.ts';
import { api, apiKey, chooseWorkspace } from '../../api.ts';

/** The session body of `GET /api/v1/auth/session`. */
export type Session = EndpointResult<'getSession'>;

/** What every page may ask about the signed-in user. */
export interface SessionState {
  session: Session;
  /** The caller's role in the current workspace (null: a member of no workspace). */
  role: Role | null;
  /** True when the role may call the endpoint (by its declared access level). */
  can(name: EndpointName): boolean;
  /** True when the user is an admin of some workspace (who may create workspaces). */
  /** Makes `workspaceId` the workspace requests act in, and loads the page (its list) again in it. */
  switchWorkspace(workspaceId: string): void;
  /** Ends the session and shows the sign-in page. */
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);

/**
 * Makes `session` the app's (null: signed out) and drops every other cached read, which belonged to
 * the previous user. The session's own query is updated in place, never removed: the auth gate
 * observes it, and an observer of a removed query would not see the new value.
 */
export function replaceSession(queryClient: QueryClient, session: Session | null): void {
  queryClient.setQueryData(apiKey('getSession'), session);
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'getSession' });
}

/** The signed-in user; only pages inside the auth gate call it. */
export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession is used outside the auth gate');
  return state;
}

/** Shorthand: whether the signed-in user's role may call the endpoint. */
export function useCan(name: EndpointName): boolean {
  return useSession().can(name);
}

/** The page to show after switching workspaces: a list stays, an object of the old workspace does not. */
function areaOf(pathname: string): string {
  const [first, second] = pathname.split('/').filter(Boolean);
  if (first === 'settings' && second) return `/settings/${second}`;
  return first ? `/${first}` : '/connections';
}

/** Provides {@link useSession} to the app once the gate has a session. */
export function SessionProvider({ session, children }: { session: Session; children: ReactNode }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const role = session.workspace?.role ?? null;

  const switchWorkspace = useCallback((workspaceId: string) => {
    chooseWorkspace(workspaceId);
    // A fresh page load, not a cache reset: a page still on screen would otherwise read its object again in
    // the new workspace (a 404) before it unmounts. Nothing of the old workspace survives it.
    window.location.assign(areaOf(window.location.pathname));
  }, []);

  const signOut = useCallback(async () => {
    try {
      await api.call('signOut');
    } finally {
      replaceSession(queryClient, null);
      navigate('/');
    }
  }, [navigate, queryClient]);

  const value = useMemo<SessionState>(
    () => ({
      session,
      role,
      can: (name) => role !== null && roleAllows(role, endpoints[name].access),
      switchWorkspace,
      signOut,
    }),
    [session, role, switchWorkspace, signOut],
  );
  return <SessionContext value={value}>{children}</SessionContext>;
}
