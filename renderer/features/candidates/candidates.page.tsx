import { useState } from 'react';
import { Badge, Button, Group, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, skipToken, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { DataTable } from 'mantine-datatable';
import { useTranslation } from 'react-i18next';
import { contract } from '../../../shared/contract';
import type { candidateSortFields } from '../../../shared/contract/candidates-api';
import type { Candidate } from '../../../shared/contract/candidates';
import type { Level } from '../../../shared/domain/levels';
import { accessOf } from '../../app/access';
import { useCan } from '../../app/current-user';
import { errorText, notifyError, notifySuccess } from '../../app/error-display';
import { isLevel, levelOptions } from '../../app/level-options';
import { href, intParam, navigate, useRoute } from '../../app/router';
import { orpc } from '../../app/rpc-client';
import { SelectedTicketsPrint } from '../printing/selected-tickets-print';
import { SortHeader } from '../../app/sort-header';
import type { SortState } from '../../app/sort-header';
import { SittingSelect } from '../sittings/sitting-select';
import { RejectModal } from './reject-modal';
import { CandidatePhotoCell, CandidatePhotoModal } from './candidate-photo';
import { PhotoImportModal } from './photo-import-modal';

type ReviewStatus = Candidate['reviewStatus'];
type SortField = (typeof candidateSortFields)[number];

const REVIEW_STATUSES: readonly ReviewStatus[] = ['pending', 'approved', 'rejected'];
const STATUS_COLORS: Record<ReviewStatus, string> = { pending: 'gray', approved: 'green', rejected: 'red' };
const PAGE_SIZES = [20, 50, 100];
/** Import order until the user sorts by a column. */
const DEFAULT_SORT: SortState<SortField> = { field: 'createdAt', direction: 'asc' };

type PhotoFilter = 'with' | 'without';
const PHOTO_FILTERS: readonly PhotoFilter[] = ['with', 'without'];
function isPhotoFilter(value: string | null): value is PhotoFilter {
  return value !== null && (PHOTO_FILTERS as readonly string[]).includes(value);
}

function isReviewStatus(value: string | null): value is ReviewStatus {
  return value !== null && (REVIEW_STATUSES as readonly string[]).includes(value);
}

/** Candidates of one sitting: search, filter, sort and page on the server; batch eligibility review. */
export function CandidatesPage() {
  const { t } = useTranslation();
  const route = useRoute();
  const sittingId = intParam(route.query, 'sitting');
  const canReview = useCan(accessOf(contract.candidates.review));
  const canImport = useCan(accessOf(contract.roster.preview));
  const canEditPhotos = useCan(accessOf(contract.candidates.setPhoto));
  const canImportPhotos = useCan(accessOf(contract.candidates.importPhotos));
  const canSeePhotos = useCan(accessOf(contract.photos.get));
  const queryClient = useQueryClient();

  const [search, setSearch] = useState('');
  const [debouncedSearch] = useDebouncedValue(search.trim(), 300);
  const [reviewStatus, setReviewStatus] = useState<ReviewStatus | null>(null);
  const [level, setLevel] = useState<Level | null>(null);
  const [photo, setPhoto] = useState<PhotoFilter | null>(null);
  const [sort, setSort] = useState<SortState<SortField> | null>(null);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(50);
  const [selected, setSelected] = useState<Candidate[]>([]);
  const [rejecting, setRejecting] = useState(false);
  const [importingPhotos, setImportingPhotos] = useState(false);
  const [photoFor, setPhotoFor] = useState<Candidate | null>(null);

  const candidates = useQuery(
    orpc.candidates.list.queryOptions({
      input:
        sittingId === null
          ? skipToken
          : {
              sittingId,
              search: debouncedSearch || undefined,
              reviewStatus: reviewStatus ?? undefined,
              level: level ?? undefined,
              photo: photo ?? undefined,
              sort: sort ?? DEFAULT_SORT,
              page,
              pageSize,
            },
      placeholderData: keepPreviousData,
    }),
  );

  const review = useMutation(
    orpc.candidates.review.mutationOptions({
      onSuccess: ({ updated }) => {
        notifySuccess(t('candidates.reviewed', { count: updated }));
        setSelected([]);
        setRejecting(false);
        void queryClient.invalidateQueries({ queryKey: orpc.candidates.key() });
      },
      onError: (error) => notifyError(error, t),
    }),
  );

  const chooseSitting = (id: number | null) => {
    setSelected([]);
    setPage(1);
    navigate(href('/candidates', { sitting: id }), { replace: true });
  };
  const resetPage = () => setPage(1);
  const selectedIds = selected.map((c) => c.id);

  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <Title order={2}>{t('candidates.title')}</Title>
        <Group gap="sm">
          {canImportPhotos && sittingId !== null ? (
            <Button variant="light" onClick={() => setImportingPhotos(true)}>
              {t('candidates.importPhotos')}
            </Button>
          ) : null}
          {canImport && sittingId !== null ? (
            <Button variant="light" component="a" href={href('/roster', { sitting: sittingId })}>
              {t('sittings.importRoster')}
            </Button>
          ) : null}
        </Group>
      </Group>
      <SittingSelect value={sittingId} onChange={chooseSitting} />

      {sittingId === null ? (
        <Text c="dimmed">{t('candidates.chooseSitting')}</Text>
      ) : (
        <>
          <Group align="flex-end" gap="sm">
            <TextInput
              label={t('candidates.search')}
              placeholder={t('candidates.searchPlaceholder')}
              value={search}
              onChange={(event) => {
                setSearch(event.currentTarget.value);
                resetPage();
              }}
              w={300}
            />
            <Select
              label={t('candidates.reviewStatus')}
              placeholder={t('common.all')}
              clearable
              data={REVIEW_STATUSES.map((s) => ({ value: s, label: t(`reviewStatus.${s}`) }))}
              value={reviewStatus}
              onChange={(value) => {
                setReviewStatus(isReviewStatus(value) ? value : null);
                resetPage();
              }}
              w={160}
            />
            <Select
              label={t('candidates.level')}
              placeholder={t('common.all')}
              clearable
              data={levelOptions(t)}
              value={level === null ? null : String(level)}
              onChange={(value) => {
                const n = Number(value);
                setLevel(value !== null && isLevel(n) ? n : null);
                resetPage();
              }}
              w={180}
            />
            <Select
              label={t('candidates.photo')}
              placeholder={t('common.all')}
              clearable
              data={PHOTO_FILTERS.map((f) => ({ value: f, label: t(`candidates.photoFilter.${f}`) }))}
              value={photo}
              onChange={(value) => {
                setPhoto(isPhotoFilter(value) ? value : null);
                resetPage();
              }}
              w={140}
            />
          </Group>

          {canReview ? (
            <Group gap="sm">
              <Text size="sm" c="dimmed" data-testid="selected-count">
                {t('candidates.selectedCount', { count: selected.length })}
              </Text>
              <Button
                size="xs"
                color="green"
                disabled={selected.length === 0}
                loading={review.isPending && review.variables.decision === 'approved'}
                onClick={() => review.mutate({ candidateIds: selectedIds, decision: 'approved' })}
              >
                {t('candidates.approve')}
              </Button>
              <Button
                size="xs"
                color="red"
                disabled={selected.length === 0}
                onClick={() => {
                  review.reset();
                  setRejecting(true);
                }}
              >
                {t('candidates.reject')}
              </Button>
              <Button
                size="xs"
                variant="default"
                disabled={selected.length === 0}
                loading={review.isPending && review.variables.decision === 'pending'}
                onClick={() => review.mutate({ candidateIds: selectedIds, decision: 'pending' })}
              >
                {t('candidates.resetPending')}
              </Button>
              <SelectedTicketsPrint sittingId={sittingId} candidateIds={selectedIds} />
            </Group>
          ) : null}

          <CandidatesTable
            records={candidates.data?.rows ?? []}
            totalRecords={candidates.data?.total ?? 0}
            fetching={candidates.isFetching}
            emptyText={candidates.isError ? errorText(candidates.error, t) : t('common.noRecords')}
            page={page}
            pageSize={pageSize}
            onPageChange={setPage}
            onPageSizeChange={(size) => {
              setPageSize(size);
              resetPage();
            }}
            sort={sort}
            onSort={(next) => {
              setSort(next);
              resetPage();
            }}
            selectable={canReview}
            selected={selected}
            onSelectedChange={setSelected}
            canSeePhotos={canSeePhotos}
            onOpenPhoto={canSeePhotos ? setPhotoFor : undefined}
          />
        </>
      )}

      <RejectModal
        opened={rejecting}
        count={selected.length}
        pending={review.isPending}
        error={review.error}
        onClose={() => setRejecting(false)}
        onSubmit={(reason) => review.mutate({ candidateIds: selectedIds, decision: 'rejected', reason })}
      />
      {sittingId !== null ? (
        <PhotoImportModal
          sittingId={sittingId}
          opened={importingPhotos}
          onClose={() => setImportingPhotos(false)}
        />
      ) : null}
      <CandidatePhotoModal candidate={photoFor} canEdit={canEditPhotos} onClose={() => setPhotoFor(null)} />
    </Stack>
  );
}

