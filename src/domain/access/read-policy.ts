/**
 * Who may read what (000:15, 001b:2, 001b:9, DOMAIN.md "Reading controlled information"): the
 * read side's counterpart of the access policy. Pure: the application resolves the facts (the
 * viewer's posts, the tree), this module only judges.
 *
 * - An aggregate's record (a person, an account, a work group) is administration: its admins (a
 *   system admin; a tiered admin inside their scope), and the person, account or member it is
 *   about. For anyone else the record does not exist (404, not 403).
 * - The tree: a hidden node and everything under it do not exist for a viewer who is neither inside
 *   it nor on its allow-list, unless they administer it; allow-lists are shown to its admins only.
 */
import type { OrgTreeState } from '../org-node/org-node.decider';
import { pathOf } from '../org-node/org-node.decider';
import { type Principal, withinScope } from './access-policy';

/** Where a viewer stands: their person's post nodes, and the subtrees they administer. */
export interface ViewerStanding {
  readonly personId: string | null;
  readonly postNodeIds: readonly string[];
  /** Null: the whole jurisdiction (a system admin). */
  readonly adminScope: readonly string[] | null;
}

export function standingOf(principal: Principal, postNodeIds: readonly string[]): ViewerStanding | null {
  if (principal.kind !== 'ACCOUNT' || principal.account.status !== 'ACTIVE') return null;
  const { account } = principal;
  if (account.type === 'TEMPORARY') return null;
  const adminScope = account.type === 'SYSTEM_ADMIN' ? null : account.type === 'TIERED_ADMIN' ? account.adminScope : [];
  return { personId: account.personId, postNodeIds, adminScope };
}

function administers(viewer: ViewerStanding, tree: OrgTreeState, orgNodeId: string): boolean {
  return viewer.adminScope === null || withinScope(viewer.adminScope, pathOf(tree, orgNodeId));
}

function isInside(viewer: ViewerStanding, tree: OrgTreeState, orgNodeId: string): boolean {
  return viewer.postNodeIds.some((post) => tree.nodes.has(post) && pathOf(tree, post).includes(orgNodeId));
}

/** Whether a hidden node keeps the viewer out (001b:9): not inside it, not on its allow-list, not its admin. */
export function keptOutBy(viewer: ViewerStanding, tree: OrgTreeState, orgNodeId: string): boolean {
  const node = tree.nodes.get(orgNodeId);
  if (!node?.hidden) return false;
  if (administers(viewer, tree, orgNodeId) || isInside(viewer, tree, orgNodeId)) return false;
  if (viewer.personId !== null && node.visibleTo.includes(viewer.personId)) return false;
  return !node.visibleTo.some((id) => isInside(viewer, tree, id));
}

/** Whether the node exists for the viewer: no hidden node on its path keeps them out. */
export function seesNode(viewer: ViewerStanding, tree: OrgTreeState, orgNodeId: string): boolean {
  return tree.nodes.has(orgNodeId) && !pathOf(tree, orgNodeId).some((id) => keptOutBy(viewer, tree, id));
}

/** The nodes as the viewer may see them: hidden subtrees they are kept out of are absent; allow-lists only for admins. */
export function visibleTree<Node extends { readonly id: string; readonly visibleTo: readonly string[] }>(
  viewer: ViewerStanding,
  tree: OrgTreeState,
  nodes: readonly Node[],
): Node[] {
  return nodes
    .filter((node) => seesNode(viewer, tree, node.id))
    .map((node) => (administers(viewer, tree, node.id) ? node : { ...node, visibleTo: [] }));
}

/** Whether the viewer administers a record placed at these nodes (its person's unit, its group's unit). */
export function administersRecord(viewer: ViewerStanding, tree: OrgTreeState, orgNodeIds: readonly string[]): boolean {
  if (viewer.adminScope === null) return true;
  return orgNodeIds.length > 0 && orgNodeIds.every((id) => tree.nodes.has(id) && administers(viewer, tree, id));
}
