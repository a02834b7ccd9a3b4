import { z } from 'zod';
import { base } from './base';

/** The largest photo kept (a 1-inch roster photo is 40–200 KB; a 640×480 webcam JPEG about 30–80 KB). */
export const PHOTO_MAX_BYTES = 2 * 1024 * 1024;

export const photoKindSchema = z.enum(['roster', 'live', 'card']);
export type PhotoKind = z.infer<typeof photoKindSchema>;

/** A stored photo; the renderer shows it as a data: URL (allowed by the CSP's img-src). */
export const photoSchema = z.object({
  id: z.number().int(),
  candidateId: z.number().int().nullable(),
  kind: photoKindSchema,
  mime: z.string(),
  dataBase64: z.string(),
  takenAt: z.string(),
});
export type Photo = z.infer<typeof photoSchema>;

/** A photo sent by the client (webcam frame, roster photo file) as base64; checked by its bytes on the server. */
export const photoUploadSchema = z
  .string()
  .min(16, '照片数据为空')
  .max(3_000_000, '照片过大（最大 2 MB）')
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, '照片数据不是 base64');

export const photosContract = {
  /** Photos are personal data (PIPL): only staff who identify candidates may see them. */
  get: base
    .meta({ access: ['exam_admin', 'proctor', 'supervisor'] })
    .input(z.object({ id: z.number().int() }))
    .output(photoSchema),
};
