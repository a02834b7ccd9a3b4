import type { Knex } from 'knex';
import type { AuditEntry, AuditVerifyResult } from '../../shared/contract/audit';
import { parseJson } from '../db';
import { whereStartsWith } from '../db/search';
import { verifyAuditChain, type AuditRow } from './chain';
import type { Kernel } from '../base/kernel';

export class AuditService {
  private get knex(): Knex {
    return this.kernel.knex;
  }

  constructor(private readonly kernel: Kernel) {}

  async list(input: {
    page: number;
    pageSize: number;
    action?: string | undefined;
  }): Promise<{ total: number; rows: AuditEntry[] }> {
    const q = this.knex('audit_log');
    if (input.action) whereStartsWith(q, 'action', input.action);
    const count = await q.clone().count<{ n: number | string }[]>({ n: '*' }).first();
    const rows = (await q
      .orderBy('seq', 'desc')
      .limit(input.pageSize)
      .offset((input.page - 1) * input.pageSize)) as AuditRow[];
    return {
      total: Number(count?.n ?? 0),
      rows: rows.map((r) => ({
        seq: Number(r.seq),
        at: r.at,
        actorId: r.actor_id === null ? null : Number(r.actor_id),
        actorName: r.actor_name,
        action: r.action,
        entity: r.entity,
        entityId: r.entity_id,
        before: parseJson<unknown>(r.before, null),
        after: parseJson<unknown>(r.after, null),
        hash: r.hash,
      })),
    };
  }

  verify(): Promise<AuditVerifyResult> {
    return verifyAuditChain(this.knex);
  }
}
