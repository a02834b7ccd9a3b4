/**
 * RosterService on both engines, with real roster files (test/fixtures/roster): a preview stores the
 * validated rows and writes nothing to the candidate table; a commit stores every accepted row in one
 * transaction with one audit entry, exactly once; a discarded or raced import is refused; the rejected
 * rows come back as a spreadsheet to correct.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RosterService } from './roster.service';
import { SittingsService } from '../sittings/sittings.service';
import type { Actor } from '../audit/chain';
import { describeEachEngine } from '../../test/support/engines';
import {
  auditEntriesSince,
  expectAppError,
  expectChainIntact,
  expectNoAudit,
  expectOneAudit,
  lastAuditSeq,
} from '../../test/support/assertions';
import {
  candidateFields,
  createOccupation,
  createSitting,
  insertCandidates,
  setUpAdmin,
} from '../../test/support/fixtures';
import {
  FIXTURE_ALLOWED_LEVELS,
  GBK_CSV_EXPECTED,
  MESSY_ROSTER_EXPECTED,
  makeGbkRosterCsv,
  makeMessyRosterXlsx,
  makeValidRosterXlsx,
  syntheticIdNumber,
  type RosterExpectation,
} from '../../test/fixtures/roster/make-roster';
import type { RosterPreview } from '../../shared/contract/roster-api';
import { kernelOf } from '../../test/support/kernel';

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

function expectMatches(preview: RosterPreview, expected: RosterExpectation): void {
  expect(preview.headerRowNumber).toBe(expected.headerRowNumber);
  expect(preview.import.counts).toEqual({
    total: expected.dataRows,
    ok: expected.ok,
    warning: expected.warning,
    rejected: expected.rejected,
  });
  for (const want of expected.rows) {
    const row = preview.rows.find((r) => r.rowNumber === want.rowNumber);
    expect(row, `row ${want.rowNumber}`).toBeDefined();
    expect(row!.status, `row ${want.rowNumber}`).toBe(want.status);
    if (want.code) {
      expect(
        row!.messages.map((m) => m.code),
        `row ${want.rowNumber}`,
      ).toContain(want.code);
    }
    expect(row!.candidate === null, `row ${want.rowNumber}`).toBe(want.status === 'rejected');
  }
}

describeEachEngine('RosterService', (getDb) => {
  let actor: Actor;
  let occupationId: number;
  let messy: Uint8Array;
  const svc = () => new RosterService(kernelOf(getDb().knex), new SittingsService(kernelOf(getDb().knex)));
  const candidatesIn = async (sittingId: number) =>
    (await getDb().knex('candidates').where({ sitting_id: sittingId }).orderBy('id')) as Array<{
      name: string;
      id_number: string;
      import_id: number | null;
      applied_level: number;
      review_status: string;
    }>;
  const newSitting = async (name: string) =>
    (
      await createSitting(getDb().knex, occupationId, {
        name,
        levels: [...FIXTURE_ALLOWED_LEVELS],
        components: Object.fromEntries(
          FIXTURE_ALLOWED_LEVELS.map((l) => [String(l), ['theory', 'practical']]),
        ),
      })
    ).id;

  beforeAll(async () => {
    const { knex } = getDb();
    actor = (await setUpAdmin(knex)).actor;
    occupationId = (await createOccupation(knex, { levelsOffered: [1, 2, 3, 4, 5] })).id;
    messy = await makeMessyRosterXlsx();
  });
  afterAll(async () => {
    await expectChainIntact(getDb().knex);
  });

  it('previews a messy spreadsheet: every row gets its status, nothing is stored as a candidate yet', async () => {
    const { knex } = getDb();
    const sittingId = await newSitting('预览');
    const { result: preview, entry } = await expectOneAudit(knex, 'roster.preview', () =>
      svc().preview(actor, { sittingId, fileName: '花名册-混乱.xlsx', contentBase64: b64(messy) }),
    );
    expectMatches(preview, MESSY_ROSTER_EXPECTED);
    expect(preview.import).toMatchObject({
      sittingId,
      fileName: '花名册-混乱.xlsx',
      status: 'previewed',
      createdBy: '考务管理员',
      committedAt: null,
    });
    expect(preview.okRowsNotShown).toBe(0);
    expect(preview.sheetName).toBe('花名册');
    expect(JSON.parse(entry.after!)).toEqual({
      sittingId,
      fileName: '花名册-混乱.xlsx',
      counts: preview.import.counts,
    });
    expect(await candidatesIn(sittingId)).toEqual([]);
    expect(await svc().list(sittingId)).toEqual([preview.import]);
  });

  it('commits the accepted rows once, in one transaction with one audit entry', async () => {
    const { knex } = getDb();
    const sittingId = await newSitting('导入');
    const preview = await svc().preview(actor, { sittingId, fileName: 'a.xlsx', contentBase64: b64(messy) });
    const accepted = MESSY_ROSTER_EXPECTED.ok + MESSY_ROSTER_EXPECTED.warning;

    const { result, entry } = await expectOneAudit(knex, 'roster.commit', () =>
      svc().commit(actor, preview.import.id),
    );
    expect(result).toMatchObject({ inserted: accepted, sittingId, import: { status: 'committed' } });
    expect(result.import.committedAt).not.toBeNull();
    expect(JSON.parse(entry.after!)).toEqual({
      sittingId,
      fileName: 'a.xlsx',
      inserted: accepted,
      rejected: MESSY_ROSTER_EXPECTED.rejected,
    });
    const stored = await candidatesIn(sittingId);
    expect(stored).toHaveLength(accepted);
    expect(
      stored.every((c) => Number(c.import_id) === preview.import.id && c.review_status === 'pending'),
    ).toBe(true);
    // Normalised on the way in: upper-case X, half-width digits, 15-digit numbers upgraded to 18.
    for (const c of stored) expect(c.id_number).toMatch(/^\d{17}[\dX]$/);
    expect(stored.map((c) => c.id_number)).toContain('34052419800101001X');
    expect((await new SittingsService(kernelOf(knex)).get(sittingId)).candidateCount).toBe(accepted);

    await expectNoAudit(knex, () =>
      expectAppError(svc().commit(actor, preview.import.id), 'CONFLICT', { message: '该文件已经导入过了' }),
    );
    expect(await candidatesIn(sittingId)).toHaveLength(accepted);

    // The same file again: everyone is already in the sitting.
    const again = await svc().preview(actor, { sittingId, fileName: 'a.xlsx', contentBase64: b64(messy) });
    expect(again.import.counts.ok + again.import.counts.warning).toBe(0);
    const dupRows = again.rows.filter((r) => r.messages.some((m) => m.code === 'id_already_in_sitting'));
    expect(dupRows).toHaveLength(accepted);
  });

  it('refuses a commit when someone added one of its people after the preview, and stores nobody', async () => {
    const { knex } = getDb();
    const sittingId = await newSitting('竞态');
    const preview = await svc().preview(actor, { sittingId, fileName: 'b.xlsx', contentBase64: b64(messy) });
    const someone = preview.rows.find((r) => r.status === 'ok')!;
    await insertCandidates(knex, sittingId, [
      candidateFields({
        name: someone.candidate!.name,
        idNumber: someone.candidate!.idNumber,
        appliedLevel: 4,
      }),
    ]);
    await expectNoAudit(knex, () =>
      expectAppError(svc().commit(actor, preview.import.id), 'CONFLICT', {
        message: `第 ${someone.rowNumber} 行的考生在预览之后已被加入本批次，请重新预览后再导入。`,
      }),
    );
    expect(await candidatesIn(sittingId)).toHaveLength(1);
    expect((await svc().list(sittingId))[0]!.status).toBe('previewed');
  });

  it('discards a preview; a discarded import cannot be committed or discarded again', async () => {
    const { knex } = getDb();
    const sittingId = await newSitting('放弃');
    const preview = await svc().preview(actor, { sittingId, fileName: 'c.xlsx', contentBase64: b64(messy) });
    await expectOneAudit(knex, 'roster.discard', () => svc().discard(actor, preview.import.id));
    expect((await svc().list(sittingId))[0]!.status).toBe('discarded');
    await expectNoAudit(knex, async () => {
      await expectAppError(svc().commit(actor, preview.import.id), 'CONFLICT', {
        message: '该导入已放弃，请重新上传文件',
      });
      await expectAppError(svc().discard(actor, preview.import.id), 'CONFLICT', {
        message: '只能放弃尚未导入的预览',
      });
    });
    expect(await candidatesIn(sittingId)).toEqual([]);
  });

  it('reads a GBK-encoded CSV as Chinese Excel saves it', async () => {
    const sittingId = await newSitting('CSV');
    const preview = await svc().preview(actor, {
      sittingId,
      fileName: '花名册.csv',
      contentBase64: b64(makeGbkRosterCsv()),
    });
    expectMatches(preview, GBK_CSV_EXPECTED);
    expect(preview.rows.find((r) => r.rowNumber === 3)!.candidate!.name).toBe('买买提·艾力');
    const { inserted } = await svc().commit(actor, preview.import.id);
    expect(inserted).toBe(2);
    expect((await candidatesIn(sittingId)).map((c) => c.name)).toEqual(['买买提·艾力', '欧阳娜娜']);
  });

  it('returns the rejected rows as a spreadsheet, and says so when there are none', async () => {
    const sittingId = await newSitting('被拒绝的行');
    const preview = await svc().preview(actor, {
      sittingId,
      fileName: '三月花名册.xlsx',
      contentBase64: b64(messy),
    });
    const file = await svc().rejectedFile(preview.import.id);
    expect(file.fileName).toBe('三月花名册-被拒绝的行.xlsx');
    expect(Buffer.from(file.contentBase64, 'base64').subarray(0, 2).toString('latin1')).toBe('PK'); // a zip (xlsx)

    const clean = await svc().preview(actor, {
      sittingId,
      fileName: 'clean.xlsx',
      contentBase64: b64(await makeValidRosterXlsx(3)),
    });
    await expectAppError(svc().rejectedFile(clean.import.id), 'NOT_FOUND', {
      message: '该文件没有被拒绝的行',
    });
  });

  it('refuses an empty file, an unreadable file, an unknown sitting or import, writing nothing', async () => {
    const { knex } = getDb();
    const sittingId = await newSitting('坏文件');
    const before = await lastAuditSeq(knex);
    await expectAppError(
      svc().preview(actor, { sittingId, fileName: 'x.xlsx', contentBase64: '' }),
      'BAD_REQUEST',
      {
        message: '文件为空',
        field: 'contentBase64',
      },
    );
    await expectAppError(
      svc().preview(actor, {
        sittingId,
        fileName: 'x.xlsx',
        contentBase64: b64(new TextEncoder().encode('不是表格')),
      }),
      'BAD_REQUEST',
      { field: 'contentBase64' },
    );
    await expectAppError(
      svc().preview(actor, { sittingId: 99_999, fileName: 'x.xlsx', contentBase64: b64(messy) }),
      'NOT_FOUND',
      { message: '认定批次 99999 不存在' },
    );
    await expectAppError(svc().commit(actor, 99_999), 'NOT_FOUND', { message: '导入记录 99999 不存在' });
    await expectAppError(svc().discard(actor, 99_999), 'NOT_FOUND', { message: '导入记录 99999 不存在' });
    expect(await auditEntriesSince(knex, before)).toEqual([]);
    expect(await svc().list(sittingId)).toEqual([]);
  });

  it('commits a roster larger than one insert batch completely, and previews only part of the ok rows', async () => {
    const { knex } = getDb();
    const sittingId = await newSitting('大名单');
    const rows = 1_250;
    const preview = await svc().preview(actor, {
      sittingId,
      fileName: 'big.xlsx',
      contentBase64: b64(await makeValidRosterXlsx(rows)),
    });
    expect(preview.import.counts).toEqual({ total: rows, ok: rows, warning: 0, rejected: 0 });
    expect(preview.rows.length + preview.okRowsNotShown).toBe(rows);
    expect(preview.rows.length).toBeLessThan(rows);
    const { result } = await expectOneAudit(knex, 'roster.commit', () =>
      svc().commit(actor, preview.import.id),
    );
    expect(result.inserted).toBe(rows);
    const ids = (await candidatesIn(sittingId)).map((c) => c.id_number);
    expect(ids).toHaveLength(rows);
    expect(new Set(ids)).toEqual(new Set(Array.from({ length: rows }, (_, i) => syntheticIdNumber(i))));
  });
});
