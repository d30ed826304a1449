/**
 * Org restructuring as 003:11 describes it, as one traceable operation: every event it causes, in
 * the tree and in each person's stream, carries the operation's correlationId and source reference.
 *
 * - Merge (003:11(3)): a new survivor is created first if the merge creates one; everyone holding
 *   a post in an absorbed unit is moved to the survivor; then the tree records the merge, moves
 *   the absorbed units' children to the survivor and marks them MERGED.
 * - Abolition (003:11(2)): its people are transferred to a named unit or recorded as departed, its
 *   concurrent posts and secondments end, its children move to a named unit, then OrgNodeDissolved.
 *
 * The issuer is authorized once, for the whole operation; each step is an ordinary command on the
 * bus, issued by the platform, so a failure half-way leaves a consistent state and the operation
 * can be run again: steps already done decide nothing the second time.
 */
import type { Permission } from '../../domain/access/access-policy';
import {
  activeChildrenOf,
  type OrgNodeCommand,
  type OrgNodeEvent,
  type OrgTreeState,
} from '../../domain/org-node/org-node.decider';
import type { PostInput } from '../../domain/person/person.decider';
import type { AccessControl } from '../access/access-control';
import { type BusCommandHandler, byPlatform, type CommandBus } from '../commands/command-bus';
import {
  ConcurrencyConflictError,
  type CommandMetadata,
  type CommandOutcome,
} from '../commands/decider-command-runner';
import type { EventStore } from '../ports/event-store.port';
import { ExecutePersonCommand, type PersonRequest } from '../person/person.commands';
import { loadPerson } from '../person/person.load';
import { type PostHolder, postHoldersIn } from '../person/post-holders';
import type { IdGenerator } from '../ports/id-generator.port';
import type { OrgTree } from './org-tree';
import {
  type AbolitionRequest,
  ExecuteOrgNodeCommand,
  type MergeRequest,
  type RestructureOrgTree,
} from './org-node.commands';

/** Person commands of one operation run this many at a time (group commit batches them). */
const PARALLEL = 16;

async function inBatches<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += PARALLEL) await Promise.all(items.slice(i, i + PARALLEL).map(work));
}

const rank = (kind: string) => (kind === 'PRIMARY' ? 0 : kind === 'CONCURRENT' ? 1 : 2);
const STEPS = byPlatform('restructuring');

export class RestructuringHandler implements BusCommandHandler<RestructureOrgTree> {
  constructor(
    private readonly commands: CommandBus,
    private readonly store: EventStore,
    private readonly tree: OrgTree,
    private readonly access: AccessControl,
    private readonly ids: IdGenerator,
  ) {}

  async execute({ request, metadata, issuer }: RestructureOrgTree): Promise<CommandOutcome<OrgNodeEvent>> {
    const { state, revision } = await this.tree.load();
    await this.access.check(issuer, () =>
      this.permission(
        request.type === 'MergeOrgNodes' ? request.data : null,
        request.type === 'DissolveOrgNode' ? request.data : null,
        state,
      ),
    );
    // A restructuring spans many streams: If-Match is checked against the tree once, up front.
    const { expectedRevision, ...rest } = metadata;
    if (expectedRevision !== undefined && revision !== expectedRevision) {
      throw new ConcurrencyConflictError(
        this.tree.streamId,
        1,
        String(expectedRevision),
        String(revision ?? 'no_stream'),
      );
    }
    return request.type === 'MergeOrgNodes'
      ? this.merge(request.data, rest, state)
      : this.abolish(request.data, rest, state);
  }

  private async permission(
    merge: MergeRequest | null,
    abolition: AbolitionRequest | null,
    tree: OrgTreeState,
  ): Promise<Permission> {
    if (merge) {
      const nodes = [...merge.absorbedIds, ...(merge.newSurvivor ? [] : [merge.survivorId])];
      const parentId = merge.newSurvivor?.parentId;
      const extra = parentId ? [await this.access.childPosition(parentId, merge.survivorId, tree)] : [];
      return this.access.orgStructure('合并组织节点', nodes, extra, tree);
    }
    const { orgNodeId, childrenTo, peopleTo } = abolition!;
    const nodes = [orgNodeId, ...(childrenTo ? [childrenTo] : []), ...(peopleTo ? [peopleTo] : [])];
    return this.access.orgStructure('撤销组织节点', nodes, [], tree);
  }

  private treeCommand(command: OrgNodeCommand, m: CommandMetadata) {
    return this.commands.execute(new ExecuteOrgNodeCommand(command, m, STEPS));
  }

  private person(request: PersonRequest, m: CommandMetadata) {
    return this.commands.execute(new ExecutePersonCommand(request, m, STEPS));
  }

