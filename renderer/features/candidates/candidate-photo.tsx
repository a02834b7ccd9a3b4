import { Alert, Button, FileButton, Group, Image, Modal, Stack, Text, UnstyledButton } from '@mantine/core';
import { skipToken, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Candidate } from '../../../shared/contract/candidates';
import { errorText, notifySuccess } from '../../app/error-display';
import { orpc } from '../../app/rpc-client';
import { fileToBase64 } from '../roster/base64';
import { sendablePart } from './photo-batches';

/** A stored photo never changes (a new photo gets a new id), so one fetch per id is enough. */
function usePhoto(photoId: number | null) {
  return useQuery(
    orpc.photos.get.queryOptions({
      input: photoId === null ? skipToken : { id: photoId },
      staleTime: Infinity,
    }),
  );
}

export function photoSrc(photo: { mime: string; dataBase64: string }): string {
  return `data:${photo.mime};base64,${photo.dataBase64}`;
}

/** The roster photo in a list row: a small thumbnail, or a dash. Opens the photo dialog when given onOpen. */
export function CandidatePhotoCell(props: { candidate: Candidate; canSee: boolean; onOpen?: () => void }) {
  const { t } = useTranslation();
  const { candidate } = props;
  const photo = usePhoto(props.canSee ? candidate.photoId : null);
  const label = t('candidates.photoOf', { name: candidate.name });
  let content;
  if (candidate.photoId === null) {
    content = (
      <Text size="xs" c="dimmed">
        {t('candidates.noPhoto')}
      </Text>
    );
  } else if (!props.canSee) {
    content = <Text size="xs">{t('candidates.hasPhoto')}</Text>;
  } else if (photo.data) {
    content = (
      <Image
        src={photoSrc(photo.data)}
        alt={label}
        w={30}
        h={40}
        fit="cover"
        radius="xs"
        data-testid="candidate-photo"
      />
    );
  } else {
    content = <Text size="xs">{photo.isError ? '!' : '…'}</Text>;
  }
  if (!props.onOpen) return content;
  return (
    <UnstyledButton onClick={props.onOpen} aria-label={label} title={label}>
      {content}
    </UnstyledButton>
  );
}

/** One candidate's roster photo, large, with 上传/更换/删除 for the exam administrator. */
export function CandidatePhotoModal(props: {
  candidate: Candidate | null;
  canEdit: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const candidate = props.candidate;
  const photo = usePhoto(candidate?.photoId ?? null);
  const setPhoto = useMutation(
    orpc.candidates.setPhoto.mutationOptions({
      onSuccess: ({ photoId }) => {
        notifySuccess(photoId === null ? t('candidates.photoRemoved') : t('candidates.photoSaved'));
        void queryClient.invalidateQueries({ queryKey: orpc.candidates.key() });
        props.onClose();
      },
    }),
  );
  const upload = async (file: File | null) => {
    if (!file || !candidate) return;
    setPhoto.mutate({ candidateId: candidate.id, dataBase64: await fileToBase64(sendablePart(file)) });
  };
  const close = () => {
    setPhoto.reset();
    props.onClose();
  };

  return (
    <Modal
      opened={candidate !== null}
      onClose={close}
      title={candidate ? t('candidates.photoTitle', { name: candidate.name }) : ''}
    >
      {candidate ? (
        <Stack>
          {candidate.photoId === null ? (
            <Text c="dimmed">{t('candidates.noPhotoYet')}</Text>
          ) : photo.data ? (
            <Image
              src={photoSrc(photo.data)}
              alt={t('candidates.photoOf', { name: candidate.name })}
              h={240}
              w="auto"
              fit="contain"
              style={{ border: '1px solid var(--mantine-color-gray-4)', alignSelf: 'center' }}
            />
          ) : photo.isError ? (
            <Alert color="red">{errorText(photo.error, t)}</Alert>
          ) : (
            <Text c="dimmed">{t('common.loading')}</Text>
          )}
          {setPhoto.isError ? (
            <Alert color="red" role="alert">
              {errorText(setPhoto.error, t)}
            </Alert>
          ) : null}
          {props.canEdit ? (
            <Group justify="flex-end">
              {candidate.photoId !== null ? (
                <Button
                  color="red"
                  variant="light"
                  loading={setPhoto.isPending && setPhoto.variables.dataBase64 === null}
                  onClick={() => setPhoto.mutate({ candidateId: candidate.id, dataBase64: null })}
                >
                  {t('candidates.removePhoto')}
                </Button>
              ) : null}
              <FileButton onChange={(f) => void upload(f)} accept="image/jpeg,image/png,.jpg,.jpeg,.png">
                {(buttonProps) => (
                  <Button
                    {...buttonProps}
                    loading={setPhoto.isPending && setPhoto.variables.dataBase64 !== null}
                  >
                    {candidate.photoId === null ? t('candidates.uploadPhoto') : t('candidates.replacePhoto')}
                  </Button>
                )}
              </FileButton>
            </Group>
          ) : null}
        </Stack>
      ) : null}
    </Modal>
  );
}
