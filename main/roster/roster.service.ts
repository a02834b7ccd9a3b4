import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { RosterPreview } from '../../shared/contract/roster-api';
import type { RosterRow } from '../../shared/contract/roster';
import { insertReturningId, isPostgres, parseJson } from '../db';
import { appendAudit, type Actor } from '../audit/chain';
import { appError } from '../base/errors';
import { candidateToRow } from '../candidates/candidates.service';
import type { SittingsService } from '../sittings/sittings.service';
import { readRosterFile, RosterFileError } from './read-sheet';
import { findHeader, type HeaderMatch } from './header';
import { validateRoster } from './validate';
import { buildRejectedWorkbook } from './rejected-file';
import { changeAtIso, publishAfterCommit, type Kernel } from '../base/kernel';

interface ImportRow {
  id: number;
  sitting_id: number;
  file_name: string;
  status: string;
  total: number;
  ok: number;
  warning: number;
  rejected: number;
  preview: string;
  created_at: string;
  created_by_name?: string;
  committed_at: string | null;
}

interface StoredPreview {
  sheetName: string;
  header: HeaderMatch;
  rows: RosterRow[];
}

type RosterImport = RosterPreview['import'];

/** An import without its stored preview (megabytes for a large roster), which toImport() does not need. */
type ImportSummary = Omit<ImportRow, 'preview'>;

const SUMMARY_COLUMNS = [
  'i.id',
  'i.sitting_id',
  'i.file_name',
  'i.status',
  'i.total',
  'i.ok',
  'i.warning',
  'i.rejected',
  'i.created_at',
  'i.committed_at',
  'u.display_name as created_by_name',
] as const;

function toImport(r: ImportSummary): RosterImport {
  return {
    id: Number(r.id),
    sittingId: Number(r.sitting_id),
    fileName: r.file_name,
    status: r.status === 'committed' ? 'committed' : r.status === 'discarded' ? 'discarded' : 'previewed',
    counts: {
      total: Number(r.total),
      ok: Number(r.ok),
      warning: Number(r.warning),
      rejected: Number(r.rejected),
    },
    createdAt: r.created_at,
    createdBy: r.created_by_name ?? '',
    committedAt: r.committed_at,
  };
}

/** Accepted rows without remarks shown in a preview; problem rows are always all shown. */
const PREVIEW_OK_ROWS = 200;

/** Rows are written in batches inside the one commit transaction (PostgreSQL; SQLite takes them at once). */
const INSERT_BATCH = 500;

/** The ID numbers among `ids` that the sitting already has. */
async function idNumbersInSitting(
  trx: Knex.Transaction,
  sittingId: number,
  ids: readonly string[],
): Promise<Set<string>> {
  const found = new Set<string>();
  if (ids.length === 0) return found;
  if (!isPostgres(trx)) {
    // SQLite: one query, the list passed as one JSON parameter.
    const rows = await trx.raw<{ id_number: string }[]>(
      'select id_number from candidates where sitting_id = ? and id_number in (select value from json_each(?))',
      [sittingId, JSON.stringify(ids)],
    );
    for (const r of rows) found.add(r.id_number);
    return found;
  }
  for (let i = 0; i < ids.length; i += INSERT_BATCH) {
    const batch = (await trx('candidates')
      .where({ sitting_id: sittingId })
      .whereIn('id_number', ids.slice(i, i + INSERT_BATCH))
      .pluck('id_number')) as string[];
    for (const f of batch) found.add(f);
  }
  return found;
}

/**
 * Insert candidate rows (all with the same keys). knex's SQLite dialect turns a multi-row insert into
 * INSERT … SELECT … UNION ALL … (at most 500 rows, slow for SQLite to compile, and 22 bound values per
 * row); on SQLite the rows go in as one JSON array instead, unpacked by json_each — one statement, one
 * parameter, the same stored values (json_extract gives TEXT, INTEGER, REAL or NULL as binding would).
 */
async function insertCandidateRows(
  trx: Knex.Transaction,
  records: readonly Record<string, string | number | null>[],
): Promise<void> {
  const first = records[0];
  if (!first) return;
  if (!isPostgres(trx)) {
    const columns = Object.keys(first);
    const json = JSON.stringify(records.map((r) => columns.map((c) => r[c] ?? null)));
    await trx.raw(
      `insert into candidates (${columns.map((c) => `"${c}"`).join(', ')}) ` +
        `select ${columns.map((_c, k) => `json_extract(value, '$[${k}]')`).join(', ')} ` +
        'from json_each(?) order by key',
      [json],
    );
    return;
  }
  for (let i = 0; i < records.length; i += INSERT_BATCH) {
    await trx('candidates').insert(records.slice(i, i + INSERT_BATCH));
  }
}

