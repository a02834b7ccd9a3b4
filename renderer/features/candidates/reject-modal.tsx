import { useState } from 'react';
import { Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../app/error-display';
import { describeError } from '../../app/errors';

interface RejectModalProps {
  opened: boolean;
  count: number;
  pending: boolean;
  /** The last review error, shown on the reason field when the server names it. */
  error: unknown;
  onClose: () => void;
  onSubmit: (reason: string) => void;
}

/** 不通过: a rejection needs a reason (the server checks it too). */
export function RejectModal(props: RejectModalProps) {
  const { t } = useTranslation();
  return (
    <Modal
      closeButtonProps={{ 'aria-label': t('common.close') }}
      opened={props.opened}
      onClose={props.onClose}
      title={t('candidates.rejectTitle')}
    >
      {props.opened ? <RejectForm {...props} /> : null}
    </Modal>
  );
}

function RejectForm({ count, pending, error, onClose, onSubmit }: RejectModalProps) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [localError, setLocalError] = useState<string | null>(null);
  const serverError = describeError(error).fields.some((f) => f.field === 'reason')
    ? errorText(error, t)
    : null;
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const trimmed = reason.trim();
        if (!trimmed) {
          setLocalError(t('candidates.reasonRequired'));
          return;
        }
        onSubmit(trimmed);
      }}
    >
      <Stack gap="sm">
        <Text size="sm">{t('candidates.rejectIntro', { count })}</Text>
        <Textarea
          label={t('candidates.rejectReason')}
          required
          autosize
          minRows={2}
          maxLength={200}
          data-autofocus
          value={reason}
          onChange={(event) => {
            setReason(event.currentTarget.value);
            setLocalError(null);
          }}
          error={localError ?? serverError}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" color="red" loading={pending}>
            {t('candidates.rejectSubmit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
