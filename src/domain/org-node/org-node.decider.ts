/**
 * OrgNode (组织节点). All nodes of a jurisdiction live in one stream, `OrgTree-<jurisdiction>`,
 * and this decider decides on the whole tree: one root, parents ACTIVE, sibling names unique,
 * no cycles and levels that follow a move are tree-wide rules, and one stream is the only
 * consistency boundary EventStoreDB offers for them. Events still name the node they concern.
 *
 * Rules: DOMAIN.md "OrgNode"; restructuring 003:11 (rename, abolition, merge); order 000:7;
 * hidden sensitive units 001b:9.
 */
import type { DepartureReason } from '../person/person.decider';
import { NodeMap } from './node-map';
import {
  grouped,
  type NamesakeResolution,
  type PostDisposition,
  type PostHolding,
  type RestructuringPlan,
} from './restructuring-plan';
import { eventTypes, type Decider } from '../shared/decider';
import { assertShortNameFollows, type NamingRule } from './naming-rule';
import {
  assertMayHold,
  assertRoleForKind,
  holdersOf,
  isSingleHolderRole,
  type ResponsiblePersonFacts,
  type UnitResponsibilities,
  type UnitRole,
  withHolder,
  withoutHolder,
} from './unit-responsibilities';
import {
  DispositionRequired,
  DuplicateSiblingName,
  DuplicateSiblingOrder,
  DuplicateSiblingShortName,
  InvalidAbolition,
  InvalidMerge,
  NamesakesUnresolved,
  InvalidNodeName,
  InvalidOrder,
  MoveWouldCreateCycle,
  NodeStillHasChildren,
  OrgNodeAlreadyExists,
  OrgNodeNotActive,
  OrgNodeNotFound,
  RootAlreadyExists,
  RootMisplaced,
} from './org-node.errors';

export const ORG_NODE_KINDS = ['ROOT', 'CATEGORY', 'UNIT', 'INTERNAL_BODY', 'VILLAGE'] as const;
export type OrgNodeKind = (typeof ORG_NODE_KINDS)[number];
export type OrgNodeStatus = 'ACTIVE' | 'DISSOLVED' | 'MERGED';

export interface OrgNode {
  readonly id: string;
  readonly name: string;
  readonly shortName: string | null;
  readonly externalCode: string | null;
  readonly kind: OrgNodeKind;
  readonly parentId: string | null;
  readonly level: number;
  readonly order: number;
  readonly hidden: boolean;
  /** Who may still see a hidden node: person or node ids. */
  readonly visibleTo: readonly string[];
  readonly status: OrgNodeStatus;
  readonly mergedInto: string | null;
}

export interface OrgTreeState {
  readonly rootId: string | null;
  readonly nodes: ReadonlyMap<string, OrgNode>;
  /** Child ids by parent id, kept by `evolve` (a state built by hand may lack it: then the nodes are scanned). */
  readonly childIds?: NodeMap<readonly string[]>;
  /** Restructurings planned and not yet completed by the restructuring process. */
  readonly pendingOperations?: ReadonlyArray<{
    readonly operationId: string;
    readonly kind: RestructuringPlan['kind'];
  }>;
  /** Each node's responsible people (unit-responsibilities.ts), by node id. */
  readonly responsibilities?: NodeMap<UnitResponsibilities>;
}

// ---- commands ----
export interface NewOrgNode {
  readonly orgNodeId: string;
  readonly name: string;
  readonly shortName?: string | null;
  readonly kind: OrgNodeKind;
  readonly parentId: string | null;
  readonly externalCode?: string | null;
  readonly order?: number;
  /** The jurisdiction's naming rule (naming-rule.ts), as the application is configured. */
  readonly naming?: NamingRule;
}

