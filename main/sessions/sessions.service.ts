import { randomInt } from 'node:crypto';
import type { Knex } from 'knex';
import type { z } from 'zod';
import type { ExamSession, RoomPlan, sessionInputSchema } from '../../shared/contract/sessions';
import type { Component } from '../../shared/domain/levels';
import { assignSeats, seededRandom, SeatingError } from '../../shared/domain/seating';
import { staffingViolations } from '../../shared/domain/staffing';
import { insertReturningId, parseJson, toBool } from '../db';
import { appendAudit, type Actor } from '../audit/chain';
import { appError } from '../base/errors';
import type { UserRow } from '../auth/auth.service';
import { toUser } from '../auth/auth.service';
import type { Kernel } from '../base/kernel';

export type SessionInput = z.infer<typeof sessionInputSchema>;

interface SessionRow {
  id: number;
  sitting_id: number;
  name: string;
  component: string;
  starts_at: string;
  ends_at: string;
  opens_minutes_before: number;
  late_cutoff_minutes: number;
  seated: number | string;
  checked_in: number | string;
}

export interface SessionRecord {
  id: number;
  sittingId: number;
  name: string;
  component: Component;
  startsAt: string;
  endsAt: string;
  opensMinutesBefore: number;
  lateCutoffMinutes: number;
}

function toSession(r: SessionRow): ExamSession {
  return {
    id: Number(r.id),
    sittingId: Number(r.sitting_id),
    name: r.name,
    component: r.component as Component,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    opensMinutesBefore: Number(r.opens_minutes_before),
    lateCutoffMinutes: Number(r.late_cutoff_minutes),
    seated: Number(r.seated),
    checkedIn: Number(r.checked_in),
  };
}

export class SessionsService {
  private get knex(): Knex {
    return this.kernel.knex;
  }

  constructor(private readonly kernel: Kernel) {}

  private query(q: Knex | Knex.Transaction) {
    return q('exam_sessions as s').select(
      's.*',
      q.raw('(select count(*) from seat_assignments a where a.session_id = s.id) as seated'),
      q.raw('(select count(*) from checkins c where c.session_id = s.id) as checked_in'),
    );
  }

  async list(sittingId: number): Promise<ExamSession[]> {
    const rows = (await this.query(this.knex)
      .where('s.sitting_id', sittingId)
      .orderBy('s.starts_at')) as SessionRow[];
    return rows.map(toSession);
  }

  async get(id: number, q: Knex | Knex.Transaction = this.knex): Promise<ExamSession> {
    const row = (await this.query(q).where('s.id', id).first()) as SessionRow | undefined;
    if (!row) throw appError('NOT_FOUND', `场次 ${id} 不存在`);
    return toSession(row);
  }

  async create(actor: Actor, input: SessionInput): Promise<ExamSession> {
    return this.kernel.transaction(async (trx) => {
      const sitting = await trx('sittings')
        .where({ id: input.sittingId })
        .first<{ components: string } | undefined>('components');
      if (!sitting) throw appError('NOT_FOUND', `认定批次 ${input.sittingId} 不存在`, { field: 'sittingId' });
      const components = Object.values(parseJson<Record<string, string[]>>(sitting.components, {})).flat();
      if (!components.includes(input.component)) {
        throw appError('BAD_REQUEST', '本批次没有这一考核项目', { field: 'component' });
      }
      const id = await insertReturningId(trx, 'exam_sessions', {
        sitting_id: input.sittingId,
        name: input.name,
        component: input.component,
        starts_at: new Date(input.startsAt).toISOString(),
        ends_at: new Date(input.endsAt).toISOString(),
        opens_minutes_before: input.opensMinutesBefore,
        late_cutoff_minutes: input.lateCutoffMinutes,
        created_at: this.kernel.nowIso(),
      });
      await appendAudit(trx, {
        actor,
        action: 'sessions.create',
        entity: 'exam_session',
        entityId: id,
        after: input,
      });
      return this.get(id, trx);
    });
  }

