import { Button, ThemeIcon } from '@mantine/core';
import { Lock } from 'lucide-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { EndpointName } from '../../../../src/contract/endpoints.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { useSession } from './session.tsx';

/**
 * A page whose purpose is one action (make a connection, set up an extraction): a role that may not
 * call `endpoint` gets an explanation instead of a form it could fill in but never submit.
 */
export function RequiresAccess({
  endpoint,
  what,
  back,
  children,
}: {
  endpoint: EndpointName;
  /** What the page does, e.g. "make connections". */
  what: string;
  back: { to: string; label: string };
  children: ReactNode;
}) {
  const { can, role, session } = useSession();
  if (can(endpoint)) return children;
  return (
    <EmptyState
      icon={
        <ThemeIcon size={56} radius="xl" variant="light" color="gray">
          <Lock size={28} aria-hidden />
        </ThemeIcon>
      }
      title="Your role cannot do this"
      action={
        <Button component={Link} to={back.to} variant="light">
          {back.label}
        </Button>
      }
    >
      As {role === 'admin' ? 'an' : 'a'} {role} in {session.workspace?.name} you can look at everything but
      not {what}. Ask a workspace admin for the editor role.
    </EmptyState>
  );
}
