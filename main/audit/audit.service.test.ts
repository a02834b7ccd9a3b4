import { expect, it } from 'vitest';
import { describeEachEngine } from '../../test/support/engines';
import { appendAudit, SYSTEM_ACTOR } from './chain';
import { AuditService } from './audit.service';
import { kernelOf } from '../../test/support/kernel';

describeEachEngine('the audit page list', (getDb) => {
  it('filters by the start of the action name, taking % and _ literally, newest first', async () => {
    const { knex } = getDb();
    for (const action of ['roster.commit', 'rooms.create', 'printing.print', 'rooms.update']) {
      await kernelOf(knex).transaction((trx) =>
        appendAudit(trx, { actor: SYSTEM_ACTOR, action, entity: 'test' }),
      );
    }
    const audit = new AuditService(kernelOf(knex));
    const actions = async (action?: string) =>
      (await audit.list({ page: 1, pageSize: 50, action })).rows
        .map((r) => r.action)
        .filter((a) => ['roster.commit', 'rooms.create', 'printing.print', 'rooms.update'].includes(a));
    expect(await actions('ro')).toEqual(['rooms.update', 'rooms.create', 'roster.commit']);
    expect(await actions('rooms.')).toEqual(['rooms.update', 'rooms.create']);
    expect(await actions('%')).toEqual([]);
    expect(await actions('r_oms')).toEqual([]);
    expect((await audit.list({ page: 1, pageSize: 50, action: 'printing' })).total).toBe(1);
    expect(await actions()).toHaveLength(4);
  });
});
