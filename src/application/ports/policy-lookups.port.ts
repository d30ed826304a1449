/**
 * What the policies need to find that no single stream answers: a person's accounts and groups,
 * an app's temporary accounts, the groups and admin scopes on a node, and the dates that drive the
 * scheduler. Built from the same ordered event feed the policies consume, so that when a policy
 * handles the event at position P the lookups reflect exactly the events up to P.
 */
import type { EventEnvelope } from '../event-store/event-envelope';

export interface GroupRef {
  readonly groupId: string;
  readonly kind: 'UNIT' | 'CROSS_UNIT';
  readonly owningOrgNodeId: string;
}

export interface AccountRef {
  readonly accountId: string;
  readonly type: string;
  readonly adminScope: readonly string[];
}

/** A date-driven action: what falls due, when, and the event it follows from (its causation). */
export interface DueSecondment {
  readonly personId: string;
  readonly orgNodeId: string;
  readonly until: string;
  readonly causationId: string;
  readonly correlationId: string;
}
export interface DueExpiry {
  readonly accountId: string;
  readonly expiresAt: string;
  readonly causationId: string;
  readonly correlationId: string;
}

/** A request's step under review, due on a date (reported one level up once past it, 000:9). */
export interface DueRequestStep {
  readonly requestId: string;
  readonly step: number;
  readonly dueOn: string;
  readonly causationId: string;
  readonly correlationId: string;
}

/** An approved request whose change has not been recorded as carried out (nor as failed). */
export interface PendingExecution {
  readonly requestId: string;
  readonly approvedAt: string;
  readonly causationId: string;
  readonly correlationId: string;
}

export interface PolicyLookups {
  /** The event types the lookups are built from. */
  readonly eventTypes: readonly string[];
  apply(event: EventEnvelope): void;
  openAccountsOfPerson(personId: string): AccountRef[];
  groupsOfPerson(personId: string): GroupRef[];
  /** Tags that name the person directly (001b:11), not deleted. */
  tagsOfPerson(personId: string): string[];
  groupsOwnedBy(orgNodeId: string): GroupRef[];
  accountsWithScopeOn(orgNodeId: string): AccountRef[];
  openTemporaryAccountsOfApp(appId: string): string[];
  /** Secondments whose `until` is on or before `date` (YYYY-MM-DD) and that have not ended. */
  secondmentsDueBy(date: string): DueSecondment[];
  /** Temporary accounts whose expiry is at or before `instant` and that are still open. */
  expiriesDueBy(instant: string): DueExpiry[];
  /** Request steps under review whose due date is before `date` and not yet reported up. */
  requestStepsOverdueOn(date: string): DueRequestStep[];
  /** Approved requests approved at or before `instant` whose change is not recorded yet (the process stopped). */
  executionsPendingSince(instant: string): PendingExecution[];
}
