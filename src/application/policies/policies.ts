/**
 * The policies (process managers) of DOMAIN.md: each reacts to events by issuing commands. Every
 * command a policy issues decides nothing when its end state already holds (an account already
 * closed, a member already gone), and every policy looks at current state before acting, so
 * handling the same event twice has the effect of handling it once. What a policy causes carries
 * causationId = the triggering event and that event's correlationId (set by the engine).
 */
import { isWithin, nodeOf, unitOf } from '../../domain/org-node/org-node.decider';
import { appRegistrationDecider, appStream } from '../../domain/app-registration/app-registration.decider';
import type { AccountRequest } from '../account/account.commands';
import type { AppRequest } from '../app-registration/app-registration.commands';
import type { BusCommand } from '../commands/command-bus';
import { type CommandMetadata, loadAggregate } from '../commands/decider-command-runner';
import type { TypedEnvelope } from '../event-store/event-envelope';
import type { EventOf, PlatformEvent } from '../../domain/events';
import type { DomainEvent } from '../../domain/shared/decider';
import type { EventStore } from '../ports/event-store.port';
import type { OrgTree } from '../org-node/org-tree';
import type { PersonRequest } from '../person/person.commands';
import type { RequestRequest } from '../request/request.commands';
import { loadPerson } from '../person/person.load';
import type { WorkGroupRequest } from '../work-group/work-group.commands';
import type { OrgNodeRequest } from '../org-node/org-node.commands';
import type { TagCommand } from '../../domain/tag/tag.decider';
import { type OrgTreeState } from '../../domain/org-node/org-node.decider';
import { UNIT_ROLES, type UnitRole } from '../../domain/org-node/unit-responsibilities';
import { workGroupDecider, workGroupStream } from '../../domain/work-group/work-group.decider';
import type { PolicyLookups } from '../ports/policy-lookups.port';

/** What a policy reads, and the commands it issues: each a bus command issued by the policy itself. */
export interface PolicyServices {
  readonly store: EventStore;
  readonly tree: OrgTree;
  readonly lookups: PolicyLookups;
  readonly account: (request: AccountRequest, metadata: CommandMetadata) => BusCommand<unknown>;
  readonly person: (request: PersonRequest, metadata: CommandMetadata) => BusCommand<unknown>;
  readonly workGroup: (request: WorkGroupRequest, metadata: CommandMetadata) => BusCommand<unknown>;
  readonly orgNode: (request: OrgNodeRequest, metadata: CommandMetadata) => BusCommand<unknown>;
  readonly tag: (request: TagCommand, metadata: CommandMetadata) => BusCommand<unknown>;
  readonly app: (request: AppRequest, metadata: CommandMetadata) => BusCommand<unknown>;
  readonly request: (request: RequestRequest, metadata: CommandMetadata) => BusCommand<unknown>;
  /** Dispatches one command on the bus; a command the rules refuse (the thing is gone, say) is logged and skipped. */
  readonly attempt: (what: string, command: BusCommand<unknown>) => Promise<void>;
}

/** A policy reacting to the events of `Event`; the engine gives it only those, typed. */
export interface Policy<Event extends DomainEvent = DomainEvent> {
  readonly name: string;
  readonly handles: ReadonlyArray<Event['type']>;
  handle(event: TypedEnvelope<Event>, services: PolicyServices, metadata: CommandMetadata): Promise<void>;
}

/** Builds a policy with its events' type checked against `handles`. */
function policy<T extends PlatformEvent['type']>(definition: Policy<EventOf<T>>): Policy<EventOf<T>> {
  return definition;
}

/**
 * 001a:22 "发生岗位变动时应及时做好工作交接": what a person held in the nodes they no longer hold a
 * post in goes to the successor named with their departure or transfer — their roles there first
 * (so that a successor who becomes the head may own the unit's groups), then the groups they own.
 * Without a successor nothing moves: the roles show as open handovers, the groups as without an
 * owner, in the assessment, until someone takes them over.
 */
