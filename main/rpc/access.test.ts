import { describe, expect, it } from 'vitest';
import { isContractProcedure } from '@orpc/contract';
import { contract } from '../../shared/contract';
import type { Access } from '../../shared/contract/base';
import { mayAccess } from './router';

function procedures(node: unknown, path: string[] = []): Array<{ path: string; access: Access | undefined }> {
  if (isContractProcedure(node)) {
    return [{ path: path.join('.'), access: (node['~orpc'].meta as { access?: Access }).access }];
  }
  return Object.entries(node as Record<string, unknown>).flatMap(([k, v]) => procedures(v, [...path, k]));
}

const all = procedures(contract);

describe('every procedure declares who may call it', () => {
  it('has a declaration on each of the contract procedures', () => {
    expect(all.length).toBeGreaterThan(30);
    expect(all.filter((p) => p.access === undefined).map((p) => p.path)).toEqual([]);
  });

  it('leaves only sign-in and first-run status public', () => {
    expect(
      all
        .filter((p) => p.access === 'public')
        .map((p) => p.path)
        .sort(),
    ).toEqual(['auth.setup', 'auth.signIn', 'auth.status']);
  });

  it('reserves user management, roster import, settings and backups to the exam administrator', () => {
    for (const path of [
      'users.create',
      'users.update',
      'users.resetPassword',
      'roster.commit',
      'system.updateSettings',
      'system.backupNow',
    ]) {
      expect(all.find((p) => p.path === path)?.access, path).toEqual(['exam_admin']);
    }
  });
});

describe('mayAccess', () => {
  it('refuses an undeclared procedure even to an administrator (fail closed)', () => {
    expect(mayAccess(undefined, ['exam_admin'])).toBe(false);
    expect(mayAccess([], ['exam_admin'])).toBe(false);
  });
  it('needs a session for anything but public', () => {
    expect(mayAccess('public', undefined)).toBe(true);
    expect(mayAccess('signed-in', undefined)).toBe(false);
    expect(mayAccess('signed-in', ['proctor'])).toBe(true);
  });
  it('lets any one of the user’s roles suffice', () => {
    expect(mayAccess(['exam_admin', 'supervisor'], ['proctor', 'supervisor'])).toBe(true);
    expect(mayAccess(['exam_admin'], ['proctor', 'supervisor'])).toBe(false);
  });
});
