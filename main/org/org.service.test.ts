/**
 * OrgService on both engines: the organisation is a single row, created by the first save and
 * updated afterwards, each save one audit entry holding the values before and after.
 */
import { afterAll, expect, it } from 'vitest';
import { OrgService } from './org.service';
import type { Org } from '../../shared/contract/org';
import { describeEachEngine } from '../../test/support/engines';
import { expectChainIntact, expectNoAudit, expectOneAudit } from '../../test/support/assertions';
import { setUpAdmin } from '../../test/support/fixtures';
import { kernelOf } from '../../test/support/kernel';

const ORG: Org = {
  name: '某市职业技能鉴定指导中心',
  category: 'S',
  orgCode: 'A0012',
  provinceCode: '32',
  siteSerial: '03',
  siteName: '建设路考点',
  address: '某市建设路 88 号',
};

describeEachEngine('OrgService', (getDb) => {
  afterAll(async () => {
    await expectChainIntact(getDb().knex);
  });

  it('has no organisation on a fresh database', async () => {
    expect(await new OrgService(kernelOf(getDb().knex)).get()).toBeNull();
  });

  it('creates the organisation on the first save and updates the same row afterwards', async () => {
    const { knex } = getDb();
    const { actor } = await setUpAdmin(knex);
    const org = new OrgService(kernelOf(knex));

    const first = await expectOneAudit(knex, 'org.update', () => org.update(actor, ORG));
    expect(first.result).toEqual(ORG);
    expect(first.entry).toMatchObject({ entity: 'organisation', entity_id: '1', actor_name: actor.name });
    expect(JSON.parse(first.entry.before!)).toBeNull();
    expect(JSON.parse(first.entry.after!)).toEqual(ORG);
    expect(await org.get()).toEqual(ORG);

    const changed: Org = { ...ORG, category: 'Y', siteName: '高新区考点', address: '' };
    const second = await expectOneAudit(knex, 'org.update', () => org.update(actor, changed));
    expect(JSON.parse(second.entry.before!)).toEqual(ORG);
    expect(JSON.parse(second.entry.after!)).toEqual(changed);
    expect(await org.get()).toEqual(changed);
    expect(await knex('organisation').pluck('id')).toEqual([1]);
  });

  it('saves inside a caller transaction that rolls back: neither the row nor the entry remain', async () => {
    const { knex } = getDb();
    const org = new OrgService(kernelOf(knex));
    const before = await org.get();
    await expectNoAudit(knex, async () => {
      await expect(
        kernelOf(knex).transaction(async (trx) => {
          await org.update({ id: null, name: '系统' }, { ...ORG, name: '不应保存' }, trx);
          throw new Error('rollback');
        }),
      ).rejects.toThrow('rollback');
    });
    expect(await org.get()).toEqual(before);
  });
});
