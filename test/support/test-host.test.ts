/**
 * The in-process test host as later suites will use it: a pinned clock the host answers with, one typed
 * client per role over real HTTP, the server's role check, and events published by the services.
 */
import { afterEach, expect, it } from 'vitest';
import { ORPCError } from '@orpc/client';
import { fixedClock } from '../../main/base/clock';
import { describeEachEngine } from './engines';
import { startTestHost, type TestHost } from './test-host';

describeEachEngine(
  'test host',
  (_getDb, target) => {
    let host: TestHost | undefined;
    afterEach(async () => {
      await host?.close();
      host = undefined;
    });

    it('answers with its pinned clock and a client per role, and refuses a role the contract does not allow', async () => {
      host = await startTestHost(target.options(), { clock: fixedClock('2026-12-08T01:00:00.000Z') });
      const admin = await host.clientFor('exam_admin');
      expect((await admin.system.info()).serverTime).toBe('2026-12-08T01:00:00.000Z');
      host.clock.advance(61_000);
      expect((await admin.system.info()).serverTime).toBe('2026-12-08T01:01:01.000Z');
      expect((await admin.system.info()).timeZone).toBe('Asia/Shanghai');

      const proctor = await host.clientFor('proctor');
      expect((await proctor.auth.me()).roles).toEqual(['proctor']);
      const refused = await proctor.system.backups().catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(ORPCError);
      expect((refused as ORPCError<string, unknown>).code).toBe('FORBIDDEN');
      const anonymous = await host.anonymous.sittings.list().catch((e: unknown) => e);
      expect((anonymous as ORPCError<string, unknown>).code).toBe('UNAUTHORIZED');
    });

    it('streams the events services publish to a signed-in client', async () => {
      host = await startTestHost(target.options(), { clock: fixedClock('2026-12-08T01:00:00.000Z') });
      const admin = await host.clientFor('exam_admin');
      const controller = new AbortController();
      const stream = await admin.system.events(undefined, { signal: controller.signal });
      const first = await stream.next();
      expect(first.value).toMatchObject({ type: 'hello' });
      const occupations = await admin.occupations.list();
      await admin.sittings.create({
        name: '事件测试批次',
        occupationId: occupations[0]!.id,
        trade: '',
        levels: [5],
        components: { '5': ['theory', 'practical'] },
        startDate: '2026-12-20',
        endDate: '2026-12-20',
      });
      const next = await stream.next();
      expect(next.value).toEqual({ type: 'sittings.changed', at: '2026-12-08T01:00:00.000Z' });
      controller.abort();
    });
  },
  { open: false, per: 'test' },
);
