/**
 * How far the read models stand as the read store records it: what an instance that does not feed
 * them (another instance holds the `projections` lease, issue 25) waits on for read-your-writes.
 * It looks only while someone waits, every `pollMs`.
 */
import { comparePositions, type Position } from '../event-store/position';
import { activeGeneration, type ReadStore } from '../ports/read-store.port';
import type { ProjectionProgress } from './read-models';

export class StoredProgress implements ProjectionProgress {
  constructor(
    private readonly readStore: ReadStore,
    private readonly projections: readonly string[],
    private readonly pollMs = 25,
  ) {}

  async waitFor(position: Position, timeoutMs: number): Promise<boolean> {
    let expired = false;
    const timer = setTimeout(() => (expired = true), timeoutMs);
    try {
      for (;;) {
        if (await this.reached(position)) return true;
        if (expired) return false;
        await new Promise((resolve) => setTimeout(resolve, this.pollMs));
      }
    } finally {
      clearTimeout(timer);
    }
  }

  /** Every projection's ACTIVE generation has committed up to `position`. */
  private async reached(position: Position): Promise<boolean> {
    for (const projection of this.projections) {
      const active = activeGeneration(await this.readStore.generations(projection));
      if (active?.checkpoint == null || comparePositions(active.checkpoint, position) < 0) return false;
    }
    return true;
  }
}
