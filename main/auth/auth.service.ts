import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { ROLES, type Role } from '../../shared/domain/roles';
import type { Session, User } from '../../shared/contract/auth';
import { insertReturningId, parseJson, toBool } from '../db';
import { appendAudit, SYSTEM_ACTOR, type Actor } from '../audit/chain';
import { appError } from '../base/errors';
import { dummyPasswordHash, hashPassword, verifyPassword } from './password';
import type { Kernel } from '../base/kernel';

export interface UserRow {
  id: number;
  username: string;
  display_name: string;
  password_hash: string;
  roles: string;
  active: number | boolean;
  failed_sign_ins: number;
  locked_until: string | null;
  created_at: string;
  last_sign_in_at: string | null;
}

export interface SessionUser {
  id: number;
  username: string;
  displayName: string;
  roles: Role[];
}

export function toUser(row: UserRow): User {
  return {
    id: Number(row.id),
    username: row.username,
    displayName: row.display_name,
    roles: parseJson<string[]>(row.roles, []).filter((r): r is Role =>
      (ROLES as readonly string[]).includes(r),
    ),
    active: toBool(row.active),
    createdAt: row.created_at,
    lastSignInAt: row.last_sign_in_at,
  };
}

export function actorOf(user: SessionUser): Actor {
  return { id: user.id, name: `${user.displayName}（${user.username}）` };
}

export interface SessionPolicy {
  /** A session unused this long expires. */
  idleMinutes: number;
  /** A session expires this long after sign-in, however busy. */
  absoluteHours: number;
  /** Failed sign-ins allowed before the account is slowed down. */
  freeAttempts: number;
  /** First lock length; it doubles with each further failure, up to maxLockSeconds. */
  lockSeconds: number;
  maxLockSeconds: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = {
  idleMinutes: 60,
  absoluteHours: 12,
  freeAttempts: 3,
  lockSeconds: 5,
  maxLockSeconds: 15 * 60,
};

function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function addMs(iso: string, ms: number): string {
  return new Date(Date.parse(iso) + ms).toISOString();
}

/** Unknown usernames are throttled in memory, so guessing names is as slow as guessing passwords. */
const unknownUserFailures = new Map<string, { count: number; lockedUntil: number }>();

export class AuthService {
  private get knex(): Knex {
    return this.kernel.knex;
  }

  constructor(
    private readonly kernel: Kernel,
    private readonly policy: SessionPolicy = DEFAULT_SESSION_POLICY,
  ) {}

  async needsSetup(): Promise<boolean> {
    const row = await this.knex('users').count<{ n: number | string }[]>({ n: '*' }).first();
    return Number(row?.n ?? 0) === 0;
  }

  async setup(
    input: { username: string; displayName: string; password: string },
    client: string,
  ): Promise<Session> {
    const passwordHash = await hashPassword(input.password);
    const userId = await this.kernel.transaction(async (trx) => {
      const existing = await trx('users').count<{ n: number | string }[]>({ n: '*' }).first();
      if (Number(existing?.n ?? 0) > 0) throw appError('CONFLICT', '系统已经设置过管理员，请直接登录。');
      const id = await insertReturningId(trx, 'users', {
        username: input.username,
        display_name: input.displayName,
        password_hash: passwordHash,
        roles: JSON.stringify(['exam_admin']),
        active: true,
        failed_sign_ins: 0,
        created_at: this.kernel.nowIso(),
      });
      await appendAudit(trx, {
        actor: SYSTEM_ACTOR,
        action: 'auth.setup',
        entity: 'user',
        entityId: id,
        after: { username: input.username, displayName: input.displayName, roles: ['exam_admin'] },
      });
      return id;
    });
    return this.createSession(userId, client);
  }

  async signIn(username: string, password: string, client: string): Promise<Session> {
    const now = this.kernel.now().getTime();
    const row = await this.knex('users').where({ username }).first<UserRow | undefined>();
    if (!row) {
      const entry = unknownUserFailures.get(username);
      if (entry && entry.lockedUntil > now) throw this.tooMany(entry.lockedUntil - now);
      await verifyPassword(password, await dummyPasswordHash());
      const count = (entry?.count ?? 0) + 1;
      unknownUserFailures.set(username, { count, lockedUntil: now + this.lockMs(count) });
      throw appError('UNAUTHORIZED', '用户名或密码错误', { field: 'password' });
    }
    if (row.locked_until && Date.parse(row.locked_until) > now) {
      throw this.tooMany(Date.parse(row.locked_until) - now);
    }
    const ok = await verifyPassword(password, row.password_hash);
    if (!ok) {
      const failures = Number(row.failed_sign_ins) + 1;
      const lockMs = this.lockMs(failures);
      await this.kernel.transaction(async (trx) => {
        await trx('users')
          .where({ id: row.id })
          .update({
            failed_sign_ins: failures,
            locked_until: lockMs > 0 ? new Date(now + lockMs).toISOString() : null,
          });
        await appendAudit(trx, {
          actor: { id: null, name: username },
          action: 'auth.signIn.failed',
          entity: 'user',
          entityId: row.id,
          after: { failures, client },
        });
      });
      throw appError('UNAUTHORIZED', '用户名或密码错误', { field: 'password' });
    }
    if (!toBool(row.active)) throw appError('FORBIDDEN', '该账号已停用，请联系考务管理员。');
    return this.createSession(Number(row.id), client, true);
  }