export type OrgNodeCommand =
  | { type: 'CreateOrgNode'; data: NewOrgNode }
  | {
      type: 'RenameOrgNode';
      data: { orgNodeId: string; name: string; shortName?: string | null; naming?: NamingRule };
    }
  | { type: 'ReorderOrgNode'; data: { orgNodeId: string; order: number } }
  | { type: 'MoveOrgNode'; data: { orgNodeId: string; toParentId: string } }
  | { type: 'SetOrgNodeHidden'; data: { orgNodeId: string; hidden: boolean; visibleTo?: readonly string[] } }
  | {
      type: 'MergeOrgNodes';
      data: {
        mergeId: string;
        absorbedIds: readonly string[];
        /** An existing node that survives, or (with `newSurvivor`) the id of the node the merge creates. */
        survivorId: string;
        newSurvivor?: Omit<NewOrgNode, 'orgNodeId'> | null;
        /** Same-named children under the survivor: merged with their namesake or renamed, by child id. */
        namesakes?: Readonly<Record<string, NamesakeResolution>>;
        /** Facts: the posts held in the absorbed nodes and everything below them. */
        holdings: readonly PostHolding[];
        dispositionRef?: string | null;
      };
    }
  | {
      type: 'DissolveOrgNode';
      data: {
        orgNodeId: string;
        operationId: string;
        /** Where the unit's children go (required when it has any). */
        childrenTo?: string | null;
        /** Where its people go; or, with `departureReason`, they leave (003:11(2)); one is required when it has people. */
        peopleTo?: string | null;
        departureReason?: DepartureReason | null;
        /** Facts: the posts held in the node. */
        holdings: readonly PostHolding[];
        dispositionRef?: string | null;
      };
    }
  /** The restructuring process has carried out every disposition of the plan. */
  | { type: 'CompleteRestructuring'; data: { operationId: string } }
  | {
      type: 'AssignUnitResponsibility';
      data: { orgNodeId: string; role: UnitRole; personId: string; person: ResponsiblePersonFacts };
    }
  | { type: 'ReleaseUnitResponsibility'; data: { orgNodeId: string; role: UnitRole; personId: string } };

// ---- events ----
/** Whether a node is hidden from the directory (001b:9) and who may still see it. */
export interface HiddenSetting {
  hidden: boolean;
  visibleTo: string[];
}

export type OrgNodeEvent =
  | {
      type: 'OrgNodeCreated';
      data: {
        orgNodeId: string;
        name: string;
        shortName: string | null;
        externalCode: string | null;
        kind: OrgNodeKind;
        parentId: string | null;
        level: number;
        order: number;
      };
    }
  | {
      type: 'OrgNodeRenamed';
      data: {
        orgNodeId: string;
        from: { name: string; shortName: string | null };
        to: { name: string; shortName: string | null };
      };
    }
  | { type: 'OrgNodeReordered'; data: { orgNodeId: string; from: number; to: number } }
  | {
      type: 'OrgNodeMoved';
      data: {
        orgNodeId: string;
        fromParentId: string;
        toParentId: string;
        fromLevel: number;
        toLevel: number;
        order: number;
      };
    }
  /**
   * Schema version 2 (issue 7): before/after, as subscribers get for every other change. Version 1
   * carried only the new `hidden` and `visibleTo`; it reads as `from: null` (not recorded then).
   */
  | { type: 'OrgNodeHiddenChanged'; data: { orgNodeId: string; from: HiddenSetting | null; to: HiddenSetting } }
  | {
      type: 'OrgNodesMerged';
      data: { mergeId: string; survivorId: string; absorbedIds: string[]; survivorIsNew: boolean };
    }
  | { type: 'OrgNodeMergedInto'; data: { orgNodeId: string; survivorId: string; mergeId: string } }
  | { type: 'OrgNodeDissolved'; data: { orgNodeId: string; name: string } }
  /** The commit point of a restructuring: its whole plan, recorded with the tree's own changes. */
  | { type: 'RestructuringPlanned'; data: RestructuringPlan }
  | { type: 'RestructuringCompleted'; data: { operationId: string; kind: RestructuringPlan['kind'] } }
  /** `replaced`: the previous holder of a single-holder role, who no longer holds it. */
  | {
      type: 'UnitResponsibilityAssigned';
      data: { orgNodeId: string; role: UnitRole; personId: string; replaced: string | null };
    }
  | { type: 'UnitResponsibilityReleased'; data: { orgNodeId: string; role: UnitRole; personId: string } };

