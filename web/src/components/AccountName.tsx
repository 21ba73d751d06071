import { Badge, Group, Text } from '@mantine/core';
import type { AccountView } from '../../../src/contract/schemas.ts';

/** Status words that mean the provider will not serve the account (shown as a warning badge). */
const INACTIVE_STATUSES = new Set([
  'canceled',
  'cancelled',
  'suspended',
  'closed',
  'disabled',
  'removed',
  'deleted',
]);

/** True when the provider's status word says the account is not serving. */
export function isInactiveStatus(status: string): boolean {
  return INACTIVE_STATUSES.has(status.toLowerCase());
}

/**
 * An account's name with what a user needs to tell accounts apart: a Manager badge for MCC-style accounts, the
 * provider status when it is not serving, and the chain of managers above it (Google Ads) or the account a
 * property belongs to (GA4).
 */
export function AccountName({ account, size = 'sm' }: { account: AccountView; size?: 'sm' | 'xs' }) {
  return (
    <div style={{ minWidth: 0 }}>
      <Group gap={6} wrap="nowrap">
        <Text size={size} truncate="end">
          {account.name}
        </Text>
        {account.manager && (
          <Badge
            size="xs"
            variant="light"
            color="grape"
            title="Manager account: groups others, holds no data"
          >
            Manager
          </Badge>
        )}
        {isInactiveStatus(account.status) && (
          <Badge size="xs" variant="light" color="orange">
            {account.status}
          </Badge>
        )}
      </Group>
      {account.managerPath.length > 0 && (
        <Text size="xs" c="dimmed" truncate="end" title={account.managerPath.join(' › ')}>
          {account.managerPath.join(' › ')}
        </Text>
      )}
    </div>
  );
}
