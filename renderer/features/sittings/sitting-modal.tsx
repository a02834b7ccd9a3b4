import { useState } from 'react';
import {
  Autocomplete,
  Button,
  Checkbox,
  Group,
  Modal,
  MultiSelect,
  Select,
  SimpleGrid,
  Stack,
  TextInput,
} from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { schemaResolver, useForm } from '@mantine/form';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { sittingInputSchema } from '../../../shared/contract/sittings';
import type { Sitting } from '../../../shared/contract/sittings';
import { COMPONENTS, LEVELS, defaultComponentsFor } from '../../../shared/domain/levels';
import type { Component, Level } from '../../../shared/domain/levels';
import { applyFormErrors, FormError, notifySuccess } from '../../app/error-display';
import { levelOptions, levelsFromStrings } from '../../app/level-options';
import { orpc } from '../../app/rpc-client';
import { REQUIRED_LABEL } from '../../app/theme';

interface SittingFormValues {
  name: string;
  occupationId: number | null;
  trade: string;
  levels: Level[];
  /** Keyed by the level digit, as in the contract. */
  components: Record<string, Component[]>;
  startDate: string;
  endDate: string;
}

const EMPTY: SittingFormValues = {
  name: '',
  occupationId: null,
  trade: '',
  levels: [],
  components: {},
  startDate: '',
  endDate: '',
};

function toFormValues(sitting: Sitting): SittingFormValues {
  return {
    name: sitting.name,
    occupationId: sitting.occupationId,
    trade: sitting.trade,
    levels: sitting.levels,
    components: sitting.components,
    startDate: sitting.startDate,
    endDate: sitting.endDate,
  };
}

export function SittingModal(props: { opened: boolean; sitting: Sitting | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal
      closeButtonProps={{ 'aria-label': t('common.close') }}
      opened={props.opened}
      onClose={props.onClose}
      size="xl"
      title={props.sitting ? t('sittings.editTitle') : t('sittings.createTitle')}
    >
      {props.opened ? (
        <SittingForm key={props.sitting?.id ?? 'new'} sitting={props.sitting} onDone={props.onClose} />
      ) : null}
    </Modal>
  );
}

function SittingForm({ sitting, onDone }: { sitting: Sitting | null; onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const occupations = useQuery(orpc.occupations.list.queryOptions());
  const [formError, setFormError] = useState<unknown>(null);

  const form = useForm<SittingFormValues>({
    mode: 'controlled',
    initialValues: sitting ? toFormValues(sitting) : EMPTY,
    validate: (values) => {
      const errors = schemaResolver(sittingInputSchema, { sync: true })(values);
      if (values.occupationId === null) errors.occupationId = t('sittings.occupationRequired');
      if (!values.startDate) errors.startDate = t('sittings.dateRequired');
      if (!values.endDate) errors.endDate = t('sittings.dateRequired');
      return errors;
    },
  });

  const callbacks = {
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: orpc.sittings.key() });
      notifySuccess(t('sittings.saved'));
      onDone();
    },
    onError: (error: unknown) =>
      setFormError(applyFormErrors(form, error, { inputPrefix: sitting ? 'data.' : '' }) ? null : error),
  };
  const create = useMutation(orpc.sittings.create.mutationOptions(callbacks));
  const update = useMutation(orpc.sittings.update.mutationOptions(callbacks));

  const occupation = occupations.data?.find((o) => o.id === form.values.occupationId) ?? null;
  const levelChoices = occupation ? occupation.levelsOffered : LEVELS;

  const setLevels = (levels: Level[]) => {
    const current = form.getValues().components;
    const components: Record<string, Component[]> = {};
    for (const level of levels) {
      components[String(level)] = current[String(level)] ?? defaultComponentsFor(level);
    }
    form.setFieldValue('levels', levels);
    form.setFieldValue('components', components);
  };

  const setComponents = (level: Level, values: string[]) => {
    const chosen = COMPONENTS.filter((component) => values.includes(component));
    form.setFieldValue('components', { ...form.getValues().components, [String(level)]: chosen });
  };

  return (
    <form
      noValidate
      onSubmit={form.onSubmit((values) => {
        if (values.occupationId === null) return;
        setFormError(null);
        const data = {
          name: values.name,
          occupationId: values.occupationId,
          trade: values.trade,
          levels: values.levels,
          components: values.components,
          startDate: values.startDate,
          endDate: values.endDate,
        };
        if (sitting) update.mutate({ id: sitting.id, data });
        else create.mutate(data);
      })}
    >
      <Stack gap="sm">
        <TextInput label={t('sittings.name')} required {...form.getInputProps('name')} />
        <SimpleGrid cols={2}>
          <Select
            label={t('sittings.occupation')}
            required
            searchable
            allowDeselect={false}
            nothingFoundMessage={t('common.nothingFound')}
            data={(occupations.data ?? []).map((o) => ({
              value: String(o.id),
              label: `${o.code} ${o.name}`,
            }))}
            value={form.values.occupationId === null ? null : String(form.values.occupationId)}
            onChange={(value) => form.setFieldValue('occupationId', value === null ? null : Number(value))}
            error={form.errors.occupationId}
          />
          <Autocomplete
            label={t('sittings.trade')}
            description={t('sittings.tradeHint')}
            data={occupation?.trades ?? []}
            {...form.getInputProps('trade')}
          />
        </SimpleGrid>
        <MultiSelect
          label={t('sittings.levels')}
          labelProps={REQUIRED_LABEL}
          searchable
          nothingFoundMessage={t('common.nothingFound')}
          data={levelOptions(t, levelChoices)}
          value={form.values.levels.map(String)}
          onChange={(values) => setLevels(levelsFromStrings(values))}
          error={form.errors.levels}
        />
        <SimpleGrid cols={2}>
          <DatePickerInput
            label={t('sittings.startDate')}
            labelProps={REQUIRED_LABEL}
            valueFormat="YYYY-MM-DD"
            value={form.values.startDate || null}
            onChange={(value) => form.setFieldValue('startDate', value ?? '')}
            error={form.errors.startDate}
          />
          <DatePickerInput
            label={t('sittings.endDate')}
            labelProps={REQUIRED_LABEL}
            valueFormat="YYYY-MM-DD"
            minDate={form.values.startDate || undefined}
            value={form.values.endDate || null}
            onChange={(value) => form.setFieldValue('endDate', value ?? '')}
            error={form.errors.endDate}
          />
        </SimpleGrid>
        {form.values.levels.map((level) => (
          <Checkbox.Group
            key={level}
            label={t('sittings.componentsFor', { level: t(`level.${level}`) })}
            labelProps={REQUIRED_LABEL}
            value={form.values.components[String(level)] ?? []}
            onChange={(values) => setComponents(level, values)}
            error={form.errors[`components.${level}`]}
          >
            <Group mt={6}>
              {COMPONENTS.map((component) => (
                <Checkbox key={component} value={component} label={t(`component.${component}`)} />
              ))}
            </Group>
          </Checkbox.Group>
        ))}
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
