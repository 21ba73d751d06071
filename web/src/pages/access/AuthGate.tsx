import { Button, Center, Loader, Stack, Text } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useCallback, useEffect, useState } from 'react';
import {
  ApiError,
  api,
  apiKey,
  chooseWorkspace,
  chosenWorkspace,
  hasCsrfCookie,
  onSignedOut,
  useApiQuery,
} from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { AuthLayout } from './AuthLayout.tsx';
import { SetupPage } from './SetupPage.tsx';
import { SignInPage } from './SignInPage.tsx';
import { replaceSession, type Session, SessionProvider, useSession } from './session.tsx';

/**
 * The session, or null when signed out. A remembered workspace the user no longer belongs to is
 * forgotten (the server answers 404 for it) and the server's first choice taken instead.
 */
async function loadSession(): Promise<Session | null> {
  // Sign-in sets the readable CSRF cookie beside the httpOnly session one, and sign-out clears both:
  // without it there is no session to ask about (and no 401 to log in the console on every first visit).
  if (!hasCsrfCookie()) return null;
  try {
    return await api.call('getSession');
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.status === 401) return null;
    if (error.code === 'workspace_not_found' && chosenWorkspace()) {
      chooseWorkspace(null);
      return loadSession();
    }
    throw error;
  }
}

/** The session after signing in, in the remembered workspace when the user is still a member of it. */
export function inRememberedWorkspace(session: Session): Session {
  const remembered = chosenWorkspace();
  const workspace = session.workspaces.find((w) => w.id === remembered) ?? session.workspace;
  chooseWorkspace(workspace?.id ?? null);
  return { ...session, workspace };
}

/** Keeps a freshly signed-in session as the app's, dropping anything cached from before. */
export function useAdoptSession(): (session: Session) => void {
  const queryClient = useQueryClient();
  return useCallback(
    (session: Session) => {
      replaceSession(queryClient, inRememberedWorkspace(session));
    },
    [queryClient],
  );
}

/**
 * The app for a signed-in user; otherwise the first-run setup page (when the server offers it to
 * this browser) or the sign-in page, at the same URL, so signing in opens the page asked for.
 * A session that ends later (a 401 from any call) brings the sign-in page back the same way.
 */
export function AuthGate({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [expired, setExpired] = useState(false);
  const session = useQuery<Session | null, ApiError>({
    queryKey: apiKey('getSession'),
    queryFn: loadSession,
    retry: false,
    staleTime: 60_000,
  });
  const adopt = useAdoptSession();

  useEffect(
    () =>
      onSignedOut(() => {
        if (!queryClient.getQueryData(apiKey('getSession'))) return;
        setExpired(true);
        replaceSession(queryClient, null);
      }),
    [queryClient],
  );

  const signedIn = useCallback(
    (next: Session) => {
      setExpired(false);
      adopt(next);
    },
    [adopt],
  );

  if (session.isPending) return <FullPageLoader />;
  if (session.isError)
    return (
      <AuthLayout title="Tributary is not answering">
        <ErrorAlert error={session.error} onRetry={() => void session.refetch()} />
      </AuthLayout>
    );
  if (!session.data) return <SignedOut expired={expired} onSignedIn={signedIn} />;
  return (
    <SessionProvider session={session.data}>
      {session.data.workspace ? children : <NoWorkspacePage />}
    </SessionProvider>
  );
}

function FullPageLoader() {
  return (
    <Center mih="100vh">
      <Loader aria-label="Loading" />
    </Center>
  );
}

/** Setup on a fresh server (from this machine), sign-in otherwise. */
function SignedOut({ expired, onSignedIn }: { expired: boolean; onSignedIn(session: Session): void }) {
  const setup = useApiQuery('getSetupStatus', {}, { staleTime: 0 });
  if (setup.isPending) return <FullPageLoader />;
  if (setup.data?.setupRequired && setup.data.setupAllowed) return <SetupPage onSignedIn={onSignedIn} />;
  return <SignInPage expired={expired} onSignedIn={onSignedIn} />;
}

/** A user who belongs to no workspace (every membership removed) can only sign out. */
function NoWorkspacePage() {
  const { signOut } = useSession();
  return (
    <AuthLayout title="No workspace yet">
      <Stack gap="sm">
        <Text size="sm">
          You are not a member of any workspace. Ask a workspace admin for an invitation, then open its link.
        </Text>
        <Button variant="light" onClick={() => void signOut()}>
          Sign out
        </Button>
      </Stack>
    </AuthLayout>
  );
}
