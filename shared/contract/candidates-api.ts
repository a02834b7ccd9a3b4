import { z } from 'zod';
import { base } from './base';
import { PHOTO_MAX_BYTES } from './photos';
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
  /** Only candidates with (or without) a roster photo. */
  photo: z.enum(['with', 'without']).optional(),
  sort: z.object({ field: z.enum(candidateSortFields), direction: z.enum(['asc', 'desc']) }).optional(),
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(500).default(50),
});

/** Roster photos (domain.md §7.1: JPG, 40–200 KB, file name 姓名_身份证号); larger than this is refused. */
export { PHOTO_MAX_BYTES };
/** One call carries at most this many files and this much base64; the UI sends larger selections in batches. */
export const PHOTO_IMPORT_MAX_FILES = 200;
export const PHOTO_IMPORT_MAX_BASE64 = 24 * 1024 * 1024;
/** A file may carry one byte more than the limit, so that an oversize file is refused by name, not by the call. */
const PHOTO_FILE_MAX_BASE64 = Math.ceil((PHOTO_MAX_BYTES + 1) / 3) * 4;
const base64Schema = z
  .string()
  .max(PHOTO_FILE_MAX_BASE64, '照片文件超过 2 MB')
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, '照片数据不是 base64');

export const photoImportFileSchema = z.object({
  name: z.string().trim().min(1, '文件名为空').max(255),
  /** The file's bytes; empty for an empty file (refused by name in the result). */
  dataBase64: base64Schema,
});

export const photoImportResultSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('ok'),
    fileName: z.string(),
    candidateId: z.number().int(),
    candidateName: z.string(),
    idNumberMasked: z.string(),
    /** The candidate already has a roster photo that this file replaces. */
    replaces: z.boolean(),
    /** Departures from the photo rules that do not stop the import (size outside 40–200 KB, PNG). */
    warnings: z.array(z.string()),
  }),
  z.object({
    status: z.literal('refused'),
    fileName: z.string(),
    /** The candidate the file name points to, when it does. */
    candidateName: z.string().nullable(),
    reason: z.string(),
  }),
]);
export type PhotoImportResult = z.infer<typeof photoImportResultSchema>;

export const photoImportOutputSchema = z.object({
  /** False for a preview: nothing was stored. */
  committed: z.boolean(),
  /** One result per file, in the order sent. */
  files: z.array(photoImportResultSchema),
  ok: z.number().int(),
  refused: z.number().int(),
  /** Of the ok files, how many replace an existing photo. */
  replaced: z.number().int(),
  /** Photos stored by this call (0 for a preview). */
  stored: z.number().int(),
});
export type PhotoImportOutput = z.infer<typeof photoImportOutputSchema>;

export const candidatesContract = {
  /**
   * Give every approved or pending candidate of the sitting without one a 准考证号 (numbers imported
   * with the roster are kept). Format: YYYY (year of the sitting's start) + sitting id (3 digits) +
   * sequence (4 digits), unique in the database.
   */
  assignTicketNumbers: base
    .meta({ access: ['exam_admin'] })
    .input(z.object({ sittingId: z.number().int() }))
    .output(z.object({ assigned: z.number().int(), kept: z.number().int() })),

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
  /**
   * Roster photos named 姓名_身份证号.jpg (or 身份证号.jpg, 身份证号_姓名.png), matched to the sitting's
   * candidates by the ID number. `commit: false` only checks; `commit: true` stores every file that checks
   * out in one transaction and leaves the refused ones out (their reasons are in the result).
   */
  importPhotos: base
    .meta({ access: ['exam_admin'] })
    .input(
      z.object({
        sittingId: z.number().int(),
        files: z
          .array(photoImportFileSchema)
          .min(1, '请选择照片文件')
          .max(PHOTO_IMPORT_MAX_FILES, `一次最多导入 ${PHOTO_IMPORT_MAX_FILES} 个文件，请分批导入`)
          .refine(
            (files) => files.reduce((n, f) => n + f.dataBase64.length, 0) <= PHOTO_IMPORT_MAX_BASE64,
            '本次上传的文件总量过大，请分批导入',
          ),
        commit: z.boolean(),
      }),
    )
    .output(photoImportOutputSchema),
  /** Upload (dataBase64) or remove (null) one candidate's roster photo. */
  setPhoto: base
    .meta({ access: ['exam_admin'] })
    .input(
      z.object({
        candidateId: z.number().int(),
        dataBase64: base64Schema.min(1, '照片文件为空').nullable(),
      }),
    )
    .output(z.object({ photoId: z.number().int().nullable() })),
};

/** Events of this feature (assembled into the one union in events.ts). */
export const candidatesEvents = [
  /** A sitting's candidates changed (roster import, review, photos, 准考证号): lists refresh. */
  z.object({ type: z.literal('candidates.changed'), sittingId: z.number().int(), at: z.string() }),
] as const;
