/**
 * A long catch-up lets the event loop turn (issue 20): the province's rebuild died out of memory
 * because the feed never did — every event it had read stayed referenced by an idle marker that
 * could only settle on the loop's next turn — and nothing else (timers, I/O) ran meanwhile.
 * Here a timer set before a rebuild of 6,000 events must fire while it runs, not after.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { ANY } from '../../src/application/ports/event-store.port';
import { ProjectionEngine } from '../../src/application/projections/projection-engine';
import { SqliteEventStore } from '../../src/infrastructure/event-store/sqlite/sqlite-event-store';
import { SqliteReadStore } from '../../src/infrastructure/read-store/sqlite/sqlite-read-store';
import { SystemClock } from '../../src/infrastructure/system/system-clock';
import { readModelProjections } from '../../src/read-models/projections';
import { makeTempDir } from '../support/temp-dir';

describe('a rebuild lets the event loop turn', () => {
  it('fires a timer set before a 6,000-event rebuild while the rebuild runs', async () => {
    const dir = makeTempDir();
    const store = new SqliteEventStore({ file: join(dir.path, 'events.sqlite') });
    const readStore = new SqliteReadStore(join(dir.path, 'read-models.sqlite'));
    try {
      for (let batch = 0; batch < 60; batch++)
        await store.append(
          `Noise-${batch}`,
          Array.from({ length: 100 }, (_, i) => ({
            eventId: randomUUID(),
            type: 'NoiseRecorded',
            data: { batch, i },
            metadata: {},
          })),
          ANY,
        );
      const quiet = { info: () => undefined, error: () => undefined };
      const engine = new ProjectionEngine(
        store,
        readStore,
        readModelProjections({ timeZone: 'Asia/Shanghai' }),
        new SystemClock(),
        quiet,
        {
          batchSize: 20_000,
        },
      );
      let fired = false;
      let firedDuringRebuild = false;
      setTimeout(() => (fired = true), 0);
      const { processed } = await engine.rebuild(
        ['org_tree'],
        (progress) => {
          if (fired && progress.fraction < 1) firedDuringRebuild = true;
        },
        500,
      );
      expect(processed).toBe(6000);
      expect(firedDuringRebuild).toBe(true);
    } finally {
      await readStore.close();
      await store.close();
      dir.remove();
    }
  });
});
