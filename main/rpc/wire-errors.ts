/**
 * Errors leave the server as a code, a Chinese message and the field at fault — never a stack trace.
 * Input validation failures name the first invalid field; anything unexpected is logged and becomes
 * INTERNAL_SERVER_ERROR with a message that says so.
 */
import { ORPCError, ValidationError } from '@orpc/server';
import { appError } from '../base/errors';

export function toWireError(error: unknown): ORPCError<string, unknown> {
  if (error instanceof ORPCError) {
    if (error.code === 'BAD_REQUEST' && error.cause instanceof ValidationError) {
      const issue = error.cause.issues[0];
      const field =
        issue?.path?.map((p) => (typeof p === 'object' ? String(p.key) : String(p))).join('.') ?? '';
      const message = issue ? `输入有误${field ? `（${field}）` : ''}：${issue.message}` : '输入有误';
      return appError('BAD_REQUEST', message, field ? { field } : {});
    }
    return error as ORPCError<string, unknown>;
  }
  return appError('INTERNAL_SERVER_ERROR', '服务器内部错误，请联系技术支持（详情已记入日志）');
}