export class RosterService {
  private get knex(): Knex {
    return this.kernel.knex;
  }

  constructor(
    private readonly kernel: Kernel,
    private readonly sittings: SittingsService,
  ) {}

  private importQuery() {
    return this.knex('roster_imports as i')
      .join('users as u', 'u.id', 'i.created_by')
      .select('i.*', 'u.display_name as created_by_name');
  }

  private async loadImport(id: number): Promise<ImportRow> {
    const row = (await this.importQuery().where('i.id', id).first()) as ImportRow | undefined;
    if (!row) throw appError('NOT_FOUND', `导入记录 ${id} 不存在`);
    return row;
  }

  /** An import as the API returns it, without reading its stored preview. */
  private async loadImportSummary(id: number): Promise<ImportSummary> {
    const row = (await this.knex('roster_imports as i')
      .join('users as u', 'u.id', 'i.created_by')
      .select(...SUMMARY_COLUMNS)
      .where('i.id', id)
      .first()) as ImportSummary | undefined;
    if (!row) throw appError('NOT_FOUND', `导入记录 ${id} 不存在`);
    return row;
  }

  /** Parse and validate the file; every row gets a status before anything is stored as a candidate. */
  async preview(
    actor: Actor,
    input: { sittingId: number; fileName: string; contentBase64: string },
  ): Promise<RosterPreview> {
    const sitting = await this.sittings.get(input.sittingId);
    const bytes = Buffer.from(input.contentBase64, 'base64');
    if (bytes.length === 0) throw appError('BAD_REQUEST', '文件为空', { field: 'contentBase64' });
    let preview: StoredPreview;
    try {
      const grid = await readRosterFile(input.fileName, bytes);
      const header = findHeader(grid);
      const existing = (await this.knex('candidates')
        .where({ sitting_id: sitting.id })
        .pluck('id_number')) as string[];
      const rows = validateRoster(grid, header, {
        existingIdNumbers: new Set(existing),
        allowedLevels: sitting.levels,
      });
      preview = { sheetName: grid.sheetName, header, rows };
    } catch (err) {
      if (err instanceof RosterFileError) {
        throw appError('BAD_REQUEST', err.message, { field: 'contentBase64' });
      }
      throw err;
    }
    const counts = countRows(preview.rows);
    const id = await this.kernel.transaction(async (trx) => {
      const newId = await insertReturningId(trx, 'roster_imports', {
        sitting_id: sitting.id,
        file_name: input.fileName,
        file_sha256: createHash('sha256').update(bytes).digest('hex'),
        status: 'previewed',
        ...counts,
        preview: JSON.stringify(forStorage(preview)),
        created_by: actor.id,
        created_at: changeAtIso(trx),
      });
      await appendAudit(trx, {
        actor,
        action: 'roster.preview',
        entity: 'roster_import',
        entityId: newId,
        after: { sittingId: sitting.id, fileName: input.fileName, counts },
      });
      return newId;
    });
    return this.toPreview(await this.loadImportSummary(id), preview);
  }

  private toPreview(row: ImportSummary, p: StoredPreview): RosterPreview {
    const shown: RosterRow[] = [];
    let okShown = 0;
    let okRowsNotShown = 0;
    for (const r of p.rows) {
      if (r.status !== 'ok') shown.push(r);
      else if (okShown < PREVIEW_OK_ROWS) {
        shown.push(r);
        okShown += 1;
      } else okRowsNotShown += 1;
    }
    return {
      import: toImport(row),
      sheetName: p.sheetName,
      headerRowNumber: p.header.headerRowIndex + 1,
      columns: p.header.columns.map((c) => ({ header: c.header, field: c.field })),
      unmappedHeaders: p.header.unmappedHeaders,
      rows: shown,
      okRowsNotShown,
    };
  }

