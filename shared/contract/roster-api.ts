import { z } from 'zod';
import { base } from './base';
import { rosterRowSchema } from './roster';

/** 20 MB of file, base64-encoded. */
const MAX_BASE64 = Math.ceil((20 * 1024 * 1024 * 4) / 3);

export const rosterCountsSchema = z.object({
  total: z.number().int(),
  ok: z.number().int(),
  warning: z.number().int(),
  rejected: z.number().int(),
});

export const rosterImportSchema = z.object({
  id: z.number().int(),
  sittingId: z.number().int(),
  fileName: z.string(),
  status: z.enum(['previewed', 'committed', 'discarded']),
  counts: rosterCountsSchema,
  createdAt: z.string(),
  createdBy: z.string(),
  committedAt: z.string().nullable(),
});

export const rosterPreviewSchema = z.object({
  import: rosterImportSchema,
  sheetName: z.string(),
  headerRowNumber: z.number().int(),
  columns: z.array(z.object({ header: z.string(), field: z.string().nullable() })),
  unmappedHeaders: z.array(z.string()),
  /**
   * Every rejected row and every row with a warning, then the first accepted rows up to a limit (the
   * preview of a 10,000-row file does not need to ship 10,000 rows; the candidate list shows them all).
   */
  rows: z.array(rosterRowSchema),
  /** How many accepted rows without remarks were left out of `rows`. */
  okRowsNotShown: z.number().int(),
});
export type RosterPreview = z.infer<typeof rosterPreviewSchema>;

export const rosterContract = {
  /** Parse and validate a file; nothing is stored in the candidate table yet. */
  preview: base
    .meta({ access: ['exam_admin'] })
    .input(
      z.object({
        sittingId: z.number().int(),
        fileName: z.string().trim().min(1).max(200),
        contentBase64: z.string().min(1, '文件为空').max(MAX_BASE64, '文件超过 20 MB'),
      }),
    )
    .output(rosterPreviewSchema),
  /** Store the accepted rows of a previewed import in one transaction. */
  commit: base
    .meta({ access: ['exam_admin'] })
    .input(z.object({ importId: z.number().int() }))
    .output(z.object({ import: rosterImportSchema, inserted: z.number().int() })),
  discard: base
    .meta({ access: ['exam_admin'] })
    .input(z.object({ importId: z.number().int() }))
    .output(z.object({ ok: z.literal(true) })),
  /** The rejected rows as a spreadsheet with a 错误原因 column, to fix and re-import. */
  rejectedFile: base
    .meta({ access: ['exam_admin'] })
    .input(z.object({ importId: z.number().int() }))
    .output(z.object({ fileName: z.string(), contentBase64: z.string() })),
  list: base
    .meta({ access: ['exam_admin', 'supervisor'] })
    .input(z.object({ sittingId: z.number().int() }))
    .output(z.array(rosterImportSchema)),
};
