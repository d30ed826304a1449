import { randomFillSync } from 'node:crypto';
import type { IdGenerator } from '../../application/ports/id-generator.port';
import type { Clock } from '../../application/ports/clock.port';

const POOL_BYTES = 4096;

/**
 * UUIDv7 (RFC 9562, 5.7): 48 bits of Unix milliseconds, then 74 random bits; ascending within this
 * process (a 12-bit sequence in `rand_a` orders ids of the same millisecond, method 1 of 6.2).
 * The store's event-id index then grows at its end: a random v4 id rewrote one random page of it
 * per event appended (issue 20). The time an id shows is the one its event records anyway.
 */
export class TimeOrderedUuidGenerator implements IdGenerator {
  private lastMs = -1;
  private sequence = 0;
  private readonly pool = Buffer.alloc(POOL_BYTES);
  private used = POOL_BYTES;

  constructor(private readonly clock: Pick<Clock, 'now'> = { now: () => new Date() }) {}

  next(): string {
    let ms = this.clock.now().getTime();
    if (ms > this.lastMs) {
      this.lastMs = ms;
      // A random start leaves room for 2,048 ids in the millisecond before it spills into the next.
      this.sequence = this.randomBytes(2).readUInt16BE(0) & 0x7ff;
    } else {
      ms = this.lastMs;
      this.sequence += 1;
      if (this.sequence > 0xfff) {
        this.lastMs = ms = ms + 1;
        this.sequence = 0;
      }
    }
    const random = this.randomBytes(8);
    const hex = ms.toString(16).padStart(12, '0');
    const randA = (0x7000 | this.sequence).toString(16);
    const randB = ((random[0] & 0x3f) | 0x80).toString(16).padStart(2, '0') + random.toString('hex', 1, 8);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${randA}-${randB.slice(0, 4)}-${randB.slice(4, 16)}`;
  }

  private randomBytes(n: number): Buffer {
    if (this.used + n > POOL_BYTES) {
      randomFillSync(this.pool);
      this.used = 0;
    }
    const bytes = this.pool.subarray(this.used, this.used + n);
    this.used += n;
    return bytes;
  }
}
