/**
 * The policies' lookups as a projection: `changesOf` is a pure function from an event to the
 * changes it makes; `InMemoryPolicyLookups` applies them. Held in memory and rebuilt from the
 * events when the policy engine starts (see PolicyEngine); nothing here is a source of truth.
 */
import type { EventEnvelope, TypedEnvelope } from '../../application/event-store/event-envelope';
import type { AccountEvent } from '../../domain/account/account.decider';
import type { PersonEvent } from '../../domain/person/person.decider';
import type { WorkGroupEvent } from '../../domain/work-group/work-group.decider';
import type { TagEvent } from '../../domain/tag/tag.decider';
import { REQUEST_EVENT_TYPES, type RequestEvent } from '../../domain/request/request.decider';
import type {
  AccountRef,
  DueExpiry,
  DueRequestStep,
  DueSecondment,
  GroupRef,
  PendingExecution,
  PolicyLookups,
} from '../../application/ports/policy-lookups.port';

type Cause = { causationId: string; correlationId: string };

export type LookupChange =
  | {
      kind: 'AccountOpened';
      accountId: string;
      type: string;
      personId: string | null;
      appId: string | null;
      expiresAt: string | null;
      cause: Cause;
    }
  | { kind: 'AccountClosed'; accountId: string }
  | { kind: 'ScopeGranted'; accountId: string; orgNodeId: string }
  | { kind: 'ScopeRevoked'; accountId: string; orgNodeId: string }
  | { kind: 'GroupCreated'; group: GroupRef; memberIds: string[] }
  | { kind: 'MembersAdded'; groupId: string; personIds: string[] }
  | { kind: 'MembersRemoved'; groupId: string; personIds: string[] }
  | { kind: 'GroupRehomed'; groupId: string; to: string }
  | { kind: 'GroupDissolved'; groupId: string }
  | { kind: 'SecondmentStarted'; due: DueSecondment }
  | { kind: 'PostsEnded'; personId: string; orgNodeIds: string[] | 'ALL' }
  | { kind: 'TaggedPersons'; tagId: string; personIds: string[]; tagged: boolean }
  | { kind: 'TagDeleted'; tagId: string }
  | { kind: 'RequestStepDue'; due: DueRequestStep }
  | { kind: 'RequestStepSettled'; requestId: string }
  | { kind: 'ExecutionPending'; pending: PendingExecution }
  | { kind: 'ExecutionRecorded'; requestId: string };

/** The events the lookups follow. */
type Followed =
  | Extract<AccountEvent, { type: 'AccountOpened' | 'AccountClosed' | 'AdminScopeGranted' | 'AdminScopeRevoked' }>
  | Extract<
      WorkGroupEvent,
      {
        type:
          'WorkGroupCreated' | 'GroupMembersAdded' | 'GroupMembersRemoved' | 'WorkGroupRehomed' | 'WorkGroupDissolved';
      }
    >
  | Extract<PersonEvent, { type: 'SecondmentStarted' | 'SecondmentEnded' | 'PersonReinstated' }>
  | Extract<TagEvent, { type: 'TagMembersAdded' | 'TagMembersRemoved' | 'TagDeleted' }>
  | RequestEvent;

export const LOOKUP_EVENT_TYPES: ReadonlyArray<Followed['type']> = [
  'AccountOpened',
  'AccountClosed',
  'AdminScopeGranted',
  'AdminScopeRevoked',
  'WorkGroupCreated',
  'GroupMembersAdded',
  'GroupMembersRemoved',
  'WorkGroupRehomed',
  'WorkGroupDissolved',
  'SecondmentStarted',
  'SecondmentEnded',
  'PersonReinstated',
  'TagMembersAdded',
  'TagMembersRemoved',
  'TagDeleted',
  ...REQUEST_EVENT_TYPES,
];

