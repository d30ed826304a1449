import type { TypedEnvelope } from '../../application/event-store/event-envelope';
import type { Doc } from '../../application/ports/read-store.port';
import type { ProjectionView } from '../../application/projections/projection';
import type { OrgNodeEvent } from '../../domain/org-node/org-node.decider';
import { NODES, type OrgNodeDoc, orgTreeProjection, treeEventsFor } from './org-tree.projection';

const created = (orgNodeId: string, parentId: string | null, level: number): OrgNodeEvent => ({
  type: 'OrgNodeCreated',
  data: { orgNodeId, name: orgNodeId, shortName: null, externalCode: null, kind: 'UNIT', parentId, level, order: 0 },
});
const moved = (orgNodeId: string, fromParentId: string, toParentId: string, fromLevel: number, toLevel: number) =>
  ({
    type: 'OrgNodeMoved',
    data: { orgNodeId, fromParentId, toParentId, fromLevel, toLevel, order: 9 },
  }) satisfies OrgNodeEvent;
const renamed = (orgNodeId: string, name: string): OrgNodeEvent => ({
  type: 'OrgNodeRenamed',
  data: { orgNodeId, from: { name: orgNodeId, shortName: null }, to: { name, shortName: null } },
});

/** Given a history, the node documents the projection makes of it, as the engine would apply them. */
async function project(events: readonly OrgNodeEvent[]): Promise<Map<string, OrgNodeDoc>> {
  const docs = new Map<string, OrgNodeDoc>();
  const view: ProjectionView = {
    get: async (_collection, id) => docs.get(id) ?? null,
    find: async (_collection, filter) => {
      const prefix = (filter.path as { $prefix: string }).$prefix;
      return [...docs.values()].filter((doc) => doc.path.startsWith(prefix));
    },
  };
  for (const event of events) {
    const envelope = event as unknown as TypedEnvelope<never>;
    for (const change of await orgTreeProjection.changesOf(envelope, view)) {
      expect(change.collection).toBe(NODES);
      const next = change.apply((docs.get(change.id) as Doc | undefined) ?? null);
      if (next) docs.set(change.id, next as OrgNodeDoc);
    }
  }
  return docs;
}

// root ─ a ─ a1 ─ a1x        root ─ b ─ c ─ a1 ─ a1x   (a1 moved under c, then c under b)
//      ├ b                        ├ a
//      ├ c                        └ d
//      └ d
const history: OrgNodeEvent[] = [
  created('root', null, 0),
  created('a', 'root', 1),
  created('b', 'root', 1),
  created('c', 'root', 1),
  created('d', 'root', 1),
  created('a1', 'a', 2),
  created('a1x', 'a1', 3),
  renamed('a', '甲'),
  moved('a1', 'a', 'c', 2, 2),
  renamed('d', '丁'),
  moved('c', 'root', 'b', 1, 2),
  renamed('a1x', '甲一'),
];

describe('treeEventsFor: the tree events a part of the tree needs', () => {
  it('given a history with moves, when asked for one node, keeps its events and those of every node ever above it', () => {
    const kept = treeEventsFor(history, ['a1x']);
    const about = new Set(kept.map((event) => ('orgNodeId' in event.data ? event.data.orgNodeId : null)));
    expect([...about].sort()).toEqual(['a', 'a1', 'a1x', 'b', 'c', 'root']);
  });

  it.each(['root', 'a', 'b', 'c', 'a1', 'a1x', 'd'])(
    'given the same history, the documents of the subtree under %s are those the whole history makes',
    async (root) => {
      const whole = await project(history);
      const nodeIds = [...whole.values()].filter((doc) => doc.path.includes(`/${root}/`)).map((doc) => doc.id);
      const part = await project(treeEventsFor(history, nodeIds));
      for (const id of nodeIds) expect(part.get(id)).toEqual(whole.get(id));
      if (root === 'a1x') expect(part.get('a1x')?.path).toBe('/root/b/c/a1/a1x/');
    },
  );
});
