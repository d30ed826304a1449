import { createContext, useContext } from 'react';
import type { Session } from './api';

export const SessionContext = createContext<Session | null>(null);

/** The signed-in account; pages under the layout are rendered only once it is known. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in layout');
  return session;
}

/** Whether the account holds a read role (or is a system admin, who holds them all). */
export function mayRead(session: Session, role: 'AUDITOR' | 'ASSESSOR'): boolean {
  if (session.type === 'SYSTEM_ADMIN') return true;
  if (role === 'ASSESSOR' && session.type === 'TIERED_ADMIN') return true;
  return session.readRoles.some((grant) => grant.role === role);
}
