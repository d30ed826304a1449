/**
 * Org tree read model: one document per node with its materialized path ("/root/a/b/"), level,
 * order, hidden flag and allow-list, status. Subtrees are path-prefix queries. Member counts come
 * from the directory read model (persons by post node), so a person's move never touches nodes.
 */
import type { TypedEnvelope } from '../../application/event-store/event-envelope';
import type { Change, Projection, ProjectionView } from '../../application/projections/projection';
import type { Doc } from '../../application/ports/read-store.port';
import { withHolder, withoutHolder } from '../../domain/org-node/unit-responsibilities';
import { ORG_NODE_EVENT_TYPES, type OrgNodeEvent } from '../../domain/org-node/org-node.decider';

export const ORG_TREE = 'org_tree';
/** Person ids by role, as stored (plain JSON). */
export type RoleHolders = { [role: string]: string[] };
export const NODES = 'nodes';

export interface OrgNodeDoc extends Doc {
  readonly name: string;
  readonly shortName: string | null;
  readonly externalCode: string | null;
  readonly kind: string;
  readonly parentId: string | null;
  readonly path: string;
  readonly level: number;
  readonly order: number;
  readonly hidden: boolean;
  readonly visibleTo: string[];
  readonly status: 'ACTIVE' | 'DISSOLVED' | 'MERGED';
  readonly mergedInto: string | null;
  /** The node's responsible people by role (unit-responsibilities.ts). */
  readonly responsibilities: RoleHolders;
}

/** The node events (a merge's summary and a restructuring's plan change no node by themselves). */
type Consumed = Exclude<OrgNodeEvent, { type: 'OrgNodesMerged' | 'RestructuringPlanned' | 'RestructuringCompleted' }>;
const NOT_CONSUMED: readonly string[] = ['OrgNodesMerged', 'RestructuringPlanned', 'RestructuringCompleted'];

/** The merge itself changes no node: each absorbed node records OrgNodeMergedInto. */
const CONSUMED = ORG_NODE_EVENT_TYPES.filter((type): type is Consumed['type'] => !NOT_CONSUMED.includes(type));

function update(id: string, patch: (node: OrgNodeDoc) => Partial<OrgNodeDoc>): Change {
  return {
    collection: NODES,
    id,
    apply: (current) => (current ? ({ ...current, ...patch(current as OrgNodeDoc) } as Doc) : current),
  };
}

async function changesOf(event: TypedEnvelope<Consumed>, view: ProjectionView): Promise<Change[]> {
  switch (event.type) {
    case 'OrgNodeCreated': {
      const d = event.data;
      const parent = d.parentId ? ((await view.get(NODES, d.parentId)) as OrgNodeDoc | null) : null;
      const node: OrgNodeDoc = {
        id: d.orgNodeId,
        name: d.name,
        shortName: d.shortName ?? null,
        externalCode: d.externalCode ?? null,
        kind: d.kind,
        parentId: d.parentId ?? null,
        path: `${parent?.path ?? '/'}${d.orgNodeId}/`,
        level: d.level,
        order: d.order ?? 0,
        hidden: false,
        visibleTo: [],
        status: 'ACTIVE',
        mergedInto: null,
        responsibilities: {},
      };
      return [{ collection: NODES, id: d.orgNodeId, apply: () => node }];
    }
    case 'OrgNodeRenamed': {
      const { to } = event.data;
      return [update(event.data.orgNodeId, () => ({ name: to.name, shortName: to.shortName }))];
    }
    case 'OrgNodeReordered':
      return [update(event.data.orgNodeId, () => ({ order: event.data.to }))];
    case 'OrgNodeHiddenChanged': {
      const { to } = event.data;
      return [update(event.data.orgNodeId, () => ({ hidden: to.hidden, visibleTo: [...to.visibleTo] }))];
    }
    case 'OrgNodeMoved': {
      const { orgNodeId: id, toParentId, toLevel, order } = event.data;
      const moved = (await view.get(NODES, id)) as OrgNodeDoc | null;
      const parent = (await view.get(NODES, toParentId)) as OrgNodeDoc | null;
      if (!moved || !parent) return [];
      const newPath = `${parent.path}${id}/`;
      const shift = toLevel - moved.level;
      // The whole subtree follows: paths are rewritten, levels shift by the same amount.
      const subtree = (await view.find(NODES, { path: { $prefix: moved.path } })) as OrgNodeDoc[];
      return subtree.map((node) =>
        update(node.id, (current) => ({
          path: newPath + current.path.slice(moved.path.length),
          level: current.level + shift,
          ...(node.id === id ? { parentId: toParentId, order } : {}),
        })),
      );
    }
    case 'OrgNodeMergedInto':
      return [update(event.data.orgNodeId, () => ({ status: 'MERGED', mergedInto: event.data.survivorId }))];
    case 'OrgNodeDissolved':
      return [update(event.data.orgNodeId, () => ({ status: 'DISSOLVED' }))];
    case 'UnitResponsibilityAssigned': {
      const { role, personId } = event.data;
      return [
        update(event.data.orgNodeId, (n) => ({
          responsibilities: withHolder(n.responsibilities, role, personId) as RoleHolders,
        })),
      ];
    }
    case 'UnitResponsibilityReleased': {
      const { role, personId } = event.data;
      return [
        update(event.data.orgNodeId, (n) => ({
          responsibilities: withoutHolder(n.responsibilities, role, personId) as RoleHolders,
        })),
      ];
    }
  }
}

export const orgTreeProjection: Projection<Consumed> = {
  name: ORG_TREE,
  // 2: nodes carry their responsible people (issue 19).
  version: 2,
  collections: [
    { name: NODES, indexes: [{ fields: ['path'] }, { fields: ['parentId', 'order'] }, { fields: ['hidden'] }] },
  ],
  eventTypes: CONSUMED,
  changesOf,
};

/**
 * Of the tree's events, those this projection needs for the documents of `nodeIds`: the events of
 * those nodes and of every node that was ever above one of them (a creation or a move reads the new
 * parent's path, a move above rewrites it). Time travel over one part of a large tree folds these.
 */
export function treeEventsFor<E extends { readonly type: string; readonly data: object }>(
  events: readonly E[],
  nodeIds: Iterable<string>,
): E[] {
  const fields = (event: E) => event.data as Readonly<Record<string, unknown>>;
  const parentsEver = new Map<string, Set<string>>();
  for (const event of events) {
    const data = fields(event);
    const parent =
      event.type === 'OrgNodeCreated' ? data.parentId : event.type === 'OrgNodeMoved' ? data.toParentId : null;
    if (typeof parent !== 'string') continue;
    const id = String(data.orgNodeId);
    const parents = parentsEver.get(id) ?? new Set<string>();
    parentsEver.set(id, parents.add(parent));
  }
  const needed = new Set<string>();
  const pending = [...nodeIds];
  for (let id = pending.pop(); id !== undefined; id = pending.pop()) {
    if (needed.has(id)) continue;
    needed.add(id);
    pending.push(...(parentsEver.get(id) ?? []));
  }
  // Events naming no node (a merge's summary, a restructuring's plan) change no document.
  return events.filter((event) => {
    const { orgNodeId } = fields(event);
    return typeof orgNodeId === 'string' && needed.has(orgNodeId);
  });
}