/** Every OrgNode event type, checked exhaustive by the compiler. */
export const ORG_NODE_EVENT_TYPES = eventTypes<OrgNodeEvent>({
  OrgNodeCreated: true,
  OrgNodeRenamed: true,
  OrgNodeReordered: true,
  OrgNodeMoved: true,
  OrgNodeHiddenChanged: true,
  OrgNodesMerged: true,
  OrgNodeMergedInto: true,
  OrgNodeDissolved: true,
  RestructuringPlanned: true,
  RestructuringCompleted: true,
  UnitResponsibilityAssigned: true,
  UnitResponsibilityReleased: true,
});

export function orgTreeStream(jurisdiction: string): string {
  return `OrgTree-${jurisdiction}`;
}

const MAX_NAME = 64;
const MAX_ORDER = 999_999;

export function normaliseNodeName(name: string): string {
  if (typeof name !== 'string') throw new InvalidNodeName(String(name), '不是文字');
  const trimmed = name.trim();
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) throw new InvalidNodeName(name, '含有控制字符');
  const length = [...trimmed].length;
  if (length < 1 || length > MAX_NAME)
    throw new InvalidNodeName(name, `长度应为 1–${MAX_NAME} 个字符（去除首尾空格后）`);
  return trimmed;
}

function normaliseShortName(shortName: string | null | undefined): string | null {
  if (shortName === undefined || shortName === null || shortName.trim() === '') return null;
  return normaliseNodeName(shortName);
}

function assertOrder(order: number): void {
  if (!Number.isInteger(order) || order < 0 || order > MAX_ORDER) throw new InvalidOrder(order);
}

export function nodeOf(state: OrgTreeState, orgNodeId: string): OrgNode {
  const node = state.nodes.get(orgNodeId);
  if (!node) throw new OrgNodeNotFound(orgNodeId);
  return node;
}

export function activeNodeOf(state: OrgTreeState, orgNodeId: string): OrgNode {
  const node = nodeOf(state, orgNodeId);
  if (node.status !== 'ACTIVE') throw new OrgNodeNotActive(node.id, node.name, node.status);
  return node;
}

export function activeChildrenOf(state: OrgTreeState, parentId: string): OrgNode[] {
  const children: OrgNode[] = [];
  if (state.childIds) {
    for (const id of state.childIds.get(parentId) ?? []) {
      const node = state.nodes.get(id);
      if (node && node.parentId === parentId && node.status === 'ACTIVE') children.push(node);
    }
  } else
    for (const node of state.nodes.values())
      if (node.parentId === parentId && node.status === 'ACTIVE') children.push(node);
  return children.sort((a, b) => a.order - b.order);
}

/** True when `candidate` is `ancestorId` or lies below it. */
export function isWithin(state: OrgTreeState, candidate: string, ancestorId: string): boolean {
  for (let id: string | null = candidate; id !== null; id = state.nodes.get(id)?.parentId ?? null) {
    if (id === ancestorId) return true;
  }
  return false;
}

/** Ids from the root down to the node, the node included. */
/** The unit a node belongs to: the nearest UNIT at or above it, else the node itself. */
export function unitOf(state: OrgTreeState, orgNodeId: string): string {
  return pathOf(state, orgNodeId).findLast((id) => state.nodes.get(id)?.kind === 'UNIT') ?? orgNodeId;
}

export function pathOf(state: OrgTreeState, orgNodeId: string): string[] {
  const path: string[] = [];
  for (let id: string | null = orgNodeId; id !== null; id = state.nodes.get(id)?.parentId ?? null) path.unshift(id);
  return path;
}

/** Short names and orders are distinct among siblings (000:7 规范化简称及顺序). */
function assertDistinctAmongSiblings(
  state: OrgTreeState,
  parentId: string,
  fields: { readonly shortName?: string | null; readonly order?: number },
  exceptId?: string,
): void {
  for (const sibling of activeChildrenOf(state, parentId)) {
    if (sibling.id === exceptId) continue;
    if (fields.shortName != null && sibling.shortName === fields.shortName)
      throw new DuplicateSiblingShortName(fields.shortName, parentId, sibling.id);
    if (fields.order !== undefined && sibling.order === fields.order)
      throw new DuplicateSiblingOrder(fields.order, parentId, sibling.id);
  }
}

