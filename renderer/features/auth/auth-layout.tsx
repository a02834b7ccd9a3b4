import type { ReactNode } from 'react';
import { Box, Center, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../../app/language-switch';

/** The frame around the sign-in and first-run pages. */
export function AuthLayout({
  heading,
  subtitle,
  children,
}: {
  heading: string;
  subtitle?: string | null;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Box mih="100vh" bg="gray.0">
      <Group justify="flex-end" p="md">
        <LanguageSwitch />
      </Group>
      <Center pb="xl">
        <Stack w={420} maw="94vw" gap="md">
          <Stack gap={4} align="center">
            <Title order={1} size="h3" ta="center">
              {t('app.title')}
            </Title>
            {subtitle ? (
              <Text c="dimmed" ta="center">
                {subtitle}
              </Text>
            ) : null}
          </Stack>
          <Paper withBorder shadow="sm" p="lg" radius="md">
            <Stack gap="md">
              <Title order={2} size="h4">
                {heading}
              </Title>
              {children}
            </Stack>
          </Paper>
        </Stack>
      </Center>
    </Box>
  );
}
