import { useState } from 'react';
import { Alert, Anchor, Button, Group, Paper, Select, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { contract } from '../../../shared/contract';
import type {
  PrintDocument,
  PrinterTargetInput,
  PrintingSettingsData,
} from '../../../shared/contract/printing';
import { accessOf } from '../../app/access';
import { useCan } from '../../app/current-user';
import { errorText } from '../../app/error-display';
import { href } from '../../app/router';
import { orpc } from '../../app/rpc-client';
import { printerOptions, targetFromValue, targetValue } from './printer-choice';
import { PrintMessageAlert, usePrintDocument, type PrintMessage } from './print-document';

type SessionDocument = 'admission-ticket' | 'seat-labels' | 'sign-in-sheet';
const DOCUMENTS: readonly SessionDocument[] = ['admission-ticket', 'seat-labels', 'sign-in-sheet'];

/**
 * 打印 on the 场次与座位 page: 生成准考证号 for the sitting, and 准考证 (the sitting), 座位标签 and 签到表
 * (this session), each previewed as a PDF or printed on a chosen printer (the document's default first).
 */
export function SessionPrintActions({ sittingId, sessionId }: { sittingId: number; sessionId: number }) {
  const { t } = useTranslation();
  const canPrint = useCan(accessOf(contract.printing.print));
  const queryClient = useQueryClient();
  const [message, setMessage] = useState<PrintMessage | null>(null);
  const settings = useQuery({ ...orpc.printing.settings.queryOptions(), enabled: canPrint });
  const printers = useQuery({ ...orpc.printing.printers.queryOptions(), enabled: canPrint });
  const assign = useMutation(
    orpc.candidates.assignTicketNumbers.mutationOptions({
      onSuccess: (r) => {
        setMessage({ color: 'green', text: t('printing.assigned', { assigned: r.assigned, kept: r.kept }) });
        void queryClient.invalidateQueries({ queryKey: orpc.candidates.key() });
      },
      onError: (error) => setMessage({ color: 'red', text: errorText(error, t) }),
    }),
  );
  if (!canPrint) return null;

  const documentFor = (kind: SessionDocument): PrintDocument =>
    kind === 'admission-ticket' ? { kind, sittingId } : { kind, sessionId };

  return (
    <Paper withBorder p="md" data-testid="session-print-actions">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={4}>{t('printing.sessionTitle')}</Title>
          <Anchor href={href('/printing', {})} size="sm">
            {t('printing.settingsLink')}
          </Anchor>
        </Group>
        <Group>
          <Button
            variant="light"
            loading={assign.isPending}
            onClick={() => {
              setMessage(null);
              assign.mutate({ sittingId });
            }}
          >
            {t('printing.assignTicketNumbers')}
          </Button>
          <Text size="sm" c="dimmed">
            {t('printing.assignHint')}
          </Text>
        </Group>
        {printers.isError ? (
          <Alert color="red" role="alert">
            {errorText(printers.error, t)}
          </Alert>
        ) : null}
        {printers.data?.warnings.map((w) => (
          <Alert key={w} color="yellow">
            {w}
          </Alert>
        ))}
        {settings.isSuccess
          ? DOCUMENTS.map((kind) => (
              <DocumentRow
                key={kind}
                kind={kind}
                document={documentFor(kind)}
                settings={settings.data}
                printers={printers.data?.printers ?? []}
                onMessage={setMessage}
              />
            ))
          : null}
        <PrintMessageAlert message={message} testId="print-result" />
      </Stack>
    </Paper>
  );
}

function DocumentRow(props: {
  kind: SessionDocument;
  document: PrintDocument;
  settings: PrintingSettingsData;
  printers: Parameters<typeof printerOptions>[0];
  onMessage: (m: PrintMessage | null) => void;
}) {
  const { t } = useTranslation();
  const { kind, onMessage } = props;
  const fallback = props.settings.defaults[kind] ?? null;
  const [chosen, setChosen] = useState<PrinterTargetInput | null>(fallback);
  const printer = chosen ?? fallback;
  const name = t(`printing.document.${kind}`);
  const { preview, print } = usePrintDocument(name, onMessage);
  return (
    <Group align="flex-end" gap="sm" data-testid={`print-${kind}`}>
      <Text w={140} fw={500} pb={6}>
        {t(`printing.scope.${kind}`, { name })}
      </Text>
      <Select
        label={t('printing.printerFor', { name })}
        placeholder={t('printing.choosePrinter')}
        data={printerOptions(props.printers, t, [fallback, chosen])}
        value={printer ? targetValue(printer) : null}
        onChange={(value) => setChosen(targetFromValue(value))}
        w={360}
        maw="100%"
      />
      <Button
        variant="default"
        loading={preview.isPending}
        onClick={() => {
          onMessage(null);
          preview.mutate({ document: props.document });
        }}
      >
        {t('printing.previewDocument', { name })}
      </Button>
      <Button
        loading={print.isPending}
        onClick={() => {
          onMessage(null);
          print.mutate({ document: props.document, printer });
        }}
      >
        {t('printing.printDocument', { name })}
      </Button>
    </Group>
  );
}
