import { useState } from 'react';
import { Button, Group, Modal, PasswordInput, Stack } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { contract } from '../../../shared/contract';
import { inputSchemaOf } from '../../app/contract-schemas';
import { applyFormErrors, FormError, notifySuccess } from '../../app/error-display';
import { orpc } from '../../app/rpc-client';

const changePasswordSchema = inputSchemaOf(contract.auth.changePassword);

export function ChangePasswordModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal
      closeButtonProps={{ 'aria-label': t('common.close') }}
      opened={opened}
      onClose={onClose}
      title={t('auth.changePassword.title')}
    >
      {opened ? <ChangePasswordForm onDone={onClose} /> : null}
    </Modal>
  );
}

function ChangePasswordForm({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const [formError, setFormError] = useState<unknown>(null);
  const form = useForm({
    mode: 'controlled',
    initialValues: { currentPassword: '', newPassword: '', confirmPassword: '' },
    validate: (values) => {
      const errors = schemaResolver(changePasswordSchema, { sync: true })(values);
      if (values.confirmPassword !== values.newPassword) errors.confirmPassword = t('auth.passwordMismatch');
      return errors;
    },
  });
  const change = useMutation(
    orpc.auth.changePassword.mutationOptions({
      onSuccess: () => {
        notifySuccess(t('auth.changePassword.done'));
        onDone();
      },
      onError: (error) => setFormError(applyFormErrors(form, error) ? null : error),
    }),
  );
  return (
    <form
      noValidate
      onSubmit={form.onSubmit(({ currentPassword, newPassword }) => {
        setFormError(null);
        change.mutate({ currentPassword, newPassword });
      })}
    >
      <Stack gap="sm">
        <PasswordInput
          label={t('auth.currentPassword')}
          autoComplete="current-password"
          required
          {...form.getInputProps('currentPassword')}
        />
        <PasswordInput
          label={t('auth.newPassword')}
          description={t('auth.passwordRule')}
          autoComplete="new-password"
          required
          {...form.getInputProps('newPassword')}
        />
        <PasswordInput
          label={t('auth.confirmPassword')}
          autoComplete="new-password"
          required
          {...form.getInputProps('confirmPassword')}
        />
        <FormError error={formError} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={change.isPending}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
