import { z } from 'zod';
import { LEVELS } from '../domain/levels';
import { ID_TYPES } from '../domain/id-types';

export const levelSchema = z.union(
  LEVELS.map((l) => z.literal(l)) as [z.ZodLiteral<1>, z.ZodLiteral<2>, ...z.ZodLiteral<3 | 4 | 5>[]],
);
export const idTypeSchema = z.enum(ID_TYPES);
export const genderSchema = z.enum(['男', '女']);
export const reviewStatusSchema = z.enum(['pending', 'approved', 'rejected']);
export const isoDateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');

/** The canonical candidate fields (domain.md §8.3) as they are stored after import or entry. */
export const candidateFieldsSchema = z.object({
  name: z.string().trim().min(1).max(100),
  gender: genderSchema.nullable(),
  idType: idTypeSchema,
  idNumber: z.string().trim().min(1).max(40),
  birthDate: isoDateSchema.nullable(),
  ethnicity: z.string().max(20).nullable(),
  education: z.string().max(40).nullable(),
  phone: z.string().max(40).nullable(),
  address: z.string().max(200).nullable(),
  employer: z.string().max(200).nullable(),
  source: z.string().max(40).nullable(),
  appliedLevel: levelSchema,
  trade: z.string().max(100).nullable(),
  eligibilityBasis: z.string().max(200).nullable(),
  priorCertNo: z.string().max(40).nullable(),
  yearsInOccupation: z.number().min(0).max(80).nullable(),
  admissionTicketNo: z.string().max(40).nullable(),
});
export type CandidateFields = z.infer<typeof candidateFieldsSchema>;

export const candidateSchema = candidateFieldsSchema.extend({
  id: z.number().int(),
  sittingId: z.number().int(),
  reviewStatus: reviewStatusSchema,
  reviewReason: z.string().nullable(),
  importId: z.number().int().nullable(),
  createdAt: z.string(),
  /** The roster photo (photos.id; fetch it with photos.get), or null when the candidate has none. */
  photoId: z.number().int().nullable(),
});
export type Candidate = z.infer<typeof candidateSchema>;
