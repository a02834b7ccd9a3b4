import type { Knex } from 'knex';
import type { CardRead, CheckinResult, RoomProgress } from '../../shared/contract/checkin';
import { decideCheckin } from '../../shared/domain/checkin-rules';
import { maskIdNumber } from '../../shared/domain/id-types';
import { normalizeIdInput } from '../../shared/domain/id-number';
import { insertReturningId } from '../db';
import { appendAudit, type Actor } from '../audit/chain';
import { appError } from '../core/errors';
import { whereSearchText } from '../db/search';
import type { SessionsService } from '../sessions/sessions.service';

interface CandidateLite {
  id: number;
  name: string;
  id_number: string;
  admission_ticket_no: string | null;
  review_status: string;
}

type Method = 'card' | 'ticket' | 'name';

export class CheckinService {
  constructor(
    private readonly knex: Knex,
    private readonly sessions: SessionsService,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Check in the holder of a card read at the desk of `roomId`. */
  byCard(actor: Actor, input: { sessionId: number; roomId: number; card: CardRead }): Promise<CheckinResult> {
    return this.knex.transaction(async (trx) => {
      const session = await this.sessions.get(input.sessionId, trx);
      const idNumber = normalizeIdInput(input.card.idNumber);
      const candidate = await trx('candidates')
        .where({ sitting_id: session.sittingId, id_number: idNumber })
        .first<CandidateLite | undefined>('id', 'name', 'id_number', 'admission_ticket_no', 'review_status');
      return this.decide(trx, actor, {
        sessionId: input.sessionId,
        roomId: input.roomId,
        candidate: candidate ?? null,
        method: 'card',
        reason: null,
        cardValidUntil: input.card.validUntil,
        samId: input.card.samId,
        cardName: input.card.name,
        cardIdMasked: maskIdNumber(idNumber),
      });
    });
  }

  /** Manual fallback: ticket scan or name search, with the reason recorded. */
  manual(
    actor: Actor,
    input: {
      sessionId: number;
      roomId: number;
      candidateId: number;
      method: 'ticket' | 'name';
      reason: string;
    },
  ): Promise<CheckinResult> {
    return this.knex.transaction(async (trx) => {
      const session = await this.sessions.get(input.sessionId, trx);
      const candidate = await trx('candidates')
        .where({ id: input.candidateId, sitting_id: session.sittingId })
        .first<CandidateLite | undefined>('id', 'name', 'id_number', 'admission_ticket_no', 'review_status');
      if (!candidate) throw appError('NOT_FOUND', '该考生不在本批次名单中', { field: 'candidateId' });
      return this.decide(trx, actor, {
        sessionId: input.sessionId,
        roomId: input.roomId,
        candidate,
        method: input.method,
        reason: input.reason,
        cardValidUntil: null,
        samId: null,
        cardName: null,
        cardIdMasked: null,
      });
    });
  }

  private async decide(
    trx: Knex.Transaction,
    actor: Actor,
    a: {
      sessionId: number;
      roomId: number;
      candidate: CandidateLite | null;
      method: Method;
      reason: string | null;
      cardValidUntil: string | null;
      samId: string | null;
      cardName: string | null;
      cardIdMasked: string | null;
    },
  ): Promise<CheckinResult> {
    const session = await this.sessions.get(a.sessionId, trx);
    const room = await trx('rooms')
      .where({ id: a.roomId })
      .first<{ id: number; name: string } | undefined>('id', 'name');
    if (!room) throw appError('NOT_FOUND', `考场 ${a.roomId} 不存在`, { field: 'roomId' });
    const c = a.candidate;
    const seat = c
      ? await trx('seat_assignments as a')
          .join('rooms as r', 'r.id', 'a.room_id')
          .where({ 'a.session_id': a.sessionId, 'a.candidate_id': c.id })
          .first<{ room_id: number; seat_no: number; name: string } | undefined>(
            'a.room_id',
            'a.seat_no',
            'r.name',
          )
      : undefined;
    const otherSessions = c
      ? ((await trx('seat_assignments as a')
          .join('exam_sessions as s', 's.id', 'a.session_id')
          .where('a.candidate_id', c.id)
          .whereNot('a.session_id', a.sessionId)
          .pluck('s.name')) as string[])
      : [];
    const existing = c
      ? await trx('checkins as k')
          .join('rooms as r', 'r.id', 'k.room_id')
          .where({ 'k.session_id': a.sessionId, 'k.candidate_id': c.id })
          .first<{ checked_in_at: string; name: string } | undefined>('k.checked_in_at', 'r.name')
      : undefined;
    const now = this.clock();
    const decision = decideCheckin({
      now,
      session: {
        name: session.name,
        startsAt: session.startsAt,
        opensMinutesBefore: session.opensMinutesBefore,
        lateCutoffMinutes: session.lateCutoffMinutes,
      },
      deskRoom: { id: Number(room.id), name: room.name },
      candidate: c
        ? {
            name: c.name,
            reviewStatus:
              c.review_status === 'approved'
                ? 'approved'
                : c.review_status === 'rejected'
                  ? 'rejected'
                  : 'pending',
          }
        : null,
      seat: seat ? { roomId: Number(seat.room_id), roomName: seat.name, seatNo: Number(seat.seat_no) } : null,
      otherSessions,
      existing: existing ? { at: existing.checked_in_at, roomName: existing.name } : null,
      cardValidUntil: a.cardValidUntil,
    });
    const at = now.toISOString();
    const auditBase = {
      sessionId: a.sessionId,
      roomId: a.roomId,
      method: a.method,
      reason: a.reason,
      readerSamId: a.samId,
      at,
    };
    if (!decision.ok) {
      await appendAudit(trx, {
        actor,
        action: 'checkin.refused',
        entity: 'candidate',
        entityId: c?.id ?? null,
        after: { ...auditBase, code: decision.code, message: decision.message, card: a.cardIdMasked },
      });
      return {
        ok: false,
        code: decision.code,
        message: decision.message,
        name: c?.name ?? a.cardName,
        candidateId: c ? Number(c.id) : null,
      };
    }
    const candidate = c!;
    const checkinId = await insertReturningId(trx, 'checkins', {
      session_id: a.sessionId,
      candidate_id: candidate.id,
      room_id: decision.roomId,
      seat_no: decision.seatNo,
      checked_in_at: at,
      method: a.method,
      manual_reason: a.reason,
      operator_id: actor.id,
      reader_sam_id: a.samId,
      card_valid_until: a.cardValidUntil,
    });
    await appendAudit(trx, {
      actor,
      action: 'checkin.checkIn',
      entity: 'candidate',
      entityId: candidate.id,
      after: { ...auditBase, checkinId, seatNo: decision.seatNo, late: decision.late },
    });
    return {
      ok: true,
      checkinId,
      candidateId: Number(candidate.id),
      name: candidate.name,
      idNumberMasked: maskIdNumber(candidate.id_number),
      admissionTicketNo: candidate.admission_ticket_no,
      roomName: room.name,
      seatNo: decision.seatNo,
      late: decision.late,
      method: a.method,
      at,
    };
  }

  async search(sessionId: number, q: string) {
    const session = await this.sessions.get(sessionId);
    const rows = await this.knex('candidates as c')
      .leftJoin('seat_assignments as a', (j) =>
        j.on('a.candidate_id', 'c.id').andOnVal('a.session_id', sessionId),
      )
      .leftJoin('rooms as r', 'r.id', 'a.room_id')
      .leftJoin('checkins as k', (j) => j.on('k.candidate_id', 'c.id').andOnVal('k.session_id', sessionId))
      .where('c.sitting_id', session.sittingId)
      .where((w) => whereSearchText(w, q, ['c.name', 'c.admission_ticket_no'], 'c.id_number'))
      .orderBy('c.name')
      .limit(20)
      .select<
        Array<{
          id: number;
          name: string;
          id_number: string;
          admission_ticket_no: string | null;
          room_name: string | null;
          seat_no: number | null;
          checkin_id: number | null;
        }>
      >(
        'c.id',
        'c.name',
        'c.id_number',
        'c.admission_ticket_no',
        'r.name as room_name',
        'a.seat_no',
        'k.id as checkin_id',
      );
    return rows.map((r) => ({
      candidateId: Number(r.id),
      name: r.name,
      idNumberMasked: maskIdNumber(r.id_number),
      admissionTicketNo: r.admission_ticket_no,
      roomName: r.room_name,
      seatNo: r.seat_no === null ? null : Number(r.seat_no),
      checkedIn: r.checkin_id !== null,
    }));
  }

  async progress(sessionId: number): Promise<RoomProgress[]> {
    await this.sessions.get(sessionId);
    const rows = await this.knex('seat_assignments as a')
      .join('rooms as r', 'r.id', 'a.room_id')
      .join('candidates as c', 'c.id', 'a.candidate_id')
      .leftJoin('checkins as k', (j) =>
        j.on('k.candidate_id', 'a.candidate_id').andOn('k.session_id', 'a.session_id'),
      )
      .where('a.session_id', sessionId)
      .orderBy('r.name')
      .orderBy('a.seat_no')
      .select<
        Array<{
          room_id: number;
          room_name: string;
          seat_no: number;
          candidate_id: number;
          name: string;
          checkin_id: number | null;
        }>
      >(
        'a.room_id',
        'r.name as room_name',
        'a.seat_no',
        'c.id as candidate_id',
        'c.name',
        'k.id as checkin_id',
      );
    const byRoom = new Map<number, RoomProgress>();
    for (const r of rows) {
      const id = Number(r.room_id);
      let p = byRoom.get(id);
      if (!p) {
        p = { roomId: id, roomName: r.room_name, expected: 0, checkedIn: 0, missing: [] };
        byRoom.set(id, p);
      }
      p.expected += 1;
      if (r.checkin_id !== null) p.checkedIn += 1;
      else p.missing.push({ candidateId: Number(r.candidate_id), name: r.name, seatNo: Number(r.seat_no) });
    }
    return [...byRoom.values()];
  }
}
