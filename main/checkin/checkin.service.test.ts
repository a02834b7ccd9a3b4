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
import {
  expectAppError,
  expectChainIntact,
  expectNoAudit,
  expectOneAudit,
} from '../../test/support/assertions';
import { savePhoto } from '../photos/photos.service';
import { UsersService } from '../users/users.service';
import { RoomsService } from '../rooms/rooms.service';
import { SessionsService } from '../sessions/sessions.service';
import { CheckinService } from './checkin.service';
import type { CardRead } from '../../shared/contract/checkin';
import { Kernel } from '../base/kernel';
import { kernelOf } from '../../test/support/kernel';

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
      const rooms = new RoomsService(kernelOf(knex));
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
      const sessions = new SessionsService(kernelOf(knex));
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
      const checkin = new CheckinService(new Kernel(knex, { clock: () => clock }), sessions);
      const users = new UsersService(kernelOf(knex));
      /** Two proctors in each theory room (domain.md §3.2), so that the desks may check people in. */
      const staffTheory = async () => {
        const ids: number[] = [];
        for (let i = 1; i <= 4; i++) {
          const u = await users.create(actor, {
            username: `desk-p${i}`,
            displayName: `监考${i}`,
            password: 'password-1',
            roles: ['proctor'],
          });
          ids.push(u.id);
        }
        await sessions.setStaff(actor, {
          sessionId: theory.id,
          roomId: r1.id,
          proctorIds: ids.slice(0, 2),
          evaluatorIds: [],
        });
        await sessions.setStaff(actor, {
          sessionId: theory.id,
          roomId: r2.id,
          proctorIds: ids.slice(2),
          evaluatorIds: [],
        });
      };
      return {
        staffTheory,
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
      await s.staffTheory();
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
      await s.staffTheory();
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
      await s.staffTheory();
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
      const users = new UsersService(kernelOf(s.knex));
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

    /** Seats everyone, staffs the rooms, and returns where candidate `i` sits. */
    async function seated(s: Awaited<ReturnType<typeof site>>, i: number) {
      await s.sessions.assignSeats(s.actor, {
        sessionId: s.theory.id,
        roomIds: [s.r1.id, s.r2.id],
        separateEmployers: false,
      });
      await s.staffTheory();
      const seat = await s
        .knex('seat_assignments')
        .where({ session_id: s.theory.id, candidate_id: s.ids[i] })
        .first<{ room_id: number; seat_no: number }>();
      const room = Number(seat.room_id) === s.r1.id ? s.r1 : s.r2;
      const other = room.id === s.r1.id ? s.r2 : s.r1;
      return { room, other, seatNo: Number(seat.seat_no) };
    }

    const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 7)]);
    const BMP = Buffer.concat([Buffer.from('BM'), Buffer.alloc(100, 1)]);
    const photoCount = async (knex: ReturnType<typeof getDb>['knex']) =>
      Number((await knex('photos').count<{ n: number | string }[]>({ n: '*' }))[0]?.n);

    it('shows the roster and chip photos with the check-in, and keeps the live photo and its retake', async () => {
      const s = await site();
      const { room } = await seated(s, 0);
      const rosterPhotoId = await kernelOf(s.knex).transaction((trx) =>
        savePhoto(trx, { candidateId: s.ids[0]!, kind: 'roster', bytes: JPEG, createdBy: s.actor.id }),
      );
      await s.knex('candidates').where({ id: s.ids[0] }).update({ photo_id: rosterPhotoId });

      const r = await s.checkin.byCard(s.actor, {
        sessionId: s.theory.id,
        roomId: room.id,
        card: card(s.people[0]!.idNumber),
        cardPhoto: { bytes: BMP },
      });
      if (!r.ok) throw new Error(r.message);
      expect(r).toMatchObject({ rosterPhotoId, livePhotoId: null });
      expect(r.cardPhotoId).not.toBeNull();
      const chip = await s
        .knex('photos')
        .where({ id: r.cardPhotoId })
        .first<{ kind: string; mime: string; candidate_id: number }>();
      expect(chip).toMatchObject({ kind: 'card', mime: 'image/bmp' });
      expect(Number(chip.candidate_id)).toBe(s.ids[0]);
      const row = await s.knex('checkins').where({ id: r.checkinId }).first<{ card_photo_id: number }>();
      expect(Number(row.card_photo_id)).toBe(r.cardPhotoId);

      // Bytes that are no photo: a clear error, nothing stored, nothing audited.
      const before = await photoCount(s.knex);
      await expectNoAudit(s.knex, () =>
        expectAppError(
          s.checkin.attachPhoto(s.actor, {
            checkinId: r.checkinId,
            photo: Buffer.from('this is not a photo at all').toString('base64'),
          }),
          'BAD_REQUEST',
          { message: '签到现场照片：不是 JPEG、PNG 或 BMP 图片（按文件内容判断）', field: 'photo' },
        ),
      );
      expect(await photoCount(s.knex)).toBe(before);
      expect(
        (await s.knex('checkins').where({ id: r.checkinId }).first<{ photo_id: number | null }>()).photo_id,
      ).toBeNull();

      const first = await expectOneAudit(s.knex, 'checkin.photo', () =>
        s.checkin.attachPhoto(s.actor, { checkinId: r.checkinId, photo: JPEG.toString('base64') }),
      );
      const retake = await expectOneAudit(s.knex, 'checkin.photo', () =>
        s.checkin.attachPhoto(s.actor, { checkinId: r.checkinId, photo: JPEG.toString('base64') }),
      );
      expect(retake.result.photoId).not.toBe(first.result.photoId);
      expect(JSON.parse(retake.entry.before ?? '{}')).toEqual({ photoId: first.result.photoId });
      const live = await s
        .knex('checkins')
        .where({ id: r.checkinId })
        .first<{ photo_id: number }>('photo_id');
      expect(Number(live.photo_id)).toBe(retake.result.photoId);
      const kinds = await s.knex('photos').where({ id: retake.result.photoId }).first<{ kind: string }>();
      expect(kinds.kind).toBe('live');

      await expectAppError(
        s.checkin.attachPhoto(s.actor, { checkinId: 999_999, photo: JPEG.toString('base64') }),
        'NOT_FOUND',
        { field: 'checkinId' },
      );
      // A chip photo the decoder mangled never blocks the check-in.
      const other = await s.checkin.byCard(s.actor, {
        sessionId: s.theory.id,
        roomId: (await seated2(s, 2)).id,
        card: card(s.people[2]!.idNumber),
        cardPhoto: { bytes: new Uint8Array([1, 2, 3]) },
      });
      expect(other).toMatchObject({ ok: true, cardPhotoId: null, rosterPhotoId: null });
      await expectChainIntact(s.knex);
    });

    async function seated2(s: Awaited<ReturnType<typeof site>>, i: number) {
      const seat = await s
        .knex('seat_assignments')
        .where({ session_id: s.theory.id, candidate_id: s.ids[i] })
        .first<{ room_id: number }>();
      return Number(seat.room_id) === s.r1.id ? s.r1 : s.r2;
    }

    it('re-verifies a checked-in candidate on re-entry, with the original check-in and every verification', async () => {
      const s = await site();
      const { room, other, seatNo } = await seated(s, 0);
      const desk = { sessionId: s.theory.id, roomId: room.id };

      const notYet = await s.checkin.reverifyByCard(s.actor, { ...desk, card: card(s.people[0]!.idNumber) });
      expect(notYet).toMatchObject({
        ok: false,
        code: 'not_checked_in',
        message: '考生1 未签到，请先签到',
        candidateId: s.ids[0],
      });

      const ci = await s.checkin.byCard(s.actor, { ...desk, card: card(s.people[0]!.idNumber) });
      if (!ci.ok) throw new Error(ci.message);
      await s.checkin.attachPhoto(s.actor, { checkinId: ci.checkinId, photo: JPEG.toString('base64') });
      s.setNow('2026-12-05T01:40:00.000Z');

      const wrong = await s.checkin.reverifyByCard(s.actor, {
        sessionId: s.theory.id,
        roomId: other.id,
        card: card(s.people[0]!.idNumber),
      });
      expect(wrong).toMatchObject({
        ok: false,
        code: 'wrong_room',
        message: `考生1 的考场是 ${room.name} ${seatNo} 号座，不是本考场（${other.name}）`,
      });

      const { result: ok, entry } = await expectOneAudit(s.knex, 'checkin.reverify', () =>
        s.checkin.reverifyByCard(s.actor, { ...desk, card: card(s.people[0]!.idNumber) }),
      );
      if (!ok.ok) throw new Error(ok.message);
      expect(ok).toMatchObject({
        checkinId: ci.checkinId,
        name: '考生1',
        roomName: room.name,
        seatNo,
        checkedInAt: ci.at,
        checkinMethod: 'card',
        method: 'card',
        at: '2026-12-05T01:40:00.000Z',
        livePhotoId: null,
      });
      expect(ok.checkinPhotoId).not.toBeNull();
      expect(ok.history).toMatchObject([
        { id: ok.verificationId, method: 'card', operatorName: '考务管理员' },
      ]);
      expect(JSON.parse(entry.after ?? '{}')).toMatchObject({ verificationId: ok.verificationId });

      const photo = await expectOneAudit(s.knex, 'checkin.photo', () =>
        s.checkin.attachPhoto(s.actor, {
          checkinId: ok.checkinId,
          verificationId: ok.verificationId,
          photo: JPEG.toString('base64'),
        }),
      );
      const v = await s
        .knex('checkin_verifications')
        .where({ id: ok.verificationId })
        .first<{ photo_id: number }>();
      expect(Number(v.photo_id)).toBe(photo.result.photoId);
      // The check-in's own live photo is untouched by the verification's photo.
      const again = await s.knex('checkins').where({ id: ci.checkinId }).first<{ photo_id: number }>();
      expect(Number(again.photo_id)).toBe(ok.checkinPhotoId);

      const manual = await s.checkin.reverify(s.actor, {
        ...desk,
        candidateId: s.ids[0]!,
        method: 'ticket',
        reason: '未带身份证',
      });
      if (!manual.ok) throw new Error(manual.message);
      expect(manual.history.map((h) => [h.method, h.note, h.photoId])).toEqual([
        ['ticket', '未带身份证', null],
        ['card', null, photo.result.photoId],
      ]);

      await expectAppError(
        s.checkin.attachPhoto(s.actor, {
          checkinId: ci.checkinId + 1000,
          verificationId: ok.verificationId,
          photo: JPEG.toString('base64'),
        }),
        'NOT_FOUND',
      );
      const audit = await s
        .knex('audit_log')
        .whereIn('action', ['checkin.reverify', 'checkin.reverifyRefused'])
        .orderBy('seq')
        .pluck('action');
      expect(audit).toEqual([
        'checkin.reverifyRefused',
        'checkin.reverifyRefused',
        'checkin.reverify',
        'checkin.reverify',
      ]);
      await expectChainIntact(s.knex);
    });

    it('finds the candidate of a scanned admission ticket by its exact number', async () => {
      const s = await site();
      const { room } = await seated(s, 4);
      const found = await s.checkin.findTicket(s.theory.id, ' T20260005 ');
      expect(found).toMatchObject({
        candidateId: s.ids[4],
        name: '考生5',
        admissionTicketNo: 'T20260005',
        roomName: room.name,
        checkedIn: false,
      });
      await expectAppError(s.checkin.findTicket(s.theory.id, 'T20269999'), 'NOT_FOUND', {
        message: '准考证号 T20269999 不在本批次考生名单中',
        field: 'ticketNo',
      });
      // Part of a number is not a scan: no guessing.
      await expectAppError(s.checkin.findTicket(s.theory.id, 'T202600'), 'NOT_FOUND', {
        message: '准考证号 T202600 不在本批次考生名单中',
      });
      const r = await s.checkin.manual(s.actor, {
        sessionId: s.theory.id,
        roomId: room.id,
        candidateId: found.candidateId,
        method: 'ticket',
        reason: '身份证无法读取',
      });
      expect(r).toMatchObject({ ok: true, method: 'ticket' });
      expect((await s.checkin.findTicket(s.theory.id, 'T20260005')).checkedIn).toBe(true);
    });

    it('checks nobody in at a room whose staffing breaks the ratio rules until an override is recorded', async () => {
      const s = await site();
      await s.sessions.assignSeats(s.actor, {
        sessionId: s.theory.id,
        roomIds: [s.r1.id, s.r2.id],
        separateEmployers: false,
      });
      const room = await seated2(s, 0);
      const desk = { sessionId: s.theory.id, roomId: room.id };
      const refused = await s.checkin.byCard(s.actor, { ...desk, card: card(s.people[0]!.idNumber) });
      expect(refused).toMatchObject({ ok: false, code: 'room_staffing', name: '考生1' });
      const message = refused.ok ? '' : refused.message;
      expect(message).toMatch(
        new RegExp(`^${room.name} 人员配比不符合要求（每个考场至少 2 名监考人员，现有 0 名；\\d+ 名考生`),
      );
      expect(message).toContain('督导员或考务管理员在「场次与座位」为本考场特批');
      const manual = await s.checkin.manual(s.actor, {
        ...desk,
        candidateId: s.ids[0]!,
        method: 'name',
        reason: '读卡器故障',
      });
      expect(manual).toMatchObject({ ok: false, code: 'room_staffing' });
      expect(await s.knex('checkins').first('id')).toBeUndefined();

      await s.sessions.overrideStaffing(s.actor, { ...desk, reason: '监考人员临时缺席，督导员同意' });
      const ok = await s.checkin.byCard(s.actor, { ...desk, card: card(s.people[0]!.idNumber) });
      expect(ok).toMatchObject({ ok: true, name: '考生1' });
      await expectChainIntact(s.knex);
    });
  },
  { per: 'test' },
);
