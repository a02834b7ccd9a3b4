/**
 * A site for a data-layer suite in one call: the real service graph (main/core/services.ts) on the suite's
 * database, an administrator and staff of every role (fixture users sharing one password hash), the
 * organisation, an occupation and sitting, rooms, one session, approved candidates with 准考证号 seated
 * across the rooms with two proctors each, and as many of them checked in as asked. Every step goes
 * through the services, so audit entries and events are what a real site would have.
 *
 *   const site = await buildSite(getDb(), { candidates: 12, rooms: 2, checkedIn: 5, clock });
 *   site.services.checkin.progress(site.session.id)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from '../../main/db';
import { Kernel } from '../../main/base/kernel';
import type { Clock } from '../../main/base/clock';
import { createServices, type Services } from '../../main/core/services';
import { createReader } from '../../main/devices/idcard';
import type { ExamSession } from '../../shared/contract/sessions';
import type { Room } from '../../shared/contract/rooms';
import type { Sitting } from '../../shared/contract/sittings';
import type { Component } from '../../shared/domain/levels';
import type { Role } from '../../shared/domain/roles';
import { ROLES } from '../../shared/domain/roles';
import { candidateFields, createOccupation, idNumber, insertCandidates } from './fixtures';
import { adoptKernel, kernelOf, testCipher } from './kernel';
import { createFixtureUser, type FixtureUser } from './users';

export interface SiteOptions {
  /** The host's clock for every service (default: the system clock). */
  clock?: Clock;
  /** How many candidates (default 10), seated in order over the rooms. */
  candidates?: number;
  /** How many rooms (default 2). */
  rooms?: number;
  /** Seats per room (default 30). */
  capacity?: number;
  /** The session's component (default theory). */
  component?: Component;
  /** When the session starts (default: 20 minutes after the clock's now, so check-in is open). */
  startsAt?: string;
  /** Session length in minutes (default 120). */
  minutes?: number;
  /** How many of the candidates (the first ones) are checked in (default 0). */
  checkedIn?: number;
  /** Proctors per room (default 2, what domain.md §3.2 asks of a theory room). */
  proctorsPerRoom?: number;
}

export interface SiteCandidate {
  id: number;
  name: string;
  idNumber: string;
  ticketNo: string;
  roomId: number;
  seatNo: number;
}

export interface Site {
  kernel: Kernel;
  services: Services;
  admin: FixtureUser;
  /** Staff by role: several proctors (proctorsPerRoom per room), one of every other role. */
  staff: Record<Role, FixtureUser[]>;
  sitting: Sitting;
  session: ExamSession;
  rooms: Room[];
  candidates: SiteCandidate[];
  /** Candidate ids checked in, in order. */
  checkedInIds: number[];
  /** Where backups of this site go (a folder under the suite's data folder). */
  dataDir: string;
}

