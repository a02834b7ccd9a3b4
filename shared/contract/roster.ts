import { z } from 'zod';
import { candidateFieldsSchema } from './candidates';

/** One message about one row of a roster file; `field` is the canonical field name when it concerns one. */
export const rosterMessageSchema = z.object({
  field: z.string().nullable(),
  /** Column letter or header text in the source file, when known. */
  column: z.string().nullable(),
  code: z.string(),
  message: z.string(),
});
export type RosterMessage = z.infer<typeof rosterMessageSchema>;

export const rosterRowStatusSchema = z.enum(['ok', 'warning', 'rejected']);
export type RosterRowStatus = z.infer<typeof rosterRowStatusSchema>;

export const rosterRowSchema = z.object({
  /** The row number as the spreadsheet shows it (1-based, counting title rows). */
  rowNumber: z.number().int(),
  status: rosterRowStatusSchema,
  messages: z.array(rosterMessageSchema),
  /** The cells as text, keyed by the source file's header text. */
  source: z.record(z.string(), z.string()),
  /** The normalised candidate; null when the row is rejected. */
  candidate: candidateFieldsSchema.nullable(),
});
export type RosterRow = z.infer<typeof rosterRowSchema>;
