import type { TypedEnvelope } from '../../application/event-store/event-envelope';
import type { Doc } from '../../application/ports/read-store.port';
import type { Change } from '../../application/projections/projection';
import type { PersonEvent, Post } from '../../domain/person/person.decider';
import { PLACEMENTS, placementId, postHistoryProjection } from './post-history.projection';

const post = (orgNodeId: string, kind: Post['kind'] = 'PRIMARY'): Post =>
  ({ orgNodeId, kind, title: null, postLevel: null, role: null, order: 0, from: null, until: null }) as Post;

/** Given a person's history, the placement documents the projection leaves. */
function placementsOf(events: readonly PersonEvent[]): Map<string, Doc> {
  const docs = new Map<string, Doc>();
  const view = { get: async () => null, find: async () => [] };
  for (const event of events) {
    if (!postHistoryProjection.eventTypes.includes(event.type as never)) continue;
    const changes = postHistoryProjection.changesOf(event as unknown as TypedEnvelope<never>, view) as Change[];
    for (const change of changes) {
      expect(change.collection).toBe(PLACEMENTS);
      const next = change.apply(docs.get(change.id) ?? null);
      if (next) docs.set(change.id, next);
    }
  }
  return docs;
}

describe('post history', () => {
  it('given a registration, a transfer, a secondment and a concurrent post, keeps every node the person held a post at', () => {
    const docs = placementsOf([
      { type: 'PersonRegistered', data: { personId: 'p1', primaryPost: post('edu') } as never },
      { type: 'PersonTransferred', data: { personId: 'p1', from: post('edu'), to: post('fin') } },
      { type: 'SecondmentStarted', data: { personId: 'p1', post: post('health', 'SECONDMENT') } },
      { type: 'SecondmentEnded', data: { personId: 'p1', orgNodeId: 'health', until: null } },
      { type: 'ConcurrentPostAssigned', data: { personId: 'p1', post: post('party', 'CONCURRENT') } },
    ]);
    expect([...docs.keys()].sort()).toEqual(['edu|p1', 'fin|p1', 'health|p1', 'party|p1']);
    expect(docs.get(placementId('fin', 'p1'))).toEqual({ id: 'fin|p1', orgNodeId: 'fin', personId: 'p1' });
  });

  it('given a person posted at the same node twice, keeps one document for it', () => {
    const docs = placementsOf([
      { type: 'PersonRegistered', data: { personId: 'p2', primaryPost: post('edu') } as never },
      { type: 'PersonTransferred', data: { personId: 'p2', from: post('edu'), to: post('fin') } },
      { type: 'PersonTransferred', data: { personId: 'p2', from: post('fin'), to: post('edu') } },
    ]);
    expect([...docs.keys()].sort()).toEqual(['edu|p2', 'fin|p2']);
  });

  it('given a retraction, keeps the posts it restores', () => {
    const docs = placementsOf([
      {
        type: 'PersonRecordRetracted',
        data: {
          personId: 'p3',
          eventId: 'e1',
          retractedType: 'PersonLeft',
          restored: { status: 'ACTIVE', posts: [post('edu'), post('party', 'CONCURRENT')] },
        },
      },
    ]);
    expect([...docs.keys()].sort()).toEqual(['edu|p3', 'party|p3']);
  });
});
