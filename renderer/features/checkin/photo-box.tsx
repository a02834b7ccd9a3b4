import type { ReactNode } from 'react';
import { Center, Image, Loader, Paper, Stack, Text } from '@mantine/core';
import { skipToken, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../app/error-display';
import { orpc } from '../../app/rpc-client';

/** One photo beside the result (roster, chip, live), or a clear placeholder when there is none. */
export function PhotoBox({
  label,
  photoId,
  emptyText,
  testId,
  children,
}: {
  label: string;
  photoId: number | null;
  emptyText: string;
  testId: string;
  /** Under the photo (e.g. the 重拍 button). */
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const photo = useQuery(
    orpc.photos.get.queryOptions({
      input: photoId === null ? skipToken : { id: photoId },
      staleTime: Infinity,
    }),
  );
  const state = photoId === null ? 'empty' : photo.isSuccess ? 'loaded' : photo.isError ? 'error' : 'loading';
  return (
    <Stack gap={4} data-testid={testId} data-state={state} data-photo-id={photoId ?? undefined}>
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Paper withBorder radius="sm" h={180} style={{ overflow: 'hidden' }} bg="white">
        {photo.data && photoId !== null ? (
          <Image
            src={`data:${photo.data.mime};base64,${photo.data.dataBase64}`}
            alt={label}
            h={178}
            fit="contain"
          />
        ) : (
          <Center h="100%" p="xs">
            {state === 'loading' ? (
              <Loader size="sm" />
            ) : (
              <Text size="sm" c={state === 'error' ? 'red.8' : 'dimmed'} ta="center">
                {state === 'error' ? errorText(photo.error, t) : emptyText}
              </Text>
            )}
          </Center>
        )}
      </Paper>
      {children}
    </Stack>
  );
}