export function changesOf(event: TypedEnvelope<Followed>): LookupChange[] {
  const cause: Cause = { causationId: event.eventId, correlationId: event.correlationId };
  switch (event.type) {
    case 'AccountOpened': {
      const { accountId, type, personId, appId, expiresAt } = event.data;
      return [{ kind: 'AccountOpened', accountId, type, personId, appId, expiresAt, cause }];
    }
    case 'AccountClosed':
      return [{ kind: 'AccountClosed', accountId: event.data.accountId }];
    case 'AdminScopeGranted':
      return [{ kind: 'ScopeGranted', accountId: event.data.accountId, orgNodeId: event.data.orgNodeId }];
    case 'AdminScopeRevoked':
      return [{ kind: 'ScopeRevoked', accountId: event.data.accountId, orgNodeId: event.data.orgNodeId }];
    case 'WorkGroupCreated': {
      const { groupId, kind, owningOrgNodeId, memberIds } = event.data;
      return [{ kind: 'GroupCreated', group: { groupId, kind, owningOrgNodeId }, memberIds: [...memberIds] }];
    }
    case 'GroupMembersAdded':
      return [{ kind: 'MembersAdded', groupId: event.data.groupId, personIds: [...event.data.personIds] }];
    case 'GroupMembersRemoved':
      return [{ kind: 'MembersRemoved', groupId: event.data.groupId, personIds: [...event.data.personIds] }];
    case 'WorkGroupRehomed':
      return [{ kind: 'GroupRehomed', groupId: event.data.groupId, to: event.data.to }];
    case 'WorkGroupDissolved':
      return [{ kind: 'GroupDissolved', groupId: event.data.groupId }];
    case 'SecondmentStarted': {
      const { personId, post } = event.data;
      if (!post.until) return [];
      return [{ kind: 'SecondmentStarted', due: { personId, orgNodeId: post.orgNodeId, until: post.until, ...cause } }];
    }
    case 'SecondmentEnded':
      return [{ kind: 'PostsEnded', personId: event.data.personId, orgNodeIds: [event.data.orgNodeId] }];
    case 'PersonReinstated':
      // A reinstated person starts over with one primary post.
      return [{ kind: 'PostsEnded', personId: event.data.personId, orgNodeIds: 'ALL' }];
    case 'TagMembersAdded':
    case 'TagMembersRemoved': {
      const tagged = event.type === 'TagMembersAdded';
      return [{ kind: 'TaggedPersons', tagId: event.data.tagId, personIds: event.data.personIds, tagged }];
    }
    case 'TagDeleted':
      return [{ kind: 'TagDeleted', tagId: event.data.tagId }];
    // A step waits while the request is under review; a return, a decision or a report up settles it.
    case 'RequestFiled':
      return [
        {
          kind: 'RequestStepDue',
          due: { requestId: event.data.requestId, step: 0, dueOn: event.data.dueOn, ...cause },
        },
      ];
    case 'RequestStepApproved': {
      const { requestId, step, nextDueOn } = event.data;
      if (nextDueOn === null) return [{ kind: 'RequestStepSettled', requestId }];
      return [{ kind: 'RequestStepDue', due: { requestId, step: step + 1, dueOn: nextDueOn, ...cause } }];
    }
    case 'RequestReturned':
      return [{ kind: 'RequestStepSettled', requestId: event.data.requestId }];
    case 'RequestRefiled':
      return [
        {
          kind: 'RequestStepDue',
          due: { requestId: event.data.requestId, step: -1, dueOn: event.data.dueOn, ...cause },
        },
      ];
    case 'RequestRejected':
    case 'RequestWithdrawn':
    case 'RequestStepEscalated':
      return [{ kind: 'RequestStepSettled', requestId: event.data.requestId }];
    case 'RequestApproved': {
      const pending = { requestId: event.data.requestId, approvedAt: event.recordedAt, ...cause };
      return [
        { kind: 'RequestStepSettled', requestId: event.data.requestId },
        { kind: 'ExecutionPending', pending },
      ];
    }
    case 'RequestExecuted':
    case 'RequestExecutionFailed':
      return [{ kind: 'ExecutionRecorded', requestId: event.data.requestId }];
  }
}

interface AccountEntry {
  accountId: string;
  type: string;
  personId: string | null;
  appId: string | null;
  expiresAt: string | null;
  open: boolean;
  scope: Set<string>;
  cause: Cause;
}

