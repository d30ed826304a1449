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
 * Each step is an ordinary command, so a failure half-way leaves a consistent state and the
 * operation can be run again: steps already done decide nothing the second time.
 */
import type { DepartureReason } from '../../domain/person/person.decider';
import { activeChildrenOf, type NewOrgNode } from '../../domain/org-node/org-node.decider';
import type { CommandMetadata } from '../commands/decider-command-runner';
import type { EventStore } from '../event-store/event-store.port';
import type { IdGenerator } from '../ports/id-generator';
import type { PersonService } from '../person/person.service';
import { type PostHolder, postHoldersIn } from '../person/post-holders';
import type { OrgTreeService } from './org-tree.service';

/** Person commands of one operation run this many at a time (group commit batches them). */
const PARALLEL = 16;

async function inBatches<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += PARALLEL) await Promise.all(items.slice(i, i + PARALLEL).map(work));
}

const rank = (kind: string) => (kind === 'PRIMARY' ? 0 : kind === 'CONCURRENT' ? 1 : 2);

export interface MergeRequest {
  readonly mergeId?: string;
  readonly absorbedIds: readonly string[];
  readonly survivorId: string;
  readonly newSurvivor?: Omit<NewOrgNode, 'orgNodeId'> | null;
}

export interface AbolitionRequest {
  readonly orgNodeId: string;
  /** Where the unit's children go. */
  readonly childrenTo?: string | null;
  /** Where its people go; without it they are recorded as departed with `departureReason`. */
  readonly peopleTo?: string | null;
  readonly departureReason?: DepartureReason;
}

export class RestructuringService {
  constructor(
    private readonly store: EventStore,
    private readonly tree: OrgTreeService,
    private readonly people: PersonService,
    private readonly ids: IdGenerator,
  ) {}

  async merge(request: MergeRequest, metadata: CommandMetadata) {
    const mergeId = request.mergeId ?? this.ids.next();
    const m: CommandMetadata = { ...metadata, correlationId: metadata.correlationId ?? mergeId };
    const { state } = await this.tree.load();
    const createdForMerge = Boolean(request.newSurvivor) && !state.nodes.has(request.survivorId);
    if (request.newSurvivor && createdForMerge) {
      await this.tree.execute(
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
        await this.people.rehome(personId, post.orgNodeId, request.survivorId, m);
      }
    });
    const remaining = await postHoldersIn(this.store, request.absorbedIds);
    return this.tree.execute(
      {
        type: 'MergeOrgNodes',
        data: {
          mergeId,
          absorbedIds: request.absorbedIds,
          survivorId: request.survivorId,
          survivorCreatedForMerge: Boolean(request.newSurvivor),
          postHolders: Object.fromEntries([...remaining].map(([id, list]) => [id, list.length])),
        },
      },
      m,
    );
  }

  async abolish(request: AbolitionRequest, metadata: CommandMetadata) {
    const m: CommandMetadata = { ...metadata, correlationId: metadata.correlationId ?? this.ids.next() };
    const { state } = await this.tree.load();
    const node = state.nodes.get(request.orgNodeId);
    if (node && node.status === 'ACTIVE' && request.childrenTo) {
      for (const child of activeChildrenOf(state, node.id)) {
        await this.tree.execute(
          { type: 'MoveOrgNode', data: { orgNodeId: child.id, toParentId: request.childrenTo } },
          m,
        );
      }
    }
    const holders = (await postHoldersIn(this.store, [request.orgNodeId])).get(request.orgNodeId) ?? [];
    await inBatches(holders, async ({ personId, post }) => {
      if (post.kind === 'PRIMARY' && !request.peopleTo) {
        await this.people.recordDeparture({ personId, reason: request.departureReason ?? 'OTHER' }, m);
      } else if (request.peopleTo) {
        await this.people.rehome(personId, request.orgNodeId, request.peopleTo, m);
      } else if (post.kind === 'CONCURRENT') {
        await this.people.relieveConcurrentPost({ personId, orgNodeId: request.orgNodeId }, m);
      } else {
        await this.people.endSecondment({ personId, orgNodeId: request.orgNodeId }, m);
      }
    });
    const remaining = (await postHoldersIn(this.store, [request.orgNodeId])).get(request.orgNodeId)?.length ?? 0;
    return this.tree.execute(
      { type: 'DissolveOrgNode', data: { orgNodeId: request.orgNodeId, postHolders: remaining } },
      m,
    );
  }
}
