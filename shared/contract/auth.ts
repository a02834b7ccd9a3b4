import { z } from 'zod';
import { base } from './base';
import { ROLES } from '../domain/roles';

export const roleSchema = z.enum(ROLES);

export const usernameSchema = z
  .string()
  .trim()
  .min(2, '用户名至少 2 个字符')
  .max(40, '用户名最多 40 个字符')
  .regex(/^[A-Za-z0-9_.\-\u4e00-\u9fa5]+$/, '用户名只能包含字母、数字、汉字和 _ . -');
export const passwordSchema = z.string().min(8, '密码至少 8 位').max(200, '密码过长');

export const userSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(roleSchema),
  active: z.boolean(),
  createdAt: z.string(),
  lastSignInAt: z.string().nullable(),
});
export type User = z.infer<typeof userSchema>;

export const sessionSchema = z.object({
  token: z.string(),
  expiresAt: z.string(),
  user: userSchema,
});
export type Session = z.infer<typeof sessionSchema>;

export const authContract = {
  /** What the sign-in page needs before anyone is signed in. */
  status: base.meta({ access: 'public' }).output(
    z.object({
      needsSetup: z.boolean(),
      siteName: z.string().nullable(),
      demo: z.boolean(),
      /** The site's time zone: screens show every time in it, whatever the browser's zone. */
      timeZone: z.string(),
    }),
  ),
  /** First run: create the site administrator. Refused once any user exists. */
  setup: base
    .meta({ access: 'public' })
    .input(
      z.object({
        username: usernameSchema,
        displayName: z.string().trim().min(1, '请填写姓名').max(40),
        password: passwordSchema,
      }),
    )
    .output(sessionSchema),
  signIn: base
    .meta({ access: 'public' })
    .input(
      z.object({
        username: z.string().trim().min(1, '请输入用户名'),
        password: z.string().min(1, '请输入密码'),
      }),
    )
    .output(sessionSchema),
  signOut: base.meta({ access: 'signed-in' }).output(z.object({ ok: z.literal(true) })),
  me: base.meta({ access: 'signed-in' }).output(userSchema),
  changePassword: base
    .meta({ access: 'signed-in' })
    .input(z.object({ currentPassword: z.string().min(1), newPassword: passwordSchema }))
    .output(z.object({ ok: z.literal(true) })),
};