function assertUniqueAmongSiblings(state: OrgTreeState, parentId: string, name: string, exceptId?: string): void {
  for (const sibling of activeChildrenOf(state, parentId)) {
    if (sibling.id !== exceptId && sibling.name === name) throw new DuplicateSiblingName(name, parentId, sibling.id);
  }
}

function nextOrder(state: OrgTreeState, parentId: string): number {
  return activeChildrenOf(state, parentId).reduce((max, child) => Math.max(max, child.order + 1), 0);
}

function decideCreate(state: OrgTreeState, data: NewOrgNode): Extract<OrgNodeEvent, { type: 'OrgNodeCreated' }> {
  if (state.nodes.has(data.orgNodeId)) throw new OrgNodeAlreadyExists(data.orgNodeId);
  const name = normaliseNodeName(data.name);
  const shortName = normaliseShortName(data.shortName);
  assertShortNameFollows(shortName, data.naming);
  if (data.order !== undefined) assertOrder(data.order);
  if (data.kind === 'ROOT' || data.parentId === null) {
    if (data.kind !== 'ROOT') throw new RootMisplaced('只有根节点可以没有上级节点');
    if (data.parentId !== null) throw new RootMisplaced('根节点不能有上级节点');
    if (state.rootId !== null) throw new RootAlreadyExists(state.rootId);
    return {
      type: 'OrgNodeCreated',
      data: {
        orgNodeId: data.orgNodeId,
        name,
        shortName,
        externalCode: data.externalCode ?? null,
        kind: 'ROOT',
        parentId: null,
        level: 0,
        order: 0,
      },
    };
  }
  const parent = activeNodeOf(state, data.parentId);
  assertUniqueAmongSiblings(state, parent.id, name);
  assertDistinctAmongSiblings(state, parent.id, { shortName, order: data.order });
  return {
    type: 'OrgNodeCreated',
    data: {
      orgNodeId: data.orgNodeId,
      name,
      shortName,
      externalCode: data.externalCode ?? null,
      kind: data.kind,
      parentId: parent.id,
      level: parent.level + 1,
      order: data.order ?? nextOrder(state, parent.id),
    },
  };
}

function decideMove(
  state: OrgTreeState,
  orgNodeId: string,
  toParentId: string,
): Extract<OrgNodeEvent, { type: 'OrgNodeMoved' }> | null {
  const node = activeNodeOf(state, orgNodeId);
  if (node.parentId === null) throw new RootMisplaced('根节点不能移动');
  const target = activeNodeOf(state, toParentId);
  if (isWithin(state, target.id, node.id)) throw new MoveWouldCreateCycle(node.id, target.id);
  if (node.parentId === target.id) return null;
  assertUniqueAmongSiblings(state, target.id, node.name, node.id);
  assertDistinctAmongSiblings(state, target.id, { shortName: node.shortName }, node.id);
  return {
    type: 'OrgNodeMoved',
    data: {
      orgNodeId: node.id,
      fromParentId: node.parentId,
      toParentId: target.id,
      fromLevel: node.level,
      toLevel: target.level + 1,
      order: nextOrder(state, target.id),
    },
  };
}

/** Events decided one after the other on a working copy of the tree. */
function recorder(state: OrgTreeState) {
  const events: OrgNodeEvent[] = [];
  let working = state;
  return {
    events,
    tree: () => working,
    apply(event: OrgNodeEvent) {
      events.push(event);
      working = evolve(working, event);
    },
  };
}

/**
 * Absorbs `absorbedId` into `survivorId` on the working tree: its children move to the survivor;
 * a child whose name the survivor already has is merged with that namesake or renamed, as the
 * plan says; one the plan says nothing of is a collision. Records which node took over which.
 */