async function handOver(
  personId: string,
  successorId: string | undefined,
  stillIn: (orgNodeId: string) => boolean,
  tree: OrgTreeState,
  services: PolicyServices,
  metadata: CommandMetadata,
): Promise<void> {
  if (!successorId) return;
  for (const [orgNodeId, roles] of tree.responsibilities ?? new Map()) {
    if (stillIn(orgNodeId)) continue;
    for (const role of UNIT_ROLES.filter((r: UnitRole) => (roles[r] ?? []).includes(personId))) {
      const data = { orgNodeId, role, personId: successorId };
      await services.attempt(
        `移交${role} ${orgNodeId}`,
        services.orgNode({ type: 'AssignUnitResponsibility', data }, metadata),
      );
      // A single-holder role passed to the successor replaces the person; a system admin is one of several.
      if (role === 'SYSTEM_ADMIN')
        await services.attempt(
          `免去${role} ${orgNodeId}`,
          services.orgNode({ type: 'ReleaseUnitResponsibility', data: { ...data, personId } }, metadata),
        );
    }
  }
  for (const group of services.lookups.groupsOfPerson(personId)) {
    if (stillIn(group.owningOrgNodeId)) continue;
    const { state } = await loadAggregate(services.store, workGroupDecider, workGroupStream(group.groupId));
    if (state.status !== 'ACTIVE' || state.ownerId !== personId) continue;
    const { groupId } = group;
    if (!state.members.includes(successorId))
      await services.attempt(
        `交接人加入工作群 ${groupId}`,
        services.workGroup({ type: 'AddGroupMembers', data: { groupId, personIds: [successorId] } }, metadata),
      );
    await services.attempt(
      `移交群主 ${groupId}`,
      services.workGroup({ type: 'TransferGroupOwnership', data: { groupId, personId: successorId } }, metadata),
    );
  }
}

/** PersonLeft → close accounts (their admin scopes go with them), end other posts, leave groups (002:二.6, 000:11, 001a:22). */
export const departurePolicy = policy<'PersonLeft'>({
  name: 'departure',
  handles: ['PersonLeft'],
  async handle(event, services, metadata) {
    const { personId } = event.data;
    const { state: tree } = await services.tree.load();
    await handOver(personId, event.data.successorId, () => false, tree, services, metadata);
    for (const account of services.lookups.openAccountsOfPerson(personId)) {
      await services.attempt(
        `注销账号 ${account.accountId}`,
        services.account(
          { type: 'CloseAccount', data: { accountId: account.accountId, reason: 'PERSON_LEFT' } },
          metadata,
        ),
      );
    }
    const { state: person } = await loadPerson(services.store, personId);
    if (person.status === 'LEFT') {
      for (const post of person.posts) {
        if (post.kind === 'CONCURRENT')
          await services.attempt(
            `免去兼任 ${post.orgNodeId}`,
            services.person({ type: 'RelieveConcurrentPost', data: { personId, orgNodeId: post.orgNodeId } }, metadata),
          );
        if (post.kind === 'SECONDMENT')
          await services.attempt(
            `结束借调 ${post.orgNodeId}`,
            services.person({ type: 'EndSecondment', data: { personId, orgNodeId: post.orgNodeId } }, metadata),
          );
      }
    }
    // A tag addresses people on post (001b:11): the person leaves the tags that name them.
    for (const tagId of services.lookups.tagsOfPerson(personId))
      await services.attempt(
        `移出标签 ${tagId}`,
        services.tag({ type: 'RemoveTagMembers', data: { tagId, personIds: [personId] } }, metadata),
      );
    for (const group of services.lookups.groupsOfPerson(personId)) {
      // A group the person owned loses its owner and waits for a new one (the removal records it).
      await services.attempt(
        `移出工作群 ${group.groupId}`,
        services.workGroup(
          {
            type: 'RemoveGroupMembers',
            data: { groupId: group.groupId, personIds: [personId], reason: 'PERSON_LEFT' },
          },
          metadata,
        ),
      );
    }
  },
});

