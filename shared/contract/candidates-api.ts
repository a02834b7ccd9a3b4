import { z } from 'zod';
import { base } from './base';
import { candidateSchema, levelSchema, reviewStatusSchema } from './candidates';

export const candidateSortFields = [
  'name',
  'appliedLevel',
  'admissionTicketNo',
  'reviewStatus',
  'createdAt',
  'employer',
] as const;

export const candidateListInputSchema = z.object({
  sittingId: z.number().int(),
  /** Matches name, employer, admission ticket number, or the last digits of the ID number. */
  search: z.string().trim().max(60).optional(),
  reviewStatus: reviewStatusSchema.optional(),
  level: levelSchema.optional(),
  sort: z.object({ field: z.enum(candidateSortFields), direction: z.enum(['asc', 'desc']) }).optional(),
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(500).default(50),
});

export const candidatesContract = {
  /** ID numbers in the result are masked (1101**********002X). */
  list: base
    .meta({ access: ['exam_admin', 'proctor', 'supervisor', 'evaluator_lead', 'cert_admin'] })
    .input(candidateListInputSchema)
    .output(z.object({ total: z.number().int(), rows: z.array(candidateSchema) })),
  /** Eligibility review (报名资格审核): approve or reject a batch; a rejection needs a reason. */
  review: base
    .meta({ access: ['exam_admin'] })
    .input(
      z
        .object({
          candidateIds: z.array(z.number().int()).min(1, '请选择考生'),
          decision: z.enum(['approved', 'rejected', 'pending']),
          reason: z.string().trim().max(200).optional(),
        })
        .refine((r) => r.decision !== 'rejected' || (r.reason ?? '').length > 0, {
          message: '不通过时必须填写原因',
          path: ['reason'],
        }),
    )
    .output(z.object({ updated: z.number().int() })),
};