function absorb(
  r: ReturnType<typeof recorder>,
  absorbedId: string,
  survivorId: string,
  namesakes: Readonly<Record<string, NamesakeResolution>>,
  takenOver: Map<string, string>,
  collisions: Array<{ orgNodeId: string; name: string; existingId: string }>,
  mergeId: string,
): void {
  takenOver.set(absorbedId, survivorId);
  for (const child of activeChildrenOf(r.tree(), absorbedId)) {
    const namesake = activeChildrenOf(r.tree(), survivorId).find((s) => s.name === child.name && s.id !== child.id);
    const resolution = Object.prototype.hasOwnProperty.call(namesakes, child.id) ? namesakes[child.id] : undefined;
    if (namesake && resolution?.resolution === 'MERGE') {
      absorb(r, child.id, namesake.id, namesakes, takenOver, collisions, mergeId);
      r.apply({ type: 'OrgNodeMergedInto', data: { orgNodeId: child.id, survivorId: namesake.id, mergeId } });
      continue;
    }
    if (namesake && resolution?.resolution !== 'RENAME') {
      collisions.push({ orgNodeId: child.id, name: child.name, existingId: namesake.id });
      continue;
    }
    if (namesake && resolution?.resolution === 'RENAME') {
      const name = normaliseNodeName(resolution.name);
      assertUniqueAmongSiblings(r.tree(), child.parentId!, name, child.id);
      r.apply({
        type: 'OrgNodeRenamed',
        data: {
          orgNodeId: child.id,
          from: { name: child.name, shortName: child.shortName },
          to: { name, shortName: child.shortName },
        },
      });
    }
    const moved = decideMove(r.tree(), child.id, survivorId);
    if (moved) r.apply(moved);
  }
}

/** The people of the removed nodes, each post to the node that took its node over. */
function movesOf(holdings: readonly PostHolding[], takenOver: ReadonlyMap<string, string>): PostDisposition[] {
  return holdings
    .filter((h) => takenOver.has(h.orgNodeId))
    .map((h) => ({
      action: 'MOVE',
      personId: h.personId,
      fromNodeId: h.orgNodeId,
      toNodeId: takenOver.get(h.orgNodeId)!,
    }));
}

function decideMerge(
  state: OrgTreeState,
  data: Extract<OrgNodeCommand, { type: 'MergeOrgNodes' }>['data'],
): OrgNodeEvent[] {
  const absorbedIds = [...new Set(data.absorbedIds)];
  if (absorbedIds.length === 0) throw new InvalidMerge('至少要有一个被合并的组织');
  if (absorbedIds.length !== data.absorbedIds.length)
    throw new InvalidMerge('被合并组织重复列出', { absorbedIds: data.absorbedIds });
  if (absorbedIds.includes(data.survivorId))
    throw new InvalidMerge('存续组织不能同时是被合并组织', { survivorId: data.survivorId });
  const absorbed = absorbedIds.map((id) => activeNodeOf(state, id));
  for (const node of absorbed)
    if (node.parentId === null) throw new InvalidMerge('根节点不能被合并', { orgNodeId: node.id });

  const r = recorder(state);
  const planAt = r.events.length;
  if (data.newSurvivor) r.apply(decideCreate(r.tree(), { ...data.newSurvivor, orgNodeId: data.survivorId }));
  else activeNodeOf(state, data.survivorId);
  for (const node of absorbed) {
    if (isWithin(r.tree(), data.survivorId, node.id)) {
      throw new InvalidMerge(`存续组织 ${data.survivorId} 位于被合并组织 ${node.id} 之下`, {
        survivorId: data.survivorId,
        orgNodeId: node.id,
      });
    }
  }
  r.apply({
    type: 'OrgNodesMerged',
    data: { mergeId: data.mergeId, survivorId: data.survivorId, absorbedIds, survivorIsNew: Boolean(data.newSurvivor) },
  });
  // 003:11(3): the absorbed units' internal bodies and subordinate units go to the survivor.
  const takenOver = new Map<string, string>();
  const collisions: Array<{ orgNodeId: string; name: string; existingId: string }> = [];
  for (const node of absorbed)
    absorb(r, node.id, data.survivorId, data.namesakes ?? {}, takenOver, collisions, data.mergeId);
  if (collisions.length > 0) throw new NamesakesUnresolved(collisions);
  for (const node of absorbed)
    r.apply({
      type: 'OrgNodeMergedInto',
      data: { orgNodeId: node.id, survivorId: data.survivorId, mergeId: data.mergeId },
    });
  const plan: RestructuringPlan = {
    operationId: data.mergeId,
    kind: 'MERGE',
    removedIds: [...takenOver.keys()],
    survivorId: data.survivorId,
    people: grouped(movesOf(data.holdings, takenOver)),
    dispositionRef: data.dispositionRef ?? null,
  };
  // The plan comes first: the commit point, then the tree's own changes, in one append.
  return [{ type: 'RestructuringPlanned', data: plan }, ...r.events.slice(planAt)];
}

