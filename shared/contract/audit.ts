import { z } from 'zod';
import { base } from './base';

export const auditEntrySchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  actorId: z.number().int().nullable(),
  actorName: z.string(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const auditVerifySchema = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  /** The first entry at which the chain is broken, and why (edited, deleted before it, out of order). */
  firstBroken: z.object({ seq: z.number().int(), reason: z.string() }).nullable(),
});
export type AuditVerifyResult = z.infer<typeof auditVerifySchema>;

export const auditContract = {
  list: base
    .meta({ access: ['exam_admin', 'supervisor'] })
    .input(
      z.object({
        page: z.number().int().min(1).default(1),
        pageSize: z.number().int().min(1).max(500).default(50),
        action: z.string().max(60).optional(),
      }),
    )
    .output(z.object({ total: z.number().int(), rows: z.array(auditEntrySchema) })),
  verify: base.meta({ access: ['exam_admin', 'supervisor'] }).output(auditVerifySchema),
};
