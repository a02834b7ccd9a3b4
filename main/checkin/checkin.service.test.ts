import { expect, it } from 'vitest';
import { describeEachEngine } from '../../test/support/engines';
import {
  candidateFields,
  createOccupation,
  createSitting,
  idNumber,
  insertCandidates,
  setUpAdmin,
} from '../../test/support/fixtures';
import { expectAppError, expectChainIntact } from '../../test/support/assertions';
import { UsersService } from '../users/users.service';
import { RoomsService } from '../rooms/rooms.service';
import { SessionsService } from '../sessions/sessions.service';
import { CheckinService } from './checkin.service';
import type { CardRead } from '../../shared/contract/checkin';

const START = '2026-12-05T01:00:00.000Z';

describeEachEngine(
  'check-in desk',
  (getDb) => {
    async function site(now = '2026-12-05T00:45:00.000Z') {
      const { knex } = getDb();
      const { actor } = await setUpAdmin(knex);
      const occ = await createOccupation(knex);
      const sitting = await createSitting(knex, occ.id);
      const employers = ['甲建筑公司', '乙建筑公司', '个人'];
      const people = Array.from({ length: 24 }, (_, i) =>
        candidateFields({
          name: `考生${i + 1}`,
          idNumber: idNumber('1990-01-01', i + 1),
          appliedLevel: i % 2 === 0 ? 4 : 5,
          employer: employers[i % 3] ?? null,
          admissionTicketNo: `T2026${String(i + 1).padStart(4, '0')}`,
        }),
      );
      const ids = await insertCandidates(knex, sitting.id, people);
      await knex('candidates')
        .where({ id: ids[23] })
        .update({ review_status: 'rejected', review_reason: '年限不足' });
      const rooms = new RoomsService(knex);
      const r1 = await rooms.create(actor, {
        name: '第1考场',
        location: '教学楼 101',
        capacity: 12,
        columns: 4,
        active: true,
      });
      const r2 = await rooms.create(actor, {
        name: '第2考场',
        location: '教学楼 102',
        capacity: 12,
        columns: 4,
        active: true,
      });
      const sessions = new SessionsService(knex);
      const theory = await sessions.create(actor, {
        sittingId: sitting.id,
        name: '理论知识考试',
        component: 'theory',
        startsAt: START,
        endsAt: '2026-12-05T02:30:00.000Z',
        opensMinutesBefore: 30,
        lateCutoffMinutes: 15,
      });
      const practical = await sessions.create(actor, {
        sittingId: sitting.id,
        name: '操作技能考核',
        component: 'practical',
        startsAt: '2026-12-05T06:00:00.000Z',
        endsAt: '2026-12-05T08:00:00.000Z',
        opensMinutesBefore: 30,
        lateCutoffMinutes: 15,
      });
      let clock = new Date(now);
      const checkin = new CheckinService(knex, sessions, () => clock);
      return {
        knex,
        actor,
        ids,
        people,
        r1,
        r2,
        sessions,
        theory,
        practical,
        checkin,
        setNow: (iso: string) => (clock = new Date(iso)),
      };
    }

    const card = (id: string, validUntil: string | null = '2035-01-01'): CardRead => ({
      cardType: 'resident',
      name: '持卡人',
      idNumber: id,
      validUntil,
      samId: '05.01-20101215-0012345678',
    });

    it('seats everyone but the rejected candidate at random, and refuses rooms that are too small', async () => {
      const s = await site();
      await expectAppError(
        s.sessions.assignSeats(s.actor, {
          sessionId: s.theory.id,
          roomIds: [s.r1.id],
          separateEmployers: false,
        }),
        'BAD_REQUEST',
        { message: '所选考场共 12 个座位，不够安排 23 名考生，请增加考场', field: 'roomIds' },
      );
      const r = await s.sessions.assignSeats(s.actor, {
        sessionId: s.theory.id,
        roomIds: [s.r1.id, s.r2.id],
        separateEmployers: true,
      });
      expect(r.seated).toBe(23);
      const plan = await s.sessions.plan(s.theory.id);
      expect(plan.map((p) => [p.roomName, p.seated])).toEqual([
        ['第1考场', 12],
        ['第2考场', 11],
      ]);
      // No staff yet: the ratio rules say so, per room.
      expect(plan[0]?.violations).toContain('每个考场至少 2 名监考人员，现有 0 名');
      await expectChainIntact(s.knex);
    });

    it('checks in by card at the right desk, and says in red what is wrong otherwise', async () => {
      const s = await site();
      await s.sessions.assignSeats(s.actor, {
        sessionId: s.theory.id,
        roomIds: [s.r1.id, s.r2.id],
        separateEmployers: false,
      });
      const seat = await s
        .knex('seat_assignments')
        .where({ session_id: s.theory.id, candidate_id: s.ids[0] })
        .first<{ room_id: number; seat_no: number }>();
      const myRoom = Number(seat.room_id) === s.r1.id ? s.r1 : s.r2;
      const otherRoom = myRoom.id === s.r1.id ? s.r2 : s.r1;
      const id0 = s.people[0]!.idNumber;

      const wrong = await s.checkin.byCard(s.actor, {
        sessionId: s.theory.id,
        roomId: otherRoom.id,
        card: card(id0),
      });
      expect(wrong).toMatchObject({ ok: false, code: 'wrong_room', name: '考生1' });
      expect(wrong.ok ? '' : wrong.message).toContain(`考场是 ${myRoom.name} ${seat.seat_no} 号座`);

      const ok = await s.checkin.byCard(s.actor, {
        sessionId: s.theory.id,
        roomId: myRoom.id,
        card: card(id0.toLowerCase()),
      });
      expect(ok).toMatchObject({
        ok: true,
        name: '考生1',
        seatNo: Number(seat.seat_no),
        late: false,
        method: 'card',
      });
      expect(ok.ok && ok.idNumberMasked).toBe(`${id0.slice(0, 4)}**********${id0.slice(-4)}`);

      const twice = await s.checkin.byCard(s.actor, {
        sessionId: s.theory.id,
        roomId: myRoom.id,
        card: card(id0),
      });
      expect(twice).toMatchObject({ ok: false, code: 'already_checked_in' });

      const stranger = await s.checkin.byCard(s.actor, {
        sessionId: s.theory.id,
        roomId: myRoom.id,
        card: card(idNumber('1985-05-05', 99)),
      });
      expect(stranger).toMatchObject({
        ok: false,
        code: 'not_on_roster',
        message: '不在本批次考生名单中',
        candidateId: null,
      });

      const expired = await s.checkin.byCard(s.actor, {
        sessionId: s.theory.id,
        roomId: myRoom.id,
        card: card(s.people[1]!.idNumber, '2026-01-31'),
      });
      expect(expired).toMatchObject({ ok: false, code: 'card_expired' });

      const rejected = await s.checkin.byCard(s.actor, {
        sessionId: s.theory.id,
        roomId: myRoom.id,
        card: card(s.people[23]!.idNumber),
      });
      expect(rejected).toMatchObject({ ok: false, code: 'not_approved' });

      // Each attempt, accepted or refused, is in the audit trail with the reader's SAM id.
      const audit = (await s
        .knex('audit_log')
        .whereIn('action', ['checkin.checkIn', 'checkin.refused'])
        .orderBy('seq')) as Array<{ action: string; after: string }>;
      expect(audit.map((a) => a.action)).toEqual([
        'checkin.refused',
        'checkin.checkIn',
        'checkin.refused',
        'checkin.refused',
        'checkin.refused',
        'checkin.refused',
      ]);
      expect(JSON.parse(audit[1]!.after)).toMatchObject({
        method: 'card',
        readerSamId: '05.01-20101215-0012345678',
      });
      await expectChainIntact(s.knex);
    });

    it('refuses late-comers after the cut-off and sends people to their own session', async () => {
      const s = await site('2026-12-05T01:16:00.000Z');
      await s.sessions.assignSeats(s.actor, {
        sessionId: s.practical.id,
        roomIds: [s.r1.id, s.r2.id],
        separateEmployers: false,
      });
      // Nobody is seated in the theory session: a card there is the wrong session.
      const wrongSession = await s.checkin.byCard(s.actor, {
        sessionId: s.theory.id,
        roomId: s.r1.id,
        card: card(s.people[2]!.idNumber),
      });
      expect(wrongSession).toMatchObject({ ok: false, code: 'wrong_session' });
      expect(wrongSession.ok ? '' : wrongSession.message).toContain('应参加：操作技能考核');
      await s.sessions.assignSeats(s.actor, {
        sessionId: s.theory.id,
        roomIds: [s.r1.id, s.r2.id],
        separateEmployers: false,
      });
      const room = await s
        .knex('seat_assignments')
        .where({ session_id: s.theory.id, candidate_id: s.ids[2] })
        .first<{ room_id: number }>();
      const late = await s.checkin.byCard(s.actor, {
        sessionId: s.theory.id,
        roomId: Number(room.room_id),
        card: card(s.people[2]!.idNumber),
      });
      expect(late).toMatchObject({ ok: false, code: 'too_late' });
      s.setNow('2026-12-05T01:10:00.000Z');
      const inTime = await s.checkin.byCard(s.actor, {
        sessionId: s.theory.id,
        roomId: Number(room.room_id),
        card: card(s.people[2]!.idNumber),
      });
      expect(inTime).toMatchObject({ ok: true, late: true });
    });

    it('manual fallback by name search or ticket, with the reason kept; progress counts per room', async () => {
      const s = await site();
      await s.sessions.assignSeats(s.actor, {
        sessionId: s.theory.id,
        roomIds: [s.r1.id, s.r2.id],
        separateEmployers: false,
      });
      const found = await s.checkin.search(s.theory.id, 'T20260005');
      expect(found).toHaveLength(1);
      const hit = found[0]!;
      const roomId = hit.roomName === '第1考场' ? s.r1.id : s.r2.id;
      const r = await s.checkin.manual(s.actor, {
        sessionId: s.theory.id,
        roomId,
        candidateId: hit.candidateId,
        method: 'ticket',
        reason: '身份证遗失，凭临时身份证明和准考证入场',
      });
      expect(r).toMatchObject({ ok: true, method: 'ticket', name: '考生5' });
      const row = await s
        .knex('checkins')
        .where({ candidate_id: hit.candidateId })
        .first<{ method: string; manual_reason: string }>();
      expect(row).toMatchObject({
        method: 'ticket',
        manual_reason: '身份证遗失，凭临时身份证明和准考证入场',
      });
      expect((await s.checkin.search(s.theory.id, '考生5'))[0]?.checkedIn).toBe(true);

      const progress = await s.checkin.progress(s.theory.id);
      expect(progress.reduce((n, p) => n + p.expected, 0)).toBe(23);
      expect(progress.reduce((n, p) => n + p.checkedIn, 0)).toBe(1);
      const room = progress.find((p) => p.roomId === roomId)!;
      expect(room.missing.some((m) => m.candidateId === hit.candidateId)).toBe(false);
      // Once someone has checked in, the seats stay as they are.
      await expectAppError(
        s.sessions.assignSeats(s.actor, {
          sessionId: s.theory.id,
          roomIds: [s.r1.id, s.r2.id],
          separateEmployers: false,
        }),
        'CONFLICT',
        { message: '已有考生签到，不能重新安排座位' },
      );
    });

    it('enforces the staffing ratio per room, with a logged override', async () => {
      const s = await site();
      await s.sessions.assignSeats(s.actor, {
        sessionId: s.theory.id,
        roomIds: [s.r1.id, s.r2.id],
        separateEmployers: false,
      });
      const users = new UsersService(s.knex);
      const p1 = await users.create(s.actor, {
        username: 'p1',
        displayName: '监考一',
        password: 'password-1',
        roles: ['proctor'],
      });
      const ev = await users.create(s.actor, {
        username: 'e1',
        displayName: '考评一',
        password: 'password-1',
        roles: ['evaluator'],
      });
      await expectAppError(
        s.sessions.setStaff(s.actor, {
          sessionId: s.theory.id,
          roomId: s.r1.id,
          proctorIds: [ev.id],
          evaluatorIds: [],
        }),
        'BAD_REQUEST',
        { field: 'proctorIds' },
      );
      const plan = await s.sessions.setStaff(s.actor, {
        sessionId: s.theory.id,
        roomId: s.r1.id,
        proctorIds: [p1.id],
        evaluatorIds: [],
      });
      expect(plan.violations).toEqual(['每个考场至少 2 名监考人员，现有 1 名']);
      const overridden = await s.sessions.overrideStaffing(s.actor, {
        sessionId: s.theory.id,
        roomId: s.r1.id,
        reason: '第二名监考人员临时生病，督导员同意',
      });
      expect(overridden.override).toMatchObject({
        reason: '第二名监考人员临时生病，督导员同意',
        approvedBy: '考务管理员',
      });
      const overrides = await s
        .knex('audit_log')
        .where({ action: 'sessions.overrideStaffing' })
        .count<{ n: number | string }[]>({ n: '*' });
      expect(Number(overrides[0]?.n)).toBe(1);
      await expectChainIntact(s.knex);
    });
  },
  { per: 'test' },
);
