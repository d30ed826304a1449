/**
 * A restructuring's plan (003:11): decided whole on the tree, recorded with the tree's events at
 * one commit point (RestructuringPlanned), then carried out person by person by the restructuring
 * process. The plan says, for every post held in an absorbed or abolished node, what becomes of it.
 */
import type { DepartureReason, PersonCommand, PersonState, Post, PostInput, PostKind } from '../person/person.decider';

/** A post held in a node the restructuring removes: the facts the decider plans from. */
export interface PostHolding {
  readonly personId: string;
  readonly orgNodeId: string;
  readonly kind: PostKind;
}

export type PostDisposition =
  /** The post moves to the node that takes over (the survivor, a namesake, the named destination). */
  | { readonly action: 'MOVE'; readonly personId: string; readonly fromNodeId: string; readonly toNodeId: string }
  /** The person leaves (their primary post is in an abolished unit and the request says so). */
  | {
      readonly action: 'DEPART';
      readonly personId: string;
      readonly fromNodeId: string;
      readonly reason: DepartureReason;
    }
  /** A concurrent post or secondment in an abolished unit ends with it. */
  | { readonly action: 'END'; readonly personId: string; readonly fromNodeId: string };

/**
 * The same disposition for many people, as the plan records it: a plan of tens of thousands of
 * posts stays well inside one event (a person id each, not a whole disposition each).
 */
export interface DispositionGroup {
  readonly action: PostDisposition['action'];
  readonly fromNodeId: string;
  readonly toNodeId: string | null;
  readonly reason: DepartureReason | null;
  readonly personIds: readonly string[];
}

export interface RestructuringPlan {
  readonly operationId: string;
  readonly kind: 'MERGE' | 'ABOLITION';
  /** The nodes the operation removes (absorbed, merged with a namesake, or abolished). */
  readonly removedIds: readonly string[];
  /** MERGE: the survivor. */
  readonly survivorId: string | null;
  readonly people: readonly DispositionGroup[];
  /** The unit's disposition letter (处理办法 / 文号), when the request names one. */
  readonly dispositionRef: string | null;
}

/** Dispositions gathered by what becomes of the post, in the order they first appear. */
export function grouped(dispositions: readonly PostDisposition[]): DispositionGroup[] {
  const groups = new Map<string, DispositionGroup & { personIds: string[] }>();
  for (const d of dispositions) {
    const toNodeId = d.action === 'MOVE' ? d.toNodeId : null;
    const reason = d.action === 'DEPART' ? d.reason : null;
    const key = JSON.stringify([d.action, d.fromNodeId, toNodeId, reason]);
    const group = groups.get(key) ?? { action: d.action, fromNodeId: d.fromNodeId, toNodeId, reason, personIds: [] };
    group.personIds.push(d.personId);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** A plan's dispositions, one per post. */
export function dispositionsOf(plan: RestructuringPlan): PostDisposition[] {
  return plan.people.flatMap((g) =>
    g.personIds.map((personId): PostDisposition => {
      const base = { personId, fromNodeId: g.fromNodeId };
      if (g.action === 'MOVE') return { ...base, action: 'MOVE', toNodeId: g.toNodeId! };
      if (g.action === 'DEPART') return { ...base, action: 'DEPART', reason: g.reason! };
      return { ...base, action: 'END' };
    }),
  );
}

/** What becomes of a same-named child of an absorbed node under the survivor (issue 18). */
export type NamesakeResolution =
  { readonly resolution: 'MERGE' } | { readonly resolution: 'RENAME'; readonly name: string };

type WithoutFacts<C> = C extends { type: infer T; data: infer D } ? { type: T; data: Omit<D, 'nodes'> } : never;

/** A person command a disposition comes to, before the node facts are resolved. */
export type PersonStep = WithoutFacts<
  Extract<
    PersonCommand,
    {
      type:
        | 'TransferPerson'
        | 'RecordDeparture'
        | 'RelieveConcurrentPost'
        | 'AssignConcurrentPost'
        | 'EndSecondment'
        | 'StartSecondment';
    }
  >
>;

/** The end of a post held at a node, as the command its kind needs. */
function ending(personId: string, post: Post): PersonStep {
  return post.kind === 'CONCURRENT'
    ? { type: 'RelieveConcurrentPost', data: { personId, orgNodeId: post.orgNodeId } }
    : { type: 'EndSecondment', data: { personId, orgNodeId: post.orgNodeId } };
}

/**
 * The person commands that carry out one disposition from the person's current state: none when
 * it is already done (the post has moved, the person has left), so carrying out a plan again after
 * a crash changes nothing that was done.
 */
export function stepsFor(person: PersonState, disposition: PostDisposition): PersonStep[] {
  // A departure already recorded is repeated (deciding nothing) so that what follows it in its handler, the
  // release of the person's mobile, is done too if a crash came between the two.
  if (person.status === 'LEFT' && disposition.action === 'DEPART')
    return [{ type: 'RecordDeparture', data: { personId: person.personId, reason: disposition.reason } }];
  if (person.status !== 'ACTIVE') return [];
  const { personId, fromNodeId } = disposition;
  const post = person.posts.find((p) => p.orgNodeId === fromNodeId);
  if (!post) return [];
  if (disposition.action === 'DEPART')
    return post.kind === 'PRIMARY'
      ? [{ type: 'RecordDeparture', data: { personId, reason: disposition.reason } }]
      : [ending(personId, post)];
  if (disposition.action === 'END') return post.kind === 'PRIMARY' ? [] : [ending(personId, post)];
  const to = disposition.toNodeId;
  const atTarget = person.posts.find((p) => p.orgNodeId === to);
  const input: PostInput = {
    orgNodeId: to,
    title: post.title,
    postLevel: post.postLevel,
    role: post.role,
    order: post.order,
  };
  if (post.kind === 'PRIMARY') {
    // A concurrent post or secondment in the node that takes over gives way to the primary post.
    const giveWay = atTarget && atTarget.kind !== 'PRIMARY' ? [ending(personId, atTarget)] : [];
    return [...giveWay, { type: 'TransferPerson', data: { personId, to: input } }];
  }
  if (post.kind === 'CONCURRENT')
    return [
      ending(personId, post),
      ...(atTarget ? [] : [{ type: 'AssignConcurrentPost' as const, data: { personId, post: input } }]),
    ];
  const resumed: PersonStep[] =
    !atTarget && post.from && post.until
      ? [{ type: 'StartSecondment', data: { personId, post: input, from: post.from, until: post.until } }]
      : [];
  return [ending(personId, post), ...resumed];
}
