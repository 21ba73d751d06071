import { Alert, Button, Group, List, Text } from '@mantine/core';
import { CircleAlert } from 'lucide-react';
import { type ErrorCode, errorCodes } from '../../../src/domain/errors.ts';
import { ApiError } from '../api.ts';

/** What to do about an error code, from the one error table the server uses too. */
export function remedyFor(code: string): string | null {
  return code in errorCodes ? errorCodes[code as ErrorCode].remedy : null;
}

/** Field-level problems a 400 carries in `details.issues`, as "field: message" lines. */
function issuesOf(error: ApiError): string[] {
  const issues = error.details?.issues;
  if (!Array.isArray(issues)) return [];
  return issues.slice(0, 8).map((issue) => {
    const item = issue as { path?: unknown; message?: unknown };
    const path = Array.isArray(item.path) ? item.path.join('.') : String(item.path ?? '');
    return path ? `${path}: ${String(item.message)}` : String(item.message);
  });
}

/** An error from the API (or the network) shown on the page: what happened and what to do. */
export function ErrorAlert({
  error,
  title = 'Something went wrong',
  onRetry,
}: {
  error: unknown;
  title?: string;
  onRetry?: () => void;
}) {
  const apiError = error instanceof ApiError ? error : null;
  const message = error instanceof Error ? error.message : String(error);
  const remedy = apiError
    ? remedyFor(apiError.code)
    : 'Check that the Tributary server is running, then retry.';
  const issues = apiError ? issuesOf(apiError) : [];
  return (
    <Alert color="red" variant="light" title={title} icon={<CircleAlert size={18} />} role="alert">
      <Text size="sm">{message}</Text>
      {issues.length > 0 && (
        <List size="sm" mt={4}>
          {issues.map((issue) => (
            <List.Item key={issue}>{issue}</List.Item>
          ))}
        </List>
      )}
      {remedy && (
        <Text size="sm" mt={4} c="dimmed">
          {remedy}
        </Text>
      )}
      {onRetry && (
        <Group mt="xs">
          <Button size="xs" variant="white" color="red" onClick={onRetry}>
            Retry
          </Button>
        </Group>
      )}
    </Alert>
  );
}
