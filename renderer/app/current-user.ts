import { createContext, useContext } from 'react';
import type { User } from '../../shared/contract/auth';
import type { Access } from '../../shared/contract';
import { canAccess } from './access';

export const CurrentUserContext = createContext<User | null>(null);

/** The signed-in user. Only valid below the signed-in shell. */
export function useCurrentUser(): User {
  const user = useContext(CurrentUserContext);
  if (!user) throw new Error('useCurrentUser() used outside the signed-in shell');
  return user;
}

/** True when the signed-in user may call a procedure with this access declaration. */
export function useCan(access: Access): boolean {
  const user = useContext(CurrentUserContext);
  return canAccess(access, user ? user.roles : null);
}
