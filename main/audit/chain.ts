import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { isPostgres } from '../db';
import { changeAtIso } from '../base/kernel';
import type { AuditVerifyResult } from '../../shared/contract/audit';

export const GENESIS_HASH = '0'.repeat(64);

export interface Actor {
  id: number | null;
  name: string;
}

export const SYSTEM_ACTOR: Actor = { id: null, name: '系统' };

export interface AuditInput {
  actor: Actor;
  /** Dotted verb, e.g. `roster.commit`, `users.create`, `auth.signIn.failed`. */
  action: string;
  entity: string;
  entityId?: string | number | null;
  before?: unknown;
  after?: unknown;
}

export interface AuditRow {
  seq: number;
  at: string;
  actor_id: number | null;
  actor_name: string;
  action: string;
  entity: string;
  entity_id: string | null;
  before: string | null;
  after: string | null;
  prev_hash: string;
  hash: string;
}

/** The hash of one entry covers every stored field and the previous entry's hash. */
export function entryHash(row: Omit<AuditRow, 'hash'>): string {
  const payload = JSON.stringify([
    row.seq,
    row.at,
    row.actor_id === null ? null : Number(row.actor_id),
    row.actor_name,
    row.action,
    row.entity,
    row.entity_id,
    row.before,
    row.after,
    row.prev_hash,
  ]);
  return createHash('sha256').update(payload, 'utf8').digest('hex');
}

function toJson(v: unknown): string | null {
  return v === undefined ? null : JSON.stringify(v);
}

/**
 * Append one entry to the chain inside the caller's transaction, so the entry and the change it
 * records are committed together or not at all. The transaction is a kernel's (`kernel.transaction`):
 * the entry's time is the change's time on the host's clock. The head row is locked (PostgreSQL) or the single
 * SQLite connection serialises writers, so concurrent appends cannot fork the chain.
 */
export async function appendAudit(trx: Knex.Transaction, input: AuditInput): Promise<number> {
  const isPg = isPostgres(trx);
  const headQuery = trx('audit_head')
    .where({ id: 1 })
    .first<{ seq: number; hash: string } | undefined>('seq', 'hash');
  const head = isPg ? await headQuery.forUpdate() : await headQuery;
  if (!head) throw new Error('audit_head row missing: the database was not migrated');
  const row: Omit<AuditRow, 'hash'> = {
    seq: Number(head.seq) + 1,
    at: changeAtIso(trx),
    actor_id: input.actor.id,
    actor_name: input.actor.name,
    action: input.action,
    entity: input.entity,
    entity_id: input.entityId === undefined || input.entityId === null ? null : String(input.entityId),
    before: toJson(input.before),
    after: toJson(input.after),
    prev_hash: head.hash,
  };
  const hash = entryHash(row);
  await trx('audit_log').insert({ ...row, hash });
  await trx('audit_head').where({ id: 1 }).update({ seq: row.seq, hash });
  return row.seq;
}

/**
 * Walk the chain from the first entry and name the first entry at which it breaks:
 * an edited entry (its hash no longer matches its content), a missing entry (a gap in the sequence),
 * entries reordered or inserted (the previous-hash link does not match), or entries removed from the end
 * (the head no longer matches the last entry).
 */
export async function verifyAuditChain(knex: Knex, batchSize = 2000): Promise<AuditVerifyResult> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  for (;;) {
    const rows = (await knex('audit_log')
      .where('seq', '>=', expectedSeq)
      .orderBy('seq')
      .limit(batchSize)) as AuditRow[];
    for (const raw of rows) {
      const row = {
        ...raw,
        seq: Number(raw.seq),
        actor_id: raw.actor_id === null ? null : Number(raw.actor_id),
      };
      if (row.seq !== expectedSeq) {
        return broken(checked, expectedSeq, `第 ${expectedSeq} 条记录缺失（已被删除）`);
      }
      if (row.prev_hash !== prevHash) {
        return broken(
          checked,
          row.seq,
          `第 ${row.seq} 条记录与前一条记录的链接不符（记录被删除、插入或调换了顺序）`,
        );
      }
      const { hash, ...rest } = row;
      if (entryHash(rest) !== hash) {
        return broken(checked, row.seq, `第 ${row.seq} 条记录的内容与其哈希不符（记录被修改）`);
      }
      prevHash = hash;
      expectedSeq += 1;
      checked += 1;
    }
    if (rows.length < batchSize) break;
  }
  const head = await knex('audit_head').where({ id: 1 }).first<{ seq: number; hash: string } | undefined>();
  if (!head) return broken(checked, expectedSeq, '审计链头记录缺失');
  const headSeq = Number(head.seq);
  if (headSeq !== checked || head.hash !== prevHash) {
    if (headSeq > checked) {
      return broken(
        checked,
        checked + 1,
        `最后 ${headSeq - checked} 条记录缺失（自第 ${checked + 1} 条起被删除）`,
      );
    }
    return broken(checked, headSeq + 1, '审计链头与最后一条记录不符（链头或记录被改动）');
  }
  return { ok: true, checked, firstBroken: null };
}

function broken(checked: number, seq: number, reason: string): AuditVerifyResult {
  return { ok: false, checked, firstBroken: { seq, reason } };
}
