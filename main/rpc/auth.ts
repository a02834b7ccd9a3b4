/** The `auth` procedures: first-run setup, sign-in and out, the signed-in user, password change. */
import { guarded, signedIn } from './base';

export const auth = {
  status: guarded.auth.status.handler(async ({ context }) => {
    const org = await context.services.org.get();
    return {
      needsSetup: await context.services.auth.needsSetup(),
      siteName: org?.siteName ?? null,
      demo: context.services.demo,
      timeZone: context.services.kernel.timeZone,
    };
  }),
  setup: guarded.auth.setup.handler(({ context, input }) =>
    context.services.auth.setup(input, context.client),
  ),
  signIn: guarded.auth.signIn.handler(({ context, input }) =>
    context.services.auth.signIn(input.username, input.password, context.client),
  ),
  signOut: guarded.auth.signOut.handler(async ({ context }) => {
    await context.services.auth.signOut(context.token ?? '', signedIn(context));
    return { ok: true as const };
  }),
  me: guarded.auth.me.handler(({ context }) => context.services.users.get(signedIn(context).id)),
  changePassword: guarded.auth.changePassword.handler(async ({ context, input }) => {
    await context.services.auth.changePassword(signedIn(context), input.currentPassword, input.newPassword);
    return { ok: true as const };
  }),
};