  /** Store the accepted rows (ok and warning) in one transaction; nothing is written if any row fails. */
  async commit(
    actor: Actor,
    importId: number,
  ): Promise<{ import: RosterImport; inserted: number; sittingId: number }> {
    const inserted = await this.kernel.transaction(async (trx) => {
      const row = await trx('roster_imports')
        .where({ id: importId })
        .first<Pick<ImportRow, 'sitting_id' | 'file_name' | 'status' | 'rejected' | 'preview'> | undefined>(
          'sitting_id',
          'file_name',
          'status',
          'rejected',
          'preview',
        );
      if (!row) throw appError('NOT_FOUND', `导入记录 ${importId} 不存在`);
      if (row.status !== 'previewed') {
        throw appError(
          'CONFLICT',
          row.status === 'committed' ? '该文件已经导入过了' : '该导入已放弃，请重新上传文件',
        );
      }
      const p = parseJson<StoredPreview>(row.preview, {
        sheetName: '',
        header: { headerRowIndex: 0, columns: [], unmappedHeaders: [] },
        rows: [],
      });
      const sittingId = Number(row.sitting_id);
      const accepted = p.rows.filter((r) => r.status !== 'rejected' && r.candidate !== null);
      // Someone may have added candidates to the sitting since the preview.
      const clashes = await idNumbersInSitting(
        trx,
        sittingId,
        accepted.map((r) => r.candidate!.idNumber),
      );
      if (clashes.size > 0) {
        const rowNumbers = accepted.filter((r) => clashes.has(r.candidate!.idNumber)).map((r) => r.rowNumber);
        throw appError(
          'CONFLICT',
          `第 ${rowNumbers.join('、')} 行的考生在预览之后已被加入本批次，请重新预览后再导入。`,
        );
      }
      const createdAt = changeAtIso(trx);
      const records = accepted.map((r) => candidateToRow(sittingId, r.candidate!, importId, createdAt));
      await insertCandidateRows(trx, records);
      await trx('roster_imports')
        .where({ id: importId })
        .update({ status: 'committed', committed_at: createdAt });
      publishAfterCommit(trx, { type: 'candidates.changed', sittingId });
      publishAfterCommit(trx, { type: 'sittings.changed' });
      await appendAudit(trx, {
        actor,
        action: 'roster.commit',
        entity: 'roster_import',
        entityId: importId,
        after: {
          sittingId,
          fileName: row.file_name,
          inserted: records.length,
          rejected: Number(row.rejected),
        },
      });
      return records.length;
    });
    const row = await this.loadImportSummary(importId);
    return { import: toImport(row), inserted, sittingId: Number(row.sitting_id) };
  }

  async discard(actor: Actor, importId: number): Promise<void> {
    await this.kernel.transaction(async (trx) => {
      const row = await trx('roster_imports').where({ id: importId }).first<ImportRow | undefined>();
      if (!row) throw appError('NOT_FOUND', `导入记录 ${importId} 不存在`);
      if (row.status !== 'previewed') throw appError('CONFLICT', '只能放弃尚未导入的预览');
      await trx('roster_imports').where({ id: importId }).update({ status: 'discarded' });
      await appendAudit(trx, {
        actor,
        action: 'roster.discard',
        entity: 'roster_import',
        entityId: importId,
      });
    });
  }

  async rejectedFile(importId: number): Promise<{ fileName: string; contentBase64: string }> {
    const row = await this.loadImport(importId);
    const p = parseJson<StoredPreview | null>(row.preview, null);
    if (!p) throw appError('NOT_FOUND', '导入预览数据缺失');
    const rejected = p.rows.filter((r) => r.status === 'rejected');
    if (rejected.length === 0) throw appError('NOT_FOUND', '该文件没有被拒绝的行');
    const bytes = await buildRejectedWorkbook(p.header, rejected);
    const stem = row.file_name.replace(/\.[^.]+$/, '');
    return { fileName: `${stem}-被拒绝的行.xlsx`, contentBase64: Buffer.from(bytes).toString('base64') };
  }

  async list(sittingId: number): Promise<RosterImport[]> {
    const rows = (await this.knex('roster_imports as i')
      .join('users as u', 'u.id', 'i.created_by')
      .select(...SUMMARY_COLUMNS)
      .where('i.sitting_id', sittingId)
      .orderBy('i.id', 'desc')) as ImportSummary[];
    return rows.map(toImport);
  }
}

/**
 * What the commit and the rejected-rows download need later: the original cells only of rows that
 * were not accepted cleanly (an accepted row's candidate is all the commit needs).
 */
function forStorage(p: StoredPreview): StoredPreview {
  return { ...p, rows: p.rows.map((r) => (r.status === 'ok' ? { ...r, source: {} } : r)) };
}

export function countRows(rows: readonly RosterRow[]) {
  let ok = 0;
  let warning = 0;
  let rejected = 0;
  for (const r of rows) {
    if (r.status === 'ok') ok += 1;
    else if (r.status === 'warning') warning += 1;
    else rejected += 1;
  }
  return { total: rows.length, ok, warning, rejected };
}
