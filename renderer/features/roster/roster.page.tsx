import { useState } from 'react';
import { Alert, Badge, Button, FileInput, Group, Stack, Switch, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { DataTable } from 'mantine-datatable';
import { useTranslation } from 'react-i18next';
import type { RosterPreview } from '../../../shared/contract/roster-api';
import type { RosterRow, RosterRowStatus } from '../../../shared/contract/roster';
import { errorText, notifyError, notifySuccess } from '../../app/error-display';
import { href, intParam, navigate, useRoute } from '../../app/router';
import { orpc } from '../../app/rpc-client';
import { SittingSelect } from '../sittings/sitting-select';
import { downloadBase64, fileToBase64 } from './base64';

const ROWS_PER_PAGE = 50;
const STATUS_COLORS: Record<RosterRowStatus, string> = { ok: 'green', warning: 'yellow', rejected: 'red' };
const ACCEPTED_FILES =
  '.xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv';

/** Roster import: pick a spreadsheet, preview what would be imported and why rows are refused, then commit. */
export function RosterPage() {
  const { t } = useTranslation();
  const route = useRoute();
  const sittingId = intParam(route.query, 'sitting');
  const queryClient = useQueryClient();

  const [file, setFile] = useState<File | null>(null);
  const [reading, setReading] = useState(false);
  const [preview, setPreview] = useState<RosterPreview | null>(null);
  const [inserted, setInserted] = useState<number | null>(null);

  const reset = () => {
    setFile(null);
    setPreview(null);
    setInserted(null);
  };

  const previewMutation = useMutation(
    orpc.roster.preview.mutationOptions({
      onSuccess: (result) => setPreview(result),
    }),
  );
  const commitMutation = useMutation(
    orpc.roster.commit.mutationOptions({
      onSuccess: (result) => {
        setInserted(result.inserted);
        notifySuccess(t('roster.imported', { count: result.inserted }));
        void queryClient.invalidateQueries({ queryKey: orpc.candidates.key() });
        void queryClient.invalidateQueries({ queryKey: orpc.sittings.key() });
        void queryClient.invalidateQueries({ queryKey: orpc.roster.key() });
      },
      onError: (error) => notifyError(error, t),
    }),
  );
  const discardMutation = useMutation(
    orpc.roster.discard.mutationOptions({
      onSuccess: () => {
        reset();
        notifySuccess(t('roster.discarded'));
      },
      onError: (error) => notifyError(error, t),
    }),
  );
  const rejectedFileMutation = useMutation(
    orpc.roster.rejectedFile.mutationOptions({
      onSuccess: (result) => downloadBase64(result.fileName, result.contentBase64),
      onError: (error) => notifyError(error, t),
    }),
  );

  const chooseSitting = (id: number | null) => {
    reset();
    previewMutation.reset();
    navigate(href('/roster', { sitting: id }), { replace: true });
  };

  const chooseFile = async (next: File | null) => {
    setFile(next);
    setPreview(null);
    setInserted(null);
    previewMutation.reset();
    if (!next || sittingId === null) return;
    setReading(true);
    try {
      const contentBase64 = await fileToBase64(next);
      previewMutation.mutate({ sittingId, fileName: next.name, contentBase64 });
    } catch (error) {
      notifyError(error, t);
    } finally {
      setReading(false);
    }
  };

  return (
    <Stack>
      <Title order={2}>{t('roster.title')}</Title>
      <SittingSelect value={sittingId} onChange={chooseSitting} />
      <FileInput
        label={t('roster.file')}
        description={t('roster.fileHint')}
        placeholder={t('roster.filePlaceholder')}
        accept={ACCEPTED_FILES}
        clearable
        disabled={sittingId === null || commitMutation.isPending}
        value={file}
        onChange={(next) => void chooseFile(next)}
        w={420}
        maw="100%"
      />
      {reading || previewMutation.isPending ? <Text c="dimmed">{t('roster.reading')}</Text> : null}
      {previewMutation.isError ? (
        <Alert color="red" role="alert" data-testid="roster-error">
          {errorText(previewMutation.error, t)}
        </Alert>
      ) : null}

      {preview ? (
        <PreviewView
          preview={preview}
          inserted={inserted}
          committing={commitMutation.isPending}
          discarding={discardMutation.isPending}
          downloading={rejectedFileMutation.isPending}
          onCommit={() => commitMutation.mutate({ importId: preview.import.id })}
          onDiscard={() => discardMutation.mutate({ importId: preview.import.id })}
          onDownloadRejected={() => rejectedFileMutation.mutate({ importId: preview.import.id })}
          onImportAnother={reset}
        />
      ) : null}
    </Stack>
  );
}

interface PreviewViewProps {
  preview: RosterPreview;
  /** Set once the import is committed. */
  inserted: number | null;
  committing: boolean;
  discarding: boolean;
  downloading: boolean;
  onCommit: () => void;
  onDiscard: () => void;
  onDownloadRejected: () => void;
  onImportAnother: () => void;
}

function PreviewView(props: PreviewViewProps) {
  const { t } = useTranslation();
  const { preview, inserted } = props;
  const counts = preview.import.counts;
  const importable = counts.ok + counts.warning;
  const committed = inserted !== null;

  return (
    <Stack gap="sm">
      <Text fw={500} data-testid="roster-counts">
        {t('roster.counts', {
          total: counts.total,
          importable,
          warning: counts.warning,
          rejected: counts.rejected,
        })}
      </Text>
      <Text size="sm" c="dimmed">
        {t('roster.sheetInfo', {
          fileName: preview.import.fileName,
          sheet: preview.sheetName,
          row: preview.headerRowNumber,
        })}
      </Text>
      {preview.unmappedHeaders.length > 0 ? (
        <Text size="sm" c="dimmed">
          {t('roster.unmappedHeaders', { headers: preview.unmappedHeaders.join(t('common.listSeparator')) })}
        </Text>
      ) : null}

      {committed ? (
        <Alert color="green" data-testid="roster-imported">
          <Group justify="space-between">
            <Text>{t('roster.imported', { count: inserted })}</Text>
            <Button
              size="xs"
              variant="light"
              component="a"
              href={href('/candidates', { sitting: preview.import.sittingId })}
            >
              {t('roster.viewCandidates')}
            </Button>
          </Group>
        </Alert>
      ) : null}

      <Group gap="sm">
        {committed ? (
          <Button variant="default" onClick={props.onImportAnother}>
            {t('roster.importAnother')}
          </Button>
        ) : (
          <>
            <Button
              onClick={props.onCommit}
              loading={props.committing}
              disabled={importable === 0 || props.discarding}
            >
              {t('roster.commit')}
            </Button>
            <Button
              variant="default"
              onClick={props.onDiscard}
              loading={props.discarding}
              disabled={props.committing}
            >
              {t('roster.discard')}
            </Button>
          </>
        )}
        <Button
          variant="light"
          color="red"
          onClick={props.onDownloadRejected}
          loading={props.downloading}
          disabled={counts.rejected === 0}
        >
          {t('roster.downloadRejected')}
        </Button>
      </Group>

      <RowsTable preview={preview} />
    </Stack>
  );
}

function RowsTable({ preview }: { preview: RosterPreview }) {
  const { t } = useTranslation();
  const [onlyRejected, setOnlyRejected] = useState(false);
  const [page, setPage] = useState(1);

  const rows = onlyRejected ? preview.rows.filter((row) => row.status === 'rejected') : preview.rows;
  const pageRows = rows.slice((page - 1) * ROWS_PER_PAGE, page * ROWS_PER_PAGE);

  /** A cell of the source file, by the canonical field its column was mapped to. */
  const source = (row: RosterRow, field: string): string => {
    const header = preview.columns.find((column) => column.field === field)?.header;
    return header === undefined ? '' : (row.source[header] ?? '');
  };

  return (
    <Stack gap="xs">
      <Switch
        label={t('roster.onlyRejected')}
        checked={onlyRejected}
        onChange={(event) => {
          setOnlyRejected(event.currentTarget.checked);
          setPage(1);
        }}
      />
      <DataTable<RosterRow>
        withTableBorder
        striped
        minHeight={160}
        idAccessor="rowNumber"
        records={pageRows}
        noRecordsText={t('common.noRecords')}
        totalRecords={rows.length}
        recordsPerPage={ROWS_PER_PAGE}
        page={page}
        onPageChange={setPage}
        paginationText={({ from, to, totalRecords }) =>
          t('common.paginationText', { from, to, total: totalRecords })
        }
        columns={[
          { accessor: 'rowNumber', title: t('roster.rowNumber'), width: 70, textAlign: 'right' },
          {
            accessor: 'status',
            title: t('roster.status'),
            width: 90,
            render: (row) => (
              <Badge color={STATUS_COLORS[row.status]} variant="light">
                {t(`rosterStatus.${row.status}`)}
              </Badge>
            ),
          },
          {
            accessor: 'name',
            title: t('roster.name'),
            render: (row) => row.candidate?.name ?? source(row, 'name'),
          },
          {
            accessor: 'idNumber',
            title: t('roster.idNumber'),
            render: (row) => row.candidate?.idNumber ?? source(row, 'idNumber'),
          },
          {
            accessor: 'appliedLevel',
            title: t('roster.level'),
            render: (row) =>
              row.candidate ? t(`level.${row.candidate.appliedLevel}`) : source(row, 'appliedLevel'),
          },
          {
            accessor: 'messages',
            title: t('roster.problems'),
            render: (row) => row.messages.map((m) => m.message).join(t('roster.problemSeparator')),
          },
        ]}
      />
    </Stack>
  );
}