  /**
   * Seat the session's candidates (not those rejected in eligibility review) at random in the chosen
   * rooms. Replaces an earlier assignment as long as nobody has checked in yet.
   */
  async assignSeats(
    actor: Actor,
    input: { sessionId: number; roomIds: number[]; separateEmployers: boolean },
  ): Promise<{ seated: number; seed: number }> {
    return this.kernel.transaction(async (trx) => {
      const session = await this.get(input.sessionId, trx);
      if (session.checkedIn > 0) throw appError('CONFLICT', '已有考生签到，不能重新安排座位');
      const rooms = (await trx('rooms').whereIn('id', input.roomIds)) as Array<{
        id: number;
        name: string;
        capacity: number;
        columns: number;
        active: number | boolean;
      }>;
      const missing = input.roomIds.filter((id) => !rooms.some((r) => Number(r.id) === id));
      if (missing.length > 0) {
        throw appError('NOT_FOUND', `考场 ${missing.join('、')} 不存在`, { field: 'roomIds' });
      }
      const inactive = rooms.filter((r) => !toBool(r.active)).map((r) => r.name);
      if (inactive.length > 0) {
        throw appError('BAD_REQUEST', `考场 ${inactive.join('、')} 已停用`, { field: 'roomIds' });
      }
      const levels = await trx('sittings')
        .where({ id: session.sittingId })
        .first<{ components: string }>('components');
      const levelsTaking = Object.entries(parseJson<Record<string, string[]>>(levels.components, {}))
        .filter(([, comps]) => comps.includes(session.component))
        .map(([level]) => Number(level));
      const candidates = await trx('candidates')
        .where({ sitting_id: session.sittingId })
        .whereIn('applied_level', levelsTaking)
        .whereNot({ review_status: 'rejected' })
        .orderBy('id')
        .select<Array<{ id: number; employer: string | null }>>('id', 'employer');
      const seed = randomInt(1, 2 ** 31 - 1);
      let seats;
      try {
        const ordered = input.roomIds.map((id) => rooms.find((r) => Number(r.id) === id)!);
        seats = assignSeats(
          candidates.map((c) => ({ id: Number(c.id), employer: c.employer })),
          ordered.map((r) => ({
            id: Number(r.id),
            name: r.name,
            capacity: Number(r.capacity),
            columns: Number(r.columns),
          })),
          { separateEmployers: input.separateEmployers, random: seededRandom(seed) },
        );
      } catch (e) {
        if (e instanceof SeatingError) throw appError('BAD_REQUEST', e.message, { field: 'roomIds' });
        throw e;
      }
      await trx('seat_assignments').where({ session_id: session.id }).delete();
      for (let i = 0; i < seats.length; i += 500) {
        await trx('seat_assignments').insert(
          seats.slice(i, i + 500).map((s) => ({
            session_id: session.id,
            room_id: s.roomId,
            seat_no: s.seatNo,
            candidate_id: s.candidateId,
          })),
        );
      }
      await appendAudit(trx, {
        actor,
        action: 'sessions.assignSeats',
        entity: 'exam_session',
        entityId: session.id,
        after: {
          roomIds: input.roomIds,
          separateEmployers: input.separateEmployers,
          seed,
          seated: seats.length,
        },
      });
      return { seated: seats.length, seed };
    });
  }

  /**
   * Each room of the session with its seated count, staff and staffing against the ratio rules
   * (domain.md §3.2) and any override: the one place this is computed (the check-in desk asks it for its
   * room with `onlyRoomId`).
   */
  async plan(
    sessionId: number,
    q: Knex | Knex.Transaction = this.knex,
    onlyRoomId?: number,
  ): Promise<RoomPlan[]> {
    const session = await this.get(sessionId, q);
    const roomIds = new Set<number>();
    const where =
      onlyRoomId === undefined ? { session_id: sessionId } : { session_id: sessionId, room_id: onlyRoomId };
    const seated = await q('seat_assignments')
      .where(where)
      .groupBy('room_id')
      .select<Array<{ room_id: number; n: number | string }>>('room_id', q.raw('count(*) as n'));
    seated.forEach((r) => roomIds.add(Number(r.room_id)));
    const staff = (await q('room_staff').where(where)) as Array<{
      room_id: number;
      user_id: number;
      duty: string;
    }>;
    staff.forEach((s) => roomIds.add(Number(s.room_id)));
    const overrides = await q('staffing_overrides as o')
      .join('users as u', 'u.id', 'o.approved_by')
      .where('o.session_id', sessionId)
      .modify((b) => {
        if (onlyRoomId !== undefined) void b.where('o.room_id', onlyRoomId);
      })
      .select<
        Array<{
          room_id: number;
          reason: string;
          approved_at: string;
          display_name: string;
        }>
      >('o.room_id', 'o.reason', 'o.approved_at', 'u.display_name');
    const rooms = (await q('rooms')
      .whereIn('id', [...roomIds])
      .orderBy('name')) as Array<{ id: number; name: string; capacity: number }>;
    return rooms.map((room) => {
      const id = Number(room.id);
      const n = Number(seated.find((s) => Number(s.room_id) === id)?.n ?? 0);
      const proctorIds = staff
        .filter((s) => Number(s.room_id) === id && s.duty === 'proctor')
        .map((s) => Number(s.user_id));
      const evaluatorIds = staff
        .filter((s) => Number(s.room_id) === id && s.duty === 'evaluator')
        .map((s) => Number(s.user_id));
      const o = overrides.find((x) => Number(x.room_id) === id);
      return {
        roomId: id,
        roomName: room.name,
        capacity: Number(room.capacity),
        seated: n,
        proctorIds,
        evaluatorIds,
        violations: staffingViolations({
          component: session.component,
          candidates: n,
          proctors: proctorIds.length,
          evaluators: evaluatorIds.length,
        }),
        override: o ? { reason: o.reason, approvedBy: o.display_name, approvedAt: o.approved_at } : null,
      };
    });
  }

