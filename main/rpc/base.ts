/**
 * The one oRPC builder every feature router is made from: the context, the session + role guard that runs
 * before every handler, and `signedIn`. Feature routers that grow large live in their own file under
 * main/rpc/ (e.g. printing.ts) and are mounted in router.ts.
 */
import { implement } from '@orpc/server';
import { contract } from '../../shared/contract';
import type { Access } from '../../shared/contract/base';
import type { Role } from '../../shared/domain/roles';
import type { SessionUser } from '../auth/auth.service';
import { appError } from '../base/errors';
import type { Services } from '../core/services';

export interface RequestContext {
  services: Services;
  /** Request headers (set by oRPC's RequestHeadersPlugin on both transports); carries `authorization: Bearer …`. */
  reqHeaders?: Headers;
  /** A short description of the client (address, user agent) for the audit trail. */
  client: string;
}

export interface AuthedContext extends RequestContext {
  user: SessionUser | undefined;
  token: string | undefined;
}

const os = implement(contract).$context<RequestContext>();

function bearer(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return m?.[1];
}

export function mayAccess(access: Access | undefined, roles: readonly Role[] | undefined): boolean {
  if (access === 'public') return true;
  if (!roles) return false;
  if (access === 'signed-in') return true;
  if (!access || access.length === 0) return false; // undeclared: refused
  return access.some((r) => roles.includes(r));
}

/**
 * Runs before every handler: resolves the session, then checks the roles the contract declares for
 * the procedure. A procedure without a declaration is refused for everyone.
 */
export const guarded = os.use(async ({ context, procedure, next }) => {
  const access = procedure['~orpc'].meta.access;
  const token = bearer(context.reqHeaders?.get('authorization') ?? undefined);
  const user = token ? await context.services.auth.resolve(token) : undefined;
  if (access !== 'public') {
    if (!user) throw appError('UNAUTHORIZED', '请先登录（会话已过期或无效）');
    if (!mayAccess(access, user.roles)) throw appError('FORBIDDEN', '您的角色无权执行此操作');
  }
  return next({ context: { user, token } });
});

export function signedIn(ctx: { user: SessionUser | undefined }): SessionUser {
  if (!ctx.user) throw appError('UNAUTHORIZED', '请先登录');
  return ctx.user;
}
