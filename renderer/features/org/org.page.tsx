import { useState } from 'react';
import { Alert, Button, Group, Loader, Radio, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { contract } from '../../../shared/contract';
import { orgSchema } from '../../../shared/contract/org';
import type { Org } from '../../../shared/contract/org';
import { PROVINCE_CODES } from '../../../shared/domain/provinces';
import { accessOf } from '../../app/access';
import { useCan } from '../../app/current-user';
import { applyFormErrors, errorText, FormError, notifySuccess } from '../../app/error-display';
import { orpc } from '../../app/rpc-client';
import { REQUIRED_LABEL } from '../../app/theme';

const EMPTY_ORG: Org = {
  name: '',
  category: 'S',
  orgCode: '',
  provinceCode: '',
  siteSerial: '',
  siteName: '',
  address: '',
};

const PROVINCE_OPTIONS = Object.entries(PROVINCE_CODES).map(([code, name]) => ({
  value: code,
  label: `${code} ${name}`,
}));

/** Organisation settings: the evaluation organisation as filed, and this site. */
export function OrgPage() {
  const { t } = useTranslation();
  const org = useQuery(orpc.org.get.queryOptions());
  return (
    <Stack maw={720}>
      <Title order={2}>{t('org.title')}</Title>
      {org.isPending ? <Loader aria-label={t('common.loading')} /> : null}
      {org.isError ? (
        <Alert color="red" role="alert">
          {errorText(org.error, t)}
        </Alert>
      ) : null}
      {org.isSuccess ? <OrgForm initial={org.data} /> : null}
    </Stack>
  );
}

function OrgForm({ initial }: { initial: Org | null }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const canEdit = useCan(accessOf(contract.org.update));
  const [formError, setFormError] = useState<unknown>(null);

  const form = useForm<Org>({
    mode: 'controlled',
    initialValues: initial ?? EMPTY_ORG,
    validate: schemaResolver(orgSchema, { sync: true }),
  });

  const save = useMutation(
    orpc.org.update.mutationOptions({
      onSuccess: (saved) => {
        queryClient.setQueryData(orpc.org.get.queryKey(), saved);
        void queryClient.invalidateQueries({ queryKey: orpc.auth.status.key() });
        form.setValues(saved);
        form.resetDirty(saved);
        notifySuccess(t('org.saved'));
      },
      onError: (error) => setFormError(applyFormErrors(form, error) ? null : error),
    }),
  );

  return (
    <form
      noValidate
      onSubmit={form.onSubmit((values) => {
        setFormError(null);
        save.mutate(values);
      })}
    >
      <Stack gap="sm">
        {initial === null ? (
          <Alert color="blue" variant="light">
            {t('org.notSetYet')}
          </Alert>
        ) : null}
        {!canEdit ? (
          <Text size="sm" c="dimmed">
            {t('org.readOnly')}
          </Text>
        ) : null}
        <TextInput label={t('org.name')} required readOnly={!canEdit} {...form.getInputProps('name')} />
        <Radio.Group
          label={t('org.category')}
          labelProps={REQUIRED_LABEL}
          {...form.getInputProps('category')}
        >
          <Group mt={4}>
            <Radio value="Y" label={t('org.categoryY')} disabled={!canEdit} />
            <Radio value="S" label={t('org.categoryS')} disabled={!canEdit} />
          </Group>
        </Radio.Group>
        <TextInput
          label={t('org.orgCode')}
          description={t('org.orgCodeHint')}
          required
          readOnly={!canEdit}
          {...form.getInputProps('orgCode')}
        />
        <Select
          label={t('org.provinceCode')}
          data={PROVINCE_OPTIONS}
          searchable
          allowDeselect={false}
          required
          readOnly={!canEdit}
          nothingFoundMessage={t('common.nothingFound')}
          {...form.getInputProps('provinceCode')}
        />
        <TextInput
          label={t('org.siteSerial')}
          description={t('org.siteSerialHint')}
          required
          readOnly={!canEdit}
          {...form.getInputProps('siteSerial')}
        />
        <TextInput
          label={t('org.siteName')}
          required
          readOnly={!canEdit}
          {...form.getInputProps('siteName')}
        />
        <TextInput label={t('org.address')} readOnly={!canEdit} {...form.getInputProps('address')} />
        <FormError error={formError} />
        {canEdit ? (
          <Group>
            <Button type="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        ) : null}
      </Stack>
    </form>
  );
}
