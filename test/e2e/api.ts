/**
 * Data set-up through the site's own API, for specs where the UI is not what the spec is about: the
 * typed contract client over HTTP (`@orpc/client` with the fetch RPCLink, as a LAN browser's calls go;
 * renderer/app/rpc-client.ts), signed in as a user of some role. Every call goes through the same
 * procedures, rules and audit trail as the UI's.
 *
 *   const admin = await firstRunSetup(host.url);              // the site's first 考务管理员, signed in
 *   const proctor = await admin.createUser('proctor');        // a 监考 account …
 *   const asProctor = await signInAs(host.url, proctor);      // … signed in
 *   const sitting = await admin.createSitting({ name: '…', startDate: '2026-12-08' });
 *   const room = await admin.createRoom({ name: '第1考场' });
 *   const session = await admin.createSession({ sittingId: sitting.id, startsAt, endsAt });
 *   await admin.importRoster(sitting.id, '花名册.xlsx', bytes);
 *   await admin.client.sessions.assignSeats({ … });          // anything else: the typed client
 */
import { createORPCClient } from '@orpc/client';
import { RPCLink } from '@orpc/client/fetch';
import type { ContractRouterClient } from '@orpc/contract';
import type { contract } from '../../shared/contract';
import type { User } from '../../shared/contract/auth';
import type { ExamSession } from '../../shared/contract/sessions';
import type { Room } from '../../shared/contract/rooms';
import type { Sitting } from '../../shared/contract/sittings';
import type { CheckinResult } from '../../shared/contract/checkin';
import { defaultComponentsFor, type Component, type Level } from '../../shared/domain/levels';
import type { Role } from '../../shared/domain/roles';
import { ADMIN } from './site-steps';

export type ApiClient = ContractRouterClient<typeof contract>;

/** A typed client of the host at `url`, sending `token` (if any) as the bearer token. */
export function apiClient(url: string, token?: string): ApiClient {
  return createORPCClient<ApiClient>(
    new RPCLink({
      url: `${url}/rpc`,
      headers: () => (token ? { authorization: `Bearer ${token}` } : {}),
    }),
  );
}

export interface Credentials {
  username: string;
  password: string;
}

/** A user created by `createUser`, with the password to sign in with. */
export type CreatedUser = User & Credentials;

/** Default accounts per role: username, 姓名 and a password that passes the password rule. */
const ROLE_DEFAULTS: Record<Role, { username: string; displayName: string }> = {
  exam_admin: { username: 'kaowu', displayName: '考务' },
  proctor: { username: 'jiankao', displayName: '监考' },
  evaluator: { username: 'kaoping', displayName: '考评员' },
  evaluator_lead: { username: 'kaopingzuzhang', displayName: '考评组长' },
  panel_member: { username: 'pingshen', displayName: '评审委员' },
  supervisor: { username: 'dudao', displayName: '督导' },
  cert_admin: { username: 'zhengshu', displayName: '证书管理' },
};

/** The signed-in API of one user: the typed client and shortcuts for the usual set-up. */
export class SiteApi {
  private usersMade = 0;

  constructor(
    readonly url: string,
    readonly token: string,
    readonly user: User,
    readonly client: ApiClient = apiClient(url, token),
  ) {}

  /**
   * A user with `role` (and `more` roles); username and name are numbered per call (jiankao1, 监考1, …)
   * unless given.
   */
  async createUser(
    role: Role,
    opts: { username?: string; displayName?: string; password?: string; more?: Role[] } = {},
  ): Promise<CreatedUser> {
    this.usersMade += 1;
    const d = ROLE_DEFAULTS[role];
    const username = opts.username ?? `${d.username}${this.usersMade}`;
    const password = opts.password ?? `${username}-Pass-2026`;
    const user = await this.client.users.create({
      username,
      displayName: opts.displayName ?? `${d.displayName}${this.usersMade}`,
      password,
      roles: [role, ...(opts.more ?? [])],
    });
    return { ...user, username, password };
  }

  /** A sitting of an occupation from the catalogue (default 砌筑工, levels 3–5 with their default parts). */
  async createSitting(s: {
    name: string;
    startDate: string;
    endDate?: string;
    occupation?: string;
    levels?: Level[];
  }): Promise<Sitting> {
    const occupationName = s.occupation ?? '砌筑工';
    const occupation = (await this.client.occupations.list()).find((o) => o.name === occupationName);
    if (!occupation) throw new Error(`occupation ${occupationName} is not in the catalogue`);
    const levels = s.levels ?? [3, 4, 5];
    return this.client.sittings.create({
      name: s.name,
      occupationId: occupation.id,
      trade: '',
      levels,
      components: Object.fromEntries(levels.map((l) => [String(l), defaultComponentsFor(l)])),
      startDate: s.startDate,
      endDate: s.endDate ?? s.startDate,
    });
  }

