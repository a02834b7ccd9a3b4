import { useRef, useState } from 'react';
import { Modal, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { DeskMode, FoundCandidate } from '../../../shared/contract/checkin';
import { errorText } from '../../app/error-display';
import { describeError } from '../../app/errors';
import { orpc } from '../../app/rpc-client';
import type { DeskResult } from './desk-state';
import { ManualForm } from './manual-checkin';

/**
 * 扫描准考证: a barcode/QR scanner types the ticket number and Enter. The exact number finds the
 * candidate; an unknown number is shown in red; then the reason is asked and the check-in (or
 * re-entry verification) is recorded with method 'ticket'.
 */
export function TicketScan(props: {
  sessionId: number;
  roomId: number;
  mode: DeskMode;
  onResult: (result: DeskResult) => void;
}) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const [value, setValue] = useState('');
  const [found, setFound] = useState<FoundCandidate | null>(null);
  const find = useMutation(
    orpc.checkin.findTicket.mutationOptions({
      onSuccess: (candidate) => setFound(candidate),
      onError: (error) => {
        // Unknown number: red on the result panel, naming the number (the server's message).
        if (describeError(error).code === 'NOT_FOUND') {
          const result = {
            ok: false as const,
            code: 'unknown_ticket',
            message: errorText(error, t),
            name: null,
            candidateId: null,
            rosterPhotoId: null,
          };
          props.onResult(
            props.mode === 'reverify' ? { kind: 'reverify', result } : { kind: 'checkin', result },
          );
          setValue('');
        }
      },
    }),
  );
  const inputError =
    find.error && describeError(find.error).code !== 'NOT_FOUND' ? errorText(find.error, t) : undefined;

  const close = () => {
    setFound(null);
    setValue('');
    input.current?.focus();
  };

  return (
    <>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          const ticketNo = value.trim();
          if (!ticketNo) return;
          find.mutate({ sessionId: props.sessionId, ticketNo });
        }}
      >
        <TextInput
          ref={input}
          label={t('checkin.ticketScan')}
          description={t('checkin.ticketScanHint')}
          value={value}
          maxLength={40}
          autoComplete="off"
          onChange={(event) => setValue(event.currentTarget.value)}
          error={inputError}
          data-testid="ticket-scan"
        />
      </form>
      <Modal
        closeButtonProps={{ 'aria-label': t('common.close') }}
        opened={found !== null}
        onClose={close}
        title={
          found
            ? t(props.mode === 'reverify' ? 'checkin.reverifyTitle' : 'checkin.manualTitle', {
                name: found.name,
              })
            : ''
        }
      >
        {found ? (
          <ManualForm
            key={found.candidateId}
            sessionId={props.sessionId}
            roomId={props.roomId}
            mode={props.mode}
            candidate={found}
            initialMethod="ticket"
            onClose={close}
            onResult={(result) => {
              close();
              props.onResult(result);
            }}
          />
        ) : null}
      </Modal>
    </>
  );
}
