import { useState } from 'react';
import { Button, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { contract } from '../../../shared/contract';
import type { PrintDocument } from '../../../shared/contract/printing';
import { accessOf } from '../../app/access';
import { useCan } from '../../app/current-user';
import { PrintMessageAlert, usePrintDocument, type PrintMessage } from './print-document';

/**
 * 补打准考证 on the 考生 page: the 准考证 of the selected candidates (a lost or spoilt ticket on the day),
 * previewed or printed on the 准考证 default printer.
 */
export function SelectedTicketsPrint({
  sittingId,
  candidateIds,
}: {
  sittingId: number;
  candidateIds: number[];
}) {
  const { t } = useTranslation();
  const canPrint = useCan(accessOf(contract.printing.print));
  const [message, setMessage] = useState<PrintMessage | null>(null);
  const { preview, print } = usePrintDocument(t('printing.document.admission-ticket'), setMessage);
  if (!canPrint) return null;
  const document: PrintDocument = { kind: 'admission-ticket', sittingId, candidateIds };
  const none = candidateIds.length === 0;
  return (
    <>
      <Group gap="sm">
        <Button
          size="xs"
          variant="default"
          disabled={none}
          loading={preview.isPending}
          onClick={() => {
            setMessage(null);
            preview.mutate({ document });
          }}
        >
          {t('printing.previewSelectedTickets')}
        </Button>
        <Button
          size="xs"
          variant="light"
          disabled={none}
          loading={print.isPending}
          onClick={() => {
            setMessage(null);
            print.mutate({ document });
          }}
        >
          {t('printing.printSelectedTickets', { count: candidateIds.length })}
        </Button>
      </Group>
      <PrintMessageAlert message={message} testId="selected-tickets-result" />
    </>
  );
}
