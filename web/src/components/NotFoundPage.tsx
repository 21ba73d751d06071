import { Button, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';

/** Shown for a URL that names no page (or an object that no longer exists). */
export function NotFoundPage({ what = 'page' }: { what?: string }) {
  return (
    <Stack align="center" mt={80} gap="sm">
      <Title order={2}>This {what} does not exist</Title>
      <Text c="dimmed">It may have been deleted, or the link is wrong.</Text>
      <Button component={Link} to="/connections" variant="light">
        Go to Connections
      </Button>
    </Stack>
  );
}
