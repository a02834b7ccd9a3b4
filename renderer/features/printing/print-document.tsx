import { useEffect } from 'react';
import { Alert, Anchor } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../app/error-display';
import { orpc } from '../../app/rpc-client';
import { openPdf, printerLabel } from './printer-choice';

/** What a print action says: green with the printer and file/job (or a link to the preview), or red. */
export type PrintMessage = { color: 'green' | 'red'; text: string; link?: { url: string; label: string } };

/**
 * 预览 and 打印 of one document (`name` as shown, e.g. 准考证): the two mutations, each reporting its
 * outcome through `onMessage`. A preview opens the PDF and leaves a link to it in the message.
 */
export function usePrintDocument(name: string, onMessage: (message: PrintMessage | null) => void) {
  const { t } = useTranslation();
  const onError = (error: unknown) => onMessage({ color: 'red', text: errorText(error, t) });
  const preview = useMutation(
    orpc.printing.preview.mutationOptions({
      onSuccess: (pdf) =>
        onMessage({
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
        onMessage({
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
  return { preview, print };
}

/** The message of a print action; a previewed PDF's object URL lives as long as its message. */
export function PrintMessageAlert({ message, testId }: { message: PrintMessage | null; testId: string }) {
  const { t } = useTranslation();
  const url = message?.link?.url;
  useEffect(
    () => () => {
      if (url) URL.revokeObjectURL(url);
    },
    [url],
  );
  if (!message) return null;
  return (
    <Alert color={message.color} role={message.color === 'red' ? 'alert' : 'status'} data-testid={testId}>
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
  );
}
