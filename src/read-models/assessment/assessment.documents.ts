/**
 * The assessment read model's documents (see assessment.projection.ts for how events fold into
 * them): one per entity with its standing as recorded-time versions, the assessed changes, and the
 * sign-in activity per unit and day or month.
 */
import type { Version } from './versions';

export const ASSESSMENT = 'assessment';
export const A_NODES = 'nodes';
export const A_PERSONS = 'persons';
export const A_ACCOUNTS = 'accounts';
export const A_GROUPS = 'groups';
export const A_APPS = 'apps';
export const A_CHANGES = 'changes';
export const A_ACTIVITY = 'activity';

export interface NodeState {
  readonly name: string;
  readonly parentId: string | null;
  readonly kind: string;
  readonly status: 'ACTIVE' | 'DISSOLVED' | 'MERGED';
  /** The node's responsible people by role (HEAD, LEADER_IN_CHARGE, RESPONSIBLE_PERSON, SYSTEM_ADMIN). */
  readonly responsibilities?: Readonly<Record<string, readonly string[]>>;
}
export interface NodeDoc {
  readonly id: string;
  readonly versions: Array<Version<NodeState>>;
}

export interface PersonStanding {
  readonly status: 'ACTIVE' | 'LEFT';
  /** The node of the primary post (for a departed person: the one they left). */
  readonly unitId: string;
  readonly employment: string;
  /** Effective date of the departure. */
  readonly leftOn: string | null;
}
export interface AssessedPersonDoc {
  readonly id: string;
  readonly name: string;
  readonly units: string[];
  /** Work groups the person is a member of now (to mark them when the person leaves). */
  readonly groups: string[];
  readonly versions: Array<Version<PersonStanding>>;
}

export interface AccountStanding {
  readonly status: 'PENDING_ACTIVATION' | 'ACTIVE' | 'FROZEN' | 'CLOSED';
  readonly activated: boolean;
  readonly passwordChangedAt: string | null;
}
export interface AssessedAccountDoc {
  readonly id: string;
  readonly type: 'SYSTEM_ADMIN' | 'TIERED_ADMIN' | 'USER' | 'TEMPORARY';
  readonly loginName: string;
  readonly personId: string | null;
  readonly sponsorOrgNodeId: string | null;
  readonly expiresAt: string | null;
  readonly openedAt: string;
  readonly lastSignInDay: string | null;
  readonly lastSignInMonth: string | null;
  readonly versions: Array<Version<AccountStanding>>;
}

export interface GroupStanding {
  readonly status: 'ACTIVE' | 'DISSOLVED';
  readonly unitId: string;
  readonly admins: string[];
  /** null once the owner left and until a new one takes over (002:五.7). */
  readonly ownerId: string | null;
  /** Members who have left and are still in the group (000:11, 001a:22). */
  readonly departed: string[];
}
export interface AssessedGroupDoc {
  readonly id: string;
  readonly name: string;
  readonly units: string[];
  readonly createdAt: string;
  /** Recorded month → the latest activity recorded in it (staleness at a month's end reads the months up to it). */
  readonly lastActivity: Record<string, string>;
  readonly versions: Array<Version<GroupStanding>>;
}

export interface AppStanding {
  readonly status: 'REQUESTED' | 'APPROVED' | 'REJECTED' | 'ONLINE' | 'OFFLINE' | 'DEREGISTERED';
  readonly unitId: string;
  /** The day the review was decided on the platform (001a:14: due within 7 working days of the request). */
  readonly decidedOn: string | null;
  /** The unit of the reviewer's primary post: the review is the district office's duty, its lateness booked there. */
  readonly reviewerUnitId?: string | null;
  readonly offlineSince: string | null;
  readonly deregisteredOn: string | null;
}
export interface AssessedAppDoc {
  readonly id: string;
  readonly name: string;
  readonly units: string[];
  readonly requestedOn: string;
  readonly reviewDueOn: string;
  readonly versions: Array<Version<AppStanding>>;
}

export interface ChangeDoc {
  readonly id: string;
  readonly type: string;
  readonly personId: string;
  readonly personName: string;
  readonly unitId: string;
  readonly effectiveOn: string;
  readonly recordedAt: string;
  readonly recordedOn: string;
  readonly lagWorkingDays: number;
  readonly actorAccountId: string;
  readonly actorPersonId: string | null;
  readonly actorRole: string;
  readonly sourceRef: string | null;
  /** Corrected later (issue 18): the change stays counted where it was recorded, marked as corrected. */
  readonly correction?: {
    readonly kind: 'RETRACTED' | 'EFFECTIVE_DATE';
    readonly at: string;
    readonly effectiveOn?: string;
  };
}

export interface ActivityDoc {
  readonly id: string;
  readonly kind: 'DAY' | 'MONTH';
  readonly unitId: string;
  /** YYYY-MM-DD for a day, YYYY-MM for a month. */
  readonly period: string;
  readonly accounts: number;
}

/** Person changes whose timeliness is assessed: posts, transfers, departures and their like (000:9, 001a:10). */
export const ASSESSED_CHANGES = [
  'PersonRegistered',
  'PersonPostChanged',
  'PersonTransferred',
  'SecondmentStarted',
  'SecondmentEnded',
  'ConcurrentPostAssigned',
  'ConcurrentPostRelieved',
  'PersonLeft',
  'PersonReinstated',
] as const;
