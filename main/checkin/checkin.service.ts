import type { Knex } from 'knex';
import type {
  CardRead,
  CheckinResult,
  DeskEvent,
  ManualInput,
  FoundCandidate,
  ReverifyResult,
  RoomProgress,
  Verification,
} from '../../shared/contract/checkin';
import { decideCheckin, decideReverify } from '../../shared/domain/checkin-rules';
import { maskIdNumber } from '../../shared/domain/id-types';
import { normalizeIdInput } from '../../shared/domain/id-number';
import { insertReturningId } from '../db';
import { photoProblem } from '../photos/photo-format';
import { savePhoto } from '../photos/photos.service';
import { appendAudit, type Actor } from '../audit/chain';
import { appError } from '../base/errors';
import { whereSearchText } from '../db/search';
import type { SessionsService } from '../sessions/sessions.service';
import { changeAt, changeAtIso, publishAfterCommit, type Kernel } from '../base/kernel';
import { ORPCError } from '@orpc/server';
import { logger } from '../base/logger';
import type { ReaderManager } from '../devices/reader-manager';

interface CandidateLite {
  id: number;
  name: string;
  id_number: string;
  admission_ticket_no: string | null;
  review_status: string;
  photo_id: number | null;
}

const CANDIDATE_COLUMNS = ['id', 'name', 'id_number', 'admission_ticket_no', 'review_status', 'photo_id'];

type Method = 'card' | 'ticket' | 'name';

/** One seat of a session: who sits there, and their check-in (see CheckinService.seated). */
export interface SeatedCandidate {
  roomId: number;
  roomName: string;
  roomLocation: string | null;
  seatNo: number;
  candidateId: number;
  name: string;
  /** The full number: for documents that print it (the 签到表); screens show it masked. */
  idNumber: string;
  appliedLevel: number;
  admissionTicketNo: string | null;
  checkin: { id: number; at: string; method: Method } | null;
}

/** A decoded chip photo from the reader (main/devices/idcard/reader.ts CardData.photo). */
export interface CardPhoto {
  bytes: Uint8Array;
}

interface CheckinRow {
  id: number;
  candidate_id: number;
  room_id: number;
  room_name: string;
  seat_no: number;
  checked_in_at: string;
  method: Method;
  photo_id: number | null;
}

function toMethod(m: string): Method {
  return m === 'ticket' || m === 'name' ? m : 'card';
}

/** An error thrown while handling a card, as one Chinese line for the desk (never a stack trace). */
function deskErrorMessage(err: unknown): string {
  if (err instanceof ORPCError && err.status < 500) return err.message;
  logger.error('check-in desk: card handling failed', err);
  return '服务器内部错误，请联系技术支持（详情已记入日志）';
}

const idOrNull = (v: number | string | null | undefined): number | null =>
  v === null || v === undefined ? null : Number(v);

export class CheckinService {
  private get knex(): Knex {
    return this.kernel.knex;
  }

  constructor(
    private readonly kernel: Kernel,
    private readonly sessions: SessionsService,
    /** The host's ID card reader; only the desk stream needs it. */
    private readonly readers?: ReaderManager,
  ) {}

  /**
   * The check-in desk's stream for one session and room: reader states, and for every card laid on the
   * reader the check-in (or 再次入场复核) it leads to. A card goes to the newest open desk only.
   */
  async *desk(
    actor: Actor,
    input: { sessionId: number; roomId: number; mode: 'checkin' | 'reverify' },
    signal: AbortSignal,
  ): AsyncGenerator<DeskEvent> {
    const readers = this.readers;
    if (!readers) throw new Error('CheckinService was built without the reader manager');
    for await (const e of readers.watch(signal)) {
      if (e.type === 'status') {
        const info = await readers.info();
        yield { type: 'ready', reader: info.description, state: e.status.state, reason: info.reason };
      } else if (e.type === 'removed') {
        yield { type: 'removed' };
      } else if (e.type === 'error') {
        yield { type: 'reader-error', code: e.error.code, message: e.error.message };
      } else {
        const card = {
          cardType: e.card.cardType,
          name: e.card.name,
          idNumber: e.card.idNumber,
          validUntil: e.card.validUntil,
          samId: e.samId,
        };
        const shown = {
          cardType: card.cardType,
          name: card.name,
          idNumberMasked: maskIdNumber(card.idNumber),
          validUntil: card.validUntil,
        };
        const desk = { sessionId: input.sessionId, roomId: input.roomId };
        try {
          if (input.mode === 'reverify') {
            const result = await this.reverifyByCard(actor, { ...desk, card });
            yield { type: 'reverify', card: shown, result };
          } else {
            const cardPhoto = e.card.photo ? { bytes: e.card.photo.bytes } : null;
            const result = await this.byCard(actor, { ...desk, card, cardPhoto });
            yield { type: 'card', card: shown, result };
          }
        } catch (err) {
          yield { type: 'reader-error', code: 'checkin', message: deskErrorMessage(err) };
        }
      }
    }
  }