interface CandidatesTableProps {
  records: Candidate[];
  totalRecords: number;
  fetching: boolean;
  emptyText: string;
  page: number;
  pageSize: number;
  onPageChange: (page: number) => void;
  onPageSizeChange: (size: number) => void;
  sort: SortState<SortField> | null;
  onSort: (sort: SortState<SortField>) => void;
  selectable: boolean;
  selected: Candidate[];
  onSelectedChange: (selected: Candidate[]) => void;
  canSeePhotos: boolean;
  onOpenPhoto: ((candidate: Candidate) => void) | undefined;
}

function CandidatesTable(props: CandidatesTableProps) {
  const { t } = useTranslation();
  const sortable = (field: SortField, label: string) => (
    <SortHeader label={label} field={field} sort={props.sort} onSort={props.onSort} />
  );
  // Columns that would be empty for every row on the page are left out (room at 1024 px).
  const showIdType = props.records.some((c) => c.idType !== 'resident_id');
  const showTrade = props.records.some((c) => c.trade);
  const selection = props.selectable
    ? {
        selectedRecords: props.selected,
        onSelectedRecordsChange: props.onSelectedChange,
        allRecordsSelectionCheckboxProps: { 'aria-label': t('candidates.selectAll') },
        getRecordSelectionCheckboxProps: (c: Candidate) => ({
          'aria-label': t('candidates.selectOne', { name: c.name }),
        }),
      }
    : {};
  return (
    <DataTable<Candidate>
      withTableBorder
      striped
      highlightOnHover
      minHeight={200}
      records={props.records}
      fetching={props.fetching}
      noRecordsText={props.emptyText}
      loadingText={t('common.loading')}
      totalRecords={props.totalRecords}
      recordsPerPage={props.pageSize}
      page={props.page}
      onPageChange={props.onPageChange}
      recordsPerPageOptions={PAGE_SIZES}
      onRecordsPerPageChange={props.onPageSizeChange}
      recordsPerPageLabel={t('common.perPage')}
      paginationText={({ from, to, totalRecords }) =>
        t('common.paginationText', { from, to, total: totalRecords })
      }
      {...selection}
      columns={[
        {
          accessor: 'photoId',
          title: t('candidates.photo'),
          width: 56,
          render: (c) => (
            <CandidatePhotoCell
              candidate={c}
              canSee={props.canSeePhotos}
              onOpen={props.onOpenPhoto ? () => props.onOpenPhoto?.(c) : undefined}
            />
          ),
        },
        {
          accessor: 'admissionTicketNo',
          title: sortable('admissionTicketNo', t('candidates.admissionTicketNo')),
          noWrap: true,
        },
        { accessor: 'name', title: sortable('name', t('candidates.name')), noWrap: true },
        { accessor: 'gender', title: t('candidates.gender'), noWrap: true },
        {
          accessor: 'idType',
          title: t('candidates.idType'),
          hidden: !showIdType,
          render: (c) => t(`idType.${c.idType}`),
        },
        {
          accessor: 'idNumber',
          title: t('candidates.idNumber'),
          noWrap: true,
          cellsStyle: () => ({ fontFamily: 'monospace' }),
        },
        {
          accessor: 'appliedLevel',
          title: sortable('appliedLevel', t('candidates.level')),
          noWrap: true,
          render: (c) => t(`level.${c.appliedLevel}`),
        },
        { accessor: 'trade', title: t('candidates.trade'), hidden: !showTrade },
        {
          accessor: 'employer',
          title: sortable('employer', t('candidates.employer')),
          ellipsis: true,
          width: 160,
        },
        {
          accessor: 'reviewStatus',
          title: sortable('reviewStatus', t('candidates.reviewStatus')),
          width: 130,
          // The review note sits under the status: one column less, so the table fits at 1024 px.
          render: (c) => (
            <Stack gap={2} align="flex-start">
              <Badge color={STATUS_COLORS[c.reviewStatus]} variant="light">
                {t(`reviewStatus.${c.reviewStatus}`)}
              </Badge>
              {c.reviewReason ? (
                <Text size="xs" c="dimmed" lineClamp={2} title={c.reviewReason}>
                  {c.reviewReason}
                </Text>
              ) : null}
            </Stack>
          ),
        },
      ]}
    />
  );
}
