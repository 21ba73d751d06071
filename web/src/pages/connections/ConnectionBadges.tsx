import { Badge, Group, Loader, Text } from '@mantine/core';
import type { ConnectionView } from '../../../../src/contract/schemas.ts';
import { formatInteger } from '../../format.ts';

/** The Status column's words for each credential status. */
export const statusLabels: Record<ConnectionView['status'], string> = {
  active: 'Active',
  error: 'Error',
  pending: 'Pending',
};

/** Credential validity: Active, Error, or Pending while the user has not finished authorizing. */
export function StatusBadge({ status }: { status: ConnectionView['status'] }) {
  if (status === 'active')
    return (
      <Badge color="teal" variant="light" size="sm">
        Active
      </Badge>
    );
  if (status === 'error')
    return (
      <Badge color="red" variant="light" size="sm">
        Error
      </Badge>
    );
  return (
    <Badge color="gray" variant="light" size="sm">
      Pending
    </Badge>
  );
}

/** "N accounts" in the plural the count needs. */
export function accountsLabel(count: number): string {
  return `${formatInteger(count)} ${count === 1 ? 'account' : 'accounts'}`;
}

/** Account discovery state: Loading accounts, No accounts, N accounts or Error. */
export function AccountStatusLabel({
  connection,
}: {
  connection: Pick<ConnectionView, 'accountStatus' | 'accountsCount' | 'status'>;
}) {
  switch (connection.accountStatus) {
    case 'loading':
      return (
        <Group gap={6} wrap="nowrap">
          <Loader size={12} aria-hidden />
          <Text size="sm" c="dimmed">
            Loading accounts
          </Text>
        </Group>
      );
    case 'error':
      return (
        <Text size="sm" c="red.7" fw={500}>
          Error
        </Text>
      );
    case 'ready':
      return <Text size="sm">{accountsLabel(connection.accountsCount)}</Text>;
    default:
      // A pending connection has no accounts because nobody authorized it yet; say so the same way
      // the help page does ("Loading accounts — authorization has not been completed yet").
      return connection.status === 'pending' ? (
        <Text size="sm" c="dimmed">
          Loading accounts
        </Text>
      ) : (
        <Text size="sm" c="dimmed">
          No accounts
        </Text>
      );
  }
}

/** On a connection another workspace shared with this one: where it comes from (it can be read, not changed). */
export function SharedFromBadge({ sharedFrom }: { sharedFrom: ConnectionView['sharedFrom'] }) {
  if (!sharedFrom) return null;
  return (
    <Badge
      color="grape"
      variant="light"
      size="sm"
      tt="none"
      title={`Shared from the workspace ${sharedFrom.workspaceName}: you can extract from it, not change it`}
      data-shared-from={sharedFrom.workspaceName}
    >
      Shared from {sharedFrom.workspaceName}
    </Badge>
  );
}