export async function buildSite(db: Database, opts: SiteOptions = {}): Promise<Site> {
  const kernel = opts.clock
    ? adoptKernel(db.knex, new Kernel(db.knex, { clock: opts.clock, cipher: testCipher }))
    : kernelOf(db.knex);
  const dataDir = fs.mkdtempSync(path.join(db.file ? path.dirname(db.file) : os.tmpdir(), 'site-'));
  const services = createServices(db, kernel, {
    demo: false,
    dataDir,
    backupDir: path.join(dataDir, 'backups'),
    readerFactory: (config) => createReader(config),
  });
  const roomCount = opts.rooms ?? 2;
  const proctorsPerRoom = opts.proctorsPerRoom ?? 2;

  const admin = await createFixtureUser(kernel, 'site-admin', ['exam_admin'], '考务管理员');
  const staff = Object.fromEntries(ROLES.map((r) => [r, [] as FixtureUser[]])) as Record<Role, FixtureUser[]>;
  staff.exam_admin.push(admin);
  for (const role of ROLES.filter((r) => r !== 'exam_admin' && r !== 'proctor')) {
    staff[role].push(await createFixtureUser(kernel, `site-${role}`, [role], role));
  }
  for (let i = 1; i <= roomCount * proctorsPerRoom; i++) {
    staff.proctor.push(await createFixtureUser(kernel, `site-proctor${i}`, ['proctor'], `监考${i}`));
  }

  await services.org.update(admin.actor, {
    name: '示范市职业技能等级认定中心',
    category: 'S',
    orgCode: '00001',
    provinceCode: '11',
    siteSerial: '01',
    siteName: '示范考点',
    address: '示范市建设路 1 号',
  });
  const occupation = await createOccupation(db.knex);
  const now = kernel.now();
  const startsAt = opts.startsAt ?? new Date(now.getTime() + 20 * 60_000).toISOString();
  const component = opts.component ?? 'theory';
  const sitting = await services.sittings.create(admin.actor, {
    name: '测试批次 砌筑工 职业技能等级认定',
    occupationId: occupation.id,
    trade: '',
    levels: [4, 5],
    components: { '4': ['theory', 'practical'], '5': ['theory', 'practical'] },
    startDate: startsAt.slice(0, 10),
    endDate: startsAt.slice(0, 10),
  });
  const rooms: Room[] = [];
  for (let i = 1; i <= roomCount; i++) {
    rooms.push(
      await services.rooms.create(admin.actor, {
        name: `第${i}考场`,
        location: `教学楼 ${i}0${i} 室`,
        capacity: opts.capacity ?? 30,
        columns: 6,
        active: true,
      }),
    );
  }
  const count = opts.candidates ?? 10;
  const ids = await insertCandidates(
    db.knex,
    sitting.id,
    Array.from({ length: count }, (_, i) =>
      candidateFields({
        name: `考生${String(i + 1).padStart(3, '0')}`,
        idNumber: idNumber(`19${String(70 + (i % 30))}-01-0${1 + (i % 9)}`, 100 + i),
        employer: `单位${i % 5}`,
        appliedLevel: i % 2 === 0 ? 5 : 4,
      }),
    ),
  );
  if (ids.length > 0) {
    await services.candidates.review(admin.actor, { candidateIds: ids, decision: 'approved' });
    await services.candidates.assignTicketNumbers(admin.actor, sitting.id);
  }
  const session = await services.sessions.create(admin.actor, {
    sittingId: sitting.id,
    name: component === 'theory' ? '理论知识考试' : '操作技能考核',
    component,
    startsAt,
    endsAt: new Date(Date.parse(startsAt) + (opts.minutes ?? 120) * 60_000).toISOString(),
    opensMinutesBefore: 30,
    lateCutoffMinutes: 15,
  });
  if (ids.length > 0) {
    await services.sessions.assignSeats(admin.actor, {
      sessionId: session.id,
      roomIds: rooms.map((r) => r.id),
      separateEmployers: false,
    });
  }
  for (const [i, room] of rooms.entries()) {
    const proctors = staff.proctor.slice(i * proctorsPerRoom, (i + 1) * proctorsPerRoom).map((u) => u.id);
    await services.sessions.setStaff(admin.actor, {
      sessionId: session.id,
      roomId: room.id,
      proctorIds: component === 'theory' ? proctors : [],
      evaluatorIds: component === 'theory' ? [] : [staff.evaluator[0]!.id, staff.evaluator_lead[0]!.id],
    });
  }
  const seated = await services.checkin.seated(session.id);
  const byId = new Map(seated.map((s) => [s.candidateId, s]));
  const candidates = ids.map((id): SiteCandidate => {
    const s = byId.get(id);
    if (!s) throw new Error(`candidate ${id} was not seated`);
    return {
      id,
      name: s.name,
      idNumber: s.idNumber,
      ticketNo: s.admissionTicketNo ?? '',
      roomId: s.roomId,
      seatNo: s.seatNo,
    };
  });
  const checkedInIds: number[] = [];
  for (const c of candidates.slice(0, opts.checkedIn ?? 0)) {
    const r = await services.checkin.manual(admin.actor, {
      sessionId: session.id,
      roomId: c.roomId,
      candidateId: c.id,
      method: 'ticket',
      reason: '未带身份证',
    });
    if (!r.ok) throw new Error(`could not check ${c.name} in: ${r.message}`);
    checkedInIds.push(c.id);
  }
  return { kernel, services, admin, staff, sitting, session, rooms, candidates, checkedInIds, dataDir };
}
