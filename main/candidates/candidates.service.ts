import type { Knex } from 'knex';
import type { z } from 'zod';
import type { Candidate, CandidateFields } from '../../shared/contract/candidates';
import type { candidateListInputSchema } from '../../shared/contract/candidates-api';
import { maskIdNumber, type IdType } from '../../shared/domain/id-types';
import type { Level } from '../../shared/domain/levels';
import { toNumberOrNull } from '../db';
import { appendAudit, type Actor } from '../audit/chain';
import { appError } from '../base/errors';
import { whereSearchText } from '../db/search';
import { CandidatePhotosService, type PhotoImportFile } from './candidates-photos';
import { changeAtIso, publishAfterCommit, type Kernel } from '../base/kernel';
import type { SittingsService } from '../sittings/sittings.service';
import { assignTicketNumbers } from './ticket-numbers';

export type CandidateListInput = z.infer<typeof candidateListInputSchema>;

export interface CandidateRow {
  id: number;
  sitting_id: number;
  name: string;
  gender: string | null;
  id_type: string;
  id_number: string;
  birth_date: string | null;
  ethnicity: string | null;
  education: string | null;
  phone: string | null;
  address: string | null;
  employer: string | null;
  source: string | null;
  applied_level: number;
  trade: string | null;
  eligibility_basis: string | null;
  prior_cert_no: string | null;
  years_in_occupation: number | string | null;
  admission_ticket_no: string | null;
  review_status: string;
  review_reason: string | null;
  import_id: number | null;
  created_at: string;
  photo_id: number | null;
}

export function toCandidate(r: CandidateRow, opts: { mask: boolean }): Candidate {
  return {
    id: Number(r.id),
    sittingId: Number(r.sitting_id),
    name: r.name,
    gender: r.gender === '男' || r.gender === '女' ? r.gender : null,
    idType: r.id_type as IdType,
    idNumber: opts.mask ? maskIdNumber(r.id_number) : r.id_number,
    birthDate: r.birth_date,
    ethnicity: r.ethnicity,
    education: r.education,
    phone: opts.mask && r.phone ? maskIdNumber(r.phone) : r.phone,
    address: r.address,
    employer: r.employer,
    source: r.source,
    appliedLevel: Number(r.applied_level) as Level,
    trade: r.trade,
    eligibilityBasis: r.eligibility_basis,
    priorCertNo: r.prior_cert_no,
    yearsInOccupation: toNumberOrNull(r.years_in_occupation),
    admissionTicketNo: r.admission_ticket_no,
    reviewStatus:
      r.review_status === 'approved' ? 'approved' : r.review_status === 'rejected' ? 'rejected' : 'pending',
    reviewReason: r.review_reason,
    importId: r.import_id === null ? null : Number(r.import_id),
    createdAt: r.created_at,
    photoId: r.photo_id === null ? null : Number(r.photo_id),
  };
}

export function candidateToRow(
  sittingId: number,
  c: CandidateFields,
  importId: number | null,
  createdAt: string,
) {
  return {
    sitting_id: sittingId,
    name: c.name,
    gender: c.gender,
    id_type: c.idType,
    id_number: c.idNumber,
    birth_date: c.birthDate,
    ethnicity: c.ethnicity,
    education: c.education,
    phone: c.phone,
    address: c.address,
    employer: c.employer,
    source: c.source,
    applied_level: c.appliedLevel,
    trade: c.trade,
    eligibility_basis: c.eligibilityBasis,
    prior_cert_no: c.priorCertNo,
    years_in_occupation: c.yearsInOccupation,
    admission_ticket_no: c.admissionTicketNo,
    review_status: 'pending',
    review_reason: null,
    import_id: importId,
    created_at: createdAt,
  };
}

const SORT_COLUMNS: Record<NonNullable<CandidateListInput['sort']>['field'], string> = {
  name: 'name',
  appliedLevel: 'applied_level',
  admissionTicketNo: 'admission_ticket_no',
  reviewStatus: 'review_status',
  createdAt: 'created_at',
  employer: 'employer',
};

export class CandidatesService {
  private readonly photos: CandidatePhotosService;

