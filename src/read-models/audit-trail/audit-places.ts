/**
 * Where an audit entry belongs in the org tree: the nodes its entity sat at when the event was
 * recorded, with every ancestor, so that an auditor whose scope is a subtree finds the entries of
 * what lay in it then (`places` meets the scope's roots), even after it moved out. Entities with no
 * place (the jurisdiction's directory matrix) are for auditors of the whole jurisdiction only.
 */
import type { ProjectionView } from '../../application/projections/projection';

type StateOf = Readonly<Record<string, unknown>>;

/** The nodes and the people an entity's state names as its place. */
function anchorsOf(entityType: string, entityId: string, state: StateOf): { nodes: unknown[]; persons: unknown[] } {
  switch (entityType) {
    case 'OrgNode':
      // The parent too: a node's own snapshot is written after its first entry.
      return { nodes: [entityId, state.parentId], persons: [] };
    case 'Person':
      return {
        nodes: ((state.posts as Array<{ orgNodeId: string }> | undefined) ?? []).map((p) => p.orgNodeId),
        persons: [],
      };
    case 'Account':
      return { nodes: [state.sponsorOrgNodeId], persons: [state.personId] };
    case 'WorkGroup':
    case 'App':
      return { nodes: [state.owningOrgNodeId], persons: [] };
    case 'Tag':
      return { nodes: [state.ownerOrgNodeId], persons: [] };
    case 'Restructuring':
      return { nodes: [...((state.removedIds as unknown[] | undefined) ?? []), state.survivorId], persons: [] };
    case 'Request':
      return { nodes: [state.orgNodeId], persons: [] };
    case 'ContactRequest':
      return { nodes: [], persons: [state.fromPersonId, state.toPersonId] };
    default:
      return { nodes: [], persons: [] };
  }
}

const text = (values: unknown[]): string[] => values.filter((v): v is string => typeof v === 'string' && v !== '');

/** The places of an entity across one event: its anchors before and after, each with its ancestors. */
export async function placesOf(
  entityType: string,
  entityId: string,
  states: readonly StateOf[],
  view: ProjectionView,
  snapshots: string,
): Promise<string[]> {
  const nodes = new Set<string>();
  const persons = new Set<string>();
  for (const state of states) {
    const anchors = anchorsOf(entityType, entityId, state);
    for (const node of text(anchors.nodes)) nodes.add(node);
    for (const person of text(anchors.persons)) persons.add(person);
  }
  for (const personId of persons) {
    const person = (await view.get(snapshots, `Person:${personId}`))?.state as StateOf | undefined;
    if (person) for (const node of text(anchorsOf('Person', personId, person).nodes)) nodes.add(node);
  }
  const places = new Set<string>();
  for (const start of nodes) {
    let id: string | null = start;
    // A node's snapshot names its parent; the walk stops at the root or at a node already placed.
    while (id !== null && !places.has(id)) {
      places.add(id);
      const node = (await view.get(snapshots, `OrgNode:${id}`))?.state as StateOf | undefined;
      id = typeof node?.parentId === 'string' ? node.parentId : null;
    }
  }
  return [...places];
}
