/** The `audit` procedures: the audit trail and its hash-chain check. */
import { guarded } from './base';

export const audit = {
  list: guarded.audit.list.handler(({ context, input }) => context.services.audit.list(input)),
  verify: guarded.audit.verify.handler(({ context }) => context.services.audit.verify()),
};
