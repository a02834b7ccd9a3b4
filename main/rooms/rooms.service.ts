import type { Knex } from 'knex';
import type { Room } from '../../shared/contract/rooms';
import { insertReturningId, toBool } from '../db';
import { appendAudit, type Actor } from '../audit/chain';
import { appError } from '../base/errors';
import type { Kernel } from '../base/kernel';

type RoomInput = Omit<Room, 'id'>;
interface RoomRow {
  id: number;
  name: string;
  location: string;
  capacity: number;
  columns: number;
  active: number | boolean;
}

export function toRoom(r: RoomRow): Room {
  return {
    id: Number(r.id),
    name: r.name,
    location: r.location,
    capacity: Number(r.capacity),
    columns: Number(r.columns),
    active: toBool(r.active),
  };
}

export class RoomsService {
  private get knex(): Knex {
    return this.kernel.knex;
  }

  constructor(private readonly kernel: Kernel) {}

  async list(): Promise<Room[]> {
    return ((await this.knex('rooms').orderBy('name')) as RoomRow[]).map(toRoom);
  }

  async get(id: number, q: Knex | Knex.Transaction = this.knex): Promise<Room> {
    const row = await q('rooms').where({ id }).first<RoomRow | undefined>();
    if (!row) throw appError('NOT_FOUND', `考场 ${id} 不存在`);
    return toRoom(row);
  }

  async create(actor: Actor, input: RoomInput): Promise<Room> {
    return this.kernel.transaction(async (trx) => {
      if (await trx('rooms').where({ name: input.name }).first<{ id: number } | undefined>('id')) {
        throw appError('CONFLICT', `考场“${input.name}”已存在`, { field: 'name' });
      }
      const id = await insertReturningId(trx, 'rooms', input);
      await appendAudit(trx, { actor, action: 'rooms.create', entity: 'room', entityId: id, after: input });
      return this.get(id, trx);
    });
  }

  async update(actor: Actor, id: number, input: RoomInput): Promise<Room> {
    return this.kernel.transaction(async (trx) => {
      const before = await this.get(id, trx);
      const clash = await trx('rooms')
        .where({ name: input.name })
        .whereNot({ id })
        .first<{ id: number } | undefined>('id');
      if (clash) throw appError('CONFLICT', `考场“${input.name}”已存在`, { field: 'name' });
      const seated = await trx('seat_assignments')
        .where({ room_id: id })
        .max<{ m: number | null }[]>({ m: 'seat_no' });
      const highest = Number(seated[0]?.m ?? 0);
      if (input.capacity < highest) {
        throw appError('CONFLICT', `该考场已安排到 ${highest} 号座，座位数不能少于 ${highest}`, {
          field: 'capacity',
        });
      }
      await trx('rooms').where({ id }).update(input);
      await appendAudit(trx, {
        actor,
        action: 'rooms.update',
        entity: 'room',
        entityId: id,
        before,
        after: input,
      });
      return this.get(id, trx);
    });
  }
}
