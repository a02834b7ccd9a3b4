import type { Session } from '../../../shared/contract/auth';
import { queryClient } from '../../app/query-client';
import { orpc } from '../../app/rpc-client';
import { setToken } from '../../app/session';

/** Begin a session: forget everything cached for the previous one, and remember who signed in. */
export function startSession(session: Session): void {
  queryClient.clear();
  queryClient.setQueryData(orpc.auth.me.queryKey(), session.user);
  setToken(session.token);
}