/** PersonTransferred → leave the old unit's UNIT groups and give up admin scopes there, unless a post there remains. */
export const transferPolicy = policy<'PersonTransferred'>({
  name: 'transfer',
  handles: ['PersonTransferred'],
  async handle(event, services, metadata) {
    const d = event.data;
    const { state: tree } = await services.tree.load();
    if (!tree.nodes.has(d.from.orgNodeId)) return;
    const oldUnit = unitOf(tree, d.from.orgNodeId);
    const { state: person } = await loadPerson(services.store, d.personId);
    if (person.status !== 'ACTIVE') return;
    const postedIn = (orgNodeId: string) => person.posts.some((p) => isWithin(tree, p.orgNodeId, orgNodeId));
    await handOver(
      d.personId,
      d.successorId,
      (orgNodeId) => !isWithin(tree, orgNodeId, oldUnit) || postedIn(orgNodeId),
      tree,
      services,
      metadata,
    );
    if (person.posts.some((p) => isWithin(tree, p.orgNodeId, oldUnit))) return;
    for (const group of services.lookups.groupsOfPerson(d.personId)) {
      if (group.kind !== 'UNIT' || !isWithin(tree, group.owningOrgNodeId, oldUnit)) continue;
      await services.attempt(
        `移出原单位工作群 ${group.groupId}`,
        services.workGroup(
          {
            type: 'RemoveGroupMembers',
            data: { groupId: group.groupId, personIds: [d.personId], reason: 'TRANSFERRED' },
          },
          metadata,
        ),
      );
    }
    for (const account of services.lookups.openAccountsOfPerson(d.personId)) {
      for (const orgNodeId of account.adminScope) {
        if (!isWithin(tree, orgNodeId, oldUnit)) continue;
        await services.attempt(
          `收回原单位管理范围 ${orgNodeId}`,
          services.account({ type: 'RevokeAdminScope', data: { accountId: account.accountId, orgNodeId } }, metadata),
        );
      }
    }
  },
});

/**
 * OrgNodeMergedInto / OrgNodeDissolved → re-home the node's groups and revoke admin scopes on it
 * (003:11); people are moved by the restructuring process. Each merged node goes to its own
 * survivor: an absorbed unit to the survivor, a child merged with its namesake to that namesake.
 */
export const restructuringPolicy = policy<'OrgNodeMergedInto' | 'OrgNodeDissolved'>({
  name: 'restructuring',
  handles: ['OrgNodeMergedInto', 'OrgNodeDissolved'],
  async handle(event, services, metadata) {
    const { state: tree } = await services.tree.load();
    const moves: Array<{ from: string; to: string | null }> = [];
    if (event.type === 'OrgNodeMergedInto') {
      moves.push({ from: event.data.orgNodeId, to: event.data.survivorId });
    } else {
      const { orgNodeId } = event.data;
      moves.push({ from: orgNodeId, to: tree.nodes.has(orgNodeId) ? nodeOf(tree, orgNodeId).parentId : null });
    }
    for (const { from, to } of moves) {
      for (const group of services.lookups.groupsOwnedBy(from)) {
        if (to)
          await services.attempt(
            `工作群 ${group.groupId} 划归 ${to}`,
            services.workGroup(
              { type: 'RehomeWorkGroup', data: { groupId: group.groupId, toOrgNodeId: to } },
              metadata,
            ),
          );
      }
      for (const account of services.lookups.accountsWithScopeOn(from)) {
        await services.attempt(
          `收回撤并节点的管理范围 ${from}`,
          services.account(
            { type: 'RevokeAdminScope', data: { accountId: account.accountId, orgNodeId: from } },
            metadata,
          ),
        );
      }
    }
  },
});

/** AppDeregistered → revoke its authorizations and close its temporary accounts. */
export const appDeregistrationPolicy = policy<'AppDeregistered'>({
  name: 'app-deregistration',
  handles: ['AppDeregistered'],
  async handle(event, services, metadata) {
    const { appId } = event.data;
    const { state: app } = await loadAggregate(services.store, appRegistrationDecider, appStream(appId));
    if (app.status !== 'NONE') {
      const { orgNodeIds, tagIds, personIds } = app.authorizations;
      if (orgNodeIds.length + tagIds.length + personIds.length > 0) {
        await services.attempt(
          `收回应用 ${appId} 的授权`,
          services.app({ type: 'RevokeAppAuthorization', data: { appId, orgNodeIds, tagIds, personIds } }, metadata),
        );
      }
    }
    for (const accountId of services.lookups.openTemporaryAccountsOfApp(appId)) {
      await services.attempt(
        `注销临时账号 ${accountId}`,
        services.account({ type: 'CloseAccount', data: { accountId, reason: 'APP_DEREGISTERED' } }, metadata),
      );
    }
  },
});

/** Every policy; the engine routes each event to those that handle its type. */
export const EVENT_POLICIES: readonly Policy[] = [
  departurePolicy,
  transferPolicy,
  restructuringPolicy,
  appDeregistrationPolicy,
];
