/**
 * Org tree read model: one document per node with its materialized path ("/root/a/b/"), level,
 * order, hidden flag and allow-list, status. Subtrees are path-prefix queries. Member counts come
 * from the directory read model (persons by post node), so a person's move never touches nodes.
 */
import type { EventEnvelope } from '../../application/event-store/event-envelope';
import type { Change, Projection, ProjectionView } from '../../application/projections/projection';
import type { Doc } from '../../application/read-store/read-store.port';

export const ORG_TREE = 'org_tree';
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
}

type Data = Record<string, unknown>;

function update(id: string, patch: (node: OrgNodeDoc) => Partial<OrgNodeDoc>): Change {
  return {
    collection: NODES,
    id,
    apply: (current) => (current ? ({ ...current, ...patch(current as OrgNodeDoc) } as Doc) : current),
  };
}

async function changesOf(event: EventEnvelope, view: ProjectionView): Promise<Change[]> {
  const d = event.data as Data;
  const id = d.orgNodeId as string;
  switch (event.type) {
    case 'OrgNodeCreated': {
      const parent = d.parentId ? ((await view.get(NODES, d.parentId as string)) as OrgNodeDoc | null) : null;
      const node: OrgNodeDoc = {
        id,
        name: d.name as string,
        shortName: (d.shortName as string | null) ?? null,
        externalCode: (d.externalCode as string | null) ?? null,
        kind: d.kind as string,
        parentId: (d.parentId as string | null) ?? null,
        path: `${parent?.path ?? '/'}${id}/`,
        level: d.level as number,
        order: (d.order as number) ?? 0,
        hidden: false,
        visibleTo: [],
        status: 'ACTIVE',
        mergedInto: null,
      };
      return [{ collection: NODES, id, apply: () => node }];
    }
    case 'OrgNodeRenamed': {
      const to = d.to as { name: string; shortName: string | null };
      return [update(id, () => ({ name: to.name, shortName: to.shortName }))];
    }
    case 'OrgNodeReordered':
      return [update(id, () => ({ order: d.to as number }))];
    case 'OrgNodeHiddenChanged':
      return [
        update(id, () => ({
          hidden: (d.to as { hidden: boolean }).hidden,
          visibleTo: (d.to as { visibleTo: string[] }).visibleTo,
        })),
      ];
    case 'OrgNodeMoved': {
      const moved = (await view.get(NODES, id)) as OrgNodeDoc | null;
      const parent = (await view.get(NODES, d.toParentId as string)) as OrgNodeDoc | null;
      if (!moved || !parent) return [];
      const newPath = `${parent.path}${id}/`;
      const shift = (d.toLevel as number) - moved.level;
      // The whole subtree follows: paths are rewritten, levels shift by the same amount.
      const subtree = (await view.find(NODES, { path: { $prefix: moved.path } })) as OrgNodeDoc[];
      return subtree.map((node) =>
        update(node.id, (current) => ({
          path: newPath + current.path.slice(moved.path.length),
          level: current.level + shift,
          ...(node.id === id ? { parentId: d.toParentId as string, order: d.order as number } : {}),
        })),
      );
    }
    case 'OrgNodeMergedInto':
      return [update(id, () => ({ status: 'MERGED', mergedInto: d.survivorId as string }))];
    case 'OrgNodeDissolved':
      return [update(id, () => ({ status: 'DISSOLVED' }))];
    default:
      return [];
  }
}

export const orgTreeProjection: Projection = {
  name: ORG_TREE,
  version: 1,
  collections: [
    { name: NODES, indexes: [{ fields: ['path'] }, { fields: ['parentId', 'order'] }, { fields: ['hidden'] }] },
  ],
  eventTypes: [
    'OrgNodeCreated',
    'OrgNodeRenamed',
    'OrgNodeReordered',
    'OrgNodeHiddenChanged',
    'OrgNodeMoved',
    'OrgNodeMergedInto',
    'OrgNodeDissolved',
  ],
  changesOf,
};
