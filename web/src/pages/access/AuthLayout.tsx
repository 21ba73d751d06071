import { Center, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { Waves } from 'lucide-react';
import type { ReactNode } from 'react';

/** The frame of the pages a visitor sees before the app: the product's name and one card. */
export function AuthLayout({
  title,
  description,
  children,
}: {
  title: string;
  description?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Center mih="100vh" p="md" bg="gray.0">
      <Stack w="100%" maw={420} gap="lg">
        <Group gap={8} justify="center">
          <Waves size={28} color="var(--mantine-color-indigo-6)" aria-hidden />
          <Title order={3} component="span">
            Tributary
          </Title>
        </Group>
        <Paper withBorder shadow="sm" radius="md" p="xl">
          <Stack gap="md">
            <div>
              <Title order={2} size="h3">
                {title}
              </Title>
              {description && (
                <Text c="dimmed" size="sm" mt={4}>
                  {description}
                </Text>
              )}
            </div>
            {children}
          </Stack>
        </Paper>
      </Stack>
    </Center>
  );
}