function decideAbolition(
  state: OrgTreeState,
  data: Extract<OrgNodeCommand, { type: 'DissolveOrgNode' }>['data'],
): OrgNodeEvent[] {
  const node = activeNodeOf(state, data.orgNodeId);
  if (node.parentId === null) throw new RootMisplaced('根节点不能撤销');
  const inside = (id: string) => isWithin(state, id, node.id);
  for (const [field, id] of [
    ['childrenTo', data.childrenTo],
    ['peopleTo', data.peopleTo],
  ] as const) {
    if (!id) continue;
    activeNodeOf(state, id);
    if (inside(id)) throw new InvalidAbolition(`${field} ${id} 位于被撤销组织之内`, { [field]: id });
  }
  const r = recorder(state);
  const children = activeChildrenOf(state, node.id);
  if (children.length > 0 && !data.childrenTo)
    throw new NodeStillHasChildren(
      node.id,
      children.map((child) => child.id),
    );
  for (const child of children) {
    const moved = decideMove(r.tree(), child.id, data.childrenTo!);
    if (moved) r.apply(moved);
  }
  const holdings = data.holdings.filter((h) => h.orgNodeId === node.id);
  if (holdings.length > 0 && !data.peopleTo && !data.departureReason)
    throw new DispositionRequired(node.id, new Set(holdings.map((h) => h.personId)).size);
  const people: PostDisposition[] = holdings.map((h) =>
    data.peopleTo
      ? { action: 'MOVE', personId: h.personId, fromNodeId: node.id, toNodeId: data.peopleTo }
      : h.kind === 'PRIMARY'
        ? { action: 'DEPART', personId: h.personId, fromNodeId: node.id, reason: data.departureReason! }
        : { action: 'END', personId: h.personId, fromNodeId: node.id },
  );
  r.apply({ type: 'OrgNodeDissolved', data: { orgNodeId: node.id, name: node.name } });
  const plan: RestructuringPlan = {
    operationId: data.operationId,
    kind: 'ABOLITION',
    removedIds: [node.id],
    survivorId: null,
    people: grouped(people),
    dispositionRef: data.dispositionRef ?? null,
  };
  return [{ type: 'RestructuringPlanned', data: plan }, ...r.events];
}

