import { useEffect, useState } from 'react';
import { Alert, Anchor, Button, Group } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { contract } from '../../../shared/contract';
import type { PrintDocument } from '../../../shared/contract/printing';
import { accessOf } from '../../app/access';
import { useCan } from '../../app/current-user';
import { errorText } from '../../app/error-display';
import { orpc } from '../../app/rpc-client';
import { openPdf, printerLabel } from './printer-choice';

type Message = { color: 'green' | 'red'; text: string; link?: { url: string; label: string } };

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
  const [message, setMessage] = useState<Message | null>(null);
  const name = t('printing.document.admission-ticket');
  const previewUrl = message?.link?.url;
  useEffect(
    () => () => {
      if (previewUrl) URL.revokeObjectURL(previewUrl);
    },
    [previewUrl],
  );
  const onError = (error: unknown) => setMessage({ color: 'red', text: errorText(error, t) });
  const preview = useMutation(
    orpc.printing.preview.mutationOptions({
      onSuccess: (pdf) =>
        setMessage({
          color: 'green',
          text: t('printing.previewed', { name, pages: pdf.pageCount, count: pdf.count }),
          link: { url: openPdf(pdf), label: `${pdf.title}.pdf` },
        }),
      onError,
    }),
  );
  const print = useMutation(
    orpc.printing.print.mutationOptions({
      onSuccess: (r) =>
        setMessage({
          color: 'green',
          text: r.file
            ? t('printing.printedToFile', { name, printer: printerLabel(r.printer, t), file: r.file })
            : t('printing.printedJob', {
                name,
                printer: printerLabel(r.printer, t),
                job: r.jobId ?? '—',
                pages: r.pageCount,
              }),
        }),
      onError,
    }),
  );
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
      {message ? (
        <Alert
          color={message.color}
          role={message.color === 'red' ? 'alert' : 'status'}
          data-testid="selected-tickets-result"
        >
          {message.text}
          {message.link ? (
            <>
              {' '}
              <Anchor href={message.link.url} target="_blank" download={message.link.label}>
                {t('printing.openPdf')}
              </Anchor>
            </>
          ) : null}
        </Alert>
      ) : null}
    </>
  );
}
