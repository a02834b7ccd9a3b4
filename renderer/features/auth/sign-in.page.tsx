import { useEffect, useState } from 'react';
import { Alert, Button, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { contract } from '../../../shared/contract';
import { inputSchemaOf } from '../../app/contract-schemas';
import { applyFormErrors, errorText } from '../../app/error-display';
import { describeError } from '../../app/errors';
import { orpc } from '../../app/rpc-client';
import { AuthLayout } from './auth-layout';
import { startSession } from './session-start';

const signInSchema = inputSchemaOf(contract.auth.signIn);

export function SignInPage({ siteName, demo }: { siteName: string | null; demo: boolean }) {
  const { t } = useTranslation();
  const [formError, setFormError] = useState<unknown>(null);
  // The wait the server asked for after too many attempts; an object so that each answer restarts the timer.
  const [lock, setLock] = useState<{ seconds: number } | null>(null);

  const form = useForm({
    mode: 'controlled',
    initialValues: { username: '', password: '' },
    validate: schemaResolver(signInSchema, { sync: true }),
  });

  const signIn = useMutation(
    orpc.auth.signIn.mutationOptions({
      onSuccess: (session) => startSession(session),
      onError: (error) => {
        const info = describeError(error);
        if (info.code === 'TOO_MANY_REQUESTS' && info.retryAfterSeconds) {
          setLock({ seconds: info.retryAfterSeconds });
        }
        setFormError(applyFormErrors(form, error) ? null : error);
      },
    }),
  );

  // Re-enable the button when the wait is over.
  useEffect(() => {
    if (lock === null) return;
    const timer = setTimeout(() => setLock(null), lock.seconds * 1000);
    return () => clearTimeout(timer);
  }, [lock]);

  return (
    <AuthLayout heading={t('auth.signIn.title')} subtitle={siteName}>
      <form
        noValidate
        onSubmit={form.onSubmit((values) => {
          setFormError(null);
          signIn.mutate(values);
        })}
      >
        <Stack gap="sm">
          <TextInput
            label={t('auth.username')}
            autoComplete="username"
            autoFocus
            required
            {...form.getInputProps('username')}
          />
          <PasswordInput
            label={t('auth.password')}
            autoComplete="current-password"
            required
            {...form.getInputProps('password')}
          />
          {formError ? (
            <Alert color="red" variant="light" role="alert" data-testid="sign-in-error">
              {errorText(formError, t)}
            </Alert>
          ) : null}
          <Button type="submit" loading={signIn.isPending} disabled={lock !== null}>
            {t('auth.signIn.submit')}
          </Button>
          {demo ? (
            <Text size="sm" c="dimmed">
              {t('auth.signIn.demoHint')}
            </Text>
          ) : null}
        </Stack>
      </form>
    </AuthLayout>
  );
}
