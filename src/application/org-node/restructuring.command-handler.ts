/**
 * Org restructuring as 003:11 describes it, one operation, one decision (issue 18):
 *
 * 1. The issuer is authorized once for the whole operation: the removed nodes and the survivor as
 *    structure (scope and the managed-level boundary), the destinations of an abolition's children
 *    and people as destinations (scope only).
 * 2. The operation is decided whole before anything is written: the tree's decider plans it (a new
 *    survivor, children moved, same-named children merged or renamed as the request says, the
 *    people of every removed node and what becomes of their posts), and every person's steps are
 *    then decided on the tree as planned. Any refusal is thrown here, with nothing written.
 * 3. The accepted decision is recorded at one commit point: the plan and the tree's changes in one
 *    append to the tree's stream (If-Match, when given, against the tree once).
 * 4. The restructuring process carries out the plan person by person and records it completed;
 *    a crash half-way is finished when the service starts again.
 */
import type { Permission } from '../../domain/access/access-policy';
import {
  isWithin,
  type OrgNodeCommand,
  type OrgNodeEvent,
  orgNodeDecider,
  type OrgTreeState,
} from '../../domain/org-node/org-node.decider';
import {
  dispositionsOf,
  type PostHolding,
  type RestructuringPlan,
  stepsFor,
} from '../../domain/org-node/restructuring-plan';
import { personDecider, type PersonState } from '../../domain/person/person.decider';
import type { AccessControl } from '../access/access-control';
import type { BusCommandHandler } from '../commands/command-bus';
import {
  ConcurrencyConflictError,
  type CommandMetadata,
  type CommandOutcome,
  type DeciderCommandRunner,
} from '../commands/decider-command-runner';
import type { Clock } from '../ports/clock.port';
import type { EventStore } from '../ports/event-store.port';
import { withNodeFacts } from '../person/person-facts';
import { loadPerson } from '../person/person.load';
import { postHoldersIn } from '../person/post-holders';
import type { IdGenerator } from '../ports/id-generator.port';
import { type AbolitionRequest, type MergeRequest, type RestructureOrgTree } from './org-node.commands';
import type { OrgTree } from './org-tree';
import type { RestructuringProcess } from './restructuring.process';

