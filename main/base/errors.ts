import { ORPCError } from '@orpc/server';
import type { AppErrorData } from '../../shared/contract/base';

export type AppErrorCode =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'TOO_MANY_REQUESTS'
  | 'INTERNAL_SERVER_ERROR';

/** Every error that crosses the wire: a code, a Chinese message, and the field at fault when there is one. */
export function appError(
  code: AppErrorCode,
  message: string,
  data: AppErrorData = {},
): ORPCError<AppErrorCode, AppErrorData> {
  return new ORPCError(code, { message, data });
}
