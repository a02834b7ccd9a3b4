/**
 * UsersService on both engines: accounts are created with a hashed password and an audit entry; a
 * taken username is refused on the username field; the site can never lose its last active
 * administrator; disabling an account or resetting its password ends its sessions at once.
 */
import { afterEach, expect, it } from 'vitest';
import { UsersService } from './users.service';
import { AuthService } from '../auth/auth.service';
import { describeEachEngine } from '../../test/support/engines';
import {
  expectAppError,
  expectChainIntact,
  expectNoAudit,
  expectOneAudit,
} from '../../test/support/assertions';
import { setUpAdmin } from '../../test/support/fixtures';
import { kernelOf } from '../../test/support/kernel';

const PASSWORD = 'Proctor-密码-1';

describeEachEngine(
  'UsersService',
  (getDb) => {
    const services = () => ({
      users: new UsersService(kernelOf(getDb().knex)),
      auth: new AuthService(kernelOf(getDb().knex)),
    });
    afterEach(async () => {
      await expectChainIntact(getDb().knex);
    });

    it('creates a user with a hashed password and one audit entry that holds no secret', async () => {
      const { knex } = getDb();
      const { actor } = await setUpAdmin(knex);
      const { users } = services();
      const { result: user, entry } = await expectOneAudit(knex, 'users.create', () =>
        users.create(actor, {
          username: 'li.proctor',
          displayName: '李监考',
          password: PASSWORD,
          roles: ['proctor'],
        }),
      );
      expect(user).toMatchObject({
        username: 'li.proctor',
        displayName: '李监考',
        roles: ['proctor'],
        active: true,
        lastSignInAt: null,
      });
      expect(entry).toMatchObject({
        actor_name: actor.name,
        actor_id: actor.id,
        entity: 'user',
        entity_id: String(user.id),
      });
      expect(JSON.parse(entry.after!)).toEqual({
        username: 'li.proctor',
        displayName: '李监考',
        roles: ['proctor'],
      });
      const stored = await knex('users')
        .where({ id: user.id })
        .first<{ password_hash: string }>('password_hash');
      expect(stored.password_hash).toMatch(/^scrypt\$/);
      expect(stored.password_hash).not.toContain(PASSWORD);
      expect(JSON.stringify(entry)).not.toContain(PASSWORD);
      expect((await users.list()).map((u) => u.username)).toEqual(['admin', 'li.proctor']);
      expect(await users.get(user.id)).toEqual(user);
    });

    it('refuses a username that is taken, on the username field, and writes nothing', async () => {
      const { knex } = getDb();
      const { actor } = await setUpAdmin(knex);
      const { users } = services();
      await users.create(actor, {
        username: 'zhao',
        displayName: '赵',
        password: PASSWORD,
        roles: ['proctor'],
      });
      await expectNoAudit(knex, () =>
        expectAppError(
          users.create(actor, {
            username: 'zhao',
            displayName: '另一个赵',
            password: PASSWORD,
            roles: ['evaluator'],
          }),
          'CONFLICT',
          { message: '用户名“zhao”已被使用', field: 'username' },
        ),
      );
      expect(await knex('users').where({ username: 'zhao' }).pluck('display_name')).toEqual(['赵']);
    });

    it('never lets the last active administrator be demoted or disabled', async () => {
      const { knex } = getDb();
      const { user: admin, actor } = await setUpAdmin(knex);
      const { users } = services();
      const refusal = { message: '至少需要保留一名启用的考务管理员', field: 'roles' };
      await expectNoAudit(knex, () =>
        expectAppError(
          users.update(actor, { id: admin.id, displayName: '考务管理员', roles: ['proctor'], active: true }),
          'CONFLICT',
          refusal,
        ),
      );
      await expectNoAudit(knex, () =>
        expectAppError(
          users.update(actor, {
            id: admin.id,
            displayName: '考务管理员',
            roles: ['exam_admin'],
            active: false,
          }),
          'CONFLICT',
          refusal,
        ),
      );
      expect(await users.get(admin.id)).toMatchObject({ roles: ['exam_admin'], active: true });

      // A disabled second administrator does not count …
      const second = await users.create(actor, {
        username: 'admin2',
        displayName: '二号',
        password: PASSWORD,
        roles: ['exam_admin'],
      });
      await users.update(actor, { id: second.id, displayName: '二号', roles: ['exam_admin'], active: false });
      await expectAppError(
        users.update(actor, { id: admin.id, displayName: '考务管理员', roles: ['proctor'], active: true }),
        'CONFLICT',
        refusal,
      );
      // … an active one does: then the first may step down, and the second is now the last one.
      await users.update(actor, {
        id: second.id,
        displayName: '二号',
        roles: ['exam_admin', 'proctor'],
        active: true,
      });
      const { entry } = await expectOneAudit(knex, 'users.update', () =>
        users.update(actor, { id: admin.id, displayName: '考务管理员', roles: ['proctor'], active: true }),
      );
      expect(JSON.parse(entry.before!)).toEqual({
        displayName: '考务管理员',
        roles: ['exam_admin'],
        active: true,
      });
      expect(JSON.parse(entry.after!)).toEqual({
        displayName: '考务管理员',
        roles: ['proctor'],
        active: true,
      });
      await expectAppError(
        users.update(actor, { id: second.id, displayName: '二号', roles: ['proctor'], active: true }),
        'CONFLICT',
        refusal,
      );
    });

    it('ends every session of a user who is disabled, and refuses their sign-in', async () => {
      const { knex } = getDb();
      const { actor } = await setUpAdmin(knex);
      const { users, auth } = services();
      const u = await users.create(actor, {
        username: 'wang',
        displayName: '王',
        password: PASSWORD,
        roles: ['proctor'],
      });
      const s1 = await auth.signIn('wang', PASSWORD, 'room-1');
      const s2 = await auth.signIn('wang', PASSWORD, 'room-2');
      expect(await auth.resolve(s1.token)).toMatchObject({ id: u.id, username: 'wang', roles: ['proctor'] });
      expect(await knex('sessions').where({ user_id: u.id }).pluck('token_hash')).toHaveLength(2);

      await expectOneAudit(knex, 'users.update', () =>
        users.update(actor, { id: u.id, displayName: '王', roles: ['proctor'], active: false }),
      );
      expect(await knex('sessions').where({ user_id: u.id }).pluck('token_hash')).toEqual([]);
      expect(await auth.resolve(s1.token)).toBeUndefined();
      expect(await auth.resolve(s2.token)).toBeUndefined();
      await expectAppError(auth.signIn('wang', PASSWORD, 'room-1'), 'FORBIDDEN', {
        message: '该账号已停用，请联系考务管理员。',
      });
      expect(await users.get(u.id)).toMatchObject({ active: false });
    });

    it('resets a password: the old one stops working, sessions end, a lock is lifted', async () => {
      const { knex } = getDb();
      const { actor } = await setUpAdmin(knex);
      const { users, auth } = services();
      const u = await users.create(actor, {
        username: 'sun',
        displayName: '孙',
        password: PASSWORD,
        roles: ['evaluator'],
      });
      const s = await auth.signIn('sun', PASSWORD, 'x');
      for (let i = 0; i < 3; i += 1) {
        await expectAppError(auth.signIn('sun', 'wrong-password', 'x'), 'UNAUTHORIZED');
      }
      await expectAppError(auth.signIn('sun', PASSWORD, 'x'), 'TOO_MANY_REQUESTS');

      await expectOneAudit(knex, 'users.resetPassword', () => users.resetPassword(actor, u.id, 'New-密码-2'));
      expect(await auth.resolve(s.token)).toBeUndefined();
      await expectAppError(auth.signIn('sun', PASSWORD, 'x'), 'UNAUTHORIZED', {
        message: '用户名或密码错误',
      });
      expect((await auth.signIn('sun', 'New-密码-2', 'x')).user.username).toBe('sun');
    });

    it('answers NOT_FOUND for a user that does not exist, writing nothing', async () => {
      const { knex } = getDb();
      const { actor } = await setUpAdmin(knex);
      const { users } = services();
      await expectAppError(users.get(99_999), 'NOT_FOUND', { message: '用户 99999 不存在' });
      await expectNoAudit(knex, () =>
        expectAppError(
          users.update(actor, { id: 99_999, displayName: 'x', roles: [], active: true }),
          'NOT_FOUND',
          {
            message: '用户 99999 不存在',
          },
        ),
      );
      await expectNoAudit(knex, () =>
        expectAppError(users.resetPassword(actor, 99_999, 'whatever-1'), 'NOT_FOUND', {
          message: '用户 99999 不存在',
        }),
      );
    });
  },
  { per: 'test' },
);
