import { useState } from 'react';
import { Alert, Badge, Button, FileInput, Group, Modal, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { DataTable } from 'mantine-datatable';
import { useTranslation } from 'react-i18next';
import type { PhotoImportResult } from '../../../shared/contract/candidates-api';
import { errorText, notifySuccess } from '../../app/error-display';
import { client, orpc } from '../../app/rpc-client';
import { fileToBase64 } from '../roster/base64';
import { mergeBatchResults, photoBatches, sendablePart, summarize, type PhotoFile } from './photo-batches';

const ACCEPTED = '.jpg,.jpeg,.png,image/jpeg,image/png';

interface Row {
  index: number;
  result: PhotoImportResult;
}

/**
 * 导入照片: choose many files named 姓名_身份证号.jpg, see per file whom it belongs to or why it is refused,
 * then store the ones that check out.
 */
export function PhotoImportModal(props: { sittingId: number; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [chosen, setChosen] = useState<File[]>([]);
  const [files, setFiles] = useState<PhotoFile[]>([]);
  const [results, setResults] = useState<PhotoImportResult[] | null>(null);
  const [stored, setStored] = useState<number | null>(null);

  const duplicateReason = (name: string, others: string[]) =>
    t('candidates.photoDuplicate', { name, files: others.map((f) => `「${f}」`).join('、') });

  const preview = useMutation({
    mutationFn: async (picked: File[]) => {
      const read = await Promise.all(
        picked.map(async (f) => ({ name: f.name, dataBase64: await fileToBase64(sendablePart(f)) })),
      );
      const batches: PhotoImportResult[][] = [];
      for (const batch of photoBatches(read)) {
        const r = await client.candidates.importPhotos({
          sittingId: props.sittingId,
          files: batch,
          commit: false,
        });
        batches.push(r.files);
      }
      return { read, results: mergeBatchResults(batches, duplicateReason) };
    },
    onSuccess: ({ read, results: merged }) => {
      setFiles(read);
      setResults(merged);
    },
  });

  const commit = useMutation({
    mutationFn: async (toStore: PhotoFile[]) => {
      let count = 0;
      for (const batch of photoBatches(toStore)) {
        const r = await client.candidates.importPhotos({
          sittingId: props.sittingId,
          files: batch,
          commit: true,
        });
        count += r.stored;
      }
      return count;
    },
    onSuccess: (count) => {
      setStored(count);
      notifySuccess(t('candidates.photosImported', { count }));
    },
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: orpc.candidates.key() });
    },
  });

  const reset = () => {
    setChosen([]);
    setFiles([]);
    setResults(null);
    setStored(null);
    preview.reset();
    commit.reset();
  };
  const close = () => {
    reset();
    props.onClose();
  };
  const choose = (picked: File[]) => {
    reset();
    setChosen(picked);
    if (picked.length > 0) preview.mutate(picked);
  };

  const summary = results ? summarize(results) : null;
  const okFiles = results ? files.filter((_, i) => results[i]?.status === 'ok') : [];
  const rows: Row[] = (results ?? []).map((result, index) => ({ index, result }));

  return (
    <Modal opened={props.opened} onClose={close} title={t('candidates.importPhotos')} size="70rem">
      <Stack>
        <FileInput
          label={t('candidates.photoFiles')}
          description={t('candidates.photoFilesHint')}
          placeholder={t('candidates.photoFilesPlaceholder')}
          multiple
          clearable
          accept={ACCEPTED}
          value={chosen}
          onChange={choose}
          disabled={preview.isPending || commit.isPending}
        />
        {preview.isPending ? <Text c="dimmed">{t('candidates.photosChecking')}</Text> : null}
        {preview.isError ? (
          <Alert color="red" role="alert">
            {errorText(preview.error, t)}
          </Alert>
        ) : null}
        {summary ? (
          <>
            <Text data-testid="photo-import-summary">
              {t('candidates.photoSummary', { ok: summary.ok, refused: summary.refused })}
              {summary.replaced > 0 ? t('candidates.photoSummaryReplaced', { count: summary.replaced }) : ''}
            </Text>
            {summary.refused > 0 && stored === null ? (
              <Alert color="yellow">{t('candidates.photoRefusedNote')}</Alert>
            ) : null}
            <DataTable<Row>
              withTableBorder
              striped
              maxHeight={420}
              records={rows}
              idAccessor="index"
              noRecordsText={t('common.noRecords')}
              columns={[
                {
                  accessor: 'fileName',
                  title: t('candidates.photoFileName'),
                  render: (r) => r.result.fileName,
                },
                {
                  accessor: 'candidate',
                  title: t('candidates.photoCandidate'),
                  noWrap: true,
                  render: (r) =>
                    r.result.status === 'ok' ? (
                      <Stack gap={0}>
                        <Text size="sm">{r.result.candidateName}</Text>
                        <Text size="xs" c="dimmed" ff="monospace">
                          {r.result.idNumberMasked}
                        </Text>
                      </Stack>
                    ) : (
                      (r.result.candidateName ?? '—')
                    ),
                },
                {
                  accessor: 'result',
                  title: t('candidates.photoResult'),
                  render: (r) =>
                    r.result.status === 'ok' ? (
                      <Badge color={r.result.replaces ? 'blue' : 'green'} variant="light">
                        {r.result.replaces ? t('candidates.photoReplaces') : t('candidates.photoOk')}
                      </Badge>
                    ) : (
                      <Stack gap={2} align="flex-start">
                        <Badge color="red" variant="light">
                          {t('candidates.photoRefused')}
                        </Badge>
                        <Text size="sm" c="red">
                          {r.result.reason}
                        </Text>
                      </Stack>
                    ),
                },
                {
                  accessor: 'warnings',
                  title: t('candidates.photoWarnings'),
                  render: (r) =>
                    r.result.status === 'ok' && r.result.warnings.length > 0 ? (
                      <Text size="sm" c="orange">
                        {r.result.warnings.join('；')}
                      </Text>
                    ) : null,
                },
              ]}
            />
          </>
        ) : null}
        {commit.isError ? (
          <Alert color="red" role="alert">
            {errorText(commit.error, t)}
          </Alert>
        ) : null}
        {stored !== null ? (
          <Alert color="green" data-testid="photo-import-done">
            {t('candidates.photosImported', { count: stored })}
          </Alert>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            {stored === null ? t('common.cancel') : t('common.close')}
          </Button>
          {stored === null ? (
            <Button
              disabled={okFiles.length === 0}
              loading={commit.isPending}
              onClick={() => commit.mutate(okFiles)}
            >
              {t('candidates.photoConfirm', { count: okFiles.length })}
            </Button>
          ) : null}
        </Group>
      </Stack>
    </Modal>
  );
}
