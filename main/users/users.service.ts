import type { Knex } from 'knex';
import type { Role } from '../../shared/domain/roles';
import type { User } from '../../shared/contract/auth';
import { insertReturningId } from '../db';
import { appendAudit, type Actor } from '../audit/chain';
import { appError } from '../base/errors';
import { hashPassword } from '../auth/password';
import { toUser, type UserRow } from '../auth/auth.service';
import type { Kernel } from '../base/kernel';

export class UsersService {
  private get knex(): Knex {
    return this.kernel.knex;
  }

  constructor(private readonly kernel: Kernel) {}

  async list(): Promise<User[]> {
    const rows = (await this.knex('users').orderBy('id')) as UserRow[];
    return rows.map(toUser);
  }

  async get(id: number): Promise<User> {
    const row = await this.knex('users').where({ id }).first<UserRow | undefined>();
    if (!row) throw appError('NOT_FOUND', `用户 ${id} 不存在`);
    return toUser(row);
  }

  async create(
    actor: Actor,
    input: { username: string; displayName: string; password: string; roles: Role[] },
  ): Promise<User> {
    const hash = await hashPassword(input.password);
    const id = await this.kernel.transaction(async (trx) => {
      const clash = await trx('users')
        .where({ username: input.username })
        .first<{ id: number } | undefined>('id');
      if (clash) throw appError('CONFLICT', `用户名“${input.username}”已被使用`, { field: 'username' });
      const newId = await insertReturningId(trx, 'users', {
        username: input.username,
        display_name: input.displayName,
        password_hash: hash,
        roles: JSON.stringify(input.roles),
        active: true,
        failed_sign_ins: 0,
        created_at: this.kernel.nowIso(),
      });
      await appendAudit(trx, {
        actor,
        action: 'users.create',
        entity: 'user',
        entityId: newId,
        after: { username: input.username, displayName: input.displayName, roles: input.roles },
      });
      return newId;
    });
    return this.get(id);
  }

  async update(
    actor: Actor,
    input: { id: number; displayName: string; roles: Role[]; active: boolean },
  ): Promise<User> {
    await this.kernel.transaction(async (trx) => {
      const row = await trx('users').where({ id: input.id }).first<UserRow | undefined>();
      if (!row) throw appError('NOT_FOUND', `用户 ${input.id} 不存在`);
      const before = toUser(row);
      // Never lock the site out: keep at least one active administrator.
      if (before.roles.includes('exam_admin') && (!input.roles.includes('exam_admin') || !input.active)) {
        const admins = ((await trx('users').where({ active: true })) as UserRow[])
          .map(toUser)
          .filter((u) => u.roles.includes('exam_admin') && u.id !== input.id);
        if (admins.length === 0) {
          throw appError('CONFLICT', '至少需要保留一名启用的考务管理员', { field: 'roles' });
        }
      }
      await trx('users')
        .where({ id: input.id })
        .update({
          display_name: input.displayName,
          roles: JSON.stringify(input.roles),
          active: input.active,
        });
      if (!input.active) await trx('sessions').where({ user_id: input.id }).delete();
      await appendAudit(trx, {
        actor,
        action: 'users.update',
        entity: 'user',
        entityId: input.id,
        before: { displayName: before.displayName, roles: before.roles, active: before.active },
        after: { displayName: input.displayName, roles: input.roles, active: input.active },
      });
    });
    return this.get(input.id);
  }

  async resetPassword(actor: Actor, id: number, password: string): Promise<void> {
    const hash = await hashPassword(password);
    await this.kernel.transaction(async (trx) => {
      const n = await trx('users')
        .where({ id })
        .update({ password_hash: hash, failed_sign_ins: 0, locked_until: null });
      if (n === 0) throw appError('NOT_FOUND', `用户 ${id} 不存在`);
      await trx('sessions').where({ user_id: id }).delete();
      await appendAudit(trx, { actor, action: 'users.resetPassword', entity: 'user', entityId: id });
    });
  }
}
