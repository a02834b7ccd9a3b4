/**
 * CandidatesService on both engines: the list finds people the way staff look for them (name, employer,
 * ticket number, the last digits of the ID number — never the middle of it), shows ID numbers and phones
 * masked, pages and sorts; a review decision changes the statuses and writes one audit entry.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CandidatesService, type CandidateListInput } from './candidates.service';
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
  idNumber,
  insertCandidates,
  setUpAdmin,
} from '../../test/support/fixtures';
import type { Actor } from '../audit/chain';
import type { CandidateFields } from '../../shared/contract/candidates';
import { SittingsService } from '../sittings/sittings.service';
import { kernelOf } from '../../test/support/kernel';

/** Twelve candidates; index i has admission ticket T0i and was created i seconds after the first. */
const PEOPLE: CandidateFields[] = [
  ['张伟', '1985-03-15', 1, 5, '市第一建筑工程有限公司'],
  ['王芳', '1990-07-01', 2, 4, '城建集团第三分公司'],
  ['李娜', '1988-11-30', 3, 5, '安居建设有限公司'],
  ['刘洋', '1979-01-09', 4, 4, null],
  ['陈静', '1992-05-20', 5, 5, '市第一建筑工程有限公司'],
  ['张秀英', '1983-08-08', 6, 4, '个人'],
  ['杨磊', '1995-12-12', 7, 5, '城建集团第三分公司'],
  ['赵敏', '1987-04-04', 8, 5, '安居建设有限公司'],
  ['黄强', '1975-10-10', 9, 4, '市第一建筑工程有限公司'],
  ['周杰', '1999-02-28', 10, 5, '个人'],
  ['吴张', '1981-06-06', 11, 4, '城建集团第三分公司'],
  ['徐明', '1993-09-09', 12, 5, '安居建设有限公司'],
].map(([name, birth, seq, level, employer], i) =>
  candidateFields({
    name: name as string,
    idNumber: idNumber(birth as string, seq as number),
    birthDate: birth as string,
    appliedLevel: level as 4 | 5,
    employer: employer as string | null,
    phone: `1380000${String(1000 + i)}`,
    admissionTicketNo: `T${String(i).padStart(2, '0')}`,
  }),
);

