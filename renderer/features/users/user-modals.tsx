import { useState } from 'react';
import type { ReactNode } from 'react';
import {
  Button,
  Checkbox,
  Group,
  Modal,
  PasswordInput,
  SimpleGrid,
  Stack,
  Switch,
  TextInput,
} from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { contract } from '../../../shared/contract';
import type { User } from '../../../shared/contract/auth';
import { ROLES } from '../../../shared/domain/roles';
import type { Role } from '../../../shared/domain/roles';
import { inputSchemaOf } from '../../app/contract-schemas';
import { applyFormErrors, FormError, notifySuccess } from '../../app/error-display';
import { orpc } from '../../app/rpc-client';
import { REQUIRED_LABEL } from '../../app/theme';

const createSchema = inputSchemaOf(contract.users.create);
const updateSchema = inputSchemaOf(contract.users.update);
const resetSchema = inputSchemaOf(contract.users.resetPassword);

function RoleCheckboxes(props: { value: Role[]; onChange: (value: Role[]) => void; error?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Checkbox.Group
      label={t('users.roles')}
      labelProps={REQUIRED_LABEL}
      value={props.value}
      onChange={(value) => props.onChange(ROLES.filter((role) => value.includes(role)))}
      error={props.error}
    >
      <SimpleGrid cols={2} spacing="xs" mt={6}>
        {ROLES.map((role) => (
          <Checkbox key={role} value={role} label={t(`role.${role}`)} />
        ))}
      </SimpleGrid>
    </Checkbox.Group>
  );
}

function useInvalidateUsers() {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: orpc.users.key() });
    // The signed-in user may have changed their own name or roles.
    void queryClient.invalidateQueries({ queryKey: orpc.auth.me.key() });
  };
}

export function CreateUserModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal
      closeButtonProps={{ 'aria-label': t('common.close') }}
      opened={opened}
      onClose={onClose}
      title={t('users.createTitle')}
      size="lg"
    >
      {opened ? <CreateUserForm onDone={onClose} /> : null}
    </Modal>
  );
}

function CreateUserForm({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const invalidate = useInvalidateUsers();
  const [formError, setFormError] = useState<unknown>(null);
  const form = useForm({
    mode: 'controlled',
    initialValues: { username: '', displayName: '', password: '', roles: [] as Role[] },
    validate: schemaResolver(createSchema, { sync: true }),
  });
  const create = useMutation(
    orpc.users.create.mutationOptions({
      onSuccess: (user) => {
        invalidate();
        notifySuccess(t('users.created', { name: user.displayName }));
        onDone();
      },
      onError: (error) => setFormError(applyFormErrors(form, error) ? null : error),
    }),
  );
  return (
    <form
      noValidate
      onSubmit={form.onSubmit((values) => {
        setFormError(null);
        create.mutate(values);
      })}
    >
      <Stack gap="sm">
        <TextInput
          label={t('auth.username')}
          autoComplete="off"
          required
          {...form.getInputProps('username')}
        />
        <TextInput
          label={t('auth.displayName')}
          autoComplete="off"
          required
          {...form.getInputProps('displayName')}
        />
        <PasswordInput
          label={t('users.initialPassword')}
          description={t('auth.passwordRule')}
          autoComplete="new-password"
          required
          {...form.getInputProps('password')}
        />
        <RoleCheckboxes
          value={form.values.roles}
          onChange={(roles) => form.setFieldValue('roles', roles)}
          error={form.errors.roles}
        />
        <FormError error={formError} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={create.isPending}>
            {t('users.createSubmit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function EditUserModal({ user, onClose }: { user: User | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal
      closeButtonProps={{ 'aria-label': t('common.close') }}
      opened={user !== null}
      onClose={onClose}
      title={t('users.editTitle')}
      size="lg"
    >
      {user ? <EditUserForm key={user.id} user={user} onDone={onClose} /> : null}
    </Modal>
  );
}

function EditUserForm({ user, onDone }: { user: User; onDone: () => void }) {
  const { t } = useTranslation();
  const invalidate = useInvalidateUsers();
  const [formError, setFormError] = useState<unknown>(null);
  const form = useForm({
    mode: 'controlled',
    initialValues: { id: user.id, displayName: user.displayName, roles: user.roles, active: user.active },
    validate: schemaResolver(updateSchema, { sync: true }),
  });
  const update = useMutation(
    orpc.users.update.mutationOptions({
      onSuccess: () => {
        invalidate();
        notifySuccess(t('users.updated'));
        onDone();
      },
      onError: (error) => setFormError(applyFormErrors(form, error) ? null : error),
    }),
  );
  return (
    <form
      noValidate
      onSubmit={form.onSubmit((values) => {
        setFormError(null);
        update.mutate(values);
      })}
    >
      <Stack gap="sm">
        <TextInput label={t('auth.username')} value={user.username} readOnly disabled />
        <TextInput label={t('auth.displayName')} required {...form.getInputProps('displayName')} />
        <RoleCheckboxes
          value={form.values.roles}
          onChange={(roles) => form.setFieldValue('roles', roles)}
          error={form.errors.roles}
        />
        <Switch label={t('users.activeSwitch')} {...form.getInputProps('active', { type: 'checkbox' })} />
        <FormError error={formError} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={update.isPending}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function ResetPasswordModal({ user, onClose }: { user: User | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal
      closeButtonProps={{ 'aria-label': t('common.close') }}
      opened={user !== null}
      onClose={onClose}
      title={user ? t('users.resetTitle', { name: user.displayName }) : ''}
    >
      {user ? <ResetPasswordForm key={user.id} user={user} onDone={onClose} /> : null}
    </Modal>
  );
}

function ResetPasswordForm({ user, onDone }: { user: User; onDone: () => void }) {
  const { t } = useTranslation();
  const [formError, setFormError] = useState<unknown>(null);
  const form = useForm({
    mode: 'controlled',
    initialValues: { id: user.id, password: '', confirmPassword: '' },
    validate: (values) => {
      const errors = schemaResolver(resetSchema, { sync: true })(values);
      if (values.confirmPassword !== values.password) errors.confirmPassword = t('auth.passwordMismatch');
      return errors;
    },
  });
  const reset = useMutation(
    orpc.users.resetPassword.mutationOptions({
      onSuccess: () => {
        notifySuccess(t('users.passwordReset', { name: user.displayName }));
        onDone();
      },
      onError: (error) => setFormError(applyFormErrors(form, error) ? null : error),
    }),
  );
  return (
    <form
      noValidate
      onSubmit={form.onSubmit(({ id, password }) => {
        setFormError(null);
        reset.mutate({ id, password });
      })}
    >
      <Stack gap="sm">
        <PasswordInput
          label={t('auth.newPassword')}
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
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={reset.isPending}>
            {t('users.resetSubmit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