  async setStaff(
    actor: Actor,
    input: { sessionId: number; roomId: number; proctorIds: number[]; evaluatorIds: number[] },
  ): Promise<RoomPlan> {
    return this.kernel.transaction(async (trx) => {
      await this.get(input.sessionId, trx);
      const ids = [...new Set([...input.proctorIds, ...input.evaluatorIds])];
      const users = ((await trx('users').whereIn('id', ids)) as UserRow[]).map(toUser);
      for (const id of input.proctorIds) {
        const u = users.find((x) => x.id === id);
        if (!u || !u.active || !u.roles.includes('proctor')) {
          throw appError('BAD_REQUEST', `用户 ${u?.displayName ?? id} 不是在岗的监考人员`, {
            field: 'proctorIds',
          });
        }
      }
      for (const id of input.evaluatorIds) {
        const u = users.find((x) => x.id === id);
        if (
          !u ||
          !u.active ||
          !(
            u.roles.includes('evaluator') ||
            u.roles.includes('evaluator_lead') ||
            u.roles.includes('panel_member')
          )
        ) {
          throw appError('BAD_REQUEST', `用户 ${u?.displayName ?? id} 不是考评人员`, {
            field: 'evaluatorIds',
          });
        }
      }
      const before = await trx('room_staff').where({ session_id: input.sessionId, room_id: input.roomId });
      await trx('room_staff').where({ session_id: input.sessionId, room_id: input.roomId }).delete();
      const rows = [
        ...input.proctorIds.map((user_id) => ({ user_id, duty: 'proctor' })),
        ...input.evaluatorIds.map((user_id) => ({ user_id, duty: 'evaluator' })),
      ].map((r) => ({ ...r, session_id: input.sessionId, room_id: input.roomId }));
      if (rows.length > 0) await trx('room_staff').insert(rows);
      // A changed staff list needs a fresh decision about any override.
      await trx('staffing_overrides').where({ session_id: input.sessionId, room_id: input.roomId }).delete();
      await appendAudit(trx, {
        actor,
        action: 'sessions.setStaff',
        entity: 'exam_session',
        entityId: input.sessionId,
        before,
        after: { roomId: input.roomId, proctorIds: input.proctorIds, evaluatorIds: input.evaluatorIds },
      });
      const plan = (await this.plan(input.sessionId, trx)).find((p) => p.roomId === input.roomId);
      if (!plan) throw appError('NOT_FOUND', `考场 ${input.roomId} 不在本场次`);
      return plan;
    });
  }

  async overrideStaffing(
    actor: Actor,
    input: { sessionId: number; roomId: number; reason: string },
  ): Promise<RoomPlan> {
    return this.kernel.transaction(async (trx) => {
      const plan = (await this.plan(input.sessionId, trx)).find((p) => p.roomId === input.roomId);
      if (!plan) throw appError('NOT_FOUND', `考场 ${input.roomId} 不在本场次`);
      if (plan.violations.length === 0) throw appError('BAD_REQUEST', '该考场人员配比符合要求，无需特批');
      await trx('staffing_overrides').where({ session_id: input.sessionId, room_id: input.roomId }).delete();
      await trx('staffing_overrides').insert({
        session_id: input.sessionId,
        room_id: input.roomId,
        reason: input.reason,
        approved_by: actor.id,
        approved_at: this.kernel.nowIso(),
      });
      await appendAudit(trx, {
        actor,
        action: 'sessions.overrideStaffing',
        entity: 'exam_session',
        entityId: input.sessionId,
        after: { roomId: input.roomId, reason: input.reason, violations: plan.violations },
      });
      return (await this.plan(input.sessionId, trx)).find((p) => p.roomId === input.roomId)!;
    });
  }
}
