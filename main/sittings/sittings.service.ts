import type { Knex } from 'knex';
import type { z } from 'zod';
import type { Sitting, sittingInputSchema } from '../../shared/contract/sittings';
import type { Component, Level } from '../../shared/domain/levels';
import { insertReturningId, parseJson } from '../db';
import { appendAudit, type Actor } from '../audit/chain';
import { appError } from '../base/errors';
import { changeAtIso, publishAfterCommit, type Kernel } from '../base/kernel';

export type SittingInput = z.infer<typeof sittingInputSchema>;

interface SittingRow {
  id: number;
  name: string;
  occupation_id: number;
  occupation_name: string;
  occupation_code: string;
  trade: string;
  levels: string;
  components: string;
  start_date: string;
  end_date: string;
  status: string;
  candidate_count: number | string;
}

function toSitting(r: SittingRow): Sitting {
  return {
    id: Number(r.id),
    name: r.name,
    occupationId: Number(r.occupation_id),
    occupationName: r.occupation_name,
    occupationCode: r.occupation_code,
    trade: r.trade,
    levels: parseJson<Level[]>(r.levels, []),
    components: parseJson<Record<string, Component[]>>(r.components, {}),
    startDate: r.start_date,
    endDate: r.end_date,
    status: r.status === 'open' ? 'open' : r.status === 'closed' ? 'closed' : 'planned',
    candidateCount: Number(r.candidate_count),
  };
}

export class SittingsService {
  private get knex(): Knex {
    return this.kernel.knex;
  }

  constructor(private readonly kernel: Kernel) {}

  private query(q: Knex | Knex.Transaction = this.knex) {
    return q('sittings as s')
      .join('occupations as o', 'o.id', 's.occupation_id')
      .select(
        's.*',
        'o.name as occupation_name',
        'o.code as occupation_code',
        q.raw('(select count(*) from candidates c where c.sitting_id = s.id) as candidate_count'),
      );
  }

  async list(): Promise<Sitting[]> {
    return ((await this.query().orderBy('s.start_date', 'desc').orderBy('s.id', 'desc')) as SittingRow[]).map(
      toSitting,
    );
  }

  async get(id: number, q: Knex | Knex.Transaction = this.knex): Promise<Sitting> {
    const row = (await this.query(q).where('s.id', id).first()) as SittingRow | undefined;
    if (!row) throw appError('NOT_FOUND', `认定批次 ${id} 不存在`);
    return toSitting(row);
  }

  private async check(trx: Knex.Transaction, input: SittingInput): Promise<Record<string, Component[]>> {
    const occ = await trx('occupations')
      .where({ id: input.occupationId })
      .first<{ levels_offered: string } | undefined>();
    if (!occ) throw appError('BAD_REQUEST', '所选职业不存在', { field: 'occupationId' });
    const offered = parseJson<number[]>(occ.levels_offered, []);
    const notOffered = input.levels.filter((l) => !offered.includes(l));
    if (notOffered.length > 0) {
      throw appError('BAD_REQUEST', `该职业不设 ${notOffered.join('、')} 级`, { field: 'levels' });
    }
    const components: Record<string, Component[]> = {};
    for (const level of input.levels) {
      const list = input.components[String(level)];
      if (!list || list.length === 0) {
        throw appError('BAD_REQUEST', `请为 ${level} 级选择考核项目`, { field: `components.${level}` });
      }
      if (level >= 3 && list.includes('comprehensive')) {
        throw appError('BAD_REQUEST', '综合评审仅适用于二级/技师和一级/高级技师', {
          field: `components.${level}`,
        });
      }
      components[String(level)] = list;
    }
    return components;
  }

  async create(actor: Actor, input: SittingInput, trxIn?: Knex.Transaction): Promise<Sitting> {
    const run = async (trx: Knex.Transaction) => {
      const components = await this.check(trx, input);
      const id = await insertReturningId(trx, 'sittings', {
        name: input.name,
        occupation_id: input.occupationId,
        trade: input.trade,
        levels: JSON.stringify([...input.levels].sort()),
        components: JSON.stringify(components),
        start_date: input.startDate,
        end_date: input.endDate,
        status: 'planned',
        created_at: changeAtIso(trx),
      });
      publishAfterCommit(trx, { type: 'sittings.changed' });
      await appendAudit(trx, {
        actor,
        action: 'sittings.create',
        entity: 'sitting',
        entityId: id,
        after: input,
      });
      return this.get(id, trx);
    };
    return trxIn ? run(trxIn) : this.kernel.transaction(run);
  }

  async update(actor: Actor, id: number, input: SittingInput): Promise<Sitting> {
    return this.kernel.transaction(async (trx) => {
      publishAfterCommit(trx, { type: 'sittings.changed' });
      const before = await this.get(id, trx);
      const components = await this.check(trx, input);
      const removed = before.levels.filter((l) => !input.levels.includes(l));
      if (removed.length > 0) {
        const used = await trx('candidates')
          .where({ sitting_id: id })
          .whereIn('applied_level', removed)
          .first<{ id: number } | undefined>('id');
        if (used) {
          throw appError('CONFLICT', `已有考生申报 ${removed.join('、')} 级，不能移除该等级`, {
            field: 'levels',
          });
        }
      }
      await trx('sittings')
        .where({ id })
        .update({
          name: input.name,
          occupation_id: input.occupationId,
          trade: input.trade,
          levels: JSON.stringify([...input.levels].sort()),
          components: JSON.stringify(components),
          start_date: input.startDate,
          end_date: input.endDate,
        });
      await appendAudit(trx, {
        actor,
        action: 'sittings.update',
        entity: 'sitting',
        entityId: id,
        before,
        after: input,
      });
      return this.get(id, trx);
    });
  }
}
