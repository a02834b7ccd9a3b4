/**
 * The kernel's promises to every service: a change's events reach subscribers only after its commit (also
 * when no RPC call is involved, e.g. a timer), never after a rollback; the change's rows and its audit entry
 * carry the same time from the host's clock.
 */
import { expect, it } from 'vitest';
import { describeEachEngine } from '../../test/support/engines';
import { buildSite } from '../../test/support/site';
import type { SiteEvent } from '../../shared/contract/events';
import { fixedClock } from './clock';
import { changeAtIso, publishAfterCommit } from './kernel';

function collect(site: {
  kernel: { events: { subscribe(signal: AbortSignal): AsyncGenerator<SiteEvent> } };
}) {
  const controller = new AbortController();
  const seen: SiteEvent[] = [];
  const done = (async () => {
    for await (const e of site.kernel.events.subscribe(controller.signal)) seen.push(e);
  })();
  return {
    seen,
    async stop() {
      controller.abort();
      await done;
    },
  };
}

const tick = () => new Promise((r) => setTimeout(r, 20));

describeEachEngine(
  'kernel',
  (getDb) => {
    it('publishes a service’s event after its commit, also when a timer (not a user’s call) makes the change', async () => {
      const clock = fixedClock('2026-12-08T01:00:00.000Z');
      const site = await buildSite(getDb(), { clock, candidates: 2 });
      const events = collect(site);
      await tick();
      // No RPC involved: a timer fires and the service changes the sitting.
      await new Promise<void>((resolve, reject) => {
        setTimeout(() => {
          site.services.sittings
            .update(site.admin.actor, site.sitting.id, {
              name: '定时任务改名的批次',
              occupationId: site.sitting.occupationId,
              trade: '',
              levels: site.sitting.levels,
              components: site.sitting.components,
              startDate: site.sitting.startDate,
              endDate: site.sitting.endDate,
            })
            .then(() => resolve(), reject);
        }, 5);
      });
      await tick();
      await events.stop();
      expect(events.seen.filter((e) => e.type !== 'hello')).toEqual([
        { type: 'sittings.changed', at: '2026-12-08T01:00:00.000Z' },
      ]);
    });

    it('publishes nothing for a change that rolls back, and the row and its audit entry share the host time', async () => {
      const clock = fixedClock('2026-12-08T02:00:00.000Z');
      const site = await buildSite(getDb(), { clock, candidates: 1 });
      const { kernel } = site;
      const events = collect(site);
      await tick();
      await expect(
        kernel.transaction((trx) => {
          publishAfterCommit(trx, { type: 'sittings.changed' });
          return Promise.reject(new Error('the change fails'));
        }),
      ).rejects.toThrow('the change fails');
      clock.advance(90_000);
      const at = await kernel.transaction((trx) => {
        publishAfterCommit(trx, { type: 'sittings.changed' });
        return Promise.resolve(changeAtIso(trx));
      });
      await tick();
      await events.stop();
      expect(at).toBe('2026-12-08T02:01:30.000Z');
      expect(events.seen.filter((e) => e.type !== 'hello')).toEqual([{ type: 'sittings.changed', at }]);

      const row = await kernel
        .knex('sittings')
        .where({ id: site.sitting.id })
        .first<{ created_at: string }>();
      const entry = await kernel
        .knex('audit_log')
        .where({ action: 'sittings.create', entity_id: String(site.sitting.id) })
        .first<{ at: string }>();
      expect(row.created_at).toBe('2026-12-08T02:00:00.000Z');
      expect(entry.at).toBe(row.created_at);
    });

    it('refuses an audit entry outside a kernel transaction (it would have no host time)', async () => {
      const { appendAudit, SYSTEM_ACTOR } = await import('../audit/chain');
      await expect(
        getDb().knex.transaction((trx) =>
          appendAudit(trx, { actor: SYSTEM_ACTOR, action: 'x.y', entity: 'z' }),
        ),
      ).rejects.toThrow('kernel.transaction');
    });
  },
  { per: 'test' },
);
