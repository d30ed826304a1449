import { createContext, useContext } from 'react';
import type { Session } from './api';

export const SessionContext = createContext<Session | null>(null);

/** The signed-in account; pages under the layout are rendered only once it is known. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in layout');
  return session;
}

/** Accounts the audit and assessment pages answer (the service decides; the menu only follows it). */
export function isAdministrator(session: Session): boolean {
  return session.type === 'SYSTEM_ADMIN' || session.type === 'TIERED_ADMIN';
}