  private get knex(): Knex {
    return this.kernel.knex;
  }

  constructor(
    private readonly kernel: Kernel,
    private readonly sittings: SittingsService,
  ) {
    this.photos = new CandidatePhotosService(kernel);
  }

  /** 准考证号 for every approved or pending candidate of the sitting that has none (ticket-numbers.ts). */
  assignTicketNumbers(actor: Actor, sittingId: number): Promise<{ assigned: number; kept: number }> {
    return this.kernel.transaction(async (trx) => {
      const sitting = await this.sittings.get(sittingId, trx);
      const result = await assignTicketNumbers(trx, actor, sitting);
      if (result.assigned > 0) publishAfterCommit(trx, { type: 'candidates.changed', sittingId });
      return result;
    });
  }

  /** Roster photos named 姓名_身份证号.jpg: preview, or store the ok ones in one transaction. */
  importPhotos(actor: Actor, input: { sittingId: number; files: PhotoImportFile[]; commit: boolean }) {
    return this.photos.importPhotos(actor, input);
  }

  /** Upload or remove one candidate's roster photo. */
  setPhoto(actor: Actor, input: { candidateId: number; dataBase64: string | null }) {
    return this.photos.setPhoto(actor, input);
  }

  async list(input: CandidateListInput): Promise<{ total: number; rows: Candidate[] }> {
    const q = this.knex('candidates').where({ sitting_id: input.sittingId });
    if (input.reviewStatus) void q.where({ review_status: input.reviewStatus });
    if (input.level) void q.where({ applied_level: input.level });
    if (input.photo === 'with') void q.whereNotNull('photo_id');
    if (input.photo === 'without') void q.whereNull('photo_id');
    if (input.search) {
      const search = input.search;
      void q.where((w) =>
        whereSearchText(w, search, ['name', 'employer', 'admission_ticket_no'], 'id_number'),
      );
    }
    const countRow = await q.clone().count<{ n: number | string }[]>({ n: '*' }).first();
    const sort = input.sort ?? { field: 'createdAt', direction: 'asc' };
    const rows = (await q
      .orderBy(SORT_COLUMNS[sort.field], sort.direction)
      .orderBy('id', 'asc')
      .limit(input.pageSize)
      .offset((input.page - 1) * input.pageSize)) as CandidateRow[];
    return { total: Number(countRow?.n ?? 0), rows: rows.map((r) => toCandidate(r, { mask: true })) };
  }

  async review(
    actor: Actor,
    input: {
      candidateIds: number[];
      decision: 'approved' | 'rejected' | 'pending';
      reason?: string | undefined;
    },
  ): Promise<{ updated: number; sittingIds: number[] }> {
    return this.kernel.transaction(async (trx) => {
      const rows = (await trx('candidates').whereIn('id', input.candidateIds)) as CandidateRow[];
      if (rows.length !== new Set(input.candidateIds).size) {
        const found = new Set(rows.map((r) => Number(r.id)));
        const missing = input.candidateIds.filter((id) => !found.has(id));
        throw appError('NOT_FOUND', `考生 ${missing.join('、')} 不存在`, { field: 'candidateIds' });
      }
      const reason = input.decision === 'rejected' ? (input.reason ?? null) : null;
      await trx('candidates')
        .whereIn('id', input.candidateIds)
        .update({
          review_status: input.decision,
          review_reason: reason,
          reviewed_by: actor.id,
          reviewed_at: changeAtIso(trx),
        });
      await appendAudit(trx, {
        actor,
        action: 'candidates.review',
        entity: 'candidate',
        entityId: input.candidateIds.length === 1 ? input.candidateIds[0] : null,
        before: rows.map((r) => ({
          id: Number(r.id),
          reviewStatus: r.review_status,
          reason: r.review_reason,
        })),
        after: { ids: input.candidateIds, reviewStatus: input.decision, reason },
      });
      const sittingIds = [...new Set(rows.map((r) => Number(r.sitting_id)))];
      for (const sittingId of sittingIds) publishAfterCommit(trx, { type: 'candidates.changed', sittingId });
      return { updated: rows.length, sittingIds };
    });
  }
}
