import { useState } from 'react';
import { Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { notifyError } from '../../app/error-display';
import { orpc } from '../../app/rpc-client';
import { fromIdNumber } from './simulated-card';

const DEFAULT_VALID_UNTIL = '2035-12-31';

/** 模拟读卡器: lay a synthetic resident ID card on the simulated reader (demos and end-to-end tests). */
export function ReaderSimulator() {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [idNumber, setIdNumber] = useState('');
  const [validUntil, setValidUntil] = useState(DEFAULT_VALID_UNTIL);
  const [errors, setErrors] = useState<{ name?: string; idNumber?: string; validUntil?: string }>({});
  const simulate = useMutation(
    orpc.devices.simulate.mutationOptions({ onError: (error) => notifyError(error, t) }),
  );

  const insert = () => {
    const next: typeof errors = {};
    if (!name.trim()) next.name = t('checkin.simNameRequired');
    if (!idNumber.trim()) next.idNumber = t('checkin.simIdRequired');
    if (!validUntil.trim()) next.validUntil = t('checkin.simValidUntilRequired');
    setErrors(next);
    if (Object.keys(next).length > 0) return;
    const id = idNumber.trim().toUpperCase();
    const until = validUntil.trim();
    simulate.mutate({
      action: 'insert',
      card: {
        cardType: 'resident',
        name: name.trim(),
        idNumber: id,
        ...fromIdNumber(id),
        validUntil: until === '长期' ? 'long-term' : until,
      },
    });
  };

  return (
    <Paper
      withBorder
      p="md"
      component="section"
      aria-labelledby="reader-simulator-title"
      data-testid="reader-simulator"
      bg="yellow.0"
    >
      <Stack gap="xs">
        <Title order={3} size="h5" id="reader-simulator-title">
          {t('checkin.simulator')}
        </Title>
        <Text size="xs" c="dimmed">
          {t('checkin.simulatorHint')}
        </Text>
        <TextInput
          label={t('checkin.simName')}
          size="sm"
          value={name}
          onChange={(event) => setName(event.currentTarget.value)}
          error={errors.name}
        />
        <TextInput
          label={t('checkin.simIdNumber')}
          size="sm"
          maxLength={40}
          value={idNumber}
          onChange={(event) => setIdNumber(event.currentTarget.value)}
          error={errors.idNumber}
        />
        <TextInput
          label={t('checkin.simValidUntil')}
          description={t('checkin.simValidUntilHint')}
          size="sm"
          value={validUntil}
          onChange={(event) => setValidUntil(event.currentTarget.value)}
          error={errors.validUntil}
        />
        <Group gap="xs">
          <Button
            size="sm"
            onClick={insert}
            loading={simulate.isPending && simulate.variables.action === 'insert'}
          >
            {t('checkin.insert')}
          </Button>
          <Button
            size="sm"
            variant="default"
            onClick={() => simulate.mutate({ action: 'remove' })}
            loading={simulate.isPending && simulate.variables.action === 'remove'}
          >
            {t('checkin.remove')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