export function decide(command: OrgNodeCommand, state: OrgTreeState): OrgNodeEvent[] {
  switch (command.type) {
    case 'CreateOrgNode':
      return [decideCreate(state, command.data)];

    case 'RenameOrgNode': {
      const node = activeNodeOf(state, command.data.orgNodeId);
      const name = normaliseNodeName(command.data.name);
      const shortName =
        command.data.shortName === undefined ? node.shortName : normaliseShortName(command.data.shortName);
      if (shortName !== node.shortName) assertShortNameFollows(shortName, command.data.naming);
      if (name === node.name && shortName === node.shortName) return [];
      if (node.parentId !== null && name !== node.name) assertUniqueAmongSiblings(state, node.parentId, name, node.id);
      if (node.parentId !== null && shortName !== node.shortName)
        assertDistinctAmongSiblings(state, node.parentId, { shortName }, node.id);
      return [
        {
          type: 'OrgNodeRenamed',
          data: { orgNodeId: node.id, from: { name: node.name, shortName: node.shortName }, to: { name, shortName } },
        },
      ];
    }

    case 'ReorderOrgNode': {
      const node = activeNodeOf(state, command.data.orgNodeId);
      assertOrder(command.data.order);
      if (node.order === command.data.order) return [];
      if (node.parentId !== null)
        assertDistinctAmongSiblings(state, node.parentId, { order: command.data.order }, node.id);
      return [{ type: 'OrgNodeReordered', data: { orgNodeId: node.id, from: node.order, to: command.data.order } }];
    }

    case 'MoveOrgNode': {
      const moved = decideMove(state, command.data.orgNodeId, command.data.toParentId);
      return moved ? [moved] : [];
    }

    case 'SetOrgNodeHidden': {
      const node = activeNodeOf(state, command.data.orgNodeId);
      const visibleTo = command.data.hidden ? [...new Set(command.data.visibleTo ?? [])].sort() : [];
      if (node.hidden === command.data.hidden && JSON.stringify(node.visibleTo) === JSON.stringify(visibleTo))
        return [];
      return [
        {
          type: 'OrgNodeHiddenChanged',
          data: {
            orgNodeId: node.id,
            from: { hidden: node.hidden, visibleTo: [...node.visibleTo] },
            to: { hidden: command.data.hidden, visibleTo },
          },
        },
      ];
    }

    case 'MergeOrgNodes':
      return decideMerge(state, command.data);

    case 'DissolveOrgNode':
      return decideAbolition(state, command.data);

    case 'CompleteRestructuring': {
      const { operationId } = command.data;
      const pending = (state.pendingOperations ?? []).find((op) => op.operationId === operationId);
      if (!pending) return [];
      return [{ type: 'RestructuringCompleted', data: { operationId, kind: pending.kind } }];
    }

    case 'AssignUnitResponsibility': {
      const { orgNodeId, role, personId, person } = command.data;
      const node = activeNodeOf(state, orgNodeId);
      assertRoleForKind(role, node.kind, node.id);
      const holders = holdersOf(state.responsibilities?.get(node.id), role);
      if (holders.includes(personId)) return [];
      assertMayHold(role, node.id, personId, person, (postNodeId) => isWithin(state, postNodeId, node.id));
      const replaced = isSingleHolderRole(role) ? (holders[0] ?? null) : null;
      return [{ type: 'UnitResponsibilityAssigned', data: { orgNodeId: node.id, role, personId, replaced } }];
    }

    case 'ReleaseUnitResponsibility': {
      const { orgNodeId, role, personId } = command.data;
      const node = nodeOf(state, orgNodeId);
      if (!holdersOf(state.responsibilities?.get(node.id), role).includes(personId)) return [];
      return [{ type: 'UnitResponsibilityReleased', data: { orgNodeId: node.id, role, personId } }];
    }
  }
}

/** The holders of a node's role (unit-responsibilities.ts). */
export function responsibleFor(state: OrgTreeState, orgNodeId: string, role: UnitRole): readonly string[] {
  return holdersOf(state.responsibilities?.get(orgNodeId), role);
}

function withResponsibilities(
  state: OrgTreeState,
  orgNodeId: string,
  change: (r: UnitResponsibilities | undefined) => UnitResponsibilities,
): OrgTreeState {
  const all = state.responsibilities ?? NodeMap.empty<UnitResponsibilities>();
  return { ...state, responsibilities: all.with(orgNodeId, change(all.get(orgNodeId))) };
}

function withNode(state: OrgTreeState, node: OrgNode): OrgTreeState {
  const nodes = state.nodes instanceof NodeMap ? state.nodes : NodeMap.of(state.nodes);
  return { ...state, nodes: nodes.with(node.id, node) };
}

function withChild(state: OrgTreeState, parentId: string | null, childId: string): OrgTreeState {
  if (parentId === null) return state;
  const index = state.childIds ?? childIndexOf(state.nodes);
  return {
    ...state,
    childIds: index.with(parentId, [...(index.get(parentId) ?? []).filter((id) => id !== childId), childId]),
  };
}

function childIndexOf(nodes: ReadonlyMap<string, OrgNode>): NodeMap<readonly string[]> {
  const index = new Map<string, string[]>();
  for (const node of nodes.values()) {
    if (node.parentId === null) continue;
    const siblings = index.get(node.parentId);
    if (siblings) siblings.push(node.id);
    else index.set(node.parentId, [node.id]);
  }
  return NodeMap.of(index);
}