  /** The candidate of the session's sitting holding this ID number, or undefined (not on the roster). */
  private async candidateByIdNumber(
    trx: Knex.Transaction,
    sessionId: number,
    idNumber: string,
  ): Promise<CandidateLite | undefined> {
    const session = await this.sessions.get(sessionId, trx);
    return trx('candidates')
      .where({ sitting_id: session.sittingId, id_number: idNumber })
      .first<CandidateLite | undefined>(...CANDIDATE_COLUMNS);
  }

  /** A candidate chosen at the desk (search or ticket scan); NOT_FOUND unless of the session's sitting. */
  private async candidateById(
    trx: Knex.Transaction,
    sessionId: number,
    candidateId: number,
  ): Promise<CandidateLite> {
    const session = await this.sessions.get(sessionId, trx);
    const candidate = await trx('candidates')
      .where({ id: candidateId, sitting_id: session.sittingId })
      .first<CandidateLite | undefined>(...CANDIDATE_COLUMNS);
    if (!candidate) throw appError('NOT_FOUND', '该考生不在本批次名单中', { field: 'candidateId' });
    return candidate;
  }

  /** Check in the holder of a card read at the desk of `roomId`. */
  byCard(
    actor: Actor,
    input: { sessionId: number; roomId: number; card: CardRead; cardPhoto?: CardPhoto | null },
  ): Promise<CheckinResult> {
    return this.kernel.transaction(async (trx) => {
      const idNumber = normalizeIdInput(input.card.idNumber);
      const candidate = await this.candidateByIdNumber(trx, input.sessionId, idNumber);
      return this.decide(trx, actor, {
        cardPhoto: input.cardPhoto ?? null,
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
  manual(actor: Actor, input: ManualInput): Promise<CheckinResult> {
    return this.kernel.transaction(async (trx) => {
      const candidate = await this.candidateById(trx, input.sessionId, input.candidateId);
      return this.decide(trx, actor, {
        cardPhoto: null,
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
      cardPhoto: CardPhoto | null;
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
    const now = changeAt(trx);
    const decision = decideCheckin({
      now,
      timeZone: this.kernel.timeZone,
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
      staffing: await this.roomStaffing(trx, a.sessionId, Number(room.id)),
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
        rosterPhotoId: idOrNull(c?.photo_id),
      };
    }
    const candidate = c!;
    // A chip photo the vendor decoder gave is kept with the check-in; one we cannot read never blocks it.
    const cardPhotoId =
      a.cardPhoto && !photoProblem(a.cardPhoto.bytes)
        ? await savePhoto(trx, {
            candidateId: candidate.id,
            kind: 'card',
            bytes: a.cardPhoto.bytes,
            createdBy: actor.id,
          })
        : null;
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
      card_photo_id: cardPhotoId,
    });
    await appendAudit(trx, {
      actor,
      action: 'checkin.checkIn',
      entity: 'candidate',
      entityId: candidate.id,
      after: { ...auditBase, checkinId, seatNo: decision.seatNo, late: decision.late, cardPhotoId },
    });
    publishAfterCommit(trx, {
      type: 'checkin.changed',
      sessionId: a.sessionId,
      roomId: a.roomId,
      candidateId: Number(candidate.id),
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
      rosterPhotoId: idOrNull(candidate.photo_id),
      cardPhotoId,
      livePhotoId: null,
    };
  }

  /**
   * The desk room's staffing against the ratio rules, and whether an override was recorded: the sessions
   * feature's plan for this one room. A room with nobody seated or staffed in this session is not one of
   * its rooms (null): the candidate is refused anyway.
   */
  private async roomStaffing(
    trx: Knex.Transaction,
    sessionId: number,
    roomId: number,
  ): Promise<{ violations: string[]; overridden: boolean } | null> {
    const [room] = await this.sessions.plan(sessionId, trx, roomId);
    if (!room) return null;
    return { violations: room.violations, overridden: room.override !== null };
  }

  /** Re-entry verification by a card read at the desk of `roomId` (desk in 复核 mode). */
  reverifyByCard(
    actor: Actor,
    input: { sessionId: number; roomId: number; card: CardRead },
  ): Promise<ReverifyResult> {
    return this.kernel.transaction(async (trx) => {
      const idNumber = normalizeIdInput(input.card.idNumber);
      const candidate = await this.candidateByIdNumber(trx, input.sessionId, idNumber);
      return this.doReverify(trx, actor, {
        sessionId: input.sessionId,
        roomId: input.roomId,
        candidate: candidate ?? null,
        method: 'card',
        note: null,
        cardName: input.card.name,
        cardIdMasked: maskIdNumber(idNumber),
      });
    });
  }

  /** Re-entry verification after a ticket scan or name search; the reason is kept as the note. */
  reverify(actor: Actor, input: ManualInput): Promise<ReverifyResult> {
    return this.kernel.transaction(async (trx) => {
      const candidate = await this.candidateById(trx, input.sessionId, input.candidateId);
      return this.doReverify(trx, actor, {
        sessionId: input.sessionId,
        roomId: input.roomId,
        candidate,
        method: input.method,
        note: input.reason,
        cardName: null,
        cardIdMasked: null,
      });
    });
  }

  private async doReverify(
    trx: Knex.Transaction,
    actor: Actor,
    a: {
      sessionId: number;
      roomId: number;
      candidate: CandidateLite | null;
      method: Method;
      note: string | null;
      cardName: string | null;
      cardIdMasked: string | null;
    },
  ): Promise<ReverifyResult> {
    const room = await trx('rooms')
      .where({ id: a.roomId })
      .first<{ id: number; name: string } | undefined>('id', 'name');
    if (!room) throw appError('NOT_FOUND', `考场 ${a.roomId} 不存在`, { field: 'roomId' });
    const c = a.candidate;
    const checkin = c
      ? await trx('checkins as k')
          .join('rooms as r', 'r.id', 'k.room_id')
          .where({ 'k.session_id': a.sessionId, 'k.candidate_id': c.id })
          .first<CheckinRow | undefined>(
            'k.id',
            'k.candidate_id',
            'k.room_id',
            'r.name as room_name',
            'k.seat_no',
            'k.checked_in_at',
            'k.method',
            'k.photo_id',
          )
      : undefined;
    const decision = decideReverify({
      deskRoom: { id: Number(room.id), name: room.name },
      candidate: c ? { name: c.name } : null,
      checkin: checkin
        ? { roomId: Number(checkin.room_id), roomName: checkin.room_name, seatNo: Number(checkin.seat_no) }
        : null,
    });
    const at = changeAtIso(trx);
    const auditBase = { sessionId: a.sessionId, roomId: a.roomId, method: a.method, note: a.note, at };
    if (!decision.ok || !c || !checkin) {
      const code = decision.ok ? 'not_checked_in' : decision.code;
      const message = decision.ok ? '未签到，请先签到' : decision.message;
      await appendAudit(trx, {
        actor,
        action: 'checkin.reverifyRefused',
        entity: 'candidate',
        entityId: c?.id ?? null,
        after: { ...auditBase, code, message, card: a.cardIdMasked },
      });
      return {
        ok: false,
        code,
        message,
        name: c?.name ?? a.cardName,
        candidateId: c ? Number(c.id) : null,
        rosterPhotoId: idOrNull(c?.photo_id),
      };
    }
    const verificationId = await insertReturningId(trx, 'checkin_verifications', {
      checkin_id: checkin.id,
      at,
      method: a.method,
      operator_id: actor.id,
      note: a.note,
    });
    await appendAudit(trx, {
      actor,
      action: 'checkin.reverify',
      entity: 'checkin',
      entityId: checkin.id,
      after: { ...auditBase, verificationId, candidateId: Number(c.id) },
    });
    return {
      ok: true,
      verificationId,
      checkinId: Number(checkin.id),
      candidateId: Number(c.id),
      name: c.name,
      idNumberMasked: maskIdNumber(c.id_number),
      admissionTicketNo: c.admission_ticket_no,
      roomName: checkin.room_name,
      seatNo: Number(checkin.seat_no),
      checkedInAt: checkin.checked_in_at,
      checkinMethod: toMethod(checkin.method),
      method: a.method,
      at,
      rosterPhotoId: idOrNull(c.photo_id),
      checkinPhotoId: idOrNull(checkin.photo_id),
      livePhotoId: null,
      history: await this.verifications(Number(checkin.id), trx),
    };
  }

  /** The re-entry verifications of one check-in, newest first. */
  async verifications(checkinId: number, q: Knex | Knex.Transaction = this.knex): Promise<Verification[]> {
    const rows = await q('checkin_verifications as v')
      .join('users as u', 'u.id', 'v.operator_id')
      .where('v.checkin_id', checkinId)
      .orderBy('v.id', 'desc')
      .select<
        Array<{
          id: number;
          at: string;
          method: string;
          display_name: string;
          note: string | null;
          photo_id: number | null;
        }>
      >('v.id', 'v.at', 'v.method', 'u.display_name', 'v.note', 'v.photo_id');
    return rows.map((r) => ({
      id: Number(r.id),
      at: r.at,
      method: toMethod(r.method),
      operatorName: r.display_name,
      note: r.note,
      photoId: idOrNull(r.photo_id),
    }));
  }

  /**
   * Store the live webcam photo of a check-in, or of one of its re-entry verifications. A retake (重拍)
   * points the record at the new photo; the old photo stays in the store. Bad bytes: nothing is written.
   */
  attachPhoto(
    actor: Actor,
    input: { checkinId: number; verificationId?: number; photo: string },
  ): Promise<{ photoId: number }> {
    return this.kernel.transaction(async (trx) => {
      const checkin = await trx('checkins')
        .where({ id: input.checkinId })
        .first<{ id: number; candidate_id: number; photo_id: number | null } | undefined>(
          'id',
          'candidate_id',
          'photo_id',
        );
      if (!checkin) throw appError('NOT_FOUND', `签到记录 ${input.checkinId} 不存在`, { field: 'checkinId' });
      const label = input.verificationId === undefined ? '签到现场照片' : '复核现场照片';
      let previous: number | null;
      if (input.verificationId !== undefined) {
        const v = await trx('checkin_verifications')
          .where({ id: input.verificationId, checkin_id: input.checkinId })
          .first<{ id: number; photo_id: number | null } | undefined>('id', 'photo_id');
        if (!v) {
          throw appError('NOT_FOUND', `复核记录 ${input.verificationId} 不属于签到记录 ${input.checkinId}`, {
            field: 'verificationId',
          });
        }
        previous = idOrNull(v.photo_id);
      } else {
        previous = idOrNull(checkin.photo_id);
      }
      const photoId = await savePhoto(trx, {
        candidateId: Number(checkin.candidate_id),
        kind: 'live',
        bytes: Buffer.from(input.photo, 'base64'),
        createdBy: actor.id,
        label,
      });
      if (input.verificationId !== undefined) {
        await trx('checkin_verifications').where({ id: input.verificationId }).update({ photo_id: photoId });
      } else {
        await trx('checkins').where({ id: input.checkinId }).update({ photo_id: photoId });
      }
      await appendAudit(trx, {
        actor,
        action: 'checkin.photo',
        entity: input.verificationId === undefined ? 'checkin' : 'checkin_verification',
        entityId: input.verificationId ?? input.checkinId,
        before: { photoId: previous },
        after: { photoId, checkinId: input.checkinId, retake: previous !== null },
      });
      return { photoId };
    });
  }

  /** A scanned admission ticket: the candidate of this session's sitting with exactly that number. */
  async findTicket(sessionId: number, ticketNo: string): Promise<FoundCandidate> {
    const no = ticketNo.trim();
    const session = await this.sessions.get(sessionId);
    const hit = await this.knex('candidates')
      .where({ sitting_id: session.sittingId, admission_ticket_no: no })
      .first<{ id: number } | undefined>('id');
    if (!hit) {
      throw appError('NOT_FOUND', `准考证号 ${no} 不在本批次考生名单中`, { field: 'ticketNo' });
    }
    const [found] = await this.found(sessionId, session.sittingId, (w) => {
      w.where('c.id', hit.id);
    });
    if (!found) throw appError('NOT_FOUND', `准考证号 ${no} 不在本批次考生名单中`, { field: 'ticketNo' });
    return found;
  }

  async search(sessionId: number, q: string): Promise<FoundCandidate[]> {
    const session = await this.sessions.get(sessionId);
    return this.found(sessionId, session.sittingId, (w) =>
      whereSearchText(w, q, ['c.name', 'c.admission_ticket_no'], 'c.id_number'),
    );
  }

  private async found(
    sessionId: number,
    sittingId: number,
    where: (w: Knex.QueryBuilder) => void,
  ): Promise<FoundCandidate[]> {
    const rows = await this.knex('candidates as c')
      .leftJoin('seat_assignments as a', (j) =>
        j.on('a.candidate_id', 'c.id').andOnVal('a.session_id', sessionId),
      )
      .leftJoin('rooms as r', 'r.id', 'a.room_id')
      .leftJoin('checkins as k', (j) => j.on('k.candidate_id', 'c.id').andOnVal('k.session_id', sessionId))
      .where('c.sitting_id', sittingId)
      .where((w) => where(w))
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

  /**
   * Who is seated in this session (and room), in room and seat order, and whether and when each checked
   * in: the one answer to "who is in this room" for the desk's progress, the printed 签到表 and 座位标签,
   * and whoever comes next (the exam terminal's sign-in, the proctor console, the room log).
   */
  async seated(
    sessionId: number,
    roomId?: number,
    q: Knex | Knex.Transaction = this.knex,
  ): Promise<SeatedCandidate[]> {
    let query = q('seat_assignments as a')
      .join('rooms as r', 'r.id', 'a.room_id')
      .join('candidates as c', 'c.id', 'a.candidate_id')
      .leftJoin('checkins as k', (j) =>
        j.on('k.candidate_id', 'a.candidate_id').andOn('k.session_id', 'a.session_id'),
      )
      .where('a.session_id', sessionId);
    if (roomId !== undefined) query = query.where('a.room_id', roomId);
    const rows = await query.orderBy('r.name').orderBy('a.seat_no').select<
      Array<{
        room_id: number;
        room_name: string;
        room_location: string | null;
        seat_no: number;
        candidate_id: number;
        name: string;
        id_number: string;
        applied_level: number;
        admission_ticket_no: string | null;
        checkin_id: number | null;
        checked_in_at: string | null;
        method: string | null;
      }>
    >('a.room_id', 'r.name as room_name', 'r.location as room_location', 'a.seat_no', 'c.id as candidate_id', 'c.name', 'c.id_number', 'c.applied_level', 'c.admission_ticket_no', 'k.id as checkin_id', 'k.checked_in_at', 'k.method');
    return rows.map((r) => ({
      roomId: Number(r.room_id),
      roomName: r.room_name,
      roomLocation: r.room_location || null,
      seatNo: Number(r.seat_no),
      candidateId: Number(r.candidate_id),
      name: r.name,
      idNumber: r.id_number,
      appliedLevel: Number(r.applied_level),
      admissionTicketNo: r.admission_ticket_no,
      checkin:
        r.checkin_id === null
          ? null
          : { id: Number(r.checkin_id), at: r.checked_in_at ?? '', method: toMethod(r.method ?? 'card') },
    }));
  }

  async progress(sessionId: number): Promise<RoomProgress[]> {
    await this.sessions.get(sessionId);
    const rows = await this.seated(sessionId);
    const byRoom = new Map<number, RoomProgress>();
    for (const r of rows) {
      let p = byRoom.get(r.roomId);
      if (!p) {
        p = { roomId: r.roomId, roomName: r.roomName, expected: 0, checkedIn: 0, missing: [] };
        byRoom.set(r.roomId, p);
      }
      p.expected += 1;
      if (r.checkin) p.checkedIn += 1;
      else p.missing.push({ candidateId: r.candidateId, name: r.name, seatNo: r.seatNo });
    }
    return [...byRoom.values()];
  }
}
