import { oc } from '@orpc/contract';
import type { Role } from '../domain/roles';

/**
 * Who may call a procedure. `public`: anyone, signed in or not (sign-in itself, first-run status).
 * `signed-in`: any signed-in user. Otherwise the list of roles, any of which suffices.
 * The server checks this before the handler runs; a procedure without a declaration is refused.
 */
export type Access = 'public' | 'signed-in' | readonly Role[];

export interface ProcedureMeta {
  access?: Access;
}

export const base = oc.$meta<ProcedureMeta>({});

/** Shape of `error.data` on every error the server sends: the field at fault, when there is one. */
export interface AppErrorData {
  /** Dotted path of the input field at fault, e.g. `password` or `rows.3.idNumber`. */
  field?: string;
  /** For rate limiting: seconds until the next attempt is allowed. */
  retryAfterSeconds?: number;
}