export function evolve(state: OrgTreeState, event: OrgNodeEvent): OrgTreeState {
  switch (event.type) {
    case 'OrgNodeCreated': {
      const d = event.data;
      const node: OrgNode = {
        id: d.orgNodeId,
        name: d.name,
        shortName: d.shortName,
        externalCode: d.externalCode,
        kind: d.kind,
        parentId: d.parentId,
        level: d.level,
        order: d.order,
        hidden: false,
        visibleTo: [],
        status: 'ACTIVE',
        mergedInto: null,
      };
      const next = withChild(withNode(state, node), d.parentId, d.orgNodeId);
      return d.parentId === null ? { ...next, rootId: d.orgNodeId } : next;
    }
    case 'OrgNodeRenamed': {
      const node = state.nodes.get(event.data.orgNodeId)!;
      return withNode(state, { ...node, name: event.data.to.name, shortName: event.data.to.shortName });
    }
    case 'OrgNodeReordered': {
      const node = state.nodes.get(event.data.orgNodeId)!;
      return withNode(state, { ...node, order: event.data.to });
    }
    case 'OrgNodeMoved': {
      // The subtree's levels follow the move.
      const delta = event.data.toLevel - event.data.fromLevel;
      const nodes = new Map(state.nodes);
      for (const node of state.nodes.values()) {
        if (node.id === event.data.orgNodeId) {
          nodes.set(node.id, {
            ...node,
            parentId: event.data.toParentId,
            level: event.data.toLevel,
            order: event.data.order,
          });
        } else if (delta !== 0 && isWithin(state, node.id, event.data.orgNodeId)) {
          nodes.set(node.id, { ...node, level: node.level + delta });
        }
      }
      const moved = { ...state, nodes: NodeMap.of(nodes) };
      if (!state.childIds) return moved;
      const { fromParentId, toParentId, orgNodeId } = event.data;
      const withoutOld = state.childIds.with(
        fromParentId,
        (state.childIds.get(fromParentId) ?? []).filter((id) => id !== orgNodeId),
      );
      return withChild({ ...moved, childIds: withoutOld }, toParentId, orgNodeId);
    }
    case 'OrgNodeHiddenChanged': {
      const node = state.nodes.get(event.data.orgNodeId)!;
      return withNode(state, { ...node, hidden: event.data.to.hidden, visibleTo: event.data.to.visibleTo });
    }
    case 'OrgNodesMerged':
      return state;
    case 'OrgNodeMergedInto': {
      const node = state.nodes.get(event.data.orgNodeId)!;
      return withNode(state, { ...node, status: 'MERGED', mergedInto: event.data.survivorId });
    }
    case 'OrgNodeDissolved': {
      const node = state.nodes.get(event.data.orgNodeId)!;
      return withNode(state, { ...node, status: 'DISSOLVED' });
    }
    case 'RestructuringPlanned':
      return {
        ...state,
        pendingOperations: [
          ...(state.pendingOperations ?? []),
          { operationId: event.data.operationId, kind: event.data.kind },
        ],
      };
    case 'RestructuringCompleted':
      return {
        ...state,
        pendingOperations: (state.pendingOperations ?? []).filter((op) => op.operationId !== event.data.operationId),
      };
    case 'UnitResponsibilityAssigned': {
      const { orgNodeId, role, personId } = event.data;
      return withResponsibilities(state, orgNodeId, (r) => withHolder(r, role, personId));
    }
    case 'UnitResponsibilityReleased': {
      const { orgNodeId, role, personId } = event.data;
      return withResponsibilities(state, orgNodeId, (r) => withoutHolder(r, role, personId));
    }
  }
}

export const initialOrgTreeState = (): OrgTreeState => ({
  rootId: null,
  nodes: NodeMap.empty(),
  childIds: NodeMap.empty(),
});

export const orgNodeDecider: Decider<OrgNodeCommand, OrgNodeEvent, OrgTreeState> = {
  initialState: initialOrgTreeState,
  decide: (command, state) => decide(command, state),
  evolve,
};
