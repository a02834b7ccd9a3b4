/**
 * Fixture users for data-layer suites: one precomputed scrypt hash shared by every fixture account (a real
 * hash costs ~30–80 ms and 32 MiB; a suite with ten users would spend most of its time hashing). The rows
 * are the rows UsersService writes, with their audit entry, so nothing downstream can tell them apart.
 */
import type { Knex } from 'knex';
import { actorOf, type SessionUser } from '../../main/auth/auth.service';
import { appendAudit, SYSTEM_ACTOR, type Actor } from '../../main/audit/chain';
import { changeAtIso, Kernel } from '../../main/base/kernel';
import { hashPassword } from '../../main/auth/password';
import { insertReturningId } from '../../main/db';
import type { Role } from '../../shared/domain/roles';
import { kernelOf } from './kernel';

/** Every fixture user signs in with this password. */
export const FIXTURE_PASSWORD = 'Fixture-密码-2026';

let sharedHash: Promise<string> | undefined;

/** The one hash of FIXTURE_PASSWORD, computed once per test process. */
export function fixturePasswordHash(): Promise<string> {
  sharedHash ??= hashPassword(FIXTURE_PASSWORD);
  return sharedHash;
}

export interface FixtureUser extends SessionUser {
  actor: Actor;
}

/** Insert a staff user with the shared hash (audited `users.create` like a real one). */
export async function createFixtureUser(
  on: Knex | Kernel,
  username: string,
  roles: Role[],
  displayName = username,
): Promise<FixtureUser> {
  const hash = await fixturePasswordHash();
  const kernel = on instanceof Kernel ? on : kernelOf(on);
  const id = await kernel.transaction(async (trx) => {
    const newId = await insertReturningId(trx, 'users', {
      username,
      display_name: displayName,
      password_hash: hash,
      roles: JSON.stringify(roles),
      active: true,
      failed_sign_ins: 0,
      created_at: changeAtIso(trx),
    });
    await appendAudit(trx, {
      actor: SYSTEM_ACTOR,
      action: 'users.create',
      entity: 'user',
      entityId: newId,
      after: { username, displayName, roles, fixture: true },
    });
    return newId;
  });
  const user: SessionUser = { id, username, displayName, roles };
  return { ...user, actor: actorOf(user) };
}
