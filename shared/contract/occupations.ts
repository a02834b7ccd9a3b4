import { z } from 'zod';
import { base } from './base';
import { levelSchema } from './candidates';

export const occupationInputSchema = z.object({
  /** 职业编码 d-dd-dd-dd, or with ?? where not yet known. */
  code: z
    .string()
    .trim()
    .regex(/^\d-(\d\d|\?\?)-(\d\d|\?\?)-(\d\d|\?\?)$/, '职业编码格式应为 d-dd-dd-dd（未知部分可写 ??）'),
  /** 职业分类大典 edition: 2015 or 2022. */
  edition: z.enum(['2015', '2022']),
  name: z.string().trim().min(1, '请填写职业名称').max(60),
  trades: z.array(z.string().trim().min(1).max(60)),
  levelsOffered: z.array(levelSchema).min(1, '至少选择一个等级'),
  standardRef: z.string().trim().max(200),
  verified: z.boolean(),
  note: z.string().max(500),
});
export const occupationSchema = occupationInputSchema.extend({ id: z.number().int() });
export type Occupation = z.infer<typeof occupationSchema>;

export const occupationsContract = {
  list: base.meta({ access: 'signed-in' }).output(z.array(occupationSchema)),
  create: base
    .meta({ access: ['exam_admin'] })
    .input(occupationInputSchema)
    .output(occupationSchema),
  update: base
    .meta({ access: ['exam_admin'] })
    .input(occupationInputSchema.extend({ id: z.number().int() }))
    .output(occupationSchema),
};
