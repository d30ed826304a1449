/** Who issued a command: an account acting in a role, or the system itself (policies, scheduler). */
export type ActorRole = 'SYSTEM_ADMIN' | 'TIERED_ADMIN' | 'USER' | 'TEMPORARY' | 'SYSTEM';

export interface Actor {
  readonly accountId: string;
  readonly personId?: string;
  readonly role: ActorRole;
}

export const ACTOR_ROLES: readonly ActorRole[] = ['SYSTEM_ADMIN', 'TIERED_ADMIN', 'USER', 'TEMPORARY', 'SYSTEM'];