  private async merge(request: MergeRequest, metadata: CommandMetadata, state: OrgTreeState) {
    const mergeId = request.mergeId ?? this.ids.next();
    const m: CommandMetadata = { ...metadata, correlationId: metadata.correlationId ?? mergeId };
    const createdForMerge = Boolean(request.newSurvivor) && !state.nodes.has(request.survivorId);
    if (request.newSurvivor && createdForMerge) {
      await this.treeCommand(
        { type: 'CreateOrgNode', data: { ...request.newSurvivor, orgNodeId: request.survivorId } },
        m,
      );
    }
    // One person's posts are moved one after the other, the primary post first, so that a
    // secondment in one absorbed unit gives way to the primary post moved from another.
    const byPerson = new Map<string, PostHolder[]>();
    for (const holder of [...(await postHoldersIn(this.store, request.absorbedIds)).values()].flat()) {
      byPerson.set(holder.personId, [...(byPerson.get(holder.personId) ?? []), holder]);
    }
    await inBatches([...byPerson.values()], async (posts) => {
      for (const { personId, post } of posts.sort((a, b) => rank(a.post.kind) - rank(b.post.kind))) {
        await this.rehome(personId, post.orgNodeId, request.survivorId, m);
      }
    });
    const remaining = await postHoldersIn(this.store, request.absorbedIds);
    const postHolders = Object.fromEntries([...remaining].map(([id, list]) => [id, list.length]));
    return this.treeCommand(
      {
        type: 'MergeOrgNodes',
        data: {
          mergeId,
          absorbedIds: request.absorbedIds,
          survivorId: request.survivorId,
          survivorCreatedForMerge: Boolean(request.newSurvivor),
          postHolders,
        },
      },
      m,
    );
  }

  private async abolish(request: AbolitionRequest, metadata: CommandMetadata, state: OrgTreeState) {
    const m: CommandMetadata = { ...metadata, correlationId: metadata.correlationId ?? this.ids.next() };
    const node = state.nodes.get(request.orgNodeId);
    if (node && node.status === 'ACTIVE' && request.childrenTo) {
      for (const child of activeChildrenOf(state, node.id)) {
        await this.treeCommand(
          { type: 'MoveOrgNode', data: { orgNodeId: child.id, toParentId: request.childrenTo } },
          m,
        );
      }
    }
    const holders = (await postHoldersIn(this.store, [request.orgNodeId])).get(request.orgNodeId) ?? [];
    await inBatches(holders, async ({ personId, post }) => {
      const orgNodeId = request.orgNodeId;
      if (post.kind === 'PRIMARY' && !request.peopleTo) {
        await this.person(
          { type: 'RecordDeparture', data: { personId, reason: request.departureReason ?? 'OTHER' } },
          m,
        );
      } else if (request.peopleTo) {
        await this.rehome(personId, orgNodeId, request.peopleTo, m);
      } else if (post.kind === 'CONCURRENT') {
        await this.person({ type: 'RelieveConcurrentPost', data: { personId, orgNodeId } }, m);
      } else {
        await this.person({ type: 'EndSecondment', data: { personId, orgNodeId } }, m);
      }
    });
    const remaining = (await postHoldersIn(this.store, [request.orgNodeId])).get(request.orgNodeId)?.length ?? 0;
    return this.treeCommand(
      { type: 'DissolveOrgNode', data: { orgNodeId: request.orgNodeId, postHolders: remaining } },
      m,
    );
  }

  /** Moves a person's post in `fromNode` to `toNode` (003:11). */
  private async rehome(personId: string, fromNode: string, toNode: string, m: CommandMetadata): Promise<void> {
    const { state } = await loadPerson(this.store, personId);
    if (state.status !== 'ACTIVE') return;
    const post = state.posts.find((p) => p.orgNodeId === fromNode);
    if (!post) return;
    const atTarget = state.posts.find((p) => p.orgNodeId === toNode);
    const input: PostInput = {
      orgNodeId: toNode,
      title: post.title,
      postLevel: post.postLevel,
      role: post.role,
      order: post.order,
    };
    if (post.kind === 'PRIMARY') {
      // A concurrent post or secondment in the surviving unit gives way to the primary post.
      if (atTarget?.kind === 'CONCURRENT')
        await this.person({ type: 'RelieveConcurrentPost', data: { personId, orgNodeId: toNode } }, m);
      if (atTarget?.kind === 'SECONDMENT')
        await this.person({ type: 'EndSecondment', data: { personId, orgNodeId: toNode } }, m);
      await this.person({ type: 'TransferPerson', data: { personId, to: input } }, m);
      return;
    }
    if (post.kind === 'CONCURRENT') {
      await this.person({ type: 'RelieveConcurrentPost', data: { personId, orgNodeId: fromNode } }, m);
      if (!atTarget) await this.person({ type: 'AssignConcurrentPost', data: { personId, post: input } }, m);
      return;
    }
    await this.person({ type: 'EndSecondment', data: { personId, orgNodeId: fromNode } }, m);
    if (!atTarget && post.from && post.until) {
      await this.person(
        { type: 'StartSecondment', data: { personId, post: input, from: post.from, until: post.until } },
        m,
      );
    }
  }
}
