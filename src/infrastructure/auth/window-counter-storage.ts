/**
 * The rate limit's counts in constant time per request. @nestjs/throttler's default storage keeps
 * every hit of the window and filters them on every request: at 1,000 requests a second one
 * token's 60 s window holds 60,000 of them, and commands/s fell by half within a minute of load
 * (issue 20). Here each key keeps two counters: the current window's and the previous one's,
 * weighted by how much of it still overlaps the sliding window (the usual sliding-window
 * approximation), so a burst at a window's edge is not let through twice.
 */
import type { ThrottlerStorage } from '@nestjs/throttler';

interface Counter {
  windowStart: number;
  current: number;
  previous: number;
}

export class WindowCounterStorage implements ThrottlerStorage {
  private readonly counters = new Map<string, Counter>();
  private sweptAt = 0;

  constructor(private readonly now: () => number = Date.now) {}

  async increment(key: string, ttl: number, limit: number, _blockDuration: number, throttlerName: string) {
    const now = this.now();
    this.sweep(now, ttl);
    const id = `${throttlerName}\u0000${key}`;
    let counter = this.counters.get(id);
    if (!counter) this.counters.set(id, (counter = { windowStart: now, current: 0, previous: 0 }));
    const elapsedWindows = Math.floor((now - counter.windowStart) / ttl);
    if (elapsedWindows >= 1) {
      counter.previous = elapsedWindows === 1 ? counter.current : 0;
      counter.current = 0;
      counter.windowStart += elapsedWindows * ttl;
    }
    const overlap = 1 - (now - counter.windowStart) / ttl;
    const weighted = () => counter.current + Math.floor(counter.previous * overlap);
    const isBlocked = weighted() >= limit;
    if (!isBlocked) counter.current += 1;
    const timeToExpire = Math.max(1, Math.ceil((counter.windowStart + ttl - now) / 1000));
    return {
      totalHits: weighted() + (isBlocked ? 1 : 0),
      timeToExpire,
      isBlocked,
      timeToBlockExpire: isBlocked ? timeToExpire : 0,
    };
  }

  /** Forgets keys idle for two windows, at most once a window. */
  private sweep(now: number, ttl: number): void {
    if (now - this.sweptAt < ttl) return;
    this.sweptAt = now;
    for (const [id, counter] of this.counters) if (now - counter.windowStart >= 2 * ttl) this.counters.delete(id);
  }
}