export class InMemoryPolicyLookups implements PolicyLookups {
  readonly eventTypes: readonly string[] = LOOKUP_EVENT_TYPES;
  private readonly accounts = new Map<string, AccountEntry>();
  private readonly accountsByPerson = new Map<string, Set<string>>();
  private readonly accountsByApp = new Map<string, Set<string>>();
  private readonly groups = new Map<string, GroupRef & { members: Set<string>; live: boolean }>();
  private readonly groupsByPerson = new Map<string, Set<string>>();
  private readonly tagsByPerson = new Map<string, Set<string>>();
  private readonly deletedTags = new Set<string>();
  /** personId → orgNodeId → due secondment */
  private readonly secondments = new Map<string, Map<string, DueSecondment>>();
  /** By request: the step under review and its due date; the step a returned request resumes at. */
  private readonly requestSteps = new Map<string, DueRequestStep & { waiting: boolean }>();
  private readonly pendingExecutions = new Map<string, PendingExecution>();

  apply(event: EventEnvelope): void {
    // The engine feeds only LOOKUP_EVENT_TYPES (this.eventTypes), upcast to their current schema.
    if (!(LOOKUP_EVENT_TYPES as readonly string[]).includes(event.type)) return;
    for (const change of changesOf(event as TypedEnvelope<Followed>)) this.applyChange(change);
  }

  private static add(index: Map<string, Set<string>>, key: string, value: string): void {
    let set = index.get(key);
    if (!set) index.set(key, (set = new Set()));
    set.add(value);
  }

  private applyChange(change: LookupChange): void {
    switch (change.kind) {
      case 'AccountOpened':
        this.accounts.set(change.accountId, {
          accountId: change.accountId,
          type: change.type,
          personId: change.personId,
          appId: change.appId,
          expiresAt: change.expiresAt,
          open: true,
          scope: new Set(),
          cause: change.cause,
        });
        if (change.personId) InMemoryPolicyLookups.add(this.accountsByPerson, change.personId, change.accountId);
        if (change.appId) InMemoryPolicyLookups.add(this.accountsByApp, change.appId, change.accountId);
        return;
      case 'AccountClosed': {
        const account = this.accounts.get(change.accountId);
        if (account) account.open = false;
        return;
      }
      case 'ScopeGranted':
        this.accounts.get(change.accountId)?.scope.add(change.orgNodeId);
        return;
      case 'ScopeRevoked':
        this.accounts.get(change.accountId)?.scope.delete(change.orgNodeId);
        return;
      case 'GroupCreated':
        this.groups.set(change.group.groupId, { ...change.group, members: new Set(change.memberIds), live: true });
        for (const personId of change.memberIds)
          InMemoryPolicyLookups.add(this.groupsByPerson, personId, change.group.groupId);
        return;
      case 'MembersAdded': {
        const group = this.groups.get(change.groupId);
        for (const personId of change.personIds) {
          group?.members.add(personId);
          InMemoryPolicyLookups.add(this.groupsByPerson, personId, change.groupId);
        }
        return;
      }
      case 'MembersRemoved': {
        const group = this.groups.get(change.groupId);
        for (const personId of change.personIds) {
          group?.members.delete(personId);
          this.groupsByPerson.get(personId)?.delete(change.groupId);
        }
        return;
      }
      case 'GroupRehomed': {
        const group = this.groups.get(change.groupId);
        if (group) this.groups.set(change.groupId, { ...group, owningOrgNodeId: change.to });
        return;
      }
      case 'GroupDissolved': {
        const group = this.groups.get(change.groupId);
        if (group) group.live = false;
        return;
      }
      case 'SecondmentStarted': {
        let byNode = this.secondments.get(change.due.personId);
        if (!byNode) this.secondments.set(change.due.personId, (byNode = new Map()));
        byNode.set(change.due.orgNodeId, change.due);
        return;
      }
      case 'PostsEnded':
        if (change.orgNodeIds === 'ALL') this.secondments.delete(change.personId);
        else for (const orgNodeId of change.orgNodeIds) this.secondments.get(change.personId)?.delete(orgNodeId);
        return;
      case 'TaggedPersons':
        for (const personId of change.personIds)
          if (change.tagged) InMemoryPolicyLookups.add(this.tagsByPerson, personId, change.tagId);
          else this.tagsByPerson.get(personId)?.delete(change.tagId);
        return;
      case 'TagDeleted':
        this.deletedTags.add(change.tagId);
        return;
      case 'RequestStepDue': {
        // A refiled request resumes at the step that returned it (step -1: the one kept).
        const step = change.due.step < 0 ? (this.requestSteps.get(change.due.requestId)?.step ?? 0) : change.due.step;
        this.requestSteps.set(change.due.requestId, { ...change.due, step, waiting: true });
        return;
      }
      case 'RequestStepSettled': {
        const entry = this.requestSteps.get(change.requestId);
        if (entry) entry.waiting = false;
        return;
      }
      case 'ExecutionPending':
        this.pendingExecutions.set(change.pending.requestId, change.pending);
        return;
      case 'ExecutionRecorded':
        this.pendingExecutions.delete(change.requestId);
        return;
    }
  }

