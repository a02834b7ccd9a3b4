import { z } from 'zod';
import { base } from './base';
import { isoDateSchema, levelSchema } from './candidates';
import { COMPONENTS } from '../domain/levels';

export const componentSchema = z.enum(COMPONENTS);

/** The components each level of the sitting takes, e.g. { "2": ["theory","practical","comprehensive"] }. */
export const levelComponentsSchema = z.record(z.string().regex(/^[1-5]$/), z.array(componentSchema).min(1));

export const sittingInputSchema = z
  .object({
    name: z.string().trim().min(1, '请填写批次名称').max(100),
    occupationId: z.number().int(),
    trade: z.string().trim().max(60),
    levels: z.array(levelSchema).min(1, '至少选择一个等级'),
    components: levelComponentsSchema,
    startDate: isoDateSchema,
    endDate: isoDateSchema,
  })
  .refine((s) => s.endDate >= s.startDate, { message: '结束日期不能早于开始日期', path: ['endDate'] });

export const sittingSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  occupationId: z.number().int(),
  occupationName: z.string(),
  occupationCode: z.string(),
  trade: z.string(),
  levels: z.array(levelSchema),
  components: levelComponentsSchema,
  startDate: isoDateSchema,
  endDate: isoDateSchema,
  status: z.enum(['planned', 'open', 'closed']),
  candidateCount: z.number().int(),
});
export type Sitting = z.infer<typeof sittingSchema>;

export const sittingsContract = {
  list: base.meta({ access: 'signed-in' }).output(z.array(sittingSchema)),
  get: base
    .meta({ access: 'signed-in' })
    .input(z.object({ id: z.number().int() }))
    .output(sittingSchema),
  create: base
    .meta({ access: ['exam_admin'] })
    .input(sittingInputSchema)
    .output(sittingSchema),
  update: base
    .meta({ access: ['exam_admin'] })
    .input(z.object({ id: z.number().int(), data: sittingInputSchema }))
    .output(sittingSchema),
};

/** Events of this feature (assembled into the one union in events.ts). */
export const sittingsEvents = [z.object({ type: z.literal('sittings.changed'), at: z.string() })] as const;
