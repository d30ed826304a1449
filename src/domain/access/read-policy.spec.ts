import { fold } from '../shared/decider';
import { type OrgNodeEvent, orgNodeDecider } from '../org-node/org-node.decider';
import { keptOutBy, seesNode, type ViewerStanding, visibleTree } from './read-policy';

const created = (orgNodeId: string, parentId: string | null, level: number): OrgNodeEvent => ({
  type: 'OrgNodeCreated',
  data: { orgNodeId, name: orgNodeId, shortName: null, externalCode: null, kind: 'UNIT', parentId, level, order: 0 },
});
const hidden = (orgNodeId: string, visibleTo: string[]): OrgNodeEvent => ({
  type: 'OrgNodeHiddenChanged',
  data: { orgNodeId, from: null, to: { hidden: true, visibleTo } },
});
const tree = fold(orgNodeDecider, [
  created('root', null, 0),
  created('a', 'root', 1),
  created('secret', 'root', 1),
  created('secret-office', 'secret', 2),
  created('friends', 'root', 1),
  hidden('secret', ['p-listed', 'friends']),
]);
const person = (personId: string, postNodeIds: string[], adminScope: string[] | null = []): ViewerStanding => ({
  personId,
  postNodeIds,
  adminScope,
});

describe('the read policy of the tree (001b:9)', () => {
  it('keeps a viewer out of a hidden node and what lies under it, unless inside, listed or its admin', () => {
    const outsider = person('p-out', ['a']);
    expect(keptOutBy(outsider, tree, 'secret')).toBe(true);
    expect(seesNode(outsider, tree, 'secret-office')).toBe(false);
    expect(seesNode(outsider, tree, 'a')).toBe(true);
    expect(seesNode(person('p-in', ['secret-office']), tree, 'secret-office')).toBe(true);
    expect(seesNode(person('p-listed', ['a']), tree, 'secret')).toBe(true);
    expect(seesNode(person('p-friend', ['friends']), tree, 'secret-office')).toBe(true);
    expect(seesNode(person('p-admin', ['a'], ['secret']), tree, 'secret-office')).toBe(true);
    expect(seesNode(person('p-sys', [], null), tree, 'secret-office')).toBe(true);
  });

  it('shows allow-lists to the node’s admins only', () => {
    const nodes = [...tree.nodes.values()];
    const asInsider = visibleTree(person('p-in', ['secret-office']), tree, nodes);
    expect(asInsider.find((n) => n.id === 'secret')?.visibleTo).toEqual([]);
    const asAdmin = visibleTree(person('p-sys', [], null), tree, nodes);
    expect(asAdmin.find((n) => n.id === 'secret')?.visibleTo).toEqual(['p-listed', 'friends']);
    expect(visibleTree(person('p-out', ['a']), tree, nodes).map((n) => n.id)).toEqual(['root', 'a', 'friends']);
  });
});