describeEachEngine('CandidatesService', (getDb) => {
  let actor: Actor;
  let sittingId: number;
  let otherSittingId: number;
  let ids: number[];
  const svc = () =>
    new CandidatesService(kernelOf(getDb().knex), new SittingsService(kernelOf(getDb().knex)));
  const list = (input: Partial<CandidateListInput>) =>
    svc().list({ sittingId, page: 1, pageSize: 50, ...input });
  const names = async (input: Partial<CandidateListInput>) => (await list(input)).rows.map((r) => r.name);

  beforeAll(async () => {
    const { knex } = getDb();
    actor = (await setUpAdmin(knex)).actor;
    const occ = await createOccupation(knex);
    sittingId = (await createSitting(knex, occ.id)).id;
    otherSittingId = (await createSitting(knex, occ.id, { name: '另一批次' })).id;
    ids = await insertCandidates(knex, sittingId, PEOPLE);
    // Same person in another sitting: never shows up in this sitting's list.
    await insertCandidates(knex, otherSittingId, [PEOPLE[0]!]);
  });
  afterAll(async () => {
    await expectChainIntact(getDb().knex);
  });

  it('lists the sitting in creation order with ID numbers and phones masked', async () => {
    const { total, rows } = await list({});
    expect(total).toBe(12);
    expect(rows.map((r) => r.name)).toEqual(PEOPLE.map((p) => p.name));
    const first = rows[0]!;
    const fullId = PEOPLE[0]!.idNumber;
    expect(first.idNumber).toBe(`${fullId.slice(0, 4)}**********${fullId.slice(-4)}`);
    expect(first.phone).toBe('1380***1000');
    expect(first).toMatchObject({
      sittingId,
      appliedLevel: 5,
      reviewStatus: 'pending',
      reviewReason: null,
      importId: null,
    });
    for (const r of rows) expect(r.idNumber).not.toMatch(/^\d{17}[\dX]$/);
  });

  it('finds people by part of the name, the employer, or the admission ticket', async () => {
    expect(await names({ search: '张' })).toEqual(['张伟', '张秀英', '吴张']);
    expect(await names({ search: '秀英' })).toEqual(['张秀英']);
    expect(await names({ search: '安居' })).toEqual(['李娜', '赵敏', '徐明']);
    expect(await names({ search: 'T07' })).toEqual(['赵敏']);
    expect(await names({ search: '没有这个人' })).toEqual([]);
  });

  // SQLite's LIKE has no escape character unless the query says ESCAPE: this once failed there.
  it('treats % and _ typed in the search box as ordinary characters', async () => {
    const { knex } = getDb();
    await insertCandidates(knex, otherSittingId, [
      candidateFields({ name: '孙_一', idNumber: idNumber('1980-01-01', 21), employer: '百分百100%建设' }),
      candidateFields({ name: '孙二', idNumber: idNumber('1980-01-01', 22), employer: '1000建设' }),
    ]);
    const other = async (search: string) =>
      (await svc().list({ sittingId: otherSittingId, page: 1, pageSize: 50, search })).rows.map(
        (r) => r.name,
      );
    expect(await other('孙')).toEqual(['孙_一', '孙二']);
    expect(await other('100%')).toEqual(['孙_一']);
    expect(await other('孙_')).toEqual(['孙_一']);
  });

  it('finds a person by the last 4–6 characters of the ID number, X in either case, but not by its middle', async () => {
    const withX = PEOPLE.find((p) => p.idNumber.endsWith('X'));
    for (const p of PEOPLE.slice(0, 4)) {
      const found = await list({ search: p.idNumber.slice(-4) });
      expect(
        found.rows.map((r) => r.name),
        p.idNumber,
      ).toContain(p.name);
      expect(found.rows.every((r) => r.idNumber.endsWith(p.idNumber.slice(-4)))).toBe(true);
    }
    expect(await names({ search: PEOPLE[1]!.idNumber.slice(-6) })).toEqual([PEOPLE[1]!.name]);
    if (withX) expect(await names({ search: withX.idNumber.slice(-4).toLowerCase() })).toContain(withX.name);
    // The birth date in the middle of the number does not find anyone.
    expect(await names({ search: PEOPLE[0]!.idNumber.slice(6, 10) })).toEqual([]);
    expect(await names({ search: PEOPLE[0]!.idNumber.slice(6, 14) })).toEqual([]);
    // Nor does the whole number: the list is not a way to look up a full ID number.
    expect(await names({ search: PEOPLE[0]!.idNumber })).toEqual([]);
  });

  it('pages through the list without losing or repeating anyone', async () => {
    const seen: string[] = [];
    for (let page = 1; page <= 3; page += 1) {
      const res = await list({ page, pageSize: 5 });
      expect(res.total).toBe(12);
      expect(res.rows).toHaveLength(page < 3 ? 5 : 2);
      seen.push(...res.rows.map((r) => r.name));
    }
    expect(seen).toEqual(PEOPLE.map((p) => p.name));
    expect((await list({ page: 4, pageSize: 5 })).rows).toEqual([]);
  });

  it('sorts by the chosen column in either direction, ties in creation order', async () => {
    expect(await names({ sort: { field: 'admissionTicketNo', direction: 'desc' } })).toEqual(
      PEOPLE.map((p) => p.name).reverse(),
    );
    const byLevel = await list({ sort: { field: 'appliedLevel', direction: 'asc' } });
    expect(byLevel.rows.map((r) => r.appliedLevel)).toEqual([4, 4, 4, 4, 4, 5, 5, 5, 5, 5, 5, 5]);
    expect(byLevel.rows.slice(0, 5).map((r) => r.name)).toEqual(['王芳', '刘洋', '张秀英', '黄强', '吴张']);
    expect(await names({ sort: { field: 'createdAt', direction: 'desc' } })).toEqual(
      PEOPLE.map((p) => p.name).reverse(),
    );
  });

  it('filters by level and combines filters with search and paging', async () => {
    expect(await names({ level: 4 })).toEqual(['王芳', '刘洋', '张秀英', '黄强', '吴张']);
    const res = await list({ level: 5, search: '市第一', pageSize: 1, page: 2 });
    expect(res.total).toBe(2);
    expect(res.rows.map((r) => r.name)).toEqual(['陈静']);
  });

  it('approves a batch in one audit entry and the statuses change', async () => {
    const { knex } = getDb();
    const batch = [ids[0]!, ids[1]!, ids[2]!];
    const { result, entry } = await expectOneAudit(knex, 'candidates.review', () =>
      svc().review(actor, { candidateIds: batch, decision: 'approved' }),
    );
    expect(result).toEqual({ updated: 3, sittingIds: [sittingId] });
    expect(entry).toMatchObject({ entity: 'candidate', entity_id: null, actor_id: actor.id });
    expect(JSON.parse(entry.before!)).toEqual(
      batch.map((id) => ({ id, reviewStatus: 'pending', reason: null })),
    );
    expect(JSON.parse(entry.after!)).toEqual({ ids: batch, reviewStatus: 'approved', reason: null });
    expect(await names({ reviewStatus: 'approved' })).toEqual(['张伟', '王芳', '李娜']);
    expect(await names({ reviewStatus: 'pending' })).toHaveLength(9);
    const row = await knex('candidates')
      .where({ id: ids[0] })
      .first<{ reviewed_by: number; reviewed_at: string }>();
    expect(Number(row.reviewed_by)).toBe(actor.id);
    expect(Date.parse(row.reviewed_at)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('rejects one candidate with the reason kept; returning to pending clears it', async () => {
    const { knex } = getDb();
    const id = ids[3]!;
    const { entry } = await expectOneAudit(knex, 'candidates.review', () =>
      svc().review(actor, { candidateIds: [id], decision: 'rejected', reason: '从业年限不足' }),
    );
    expect(entry.entity_id).toBe(String(id));
    expect(JSON.parse(entry.after!)).toEqual({ ids: [id], reviewStatus: 'rejected', reason: '从业年限不足' });
    expect((await list({ reviewStatus: 'rejected' })).rows).toMatchObject([
      { name: '刘洋', reviewStatus: 'rejected', reviewReason: '从业年限不足' },
    ]);

    // A reason given with an approval is not stored.
    await svc().review(actor, { candidateIds: [id], decision: 'pending', reason: '误操作' });
    const after = (await list({ search: '刘洋' })).rows[0]!;
    expect(after).toMatchObject({ reviewStatus: 'pending', reviewReason: null });
  });

  it('refuses a review naming a candidate that does not exist and changes nobody', async () => {
    const { knex } = getDb();
    const before = await lastAuditSeq(knex);
    await expectNoAudit(knex, () =>
      expectAppError(
        svc().review(actor, { candidateIds: [ids[4]!, 99_999], decision: 'approved' }),
        'NOT_FOUND',
        {
          message: '考生 99999 不存在',
          field: 'candidateIds',
        },
      ),
    );
    expect((await list({ search: '陈静' })).rows[0]!.reviewStatus).toBe('pending');
    expect(await auditEntriesSince(knex, before)).toEqual([]);
  });
});
