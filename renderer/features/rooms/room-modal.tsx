import { useState } from 'react';
import { Button, Checkbox, Group, Modal, NumberInput, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { roomInputSchema } from '../../../shared/contract/rooms';
import type { Room } from '../../../shared/contract/rooms';
import { applyFormErrors, FormError, notifySuccess } from '../../app/error-display';
import { orpc } from '../../app/rpc-client';

type RoomFormValues = Omit<Room, 'id'>;

/** A new room: 30 single seats in rows of 6 (domain.md §3.2 proposes 30 per paper-exam room). */
const EMPTY: RoomFormValues = { name: '', location: '', capacity: 30, columns: 6, active: true };

export function RoomModal(props: { opened: boolean; room: Room | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal
      closeButtonProps={{ 'aria-label': t('common.close') }}
      opened={props.opened}
      onClose={props.onClose}
      title={props.room ? t('rooms.editTitle') : t('rooms.createTitle')}
    >
      {props.opened ? (
        <RoomForm key={props.room?.id ?? 'new'} room={props.room} onDone={props.onClose} />
      ) : null}
    </Modal>
  );
}

/** Mantine's NumberInput hands back '' while the field is empty. */
function toNumber(value: number | string): number {
  return typeof value === 'number' ? value : Number.NaN;
}

function RoomForm({ room, onDone }: { room: Room | null; onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<unknown>(null);
  const form = useForm<RoomFormValues>({
    mode: 'controlled',
    initialValues: room
      ? {
          name: room.name,
          location: room.location,
          capacity: room.capacity,
          columns: room.columns,
          active: room.active,
        }
      : EMPTY,
    validate: (values) => {
      const errors = schemaResolver(roomInputSchema, { sync: true })(values);
      if (!Number.isFinite(values.capacity)) errors.capacity = t('rooms.numberRequired');
      if (!Number.isFinite(values.columns)) errors.columns = t('rooms.numberRequired');
      return errors;
    },
  });

  const callbacks = {
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: orpc.rooms.key() });
      notifySuccess(t('rooms.saved'));
      onDone();
    },
    onError: (error: unknown) => setFormError(applyFormErrors(form, error) ? null : error),
  };
  const create = useMutation(orpc.rooms.create.mutationOptions(callbacks));
  const update = useMutation(orpc.rooms.update.mutationOptions(callbacks));

  return (
    <form
      noValidate
      onSubmit={form.onSubmit((values) => {
        setFormError(null);
        if (room) update.mutate({ id: room.id, ...values });
        else create.mutate(values);
      })}
    >
      <Stack gap="sm">
        <TextInput label={t('rooms.nameField')} required data-autofocus {...form.getInputProps('name')} />
        <TextInput
          label={t('rooms.location')}
          placeholder={t('rooms.locationPlaceholder')}
          {...form.getInputProps('location')}
        />
        <SimpleGrid cols={2}>
          <NumberInput
            label={t('rooms.capacity')}
            required
            min={1}
            max={500}
            allowDecimal={false}
            allowNegative={false}
            value={Number.isFinite(form.values.capacity) ? form.values.capacity : ''}
            onChange={(value) => form.setFieldValue('capacity', toNumber(value))}
            error={form.errors.capacity}
          />
          <NumberInput
            label={t('rooms.columns')}
            description={t('rooms.columnsHint')}
            required
            min={1}
            max={30}
            allowDecimal={false}
            allowNegative={false}
            value={Number.isFinite(form.values.columns) ? form.values.columns : ''}
            onChange={(value) => form.setFieldValue('columns', toNumber(value))}
            error={form.errors.columns}
          />
        </SimpleGrid>
        <Checkbox label={t('rooms.activeField')} {...form.getInputProps('active', { type: 'checkbox' })} />
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
