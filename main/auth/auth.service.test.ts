/**
 * AuthService on both engines: first-run setup happens once; a wrong password gets the same message as
 * an unknown user; repeated failures slow the account down (even the right password waits, and the
 * user is told how long); sessions end when idle or at their absolute limit, and at sign-out.
 */
import { afterEach, expect, it } from 'vitest';
import { AuthService, DEFAULT_SESSION_POLICY, type SessionPolicy } from './auth.service';
import { UsersService } from '../users/users.service';
import { describeEachEngine } from '../../test/support/engines';
import {
  auditEntriesSince,
  expectAppError,
  expectChainIntact,
  expectNoAudit,
  expectOneAudit,
  lastAuditSeq,
} from '../../test/support/assertions';
import { ADMIN_PASSWORD, setUpAdmin } from '../../test/support/fixtures';
import { kernelOf } from '../../test/support/kernel';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const WRONG = { message: '用户名或密码错误', field: 'password' };

describeEachEngine(
  'AuthService',
  (getDb, target) => {
    afterEach(async () => {
      await expectChainIntact(getDb().knex);
    });

    it('sets up the first administrator once, signed in at once', async () => {
      const { knex } = getDb();
      const auth = new AuthService(kernelOf(knex));
      expect(await auth.needsSetup()).toBe(true);
      const before = await lastAuditSeq(knex);
      const session = await auth.setup(
        { username: 'admin', displayName: '考务管理员', password: ADMIN_PASSWORD },
        'desk',
      );
      expect(session.user).toMatchObject({
        username: 'admin',
        displayName: '考务管理员',
        roles: ['exam_admin'],
        active: true,
      });
      expect(session.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Date.parse(session.expiresAt) - Date.now()).toBeGreaterThan(59 * 60_000); // idle limit: 60 min
      // The account creation and the sign-in are each recorded.
      expect((await auditEntriesSince(knex, before)).map((e) => e.action)).toEqual([
        'auth.setup',
        'auth.signIn',
      ]);
      expect(await auth.resolve(session.token)).toEqual({
        id: session.user.id,
        username: 'admin',
        displayName: '考务管理员',
        roles: ['exam_admin'],
      });
      // Only the token's hash is stored.
      expect(await knex('sessions').pluck('token_hash')).not.toContain(session.token);

      expect(await auth.needsSetup()).toBe(false);
      await expectNoAudit(knex, () =>
        expectAppError(
          auth.setup({ username: 'intruder', displayName: 'x', password: 'Intruder-1234' }, 'lan'),
          'CONFLICT',
          { message: '系统已经设置过管理员，请直接登录。' },
        ),
      );
      expect(await knex('users').pluck('username')).toEqual(['admin']);
    });

    it('refuses a wrong password and an unknown user with the same message', async () => {
      const { knex } = getDb();
      await setUpAdmin(knex);
      const auth = new AuthService(kernelOf(knex));
      const { entry } = await expectOneAudit(knex, 'auth.signIn.failed', () =>
        expectAppError(auth.signIn('admin', 'not-the-password', 'lan-1'), 'UNAUTHORIZED', WRONG),
      );
      expect(entry.actor_name).toBe('admin');
      expect(JSON.parse(entry.after!)).toEqual({ failures: 1, client: 'lan-1' });
      await expectAppError(
        auth.signIn(`nobody-${target.engine}`, 'whatever-1234', 'lan-1'),
        'UNAUTHORIZED',
        WRONG,
      );
      // The right password still works after one failure, and the failure count is reset.
      const { result: session } = await expectOneAudit(knex, 'auth.signIn', () =>
        auth.signIn('admin', ADMIN_PASSWORD, 'lan-1'),
      );
      expect(session.user.lastSignInAt).not.toBeNull();
      expect(
        await knex('users').where({ username: 'admin' }).first('failed_sign_ins', 'locked_until'),
      ).toEqual({
        failed_sign_ins: 0,
        locked_until: null,
      });
    });

    it('after 3 failures refuses even the right password, saying how long to wait, then lets the user in', async () => {
      const { knex } = getDb();
      await setUpAdmin(knex);
      const auth = new AuthService(kernelOf(knex));
      for (let i = 0; i < 3; i += 1) {
        await expectAppError(auth.signIn('admin', `wrong-${i}`, 'lan'), 'UNAUTHORIZED', WRONG);
      }
      const err = await expectNoAudit(knex, () =>
        expectAppError(auth.signIn('admin', ADMIN_PASSWORD, 'lan'), 'TOO_MANY_REQUESTS'),
      );
      const seconds = DEFAULT_SESSION_POLICY.lockSeconds;
      expect(err.data.retryAfterSeconds).toBeGreaterThan(0);
      expect(err.data.retryAfterSeconds).toBeLessThanOrEqual(seconds);
      expect(err.message).toBe(`登录失败次数过多，请 ${err.data.retryAfterSeconds} 秒后再试。`);

      // With a 1-second lock the wait is real and short: after it, the right password works.
      const quick = new AuthService(kernelOf(knex), { ...DEFAULT_SESSION_POLICY, lockSeconds: 1 });
      await knex('users').where({ username: 'admin' }).update({ failed_sign_ins: 0, locked_until: null });
      for (let i = 0; i < 3; i += 1) {
        await expectAppError(quick.signIn('admin', `wrong-${i}`, 'lan'), 'UNAUTHORIZED');
      }
      const locked = await expectAppError(quick.signIn('admin', ADMIN_PASSWORD, 'lan'), 'TOO_MANY_REQUESTS');
      expect(locked.data.retryAfterSeconds).toBe(1);
      await sleep(1100);
      expect((await quick.signIn('admin', ADMIN_PASSWORD, 'lan')).user.username).toBe('admin');
    });

    it('doubles the lock with each further failure', async () => {
      const { knex } = getDb();
      await setUpAdmin(knex);
      const auth = new AuthService(kernelOf(knex));
      const lockedFor = async () => {
        const row = await knex('users')
          .where({ username: 'admin' })
          .first<{ locked_until: string | null }>('locked_until');
        return row.locked_until ? Math.round((Date.parse(row.locked_until) - Date.now()) / 1000) : 0;
      };
      for (let i = 0; i < 3; i += 1) {
        await expectAppError(auth.signIn('admin', 'wrong', 'lan'), 'UNAUTHORIZED');
      }
      expect(await lockedFor()).toBe(5);
      // Let the lock run out (rewind it), fail again: 10 s.
      await knex('users')
        .where({ username: 'admin' })
        .update({ locked_until: new Date(Date.now() - 1000).toISOString() });
      await expectAppError(auth.signIn('admin', 'wrong', 'lan'), 'UNAUTHORIZED');
      expect(await lockedFor()).toBe(10);
    });

    it('throttles guessing at unknown usernames too', async () => {
      const auth = new AuthService(kernelOf(getDb().knex));
      const name = `ghost-${target.engine}-${Date.now()}`;
      for (let i = 0; i < 3; i += 1) {
        await expectAppError(auth.signIn(name, 'x-12345678', 'lan'), 'UNAUTHORIZED', WRONG);
      }
      const err = await expectAppError(auth.signIn(name, 'x-12345678', 'lan'), 'TOO_MANY_REQUESTS');
      expect(err.data.retryAfterSeconds).toBeGreaterThan(0);
    });

    it('ends a session that has been idle longer than the policy allows', async () => {
      const { knex } = getDb();
      await setUpAdmin(knex);
      const policy: SessionPolicy = { ...DEFAULT_SESSION_POLICY, idleMinutes: 0.005 }; // 300 ms
      const auth = new AuthService(kernelOf(knex), policy);
      const session = await auth.signIn('admin', ADMIN_PASSWORD, 'lan');
      expect(Date.parse(session.expiresAt) - Date.now()).toBeLessThanOrEqual(300);
      expect(await auth.resolve(session.token)).toMatchObject({ username: 'admin' });
      await sleep(450);
      expect(await auth.resolve(session.token)).toBeUndefined();
      expect(await knex('sessions').where({ client: 'lan' }).pluck('token_hash')).toEqual([]); // removed
      // Another sign-in works as usual.
      expect(await auth.resolve((await auth.signIn('admin', ADMIN_PASSWORD, 'lan')).token)).toBeDefined();
    });

    it('ends a session at its absolute limit however busy it is', async () => {
      const { knex } = getDb();
      await setUpAdmin(knex);
      const auth = new AuthService(kernelOf(knex), { ...DEFAULT_SESSION_POLICY, absoluteHours: 0.4 / 3600 }); // 400 ms
      const session = await auth.signIn('admin', ADMIN_PASSWORD, 'lan');
      for (let i = 0; i < 3; i += 1) {
        expect(await auth.resolve(session.token)).toBeDefined();
        await sleep(50);
      }
      await sleep(400);
      expect(await auth.resolve(session.token)).toBeUndefined();
    });

    it('signs out (one audit entry) and the token stops working; unknown tokens resolve to nobody', async () => {
      const { knex } = getDb();
      const { session, user } = await setUpAdmin(knex);
      const auth = new AuthService(kernelOf(knex));
      await expectOneAudit(knex, 'auth.signOut', () => auth.signOut(session.token, user));
      expect(await auth.resolve(session.token)).toBeUndefined();
      expect(await auth.resolve('not-a-token')).toBeUndefined();
    });

    it('changes a password only with the current one', async () => {
      const { knex } = getDb();
      const { user } = await setUpAdmin(knex);
      const auth = new AuthService(kernelOf(knex));
      await expectNoAudit(knex, () =>
        expectAppError(auth.changePassword(user, 'wrong-current', 'New-密码-123'), 'BAD_REQUEST', {
          message: '当前密码不正确',
          field: 'currentPassword',
        }),
      );
      await expectOneAudit(knex, 'auth.changePassword', () =>
        auth.changePassword(user, ADMIN_PASSWORD, 'New-密码-123'),
      );
      await expectAppError(auth.signIn('admin', ADMIN_PASSWORD, 'x'), 'UNAUTHORIZED', WRONG);
      expect((await auth.signIn('admin', 'New-密码-123', 'x')).user.id).toBe(user.id);
    });

    it('lets a user created by an administrator sign in with the roles given', async () => {
      const { knex } = getDb();
      const { actor } = await setUpAdmin(knex);
      await new UsersService(kernelOf(knex)).create(actor, {
        username: 'zhou',
        displayName: '周考评',
        password: 'Evaluator-1',
        roles: ['evaluator', 'evaluator_lead'],
      });
      const auth = new AuthService(kernelOf(knex));
      const s = await auth.signIn('zhou', 'Evaluator-1', 'tablet-3');
      expect(await auth.resolve(s.token)).toMatchObject({
        username: 'zhou',
        roles: ['evaluator', 'evaluator_lead'],
      });
    });
  },
  { per: 'test' },
);
