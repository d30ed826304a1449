import type { EventStore, RecordedEvent } from '../ports/event-store.port';

/**
 * One stream's recorded events, read whole once and then only what was appended since (streams
 * only grow). Time travel folds the org tree's stream for every as-of question; on a province that
 * is 68,472 events, read and parsed twice per subtree (issue 20). Each read returns an array that
 * no later read changes.
 */
export class RecordedStreamCache {
  private recorded: readonly RecordedEvent[] = [];

  constructor(
    private readonly store: EventStore,
    readonly streamId: string,
  ) {}

  async read(): Promise<readonly RecordedEvent[]> {
    const from = BigInt(this.recorded.length);
    const appended = await this.store.readStream(this.streamId, from === 0n ? undefined : { from });
    const fresh = appended.filter((event, i) => event.revision === from + BigInt(i));
    // Reads under way at once may each bring the same events: each takes only what the others have not.
    const known = this.recorded.length - Number(from);
    if (fresh.length > known) this.recorded = [...this.recorded, ...fresh.slice(known)];
    return this.recorded;
  }
}
