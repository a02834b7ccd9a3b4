import type { Knex } from 'knex';
import type { Occupation } from '../../shared/contract/occupations';
import type { Level } from '../../shared/domain/levels';
import { insertReturningId, parseJson, toBool } from '../db';
import { appendAudit, type Actor } from '../audit/chain';
import { appError } from '../base/errors';
import type { Kernel } from '../base/kernel';

export type OccupationInput = Omit<Occupation, 'id'>;

interface OccupationRow {
  id: number;
  code: string;
  edition: string;
  name: string;
  trades: string;
  levels_offered: string;
  standard_ref: string;
  verified: number | boolean;
  note: string;
}

export function toOccupation(r: OccupationRow): Occupation {
  return {
    id: Number(r.id),
    code: r.code,
    edition: r.edition === '2015' ? '2015' : '2022',
    name: r.name,
    trades: parseJson<string[]>(r.trades, []),
    levelsOffered: parseJson<Level[]>(r.levels_offered, []),
    standardRef: r.standard_ref,
    verified: toBool(r.verified),
    note: r.note,
  };
}

function toRow(o: OccupationInput) {
  return {
    code: o.code,
    edition: o.edition,
    name: o.name,
    trades: JSON.stringify(o.trades),
    levels_offered: JSON.stringify([...o.levelsOffered].sort()),
    standard_ref: o.standardRef,
    verified: o.verified,
    note: o.note,
  };
}

export class OccupationsService {
  private get knex(): Knex {
    return this.kernel.knex;
  }

  constructor(private readonly kernel: Kernel) {}

  async list(): Promise<Occupation[]> {
    return ((await this.knex('occupations').orderBy('code')) as OccupationRow[]).map(toOccupation);
  }

  async get(id: number): Promise<Occupation> {
    const row = await this.knex('occupations').where({ id }).first<OccupationRow | undefined>();
    if (!row) throw appError('NOT_FOUND', `职业 ${id} 不存在`);
    return toOccupation(row);
  }

  async create(actor: Actor, input: OccupationInput, trxIn?: Knex.Transaction): Promise<Occupation> {
    const run = async (trx: Knex.Transaction) => {
      const clash = await trx('occupations')
        .where({ name: input.name, edition: input.edition })
        .first<{ id: number } | undefined>('id');
      if (clash) {
        throw appError('CONFLICT', `职业“${input.name}”（${input.edition} 版）已存在`, { field: 'name' });
      }
      const id = await insertReturningId(trx, 'occupations', toRow(input));
      await appendAudit(trx, {
        actor,
        action: 'occupations.create',
        entity: 'occupation',
        entityId: id,
        after: input,
      });
      return id;
    };
    const id = trxIn ? await run(trxIn) : await this.kernel.transaction(run);
    return trxIn ? { id, ...input } : this.get(id);
  }

  async update(actor: Actor, id: number, input: OccupationInput): Promise<Occupation> {
    await this.kernel.transaction(async (trx) => {
      const before = await trx('occupations').where({ id }).first<OccupationRow | undefined>();
      if (!before) throw appError('NOT_FOUND', `职业 ${id} 不存在`);
      const clash = await trx('occupations')
        .where({ name: input.name, edition: input.edition })
        .whereNot({ id })
        .first<{ id: number } | undefined>('id');
      if (clash) {
        throw appError('CONFLICT', `职业“${input.name}”（${input.edition} 版）已存在`, { field: 'name' });
      }
      await trx('occupations').where({ id }).update(toRow(input));
      await appendAudit(trx, {
        actor,
        action: 'occupations.update',
        entity: 'occupation',
        entityId: id,
        before: toOccupation(before),
        after: { id, ...input },
      });
    });
    return this.get(id);
  }
}
