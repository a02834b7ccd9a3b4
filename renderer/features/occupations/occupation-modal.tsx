import { useState } from 'react';
import {
  Button,
  Checkbox,
  Group,
  Modal,
  Select,
  SimpleGrid,
  Stack,
  TagsInput,
  Textarea,
  TextInput,
} from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { occupationInputSchema } from '../../../shared/contract/occupations';
import type { Occupation } from '../../../shared/contract/occupations';
import { applyFormErrors, FormError, notifySuccess } from '../../app/error-display';
import { levelOptions, levelsFromStrings } from '../../app/level-options';
import { orpc } from '../../app/rpc-client';
import { REQUIRED_LABEL } from '../../app/theme';

type OccupationInput = z.infer<typeof occupationInputSchema>;

const EMPTY: OccupationInput = {
  code: '',
  edition: '2022',
  name: '',
  trades: [],
  levelsOffered: [],
  standardRef: '',
  verified: false,
  note: '',
};

export function OccupationModal(props: {
  opened: boolean;
  occupation: Occupation | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      closeButtonProps={{ 'aria-label': t('common.close') }}
      opened={props.opened}
      onClose={props.onClose}
      size="lg"
      title={props.occupation ? t('occupations.editTitle') : t('occupations.createTitle')}
    >
      {props.opened ? (
        <OccupationForm
          key={props.occupation?.id ?? 'new'}
          occupation={props.occupation}
          onDone={props.onClose}
        />
      ) : null}
    </Modal>
  );
}

function OccupationForm({ occupation, onDone }: { occupation: Occupation | null; onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<unknown>(null);
  const form = useForm<OccupationInput>({
    mode: 'controlled',
    initialValues: occupation ?? EMPTY,
    validate: schemaResolver(occupationInputSchema, { sync: true }),
  });
  const mutationCallbacks = {
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: orpc.occupations.key() });
      notifySuccess(t('occupations.saved'));
      onDone();
    },
    onError: (error: unknown) => setFormError(applyFormErrors(form, error) ? null : error),
  };
  const create = useMutation(orpc.occupations.create.mutationOptions(mutationCallbacks));
  const update = useMutation(orpc.occupations.update.mutationOptions(mutationCallbacks));

  return (
    <form
      noValidate
      onSubmit={form.onSubmit((values) => {
        setFormError(null);
        const input: OccupationInput = {
          code: values.code,
          edition: values.edition,
          name: values.name,
          trades: values.trades,
          levelsOffered: values.levelsOffered,
          standardRef: values.standardRef,
          verified: values.verified,
          note: values.note,
        };
        if (occupation) update.mutate({ ...input, id: occupation.id });
        else create.mutate(input);
      })}
    >
      <Stack gap="sm">
        <SimpleGrid cols={2}>
          <TextInput
            label={t('occupations.code')}
            description={t('occupations.codeHint')}
            required
            {...form.getInputProps('code')}
          />
          <Select
            label={t('occupations.edition')}
            data={['2022', '2015']}
            allowDeselect={false}
            required
            {...form.getInputProps('edition')}
          />
        </SimpleGrid>
        <TextInput label={t('occupations.name')} required {...form.getInputProps('name')} />
        <TagsInput
          label={t('occupations.trades')}
          description={t('occupations.tradesHint')}
          {...form.getInputProps('trades')}
        />
        <Checkbox.Group
          label={t('occupations.levels')}
          labelProps={REQUIRED_LABEL}
          value={form.values.levelsOffered.map(String)}
          onChange={(values) => form.setFieldValue('levelsOffered', levelsFromStrings(values))}
          error={form.errors.levelsOffered}
        >
          <Group mt={6}>
            {levelOptions(t).map((option) => (
              <Checkbox key={option.value} value={option.value} label={option.label} />
            ))}
          </Group>
        </Checkbox.Group>
        <TextInput label={t('occupations.standardRef')} {...form.getInputProps('standardRef')} />
        <Checkbox
          label={t('occupations.verified')}
          {...form.getInputProps('verified', { type: 'checkbox' })}
        />
        <Textarea label={t('occupations.note')} autosize minRows={2} {...form.getInputProps('note')} />
        <FormError error={formError} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={create.isPending || update.isPending}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
