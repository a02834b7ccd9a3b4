import type { Access, ProcedureMeta } from '../../shared/contract';
import type { Role } from '../../shared/domain/roles';

/** Anything carrying an oRPC contract procedure definition (`contract.users.list`, …). */
interface ContractProcedureLike {
  '~orpc': { meta: ProcedureMeta };
}

/**
 * Who may call a procedure, read from the contract itself so that what the UI shows and what the
 * server allows never disagree. A procedure without a declaration is refused by the server; so here.
 */
export function accessOf(procedure: ContractProcedureLike): Access {
  return procedure['~orpc'].meta.access ?? [];
}

export function canAccess(access: Access, roles: readonly Role[] | null): boolean {
  if (access === 'public') return true;
  if (roles === null) return false;
  if (access === 'signed-in') return true;
  return access.some((role) => roles.includes(role));
}
