/**
 * Assertions shared by the data-layer suites: the audit trail (one entry per state change, chain
 * intact) and the errors a user sees (code, Chinese message, field at fault).
 */
import { ORPCError } from '@orpc/server';
import type { Knex } from 'knex';
import { expect } from 'vitest';
import { verifyAuditChain, type AuditRow } from '../../main/audit/chain';
import type { AppErrorCode } from '../../main/base/errors';
import type { AppErrorData } from '../../shared/contract/base';

export async function auditCount(knex: Knex): Promise<number> {
  const row = await knex('audit_log').count<{ n: number | string }[]>({ n: '*' }).first();
  return Number(row?.n ?? 0);
}

/** Audit entries after `afterSeq`, oldest first, with numeric seq/actor_id on both engines. */
export async function auditEntriesSince(knex: Knex, afterSeq: number): Promise<AuditRow[]> {
  const rows = (await knex('audit_log').where('seq', '>', afterSeq).orderBy('seq')) as AuditRow[];
  return rows.map((r) => ({
    ...r,
    seq: Number(r.seq),
    actor_id: r.actor_id === null ? null : Number(r.actor_id),
  }));
}

export async function lastAuditSeq(knex: Knex): Promise<number> {
  const row = await knex('audit_log').max<{ m: number | string | null }[]>({ m: 'seq' }).first();
  return Number(row?.m ?? 0);
}

export async function expectChainIntact(knex: Knex): Promise<void> {
  const result = await verifyAuditChain(knex);
  expect(result).toEqual({ ok: true, checked: await auditCount(knex), firstBroken: null });
}

/**
 * Run a state-changing call and assert it wrote exactly one audit entry with `action`, and that the
 * chain still verifies. Returns the call's result and the entry.
 */
export async function expectOneAudit<T>(
  knex: Knex,
  action: string,
  call: () => Promise<T>,
): Promise<{ result: T; entry: AuditRow }> {
  const before = await lastAuditSeq(knex);
  const result = await call();
  const entries = await auditEntriesSince(knex, before);
  expect(entries.map((e) => e.action)).toEqual([action]);
  await expectChainIntact(knex);
  return { result, entry: entries[0]! };
}

/** Run a call (typically `expectAppError(…)`) and assert it left no trace in the audit trail. */
export async function expectNoAudit<T>(knex: Knex, call: () => Promise<T>): Promise<T> {
  const before = await lastAuditSeq(knex);
  const result = await call();
  expect(await auditEntriesSince(knex, before)).toEqual([]);
  return result;
}

/** Assert an application error: its code and, when given, the exact message and the field at fault. */
export async function expectAppError(
  call: Promise<unknown> | (() => Promise<unknown>),
  code: AppErrorCode,
  expected: { message?: string | RegExp; field?: string } = {},
): Promise<ORPCError<AppErrorCode, AppErrorData>> {
  let error: unknown;
  try {
    await (typeof call === 'function' ? call() : call);
  } catch (e) {
    error = e;
  }
  expect(error, `expected ${code}`).toBeInstanceOf(ORPCError);
  const err = error as ORPCError<AppErrorCode, AppErrorData>;
  expect(err.code).toBe(code);
  if (typeof expected.message === 'string') expect(err.message).toBe(expected.message);
  else if (expected.message) expect(err.message).toMatch(expected.message);
  if (expected.field !== undefined) expect(err.data.field).toBe(expected.field);
  return err;
}
