import { useState } from 'react';
import { Button, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { contract } from '../../../shared/contract';
import { inputSchemaOf } from '../../app/contract-schemas';
import { applyFormErrors, FormError } from '../../app/error-display';
import { orpc } from '../../app/rpc-client';
import { navigate } from '../../app/router';
import { AuthLayout } from './auth-layout';
import { startSession } from './session-start';

const setupSchema = inputSchemaOf(contract.auth.setup);

/** First run: create the site administrator, sign in as them, then fill in the organisation. */
export function SetupPage() {
  const { t } = useTranslation();
  const [formError, setFormError] = useState<unknown>(null);

  const form = useForm({
    mode: 'controlled',
    initialValues: { username: '', displayName: '', password: '', confirmPassword: '' },
    validate: (values) => {
      const errors = schemaResolver(setupSchema, { sync: true })(values);
      if (values.confirmPassword !== values.password) errors.confirmPassword = t('auth.passwordMismatch');
      return errors;
    },
  });

  const setup = useMutation(
    orpc.auth.setup.mutationOptions({
      onSuccess: (session) => {
        navigate('/org');
        startSession(session);
      },
      onError: (error) => setFormError(applyFormErrors(form, error) ? null : error),
    }),
  );

  return (
    <AuthLayout heading={t('auth.setup.title')}>
      <Text size="sm" c="dimmed">
        {t('auth.setup.intro')}
      </Text>
      <form
        noValidate
        onSubmit={form.onSubmit(({ username, displayName, password }) => {
          setFormError(null);
          setup.mutate({ username, displayName, password });
        })}
      >
        <Stack gap="sm">
          <TextInput
            label={t('auth.username')}
            autoComplete="username"
            required
            {...form.getInputProps('username')}
          />
          <TextInput
            label={t('auth.displayName')}
            autoComplete="name"
            required
            {...form.getInputProps('displayName')}
          />
          <PasswordInput
            label={t('auth.password')}
            description={t('auth.passwordRule')}
            autoComplete="new-password"
            required
            {...form.getInputProps('password')}
          />
          <PasswordInput
            label={t('auth.confirmPassword')}
            autoComplete="new-password"
            required
            {...form.getInputProps('confirmPassword')}
          />
          <FormError error={formError} />
          <Button type="submit" loading={setup.isPending}>
            {t('auth.setup.submit')}
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
