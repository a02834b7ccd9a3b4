/**
 * Whether a candidate may be checked in at this desk now (domain.md §7.2). Pure: the service gathers
 * the facts, this decides, and the desk shows the message in red when it is not ok.
 */
import { DEFAULT_TIME_ZONE, siteDate, siteHhmm } from './site-time';

export interface CheckinWindow {
  /** ISO 8601 */
  startsAt: string;
  /** Check-in opens this many minutes before the start (default 30). */
  opensMinutesBefore: number;
  /** No entry this many minutes after the start (default 15). */
  lateCutoffMinutes: number;
}

export interface CheckinFacts {
  now: Date;
  /** The site's time zone: times in messages and the card's expiry day are the site's (default Asia/Shanghai). */
  timeZone?: string;
  session: CheckinWindow & { name: string };
  deskRoom: { id: number; name: string };
  /** The candidate on this sitting's roster, or null when the card's number is not on it. */
  candidate: { name: string; reviewStatus: 'pending' | 'approved' | 'rejected' } | null;
  /** The seat in THIS session, or null when the candidate has none in it. */
  seat: { roomId: number; roomName: string; seatNo: number } | null;
  /** Sessions of the sitting where the candidate does have a seat (to say "wrong session: go to …"). */
  otherSessions: string[];
  /** An earlier check-in to this session. */
  existing: { at: string; roomName: string } | null;
  /** 'YYYY-MM-DD' or 'long-term'; null when the check-in is manual (no card read). */
  cardValidUntil: string | null;
  /**
   * The desk room's staffing against the ratio rules (domain.md §3.2): the rules it breaks, and whether a
   * supervisor or exam admin recorded an override. A room that breaks them without one checks nobody in.
   */
  staffing?: { violations: string[]; overridden: boolean } | null;
}

export type CheckinRefusalCode =
  | 'not_on_roster'
  | 'not_approved'
  | 'wrong_session'
  | 'wrong_room'
  | 'already_checked_in'
  | 'card_expired'
  | 'too_early'
  | 'too_late'
  | 'room_staffing';

export type CheckinDecision =
  | { ok: true; seatNo: number; roomId: number; late: boolean }
  | { ok: false; code: CheckinRefusalCode; message: string };

/** Why a room may not check anybody in yet, or null when its staffing is fine (or overridden). */
export function staffingRefusal(
  room: string,
  staffing: { violations: string[]; overridden: boolean } | null | undefined,
): string | null {
  if (!staffing || staffing.overridden || staffing.violations.length === 0) return null;
  return (
    `${room} 人员配比不符合要求（${staffing.violations.join('；')}），不能签到。` +
    '请督导员或考务管理员在「场次与座位」为本考场特批（记录例外）后再签到'
  );
}

export function decideCheckin(f: CheckinFacts): CheckinDecision {
  const zone = f.timeZone ?? DEFAULT_TIME_ZONE;
  const staffing = staffingRefusal(f.deskRoom.name, f.staffing);
  if (staffing) return { ok: false, code: 'room_staffing', message: staffing };
  if (!f.candidate) {
    return { ok: false, code: 'not_on_roster', message: '不在本批次考生名单中' };
  }
  if (f.candidate.reviewStatus === 'rejected') {
    return {
      ok: false,
      code: 'not_approved',
      message: `${f.candidate.name} 报名资格审核未通过，不能参加考试`,
    };
  }
  if (f.cardValidUntil && f.cardValidUntil !== 'long-term' && f.cardValidUntil < siteDate(f.now, zone)) {
    return {
      ok: false,
      code: 'card_expired',
      message: `身份证件已过期（有效期至 ${f.cardValidUntil}），请出示有效证件并由考务人员处理`,
    };
  }
  if (!f.seat) {
    const where = f.otherSessions.length > 0 ? `，应参加：${f.otherSessions.join('、')}` : '';
    return {
      ok: false,
      code: 'wrong_session',
      message: `${f.candidate.name} 不在本场次（${f.session.name}）${where}`,
    };
  }
  if (f.existing) {
    return {
      ok: false,
      code: 'already_checked_in',
      message: `${f.candidate.name} 已于 ${siteHhmm(f.existing.at, zone)} 在 ${f.existing.roomName} 签到`,
    };
  }
  if (f.seat.roomId !== f.deskRoom.id) {
    return {
      ok: false,
      code: 'wrong_room',
      message: `${f.candidate.name} 的考场是 ${f.seat.roomName} ${f.seat.seatNo} 号座，不是本考场（${f.deskRoom.name}）`,
    };
  }
  const start = Date.parse(f.session.startsAt);
  const opens = start - f.session.opensMinutesBefore * 60_000;
  const closes = start + f.session.lateCutoffMinutes * 60_000;
  const now = f.now.getTime();
  if (now < opens) {
    return {
      ok: false,
      code: 'too_early',
      message: `签到尚未开始（${siteHhmm(new Date(opens), zone)} 开始）`,
    };
  }
  if (now > closes) {
    return {
      ok: false,
      code: 'too_late',
      message: `已超过开考后 ${f.session.lateCutoffMinutes} 分钟，不得入场（截止 ${siteHhmm(new Date(closes), zone)}）`,
    };
  }
  return { ok: true, seatNo: f.seat.seatNo, roomId: f.seat.roomId, late: now > start };
}

export type ReverifyRefusalCode = 'not_on_roster' | 'not_checked_in' | 'wrong_room';

/**
 * Re-entry verification (再次入场复核): the candidate must have checked in to this session, and comes
 * back into the room where they checked in.
 */
export function decideReverify(f: {
  deskRoom: { id: number; name: string };
  candidate: { name: string } | null;
  checkin: { roomId: number; roomName: string; seatNo: number } | null;
}): { ok: true } | { ok: false; code: ReverifyRefusalCode; message: string } {
  if (!f.candidate) return { ok: false, code: 'not_on_roster', message: '不在本批次考生名单中' };
  if (!f.checkin) {
    return { ok: false, code: 'not_checked_in', message: `${f.candidate.name} 未签到，请先签到` };
  }
  if (f.checkin.roomId !== f.deskRoom.id) {
    return {
      ok: false,
      code: 'wrong_room',
      message: `${f.candidate.name} 的考场是 ${f.checkin.roomName} ${f.checkin.seatNo} 号座，不是本考场（${f.deskRoom.name}）`,
    };
  }
  return { ok: true };
}
