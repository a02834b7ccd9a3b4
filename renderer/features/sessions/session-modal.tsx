import { useState } from 'react';
import { Button, Group, Modal, NumberInput, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { DateInput, TimeInput } from '@mantine/dates';
import type { FormErrors } from '@mantine/form';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ExamSession } from '../../../shared/contract/sessions';
import type { Sitting } from '../../../shared/contract/sittings';
import type { Component } from '../../../shared/domain/levels';
import { FormError, notifySuccess } from '../../app/error-display';
import { describeError } from '../../app/errors';
import { siteToday } from '../../app/format';
import { orpc } from '../../app/rpc-client';
import { useSiteTimeZone } from '../../app/site-time-zone';
import { REQUIRED_LABEL } from '../../app/theme';
import { componentsOfSitting, siteWallTimeFromForm } from './session-format';

interface SessionFormValues {
  name: string;
  component: Component | null;
  date: string;
  startTime: string;
  endTime: string;
  opensMinutesBefore: number | string;
  lateCutoffMinutes: number | string;
}

/** Server field → form field. */
const FIELD_MAP: Record<string, keyof SessionFormValues> = {
  name: 'name',
  component: 'component',
  startsAt: 'startTime',
  endsAt: 'endTime',
  opensMinutesBefore: 'opensMinutesBefore',
  lateCutoffMinutes: 'lateCutoffMinutes',
};

/** Today (at the site) when the sitting runs today, otherwise its first day. */
function defaultDate(sitting: Sitting, timeZone: string): string {
  const today = siteToday(timeZone);
  return today >= sitting.startDate && today <= sitting.endDate ? today : sitting.startDate;
}

function minutes(value: number | string, min: number, max: number): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? value : null;
}

export function SessionModal(props: {
  opened: boolean;
  sitting: Sitting;
  onClose: () => void;
  onCreated: (session: ExamSession) => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      closeButtonProps={{ 'aria-label': t('common.close') }}
      opened={props.opened}
      onClose={props.onClose}
      size="lg"
      title={t('sessions.createTitle')}
    >
      {props.opened ? <SessionForm {...props} /> : null}
    </Modal>
  );
}

function SessionForm({
  sitting,
  onClose,
  onCreated,
}: {
  sitting: Sitting;
  onClose: () => void;
  onCreated: (session: ExamSession) => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<unknown>(null);
  const components = componentsOfSitting(sitting);
  // What staff type is the site's wall clock, whatever zone this browser runs in.
  const timeZone = useSiteTimeZone();

  const form = useForm<SessionFormValues>({
    mode: 'controlled',
    initialValues: {
      name: '',
      component: components.length === 1 ? (components[0] ?? null) : null,
      date: defaultDate(sitting, timeZone),
      startTime: '09:00',
      endTime: '11:00',
      opensMinutesBefore: 30,
      lateCutoffMinutes: 15,
    },
    validate: (values) => {
      const errors: FormErrors = {};
      if (!values.name.trim()) errors.name = t('sessions.nameRequired');
      if (values.component === null) errors.component = t('sessions.componentRequired');
      if (!values.date) errors.date = t('sessions.dateRequired');
      const start = siteWallTimeFromForm(values.date, values.startTime, timeZone);
      const end = siteWallTimeFromForm(values.date, values.endTime, timeZone);
      if (!values.startTime || (values.date && start === null)) errors.startTime = t('sessions.timeRequired');
      if (!values.endTime || (values.date && end === null)) errors.endTime = t('sessions.timeRequired');
      if (start && end && Date.parse(end) <= Date.parse(start)) errors.endTime = t('sessions.endBeforeStart');
      if (minutes(values.opensMinutesBefore, 0, 180) === null) {
        errors.opensMinutesBefore = t('sessions.minutesRange', { max: 180 });
      }
      if (minutes(values.lateCutoffMinutes, 0, 120) === null) {
        errors.lateCutoffMinutes = t('sessions.minutesRange', { max: 120 });
      }
      return errors;
    },
  });

  const create = useMutation(
    orpc.sessions.create.mutationOptions({
      onSuccess: (session) => {
        void queryClient.invalidateQueries({ queryKey: orpc.sessions.list.key() });
        notifySuccess(t('sessions.saved'));
        onCreated(session);
      },
      onError: (error) => {
        const fieldErrors: FormErrors = {};
        for (const issue of describeError(error).fields) {
          const field = FIELD_MAP[issue.field.split('.')[0] ?? ''];
          if (field && !(field in fieldErrors)) fieldErrors[field] = issue.message;
        }
        if (Object.keys(fieldErrors).length > 0) {
          form.setErrors(fieldErrors);
          setFormError(null);
        } else {
          setFormError(error);
        }
      },
    }),
  );

  return (
    <form
      noValidate
      onSubmit={form.onSubmit((values) => {
        const startsAt = siteWallTimeFromForm(values.date, values.startTime, timeZone);
        const endsAt = siteWallTimeFromForm(values.date, values.endTime, timeZone);
        const opens = minutes(values.opensMinutesBefore, 0, 180);
        const late = minutes(values.lateCutoffMinutes, 0, 120);
        if (values.component === null || !startsAt || !endsAt || opens === null || late === null) return;
        setFormError(null);
        create.mutate({
          sittingId: sitting.id,
          name: values.name.trim(),
          component: values.component,
          startsAt,
          endsAt,
          opensMinutesBefore: opens,
          lateCutoffMinutes: late,
        });
      })}
    >
      <Stack gap="sm">
        <TextInput
          label={t('sessions.name')}
          placeholder={t('sessions.namePlaceholder')}
          required
          data-autofocus
          {...form.getInputProps('name')}
        />
        <Select
          label={t('sessions.component')}
          required
          allowDeselect={false}
          data={components.map((component) => ({ value: component, label: t(`component.${component}`) }))}
          value={form.values.component}
          onChange={(value) =>
            form.setFieldValue('component', components.find((component) => component === value) ?? null)
          }
          error={form.errors.component}
        />
        <SimpleGrid cols={3}>
          <DateInput
            label={t('sessions.date')}
            labelProps={REQUIRED_LABEL}
            valueFormat="YYYY-MM-DD"
            placeholder="YYYY-MM-DD"
            value={form.values.date || null}
            onChange={(value) => form.setFieldValue('date', value ?? '')}
            error={form.errors.date}
          />
          <TimeInput label={t('sessions.startTime')} required {...form.getInputProps('startTime')} />
          <TimeInput label={t('sessions.endTime')} required {...form.getInputProps('endTime')} />
        </SimpleGrid>
        <SimpleGrid cols={2}>
          <NumberInput
            label={t('sessions.opensMinutesBefore')}
            required
            min={0}
            max={180}
            allowDecimal={false}
            allowNegative={false}
            {...form.getInputProps('opensMinutesBefore')}
          />
          <NumberInput
            label={t('sessions.lateCutoffMinutes')}
            required
            min={0}
            max={120}
            allowDecimal={false}
            allowNegative={false}
            {...form.getInputProps('lateCutoffMinutes')}
          />
        </SimpleGrid>
        <FormError error={formError} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={create.isPending}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
