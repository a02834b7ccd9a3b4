import { z } from 'zod';
import { base } from './base';
import { passwordSchema, roleSchema, userSchema, usernameSchema } from './auth';

const rolesSchema = z.array(roleSchema).min(1, '至少选择一个角色');

export const usersContract = {
  list: base.meta({ access: ['exam_admin'] }).output(z.array(userSchema)),
  create: base
    .meta({ access: ['exam_admin'] })
    .input(
      z.object({
        username: usernameSchema,
        displayName: z.string().trim().min(1, '请填写姓名').max(40),
        password: passwordSchema,
        roles: rolesSchema,
      }),
    )
    .output(userSchema),
  update: base
    .meta({ access: ['exam_admin'] })
    .input(
      z.object({
        id: z.number().int(),
        displayName: z.string().trim().min(1, '请填写姓名').max(40),
        roles: rolesSchema,
        active: z.boolean(),
      }),
    )
    .output(userSchema),
  resetPassword: base
    .meta({ access: ['exam_admin'] })
    .input(z.object({ id: z.number().int(), password: passwordSchema }))
    .output(z.object({ ok: z.literal(true) })),
};
