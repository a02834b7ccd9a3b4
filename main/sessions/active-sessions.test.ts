import { expect, it } from 'vitest';
import { describeEachEngine } from '../../test/support/engines';
import { createOccupation, createSitting, setUpAdmin } from '../../test/support/fixtures';
import { SessionsService } from './sessions.service';
import { activeExamSessions } from './active-sessions';
import { kernelOf } from '../../test/support/kernel';

describeEachEngine('running exam sessions (the updater waits for them)', (getDb) => {
  it('a session runs from the room opening until its end, and only then', async () => {
    const { knex } = getDb();
    const { actor } = await setUpAdmin(knex);
    const occ = await createOccupation(knex);
    const sitting = await createSitting(knex, occ.id);
    const sessions = new SessionsService(kernelOf(knex));
    await sessions.create(actor, {
      sittingId: sitting.id,
      name: '理论知识考试',
      component: 'theory',
      startsAt: '2026-12-05T09:00:00+08:00',
      endsAt: '2026-12-05T10:30:00+08:00',
      opensMinutesBefore: 30,
      lateCutoffMinutes: 15,
    });
    await sessions.create(actor, {
      sittingId: sitting.id,
      name: '操作技能考核',
      component: 'practical',
      startsAt: '2026-12-05T14:00:00+08:00',
      endsAt: '2026-12-05T16:00:00+08:00',
      opensMinutesBefore: 20,
      lateCutoffMinutes: 15,
    });
    const at = async (local: string) => (await activeExamSessions(knex, new Date(local))).map((s) => s.name);
    expect(await at('2026-12-05T08:29:00+08:00')).toEqual([]);
    expect(await at('2026-12-05T08:30:00+08:00')).toEqual(['理论知识考试']);
    expect(await at('2026-12-05T10:30:00+08:00')).toEqual(['理论知识考试']);
    expect(await at('2026-12-05T10:31:00+08:00')).toEqual([]);
    expect(await at('2026-12-05T13:39:00+08:00')).toEqual([]);
    expect(await at('2026-12-05T13:40:00+08:00')).toEqual(['操作技能考核']);
    expect(await at('2026-12-06T09:00:00+08:00')).toEqual([]);
  });
});