  executionsPendingSince(instant: string): PendingExecution[] {
    const limit = Date.parse(instant);
    return [...this.pendingExecutions.values()].filter((p) => Date.parse(p.approvedAt) <= limit);
  }

  requestStepsOverdueOn(date: string): DueRequestStep[] {
    return [...this.requestSteps.values()]
      .filter((entry) => entry.waiting && entry.dueOn < date)
      .map(({ waiting: _, ...due }) => due)
      .sort((a, b) => a.dueOn.localeCompare(b.dueOn));
  }

  private ref(account: AccountEntry): AccountRef {
    return { accountId: account.accountId, type: account.type, adminScope: [...account.scope] };
  }

  openAccountsOfPerson(personId: string): AccountRef[] {
    return [...(this.accountsByPerson.get(personId) ?? [])]
      .map((id) => this.accounts.get(id)!)
      .filter((a) => a.open)
      .map((a) => this.ref(a));
  }

  tagsOfPerson(personId: string): string[] {
    return [...(this.tagsByPerson.get(personId) ?? [])].filter((tagId) => !this.deletedTags.has(tagId));
  }

  groupsOfPerson(personId: string): GroupRef[] {
    return [...(this.groupsByPerson.get(personId) ?? [])]
      .map((id) => this.groups.get(id)!)
      .filter((g) => g.live)
      .map(({ groupId, kind, owningOrgNodeId }) => ({ groupId, kind, owningOrgNodeId }));
  }

  groupsOwnedBy(orgNodeId: string): GroupRef[] {
    return [...this.groups.values()]
      .filter((g) => g.live && g.owningOrgNodeId === orgNodeId)
      .map(({ groupId, kind, owningOrgNodeId }) => ({ groupId, kind, owningOrgNodeId }));
  }

  accountsWithScopeOn(orgNodeId: string): AccountRef[] {
    return [...this.accounts.values()].filter((a) => a.open && a.scope.has(orgNodeId)).map((a) => this.ref(a));
  }

  openTemporaryAccountsOfApp(appId: string): string[] {
    return [...(this.accountsByApp.get(appId) ?? [])].filter((id) => this.accounts.get(id)!.open);
  }

  secondmentsDueBy(date: string): DueSecondment[] {
    const due: DueSecondment[] = [];
    for (const byNode of this.secondments.values()) for (const s of byNode.values()) if (s.until <= date) due.push(s);
    return due.sort((a, b) => a.until.localeCompare(b.until));
  }

  expiriesDueBy(instant: string): DueExpiry[] {
    const limit = Date.parse(instant);
    return [...this.accounts.values()]
      .filter((a) => a.open && a.expiresAt !== null && Date.parse(a.expiresAt) <= limit)
      .map((a) => ({ accountId: a.accountId, expiresAt: a.expiresAt!, ...a.cause }))
      .sort((a, b) => a.expiresAt.localeCompare(b.expiresAt));
  }
}
