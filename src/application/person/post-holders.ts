/**
 * Who holds a post in which node, read by scanning the Person streams. Restructuring needs it (a
 * merge or an abolition moves everyone first). It reads the whole history, so it stands in until
 * the directory projection of the read side (issue 5) can answer the same question from an index.
 */
import { fold } from '../../domain/shared/decider';
import { type PersonEvent, type PersonState, type Post, personDecider } from '../../domain/person/person.decider';
import type { EventStore } from '../ports/event-store.port';
import type { Position } from '../event-store/position';

export interface PostHolder {
  readonly personId: string;
  readonly post: Post;
}

export async function postHoldersIn(
  store: EventStore,
  orgNodeIds: readonly string[],
): Promise<Map<string, PostHolder[]>> {
  const histories = new Map<string, PersonEvent[]>();
  let from: Position | 'start' = 'start';
  for (;;) {
    const page = await store.readAll({ from, maxCount: 4096, filter: { streamPrefixes: ['Person-'] } });
    if (page.length === 0) break;
    for (const event of page) {
      const history = histories.get(event.streamId) ?? [];
      history.push({ type: event.type, data: event.data } as PersonEvent);
      histories.set(event.streamId, history);
    }
    from = page[page.length - 1].position;
  }
  const wanted = new Set(orgNodeIds);
  const holders = new Map<string, PostHolder[]>(orgNodeIds.map((id) => [id, []]));
  for (const history of histories.values()) {
    const person: PersonState = fold(personDecider, history);
    if (person.status !== 'ACTIVE') continue;
    for (const post of person.posts) {
      if (wanted.has(post.orgNodeId)) holders.get(post.orgNodeId)!.push({ personId: person.personId, post });
    }
  }
  return holders;
}