  private lockMs(failures: number): number {
    if (failures < this.policy.freeAttempts) return 0;
    const exp = failures - this.policy.freeAttempts;
    return Math.min(this.policy.lockSeconds * 2 ** exp, this.policy.maxLockSeconds) * 1000;
  }

  private tooMany(ms: number) {
    const seconds = Math.max(1, Math.ceil(ms / 1000));
    return appError('TOO_MANY_REQUESTS', `登录失败次数过多，请 ${seconds} 秒后再试。`, {
      retryAfterSeconds: seconds,
    });
  }

  private async createSession(userId: number, client: string, signIn = false): Promise<Session> {
    const token = randomBytes(32).toString('base64url');
    const now = this.kernel.nowIso();
    const absolute = addMs(now, this.policy.absoluteHours * 3600_000);
    const row = await this.knex('users').where({ id: userId }).first<UserRow>();
    const user = toUser(row);
    await this.kernel.transaction(async (trx) => {
      if (signIn) {
        await trx('users')
          .where({ id: userId })
          .update({ failed_sign_ins: 0, locked_until: null, last_sign_in_at: now });
      }
      await trx('sessions').insert({
        token_hash: tokenHash(token),
        user_id: userId,
        created_at: now,
        last_seen_at: now,
        expires_at: absolute,
        client: client.slice(0, 100),
      });
      await appendAudit(trx, {
        actor: actorOf(user),
        action: 'auth.signIn',
        entity: 'user',
        entityId: userId,
        after: { client },
      });
    });
    const after = await this.knex('users').where({ id: userId }).first<UserRow>();
    return { token, expiresAt: this.expiry(now, absolute), user: toUser(after) };
  }

  private expiry(lastSeen: string, absolute: string): string {
    const idle = addMs(lastSeen, this.policy.idleMinutes * 60_000);
    return idle < absolute ? idle : absolute;
  }

  /** The signed-in user for a bearer token, or undefined when it is unknown, expired or the user is disabled. */
  async resolve(token: string): Promise<SessionUser | undefined> {
    const hash = tokenHash(token);
    const row = await this.knex('sessions as s')
      .join('users as u', 'u.id', 's.user_id')
      .where('s.token_hash', hash)
      .first<(UserRow & { last_seen_at: string; expires_at: string }) | undefined>(
        'u.*',
        's.last_seen_at',
        's.expires_at',
      );
    if (!row) return undefined;
    const now = this.kernel.nowIso();
    if (this.expiry(row.last_seen_at, row.expires_at) <= now || !toBool(row.active)) {
      await this.knex('sessions').where({ token_hash: hash }).delete();
      return undefined;
    }
    // Refresh the idle timer at most once a minute.
    if (Date.parse(now) - Date.parse(row.last_seen_at) > 60_000) {
      await this.knex('sessions').where({ token_hash: hash }).update({ last_seen_at: now });
    }
    const user = toUser(row);
    return { id: user.id, username: user.username, displayName: user.displayName, roles: user.roles };
  }

  async signOut(token: string, user: SessionUser): Promise<void> {
    await this.kernel.transaction(async (trx) => {
      await trx('sessions')
        .where({ token_hash: tokenHash(token) })
        .delete();
      await appendAudit(trx, {
        actor: actorOf(user),
        action: 'auth.signOut',
        entity: 'user',
        entityId: user.id,
      });
    });
  }

  async changePassword(user: SessionUser, currentPassword: string, newPassword: string): Promise<void> {
    const row = await this.knex('users').where({ id: user.id }).first<UserRow>();
    if (!(await verifyPassword(currentPassword, row.password_hash))) {
      throw appError('BAD_REQUEST', '当前密码不正确', { field: 'currentPassword' });
    }
    const hash = await hashPassword(newPassword);
    await this.kernel.transaction(async (trx) => {
      await trx('users').where({ id: user.id }).update({ password_hash: hash });
      await appendAudit(trx, {
        actor: actorOf(user),
        action: 'auth.changePassword',
        entity: 'user',
        entityId: user.id,
      });
    });
  }
}
