/**
 * SittingsService on both engines: a sitting only offers levels its occupation has, each level needs its
 * assessment components and only levels 1–2 take the comprehensive review; a level cannot be removed
 * once candidates applied for it; every change is one audit entry.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SittingsService } from './sittings.service';
import { describeEachEngine } from '../../test/support/engines';
import {
  expectAppError,
  expectChainIntact,
  expectNoAudit,
  expectOneAudit,
} from '../../test/support/assertions';
import {
  candidateFields,
  createOccupation,
  idNumber,
  insertCandidates,
  setUpAdmin,
  sittingInput,
} from '../../test/support/fixtures';
import type { Actor } from '../audit/chain';
import { kernelOf } from '../../test/support/kernel';

describeEachEngine('SittingsService', (getDb) => {
  let actor: Actor;
  let occupationId: number; // offers levels 3, 4, 5
  let seniorOccupationId: number; // offers levels 1–5
  const svc = () => new SittingsService(kernelOf(getDb().knex));
  beforeAll(async () => {
    const { knex } = getDb();
    actor = (await setUpAdmin(knex)).actor;
    occupationId = (await createOccupation(knex, { levelsOffered: [3, 4, 5] })).id;
    seniorOccupationId = (
      await createOccupation(knex, { name: '钢筋工', code: '6-29-01-04', levelsOffered: [1, 2, 3, 4, 5] })
    ).id;
  });
  afterAll(async () => {
    await expectChainIntact(getDb().knex);
  });

  it('creates a planned sitting with its occupation, levels and components', async () => {
    const { knex } = getDb();
    const input = sittingInput(occupationId, {
      levels: [5, 3],
      components: { '3': ['theory', 'practical'], '5': ['practical'] },
    });
    const { result, entry } = await expectOneAudit(knex, 'sittings.create', () => svc().create(actor, input));
    expect(result).toEqual({
      id: result.id,
      name: input.name,
      occupationId,
      occupationName: '砌筑工',
      occupationCode: '6-29-01-01',
      trade: '',
      levels: [3, 5],
      components: { '3': ['theory', 'practical'], '5': ['practical'] },
      startDate: '2026-12-01',
      endDate: '2026-12-02',
      status: 'planned',
      candidateCount: 0,
    });
    expect(entry).toMatchObject({ entity: 'sitting', entity_id: String(result.id) });
    expect(JSON.parse(entry.after!)).toEqual(input);
    expect(await svc().get(result.id)).toEqual(result);
  });

  it('refuses a level the occupation does not offer, on the levels field', async () => {
    const { knex } = getDb();
    await expectNoAudit(knex, () =>
      expectAppError(
        svc().create(
          actor,
          sittingInput(occupationId, {
            levels: [2, 4],
            components: { '2': ['theory', 'practical', 'comprehensive'], '4': ['theory'] },
          }),
        ),
        'BAD_REQUEST',
        { message: '该职业不设 2 级', field: 'levels' },
      ),
    );
  });

  it('refuses the comprehensive review on level 3 and below, and accepts it on levels 1 and 2', async () => {
    const { knex } = getDb();
    await expectNoAudit(knex, () =>
      expectAppError(
        svc().create(
          actor,
          sittingInput(seniorOccupationId, {
            levels: [3],
            components: { '3': ['theory', 'practical', 'comprehensive'] },
          }),
        ),
        'BAD_REQUEST',
        { message: '综合评审仅适用于二级/技师和一级/高级技师', field: 'components.3' },
      ),
    );
    const senior = await svc().create(
      actor,
      sittingInput(seniorOccupationId, {
        name: '技师、高级技师认定',
        levels: [1, 2],
        components: { '1': ['theory', 'practical', 'comprehensive'], '2': ['comprehensive'] },
      }),
    );
    expect(senior.components).toEqual({
      '1': ['theory', 'practical', 'comprehensive'],
      '2': ['comprehensive'],
    });
  });

  it('refuses a level without components and an occupation that does not exist', async () => {
    const { knex } = getDb();
    await expectNoAudit(knex, async () => {
      await expectAppError(
        svc().create(actor, sittingInput(occupationId, { levels: [4, 5], components: { '5': ['theory'] } })),
        'BAD_REQUEST',
        { message: '请为 4 级选择考核项目', field: 'components.4' },
      );
      await expectAppError(svc().create(actor, sittingInput(99_999)), 'BAD_REQUEST', {
        message: '所选职业不存在',
        field: 'occupationId',
      });
    });
  });

  it('counts candidates and refuses to remove a level candidates applied for', async () => {
    const { knex } = getDb();
    const sitting = await svc().create(actor, sittingInput(occupationId, { name: '带考生的批次' }));
    await insertCandidates(knex, sitting.id, [
      candidateFields({ name: '张三', idNumber: idNumber('1990-01-01', 11), appliedLevel: 5 }),
      candidateFields({ name: '李四', idNumber: idNumber('1991-02-02', 12), appliedLevel: 5 }),
    ]);
    expect((await svc().get(sitting.id)).candidateCount).toBe(2);

    await expectNoAudit(knex, () =>
      expectAppError(
        svc().update(
          actor,
          sitting.id,
          sittingInput(occupationId, { levels: [4], components: { '4': ['theory'] } }),
        ),
        'CONFLICT',
        { message: '已有考生申报 5 级，不能移除该等级', field: 'levels' },
      ),
    );
    // Removing level 4, which nobody applied for, is fine; so is renaming.
    const input = sittingInput(occupationId, {
      name: '改名后的批次',
      levels: [5],
      components: { '5': ['practical'] },
    });
    const { result, entry } = await expectOneAudit(knex, 'sittings.update', () =>
      svc().update(actor, sitting.id, input),
    );
    expect(result).toMatchObject({
      name: '改名后的批次',
      levels: [5],
      components: { '5': ['practical'] },
      candidateCount: 2,
    });
    expect(JSON.parse(entry.before!)).toMatchObject({
      name: '带考生的批次',
      levels: [4, 5],
      candidateCount: 2,
    });
    expect(JSON.parse(entry.after!)).toEqual(input);
  });

  it('lists sittings newest first and answers NOT_FOUND for an unknown one', async () => {
    const { knex } = getDb();
    const later = await svc().create(
      actor,
      sittingInput(occupationId, { name: '下半年批次', startDate: '2027-06-01', endDate: '2027-06-01' }),
    );
    const list = await svc().list();
    expect(list[0]).toEqual(later);
    const starts = list.map((s) => s.startDate);
    expect(starts).toEqual([...starts].sort().reverse());
    await expectAppError(svc().get(99_999), 'NOT_FOUND', { message: '认定批次 99999 不存在' });
    await expectNoAudit(knex, () =>
      expectAppError(svc().update(actor, 99_999, sittingInput(occupationId)), 'NOT_FOUND', {
        message: '认定批次 99999 不存在',
      }),
    );
  });
});
