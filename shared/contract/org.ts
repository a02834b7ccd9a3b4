import { z } from 'zod';
import { base } from './base';

/** Organisation settings (the evaluation organisation as filed; used later for certificate numbers). */
export const orgSchema = z.object({
  /** Name exactly as filed (备案名称); printed on certificates. */
  name: z.string().trim().min(1, '请填写机构名称（与备案一致）').max(100),
  /** Y = 用人单位 (employer), S = 社会培训评价组织 (social training-evaluation organisation). */
  category: z.enum(['Y', 'S']),
  /** Organisation code used in certificate numbers. */
  orgCode: z
    .string()
    .trim()
    .regex(/^[0-9A-Z]{1,10}$/, '机构代码只能包含数字和大写字母'),
  /** Two-digit province code (GB/T 2260 first two digits). */
  provinceCode: z.string().regex(/^\d{2}$/, '省份代码应为 2 位数字'),
  /** The site's serial within the organisation. */
  siteSerial: z
    .string()
    .trim()
    .regex(/^\d{1,4}$/, '考点序号应为 1–4 位数字'),
  siteName: z.string().trim().min(1, '请填写考点名称').max(100),
  address: z.string().trim().max(200),
});
export type Org = z.infer<typeof orgSchema>;

export const orgContract = {
  get: base.meta({ access: 'signed-in' }).output(orgSchema.nullable()),
  update: base
    .meta({ access: ['exam_admin'] })
    .input(orgSchema)
    .output(orgSchema),
};
