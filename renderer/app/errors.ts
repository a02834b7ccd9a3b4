import { ORPCError } from '@orpc/client';
import type { AppErrorData } from '../../shared/contract';

export interface FieldIssue {
  /** Dotted path of the input field, e.g. `password` or `components.2`. */
  field: string;
  message: string;
}

export interface ErrorInfo {
  /** The oRPC error code (UNAUTHORIZED, FORBIDDEN, …); null for network and unexpected errors. */
  code: string | null;
  /** The server's message (Chinese), or null when there is none worth showing. */
  message: string | null;
  /** Field-level problems: `data.field` from the server, or schema issues from input validation. */
  fields: FieldIssue[];
  retryAfterSeconds: number | null;
}

/** The server says the session is missing or expired (the client then goes back to sign-in). */
export function isUnauthorized(error: unknown): boolean {
  return error instanceof ORPCError && error.code === 'UNAUTHORIZED';
}

/** A 4xx answer (not allowed, no such thing, reader taken…): asking again would get the same. */
export function isClientError(error: unknown): boolean {
  return error instanceof ORPCError && error.status >= 400 && error.status < 500;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function issuePath(path: unknown): string | null {
  if (!Array.isArray(path)) return null;
  const parts = path.map((segment: unknown) => (isRecord(segment) ? segment.key : segment));
  return parts.every((p) => typeof p === 'string' || typeof p === 'number') ? parts.join('.') : null;
}

/** oRPC's default message for a schema failure: not worth showing when the issues are shown instead. */
const GENERIC_VALIDATION_MESSAGE = 'Input validation failed';

export function describeError(error: unknown): ErrorInfo {
  if (!(error instanceof ORPCError)) {
    return { code: null, message: null, fields: [], retryAfterSeconds: null };
  }
  const { code, data } = error as ORPCError<string, unknown>;
  const fields: FieldIssue[] = [];
  let retryAfterSeconds: number | null = null;
  const message = error.message && error.message !== GENERIC_VALIDATION_MESSAGE ? error.message : null;

  if (isRecord(data)) {
    const appData = data as AppErrorData;
    if (typeof appData.field === 'string' && appData.field) {
      fields.push({ field: appData.field, message: message ?? '' });
    }
    if (typeof appData.retryAfterSeconds === 'number') retryAfterSeconds = appData.retryAfterSeconds;
    if (Array.isArray(data.issues)) {
      for (const issue of data.issues as unknown[]) {
        if (!isRecord(issue) || typeof issue.message !== 'string') continue;
        const field = issuePath(issue.path);
        if (field) fields.push({ field, message: issue.message });
      }
    }
  }
  return { code, message: message ?? fields[0]?.message ?? null, fields, retryAfterSeconds };
}
