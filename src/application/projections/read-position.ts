/**
 * How far a live feed has read, and the callers waiting for it to reach a position (read-your-
 * writes after a command): the projection engine in this process keeps one, and so does the
 * main thread's side of the projection worker, from what the worker reports.
 */
import { comparePositions, type Position } from '../event-store/position';

export class ReadPosition {
  private seen: Position | null = null;
  private readonly waiters = new Set<{ position: Position; resolve: () => void }>();

  get current(): Position | null {
    return this.seen;
  }

  /** Where the feed stands now (a feed started again from its checkpoints may stand lower). */
  set(position: Position | null): void {
    this.seen = position;
    this.settle();
  }

  /** Forward only: a report older than what is known changes nothing. */
  advance(position: Position | null): void {
    if (position !== null && (this.seen === null || comparePositions(position, this.seen) > 0)) this.set(position);
  }

  reached(position: Position): boolean {
    return this.seen !== null && comparePositions(this.seen, position) >= 0;
  }

  /** Resolves once the feed has read up to `position` (or after `timeoutMs`); true if it did. */
  waitFor(position: Position, timeoutMs: number): Promise<boolean> {
    if (this.reached(position)) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const waiter = {
        position,
        resolve: () => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(this.reached(position));
        },
      };
      const timer = setTimeout(waiter.resolve, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Answers every waiter now (on stop): those not reached get false. */
  releaseAll(): void {
    for (const waiter of [...this.waiters]) waiter.resolve();
  }

  private settle(): void {
    for (const waiter of [...this.waiters]) if (this.reached(waiter.position)) waiter.resolve();
  }
}
