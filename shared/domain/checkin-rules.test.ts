import { describe, expect, it } from 'vitest';
import { decideCheckin, decideReverify, staffingRefusal, type CheckinFacts } from './checkin-rules';

const START = '2026-12-05T01:00:00.000Z'; // 09:00 in Beijing; the host's clock is the authority
const base: CheckinFacts = {
  now: new Date('2026-12-05T00:50:00.000Z'),
  session: { name: '理论知识考试', startsAt: START, opensMinutesBefore: 30, lateCutoffMinutes: 15 },
  deskRoom: { id: 1, name: '第1考场' },
  candidate: { name: '王芳', reviewStatus: 'approved' },
  seat: { roomId: 1, roomName: '第1考场', seatNo: 12 },
  otherSessions: [],
  existing: null,
  cardValidUntil: '2030-01-01',
};
const at = (iso: string) => ({ ...base, now: new Date(iso) });

describe('decideCheckin', () => {
  it('checks in a candidate at the right desk in the window, with the seat', () => {
    expect(decideCheckin(base)).toEqual({ ok: true, seatNo: 12, roomId: 1, late: false });
    expect(decideCheckin({ ...base, cardValidUntil: 'long-term' }).ok).toBe(true);
    expect(decideCheckin({ ...base, candidate: { name: '王芳', reviewStatus: 'pending' } }).ok).toBe(true);
  });

  it('says exactly what is wrong otherwise', () => {
    expect(decideCheckin({ ...base, candidate: null })).toMatchObject({
      code: 'not_on_roster',
      message: '不在本批次考生名单中',
    });
    expect(decideCheckin({ ...base, seat: { roomId: 2, roomName: '第2考场', seatNo: 7 } })).toMatchObject({
      code: 'wrong_room',
      message: '王芳 的考场是 第2考场 7 号座，不是本考场（第1考场）',
    });
    expect(decideCheckin({ ...base, seat: null, otherSessions: ['操作技能考核'] })).toMatchObject({
      code: 'wrong_session',
      message: '王芳 不在本场次（理论知识考试），应参加：操作技能考核',
    });
    expect(
      decideCheckin({ ...base, existing: { at: '2026-12-05T00:41:00.000Z', roomName: '第1考场' } }),
    ).toMatchObject({
      code: 'already_checked_in',
    });
    expect(decideCheckin({ ...base, cardValidUntil: '2026-12-04' })).toMatchObject({
      code: 'card_expired',
      message: '身份证件已过期（有效期至 2026-12-04），请出示有效证件并由考务人员处理',
    });
    expect(decideCheckin({ ...base, candidate: { name: '王芳', reviewStatus: 'rejected' } })).toMatchObject({
      code: 'not_approved',
    });
  });

  it('opens 30 minutes before the start and closes 15 minutes after it (configurable)', () => {
    expect(decideCheckin(at('2026-12-05T00:29:59.000Z'))).toMatchObject({ code: 'too_early' });
    expect(decideCheckin(at('2026-12-05T00:30:00.000Z')).ok).toBe(true);
    expect(decideCheckin(at('2026-12-05T01:10:00.000Z'))).toEqual({
      ok: true,
      seatNo: 12,
      roomId: 1,
      late: true,
    });
    expect(decideCheckin(at('2026-12-05T01:15:00.000Z')).ok).toBe(true);
    expect(decideCheckin(at('2026-12-05T01:15:01.000Z'))).toMatchObject({ code: 'too_late' });
    const lenient = {
      ...at('2026-12-05T01:18:00.000Z'),
      session: { ...base.session, lateCutoffMinutes: 20 },
    };
    expect(decideCheckin(lenient).ok).toBe(true);
  });

  it('an expired card is refused even when everything else is right; a card valid today is fine', () => {
    expect(decideCheckin({ ...base, cardValidUntil: '2026-12-05' }).ok).toBe(true);
  });
});

describe('staffing at the desk', () => {
  const short = { violations: ['监考人员不足：30 名考生至少需要 2 名'], overridden: false };

  it('a room that breaks a ratio rule checks nobody in, naming the rule and who can allow it', () => {
    const d = decideCheckin({ ...base, staffing: short });
    expect(d).toMatchObject({ ok: false, code: 'room_staffing' });
    expect(d.ok ? '' : d.message).toBe(
      '第1考场 人员配比不符合要求（监考人员不足：30 名考生至少需要 2 名），不能签到。' +
        '请督导员或考务管理员在「场次与座位」为本考场特批（记录例外）后再签到',
    );
    // Before anything about the candidate: even someone not on the roster hears about the room first.
    expect(decideCheckin({ ...base, candidate: null, staffing: short })).toMatchObject({
      code: 'room_staffing',
    });
  });

  it('a recorded override or a correctly staffed room lets check-in go on', () => {
    expect(decideCheckin({ ...base, staffing: { ...short, overridden: true } }).ok).toBe(true);
    expect(decideCheckin({ ...base, staffing: { violations: [], overridden: false } }).ok).toBe(true);
    expect(staffingRefusal('第2考场', null)).toBeNull();
  });
});

describe('decideReverify (再次入场复核)', () => {
  const desk = { id: 1, name: '第1考场' };
  it('passes someone who checked in to this room, and says what is wrong otherwise', () => {
    expect(
      decideReverify({
        deskRoom: desk,
        candidate: { name: '王芳' },
        checkin: { roomId: 1, roomName: '第1考场', seatNo: 12 },
      }),
    ).toEqual({ ok: true });
    expect(decideReverify({ deskRoom: desk, candidate: { name: '王芳' }, checkin: null })).toEqual({
      ok: false,
      code: 'not_checked_in',
      message: '王芳 未签到，请先签到',
    });
    expect(
      decideReverify({
        deskRoom: desk,
        candidate: { name: '王芳' },
        checkin: { roomId: 2, roomName: '第2考场', seatNo: 7 },
      }),
    ).toEqual({
      ok: false,
      code: 'wrong_room',
      message: '王芳 的考场是 第2考场 7 号座，不是本考场（第1考场）',
    });
    expect(decideReverify({ deskRoom: desk, candidate: null, checkin: null })).toMatchObject({
      code: 'not_on_roster',
    });
  });
});
