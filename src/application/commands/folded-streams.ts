/**
 * Streams as last folded, by decider (issue 20): streams only grow, so a later load reads just
 * the events after the cached revision — usually none — instead of the whole stream. Used by the
 * command runner and by the access checks (an account and its person on every request).
 */
import { type Decider, type DomainCommand, type DomainEvent } from '../../domain/shared/decider';
import { domainEventsOf } from '../event-store/event-envelope';
import type { Position } from '../event-store/position';
import type { EventStore } from '../ports/event-store.port';
import { keepRecent } from '../shared/recency';

/** A stream as read: the folded state, its revision and the position of its last event. */
export interface LoadedStream<State> {
  readonly state: State;
  readonly revision: bigint | null;
  readonly position: Position | null;
}

/** How many folded streams are kept per decider (least recently used go first). */
const KEPT_PER_DECIDER = 20_000;

export class FoldedStreams {
  private readonly folded = new WeakMap<object, Map<string, LoadedStream<unknown>>>();
  /** Loads under way, by decider and stream: a load started meanwhile waits for it, then reads only what follows. */
  private readonly loading = new WeakMap<object, Map<string, Promise<unknown>>>();

  constructor(private readonly store: EventStore) {}

  async load<Event extends DomainEvent, State>(
    decider: Pick<Decider<DomainCommand, Event, State>, 'initialState' | 'evolve'>,
    streamId: string,
  ): Promise<LoadedStream<State>> {
    let loading = this.loading.get(decider);
    if (!loading) this.loading.set(decider, (loading = new Map()));
    // Without this, 500 commands at once on a changed tree would each fold the same events.
    const earlier = loading.get(streamId);
    const current = (async () => {
      if (earlier) await earlier.catch(() => undefined);
      return this.read(decider, streamId);
    })();
    loading.set(streamId, current);
    try {
      return await current;
    } finally {
      if (loading.get(streamId) === current) loading.delete(streamId);
    }
  }

  private async read<Event extends DomainEvent, State>(
    decider: Pick<Decider<DomainCommand, Event, State>, 'initialState' | 'evolve'>,
    streamId: string,
  ): Promise<LoadedStream<State>> {
    let cache = this.folded.get(decider);
    if (!cache) this.folded.set(decider, (cache = new Map()));
    const cached = cache.get(streamId) as LoadedStream<State> | undefined;
    const recorded = await this.store.readStream(
      streamId,
      cached?.revision != null ? { from: cached.revision + 1n } : undefined,
    );
    const base = cached ?? { state: decider.initialState(), revision: null, position: null };
    const loaded: LoadedStream<State> =
      recorded.length === 0
        ? base
        : {
            state: domainEventsOf<Event>(recorded).reduce(decider.evolve, base.state),
            revision: recorded.at(-1)!.revision,
            position: recorded.at(-1)!.position,
          };
    // Concurrent loads may finish out of order: keep the newest.
    const kept = cache.get(streamId);
    if (!kept || (loaded.revision !== null && (kept.revision === null || loaded.revision > kept.revision))) {
      cache.delete(streamId);
      cache.set(streamId, loaded);
      keepRecent(cache, KEPT_PER_DECIDER);
    }
    return loaded;
  }
}
