/** Small builders for the data-layer suites: a signed-in administrator, an occupation, a sitting, candidates. */
import type { Knex } from 'knex';
import { AuthService, actorOf, type SessionUser } from '../../main/auth/auth.service';
import type { Actor } from '../../main/audit/chain';
import { OccupationsService, type OccupationInput } from '../../main/occupations/occupations.service';
import { SittingsService, type SittingInput } from '../../main/sittings/sittings.service';
import { candidateToRow } from '../../main/candidates/candidates.service';
import type { CandidateFields } from '../../shared/contract/candidates';
import type { Session } from '../../shared/contract/auth';
import type { Sitting } from '../../shared/contract/sittings';
import type { Occupation } from '../../shared/contract/occupations';
import { idCheckChar } from '../../shared/domain/id-number';
import { insertReturningId } from '../../main/db';
import { SYSTEM_ACTOR } from '../../main/audit/chain';
import { kernelOf } from './kernel';

export const ADMIN_PASSWORD = 'Admin-密码-2026';

/** First-run setup: the site's first administrator, signed in. */
export async function setUpAdmin(
  knex: Knex,
  username = 'admin',
): Promise<{ session: Session; user: SessionUser; actor: Actor }> {
  const session = await new AuthService(kernelOf(knex)).setup(
    { username, displayName: '考务管理员', password: ADMIN_PASSWORD },
    'test',
  );
  const user: SessionUser = {
    id: session.user.id,
    username: session.user.username,
    displayName: session.user.displayName,
    roles: session.user.roles,
  };
  return { session, user, actor: actorOf(user) };
}

export function occupationInput(overrides: Partial<OccupationInput> = {}): OccupationInput {
  return {
    code: '6-29-01-01',
    edition: '2022',
    name: '砌筑工',
    trades: [],
    levelsOffered: [3, 4, 5],
    standardRef: '',
    verified: false,
    note: '',
    ...overrides,
  };
}

export function createOccupation(knex: Knex, overrides: Partial<OccupationInput> = {}): Promise<Occupation> {
  return new OccupationsService(kernelOf(knex)).create(SYSTEM_ACTOR, occupationInput(overrides));
}

export function sittingInput(occupationId: number, overrides: Partial<SittingInput> = {}): SittingInput {
  return {
    name: '2026年第一批 砌筑工 职业技能等级认定',
    occupationId,
    trade: '',
    levels: [4, 5],
    components: { '4': ['theory', 'practical'], '5': ['theory', 'practical'] },
    startDate: '2026-12-01',
    endDate: '2026-12-02',
    ...overrides,
  };
}

export function createSitting(
  knex: Knex,
  occupationId: number,
  overrides: Partial<SittingInput> = {},
): Promise<Sitting> {
  return new SittingsService(kernelOf(knex)).create(SYSTEM_ACTOR, sittingInput(occupationId, overrides));
}

/** A checksum-valid resident ID number: address 110105, the birth date, a 3-digit sequence. */
export function idNumber(birth: string, sequence: number): string {
  const body = `110105${birth.replace(/-/g, '')}${String(sequence).padStart(3, '0')}`;
  return body + idCheckChar(body);
}

export function candidateFields(
  overrides: Partial<CandidateFields> & { name: string; idNumber: string },
): CandidateFields {
  return {
    gender: null,
    idType: 'resident_id',
    birthDate: null,
    ethnicity: null,
    education: null,
    phone: null,
    address: null,
    employer: null,
    source: null,
    appliedLevel: 5,
    trade: null,
    eligibilityBasis: null,
    priorCertNo: null,
    yearsInOccupation: null,
    admissionTicketNo: null,
    ...overrides,
  };
}

/** Insert candidates directly (as a committed roster import does) and return their ids in order. */
export async function insertCandidates(
  knex: Knex,
  sittingId: number,
  list: CandidateFields[],
): Promise<number[]> {
  const ids: number[] = [];
  for (const [i, c] of list.entries()) {
    // Distinct, increasing creation times so the default sort (createdAt) is the insertion order.
    const createdAt = new Date(Date.UTC(2026, 10, 1, 8, 0, i)).toISOString();
    ids.push(await insertReturningId(knex, 'candidates', candidateToRow(sittingId, c, null, createdAt)));
  }
  return ids;
}
