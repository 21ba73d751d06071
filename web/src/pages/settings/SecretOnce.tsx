import { Alert, Button, Code, CopyButton, Group, Stack, Text } from '@mantine/core';
import { Check, Copy, KeyRound } from 'lucide-react';

/** A secret (token, invitation link) shown once, right after it was made, with a copy button. */
export function SecretOnce({
  title,
  secret,
  children,
  label,
}: {
  title: string;
  secret: string;
  children: React.ReactNode;
  /** The accessible name of the secret's text, e.g. "New API token". */
  label: string;
}) {
  return (
    <Alert color="teal" variant="light" icon={<KeyRound size={18} aria-hidden />} title={title}>
      <Stack gap="xs">
        <Text size="sm">{children}</Text>
        <Group gap="xs" wrap="nowrap" align="center">
          <Code block aria-label={label} data-secret style={{ flex: 1, wordBreak: 'break-all' }}>
            {secret}
          </Code>
          <CopyButton value={secret}>
            {({ copied, copy }) => (
              <Button
                size="xs"
                variant={copied ? 'filled' : 'light'}
                color="teal"
                leftSection={copied ? <Check size={14} aria-hidden /> : <Copy size={14} aria-hidden />}
                onClick={copy}
              >
                {copied ? 'Copied' : 'Copy'}
              </Button>
            )}
          </CopyButton>
        </Group>
      </Stack>
    </Alert>
  );
}
