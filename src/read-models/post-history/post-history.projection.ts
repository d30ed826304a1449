/**
 * Post history (任职记录): one document per org node and person ever posted there, by any event
 * that gives a post (registration, transfer, secondment, concurrent post, reinstatement, a
 * retraction's restored posts). Time travel over a part of the tree asks it which people's
 * streams to fold: whoever held a post in the part at a past time is among them. It answers only
 * "who was ever here"; what they were then is folded from their streams.
 */
import type { TypedEnvelope } from '../../application/event-store/event-envelope';
import { type Change, change, type Projection } from '../../application/projections/projection';
import type { Doc } from '../../application/ports/read-store.port';
import type { PersonEvent, Post } from '../../domain/person/person.decider';

export const POST_HISTORY = 'post_history';
export const PLACEMENTS = 'placements';

export interface PlacementDoc extends Doc {
  readonly orgNodeId: string;
  readonly personId: string;
}

const GIVING_A_POST = [
  'PersonRegistered',
  'PersonTransferred',
  'SecondmentStarted',
  'ConcurrentPostAssigned',
  'PersonReinstated',
  'PersonRecordRetracted',
] as const satisfies ReadonlyArray<PersonEvent['type']>;
type Consumed = Extract<PersonEvent, { type: (typeof GIVING_A_POST)[number] }>;

function postsGiven(event: Consumed): readonly Post[] {
  switch (event.type) {
    case 'PersonRegistered':
    case 'PersonReinstated':
      return [event.data.primaryPost];
    case 'PersonTransferred':
      return [event.data.to];
    case 'SecondmentStarted':
    case 'ConcurrentPostAssigned':
      return [event.data.post];
    case 'PersonRecordRetracted':
      return event.data.restored.posts;
  }
}

/** The document of one node and person: the same id however often they are posted there. */
export const placementId = (orgNodeId: string, personId: string) => `${orgNodeId}|${personId}`;

function changesOf(event: TypedEnvelope<Consumed>): Change[] {
  const { personId } = event.data;
  return postsGiven(event).map(({ orgNodeId }) => {
    const id = placementId(orgNodeId, personId);
    return change(PLACEMENTS, id, (current) => current ?? ({ id, orgNodeId, personId } satisfies PlacementDoc));
  });
}

export const postHistoryProjection: Projection<Consumed> = {
  name: POST_HISTORY,
  version: 1,
  collections: [{ name: PLACEMENTS, indexes: [{ fields: ['orgNodeId'] }] }],
  eventTypes: GIVING_A_POST,
  changesOf,
};
