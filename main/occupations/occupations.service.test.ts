/**
 * OccupationsService on both engines: the catalogue keeps one row per name and edition, returns what was
 * stored (levels sorted, booleans as booleans on both engines), and records every change in the audit trail.
 */
import { afterAll, expect, it } from 'vitest';
import { OccupationsService } from './occupations.service';
import { describeEachEngine } from '../../test/support/engines';
import {
  expectAppError,
  expectChainIntact,
  expectNoAudit,
  expectOneAudit,
} from '../../test/support/assertions';
import { occupationInput, setUpAdmin } from '../../test/support/fixtures';
import type { Actor } from '../audit/chain';
import { kernelOf } from '../../test/support/kernel';

describeEachEngine('OccupationsService', (getDb) => {
  let actor: Actor;
  const svc = () => new OccupationsService(kernelOf(getDb().knex));
  afterAll(async () => {
    await expectChainIntact(getDb().knex);
  });

  it('creates an occupation and returns it as stored', async () => {
    const { knex } = getDb();
    actor = (await setUpAdmin(knex)).actor;
    const input = occupationInput({
      trades: ['砖瓦砌筑', '砌块砌筑'],
      levelsOffered: [5, 3, 4],
      verified: true,
      standardRef: '国家职业技能标准 6-29-01-01（2019 年版）',
      note: '已核对',
    });
    const { result, entry } = await expectOneAudit(knex, 'occupations.create', () =>
      svc().create(actor, input),
    );
    expect(result).toEqual({ ...input, id: result.id, levelsOffered: [3, 4, 5] });
    expect(await svc().get(result.id)).toEqual(result);
    expect(entry).toMatchObject({ entity: 'occupation', entity_id: String(result.id) });
    expect(JSON.parse(entry.after!)).toEqual(input);
  });

  it('refuses a second occupation with the same name and edition, on the name field', async () => {
    const { knex } = getDb();
    await expectNoAudit(knex, () =>
      expectAppError(svc().create(actor, occupationInput({ code: '6-29-01-02' })), 'CONFLICT', {
        message: '职业“砌筑工”（2022 版）已存在',
        field: 'name',
      }),
    );
    // The same name in the other edition of the catalogue is a different entry.
    const old = await svc().create(actor, occupationInput({ edition: '2015', code: '6-04-01-01' }));
    expect(old).toMatchObject({ name: '砌筑工', edition: '2015', verified: false });
  });

  it('updates an occupation, recording before and after, and refuses a rename onto another one', async () => {
    const { knex } = getDb();
    const created = await svc().create(actor, occupationInput({ name: '混凝土工', code: '6-29-01-03' }));
    const changed = occupationInput({
      name: '混凝土工',
      code: '6-29-01-03',
      levelsOffered: [5, 4],
      verified: true,
    });
    const { result, entry } = await expectOneAudit(knex, 'occupations.update', () =>
      svc().update(actor, created.id, changed),
    );
    expect(result).toMatchObject({ id: created.id, levelsOffered: [4, 5], verified: true });
    expect(JSON.parse(entry.before!)).toEqual(created);
    expect(JSON.parse(entry.after!)).toEqual({ id: created.id, ...changed });
    await expectNoAudit(knex, () =>
      expectAppError(svc().update(actor, created.id, occupationInput()), 'CONFLICT', {
        message: '职业“砌筑工”（2022 版）已存在',
        field: 'name',
      }),
    );
    expect(await svc().get(created.id)).toEqual(result);
  });

  it('lists the catalogue by code and answers NOT_FOUND for an unknown id', async () => {
    const { knex } = getDb();
    expect((await svc().list()).map((o) => `${o.code} ${o.name} ${o.edition}`)).toEqual([
      '6-04-01-01 砌筑工 2015',
      '6-29-01-01 砌筑工 2022',
      '6-29-01-03 混凝土工 2022',
    ]);
    await expectAppError(svc().get(99_999), 'NOT_FOUND', { message: '职业 99999 不存在' });
    await expectNoAudit(knex, () =>
      expectAppError(svc().update(actor, 99_999, occupationInput({ name: '不存在' })), 'NOT_FOUND', {
        message: '职业 99999 不存在',
      }),
    );
  });
});
