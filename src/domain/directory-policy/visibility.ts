/**
 * What a viewer may see of and do with a target person in the directory (001b:9-10), and the rule
 * that decided it. Checked in this order, the first that applies decides:
 *
 * 1. SELF: a person sees everything of themselves.
 * 2. VIEWER_NOT_ACTIVE / TARGET_NOT_ACTIVE: a departed person neither sees nor is seen.
 * 3. HIDDEN_NODE: the target's primary node, or a node above it, is hidden (sensitive unit, 001b:9)
 *    and the viewer is neither inside it nor on its allow-list (person ids or node ids).
 * 4. CLASS_MATRIX: the jurisdiction's 4×4 matrix, viewer class × target class (001b:10):
 *    DIRECT = listed, searchable, addable, chattable; SEARCH_ADD = found by name or mobile and
 *    addable, chattable once the target accepts; NONE = not found (also not by mobile), not addable.
 * 5. PERSON_OVERRIDE: the target's own contact mode narrows, never widens: not searchable ⇒ not
 *    listed and not found; not addable ⇒ not addable and not chattable.
 * 6. CONTACT_ACCEPTED: an accepted contact request makes the two chattable, whatever 4–5 said.
 *
 * The mobile number is shown only where the two may chat; the idNumber never (it is for admins).
 */
import type { ContactModeName, Matrix } from './directory-policy.decider';

export type VisibilityRule =
  | 'SELF'
  | 'VIEWER_NOT_ACTIVE'
  | 'TARGET_NOT_ACTIVE'
  | 'HIDDEN_NODE'
  | 'CLASS_MATRIX'
  | 'PERSON_OVERRIDE'
  | 'CONTACT_ACCEPTED';

export interface DirectoryParty {
  readonly personId: string;
  readonly status: 'ACTIVE' | 'LEFT';
  readonly directoryClass: keyof Matrix;
  /** Materialized paths ("/root/a/b/") of the nodes of the person's posts. */
  readonly postPaths: readonly string[];
}

export interface DirectoryTarget extends DirectoryParty {
  readonly contactMode: {
    readonly searchable: boolean;
    readonly addable: boolean;
    readonly visibleTo?: readonly string[];
  } | null;
  /** The hidden nodes on the path of the target's primary post, each with its allow-list. */
  readonly hiddenAbove: ReadonlyArray<{ readonly orgNodeId: string; readonly visibleTo: readonly string[] }>;
}

export interface VisibilityFacts {
  readonly viewer: DirectoryParty;
  readonly target: DirectoryTarget;
  readonly matrix: Matrix;
  readonly contactAccepted: boolean;
}

export interface Visibility {
  readonly listed: boolean;
  readonly searchable: boolean;
  readonly addable: boolean;
  readonly chattable: boolean;
  readonly showMobile: boolean;
  /** The matrix cell for the two classes (null when an earlier rule decided). */
  readonly mode: ContactModeName | null;
  readonly rule: VisibilityRule;
}

const NOTHING = { listed: false, searchable: false, addable: false, chattable: false, showMobile: false };

function isInside(party: DirectoryParty, orgNodeId: string): boolean {
  return party.postPaths.some((path) => path.includes(`/${orgNodeId}/`));
}

/** A hidden node bars the viewer unless the viewer is inside it or on its allow-list (a person id, or a node they are inside). */
export function barredBy(
  viewer: DirectoryParty,
  hidden: { readonly orgNodeId: string; readonly visibleTo: readonly string[] },
): boolean {
  return (
    !isInside(viewer, hidden.orgNodeId) &&
    !hidden.visibleTo.includes(viewer.personId) &&
    !hidden.visibleTo.some((id) => isInside(viewer, id))
  );
}

export function resolveVisibility({ viewer, target, matrix, contactAccepted }: VisibilityFacts): Visibility {
  if (viewer.personId === target.personId)
    return {
      listed: true,
      searchable: true,
      addable: false,
      chattable: true,
      showMobile: true,
      mode: null,
      rule: 'SELF',
    };
  if (viewer.status !== 'ACTIVE') return { ...NOTHING, mode: null, rule: 'VIEWER_NOT_ACTIVE' };
  if (target.status !== 'ACTIVE') return { ...NOTHING, mode: null, rule: 'TARGET_NOT_ACTIVE' };
  if (target.hiddenAbove.some((hidden) => barredBy(viewer, hidden)))
    return { ...NOTHING, mode: null, rule: 'HIDDEN_NODE' };

  const mode = matrix[viewer.directoryClass][target.directoryClass];
  let listed = mode === 'DIRECT';
  let searchable = mode !== 'NONE';
  let addable = mode !== 'NONE';
  let chattable = mode === 'DIRECT';
  let rule: VisibilityRule = 'CLASS_MATRIX';
  const override = target.contactMode;
  // Those on a hidden person's allow-list see them as the matrix says (001b:9, as for hidden nodes).
  if (override && !onAllowList(override.visibleTo, viewer.personId, insideOf(viewer))) {
    const before = [listed, searchable, addable, chattable].join();
    if (!override.searchable) listed = searchable = false;
    if (!override.addable) addable = chattable = false;
    if ([listed, searchable, addable, chattable].join() !== before) rule = 'PERSON_OVERRIDE';
  }
  if (contactAccepted && !chattable) {
    chattable = true;
    rule = 'CONTACT_ACCEPTED';
  }
  return { listed, searchable, addable, chattable, showMobile: chattable, mode, rule };
}

/** The node ids a party is inside: every node on the paths of their posts. */
function insideOf(party: DirectoryParty): Set<string> {
  return new Set(party.postPaths.flatMap((path) => path.split('/').filter(Boolean)));
}

/** Whether a viewer is on an allow-list: named, or inside a named node. */
export function onAllowList(
  visibleTo: readonly string[] | undefined,
  personId: string | undefined,
  inside: ReadonlySet<string>,
): boolean {
  if (!visibleTo || visibleTo.length === 0) return false;
  return visibleTo.some((id) => id === personId || inside.has(id));
}

/**
 * What one person may do towards another before contact requests: the matrix cell, narrowed by
 * the target's own mode unless `from` is on its allow-list (`inside`: the nodes `from` is inside).
 */
export function contactModeBetween(
  from: { readonly status: string; readonly directoryClass?: keyof Matrix; readonly personId?: string },
  to: {
    readonly status: string;
    readonly directoryClass?: keyof Matrix;
    readonly contactMode?: { readonly addable: boolean; readonly visibleTo?: readonly string[] } | null;
  },
  matrix: Matrix,
  inside: ReadonlySet<string> = new Set(),
): ContactModeName {
  if (from.status !== 'ACTIVE' || to.status !== 'ACTIVE' || !from.directoryClass || !to.directoryClass) return 'NONE';
  const listed = onAllowList(to.contactMode?.visibleTo, from.personId, inside);
  if (to.contactMode && !to.contactMode.addable && !listed) return 'NONE';
  return matrix[from.directoryClass][to.directoryClass];
}