export class RestructuringHandler implements BusCommandHandler<RestructureOrgTree> {
  constructor(
    private readonly runner: DeciderCommandRunner,
    private readonly process: RestructuringProcess,
    private readonly store: EventStore,
    private readonly tree: OrgTree,
    private readonly access: AccessControl,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  async execute({ request, metadata, issuer }: RestructureOrgTree): Promise<CommandOutcome<OrgNodeEvent>> {
    const loaded = await this.tree.load();
    const { state, revision } = loaded;
    await this.access.checkAll(issuer, () =>
      request.type === 'MergeOrgNodes'
        ? this.mergePermissions(request.data, state)
        : this.abolitionPermissions(request.data, state),
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
    const operationId =
      (request.type === 'MergeOrgNodes' ? request.data.mergeId : request.data.operationId) ?? this.ids.next();
    // The same operation asked again while its plan is still being carried out: carry it out (a retry, not a new decision).
    if ((state.pendingOperations ?? []).some((op) => op.operationId === operationId)) {
      await this.process.carryOut(operationId);
      return { streamId: this.tree.streamId, events: [], revision, position: null, attempts: 1 };
    }
    const m: CommandMetadata = { ...rest, correlationId: rest.correlationId ?? operationId };
    const command =
      request.type === 'MergeOrgNodes'
        ? await this.mergeCommand(request.data, operationId, state, m)
        : await this.abolitionCommand(request.data, operationId, m);
    await this.decideWhole(command, state, m);
    const outcome = await this.runner.run(orgNodeDecider, this.tree.streamId, command, m, loaded);
    await this.process.carryOut(operationId);
    return outcome;
  }

  private async mergePermissions(merge: MergeRequest, tree: OrgTreeState): Promise<Permission[]> {
    const nodes = [...merge.absorbedIds, ...(merge.newSurvivor ? [] : [merge.survivorId])];
    const parentId = merge.newSurvivor?.parentId;
    const extra = parentId ? [await this.access.childPosition(parentId, merge.survivorId, tree)] : [];
    return [await this.access.orgStructure('合并组织节点', nodes, extra, tree)];
  }

  /** The abolished node is structure; where its children and people go are destinations (scope only, 003:11). */
  private async abolitionPermissions(abolition: AbolitionRequest, tree: OrgTreeState): Promise<Permission[]> {
    const structure = await this.access.orgStructure('撤销组织节点', [abolition.orgNodeId], [], tree);
    const destinations = [abolition.childrenTo, abolition.peopleTo].filter((id): id is string => Boolean(id));
    if (destinations.length === 0) return [structure];
    return [structure, await this.access.unit('接收被撤销组织的人员和下级组织', destinations)];
  }

  private async mergeCommand(
    merge: MergeRequest,
    mergeId: string,
    tree: OrgTreeState,
    m: CommandMetadata,
  ): Promise<OrgNodeCommand> {
    // Posts held anywhere under the absorbed nodes: namesakes merged below them give theirs up too.
    const below = [...tree.nodes.values()]
      .filter((node) => merge.absorbedIds.some((id) => isWithin(tree, node.id, id)))
      .map((node) => node.id);
    return {
      type: 'MergeOrgNodes',
      data: {
        mergeId,
        absorbedIds: merge.absorbedIds,
        survivorId: merge.survivorId,
        newSurvivor: merge.newSurvivor ?? null,
        namesakes: merge.namesakes ?? {},
        holdings: await this.holdings(below),
        dispositionRef: m.sourceRef ?? null,
      },
    };
  }

  private async abolitionCommand(
    abolition: AbolitionRequest,
    operationId: string,
    m: CommandMetadata,
  ): Promise<OrgNodeCommand> {
    return {
      type: 'DissolveOrgNode',
      data: {
        orgNodeId: abolition.orgNodeId,
        operationId,
        childrenTo: abolition.childrenTo ?? null,
        peopleTo: abolition.peopleTo ?? null,
        departureReason: abolition.departureReason ?? null,
        holdings: await this.holdings([abolition.orgNodeId]),
        dispositionRef: m.sourceRef ?? null,
      },
    };
  }

  private async holdings(orgNodeIds: readonly string[]): Promise<PostHolding[]> {
    const holders = await postHoldersIn(this.store, orgNodeIds);
    return [...holders.values()]
      .flat()
      .map(({ personId, post }) => ({ personId, orgNodeId: post.orgNodeId, kind: post.kind }));
  }

  /**
   * The operation decided whole, writing nothing: the tree's decision, then each person's steps
   * decided in memory on the tree as planned. A refusal anywhere is the operation's refusal.
   */
  private async decideWhole(command: OrgNodeCommand, tree: OrgTreeState, m: CommandMetadata): Promise<void> {
    const now = this.clock.now();
    const context = { now, effectiveAt: m.effectiveAt ?? now.toISOString(), actor: m.actor };
    const events = orgNodeDecider.decide(command, tree, context);
    const planned = events.reduce(orgNodeDecider.evolve, tree);
    const plan = events.find((e) => e.type === 'RestructuringPlanned')?.data as RestructuringPlan;
    const people = new Map<string, PersonState>();
    for (const disposition of dispositionsOf(plan)) {
      let person = people.get(disposition.personId) ?? (await loadPerson(this.store, disposition.personId)).state;
      for (const step of stepsFor(person, disposition)) {
        const withFacts = withNodeFacts(step, planned);
        person = personDecider.decide(withFacts, person, context).reduce(personDecider.evolve, person);
      }
      people.set(disposition.personId, person);
    }
  }
}