  createRoom(r: { name: string; location?: string; capacity?: number; columns?: number }): Promise<Room> {
    return this.client.rooms.create({
      name: r.name,
      location: r.location ?? '实训楼',
      capacity: r.capacity ?? 30,
      columns: r.columns ?? 6,
      active: true,
    });
  }

  /** A session (场次); check-in opens 30 minutes before the start and closes 15 minutes after it. */
  createSession(s: {
    sittingId: number;
    startsAt: string;
    endsAt: string;
    name?: string;
    component?: Component;
    opensMinutesBefore?: number;
    lateCutoffMinutes?: number;
  }): Promise<ExamSession> {
    return this.client.sessions.create({
      sittingId: s.sittingId,
      name: s.name ?? '理论知识考试',
      component: s.component ?? 'theory',
      startsAt: s.startsAt,
      endsAt: s.endsAt,
      opensMinutesBefore: s.opensMinutesBefore ?? 30,
      lateCutoffMinutes: s.lateCutoffMinutes ?? 15,
    });
  }

  /** Seat the session's candidates at random in the rooms, and staff each room with `proctors`. */
  async seat(
    sessionId: number,
    roomIds: number[],
    opts: { proctors?: number[]; separateEmployers?: boolean } = {},
  ): Promise<{ seated: number }> {
    const { seated } = await this.client.sessions.assignSeats({
      sessionId,
      roomIds,
      separateEmployers: opts.separateEmployers ?? false,
    });
    if (opts.proctors) {
      for (const roomId of roomIds) {
        await this.client.sessions.setStaff({
          sessionId,
          roomId,
          proctorIds: opts.proctors,
          evaluatorIds: [],
        });
      }
    }
    return { seated };
  }

  /** Preview and commit a roster file (.xlsx or .csv bytes); returns the preview's counts and the rows stored. */
  async importRoster(
    sittingId: number,
    fileName: string,
    bytes: Uint8Array,
  ): Promise<{ ok: number; warning: number; rejected: number; inserted: number }> {
    const preview = await this.client.roster.preview({
      sittingId,
      fileName,
      contentBase64: Buffer.from(bytes).toString('base64'),
    });
    const { inserted } = await this.client.roster.commit({ importId: preview.import.id });
    const { ok, warning, rejected } = preview.import.counts;
    return { ok, warning, rejected, inserted };
  }

  /**
   * Check a candidate in as the desk does when a card is read (checkin.byCard; the simulated reader on
   * the host goes only to an open desk screen, see site-steps.ts layCard for that path).
   */
  checkInByCard(
    desk: { sessionId: number; roomId: number },
    card: { name: string; idNumber: string; validUntil?: string },
  ): Promise<CheckinResult> {
    return this.client.checkin.byCard({
      ...desk,
      card: {
        cardType: 'resident',
        name: card.name,
        idNumber: card.idNumber,
        validUntil: card.validUntil ?? null,
        samId: null,
      },
    });
  }

  /** The manual fallback (name search or ticket scan) with its reason. */
  checkInManually(
    desk: { sessionId: number; roomId: number },
    candidateId: number,
    reason = '身份证无法读取',
    method: 'name' | 'ticket' = 'name',
  ): Promise<CheckinResult> {
    return this.client.checkin.manual({ ...desk, candidateId, method, reason });
  }
}

/** First run: create the site's first administrator (auth.setup) and return their signed-in API. */
export async function firstRunSetup(
  url: string,
  admin: { username: string; name: string; password: string } = ADMIN,
): Promise<SiteApi> {
  const session = await apiClient(url).auth.setup({
    username: admin.username,
    displayName: admin.name,
    password: admin.password,
  });
  return new SiteApi(url, session.token, session.user);
}

/** Sign in over HTTP as any user (auth.signIn). */
export async function signInAs(url: string, user: Credentials): Promise<SiteApi> {
  const session = await apiClient(url).auth.signIn({ username: user.username, password: user.password });
  return new SiteApi(url, session.token, session.user);
}
