import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NO_STREAM } from '../src/application/event-store/event-store.port';
import { SqliteEventStore } from '../src/infrastructure/event-store/sqlite/sqlite-event-store';
const ev = (i: number) => ({ eventId: randomUUID(), type: 'PersonPostChanged', data: { personId: `p-${i}`, orgNodeId: `n-${i % 997}`, changes: { title: { from: '科员', to: '副主任科员' }, postLevel: { from: '一级科员', to: '四级主任科员' } } }, metadata: { schemaVersion: 1, recordedAt: '2025-03-04T08:00:00.000Z', effectiveAt: '2025-03-01', actor: { accountId: 'a-42', personId: 'p-42', role: 'TIERED_ADMIN' }, reason: '职务调整', sourceRef: '青人社〔2025〕17号', correlationId: randomUUID(), causationId: null, jurisdiction: 'qingpu' } });
(async () => {
  for (let r = 0; r < 3; r++) {
    const work = Array.from({ length: 100 }, (_, b) => Array.from({ length: 1000 }, (_, i) => ev(b * 1000 + i)));
    const store = new SqliteEventStore({ file: join(mkdtempSync(join(tmpdir(), 'p3-')), 'e.sqlite') });
    const s = process.hrtime.bigint();
    for (let b = 0; b < 100; b++) await store.append(`Person-${b}`, work[b], NO_STREAM);
    console.log('store', Math.round(100000 / (Number(process.hrtime.bigint() - s) / 1e9)));
    const s2 = process.hrtime.bigint();
    let n = 0;
    for (let p = await store.readAll({ maxCount: 4096 }); p.length; p = await store.readAll({ from: p[p.length - 1].position, maxCount: 4096 })) n += p.length;
    console.log('readAll', Math.round(n / (Number(process.hrtime.bigint() - s2) / 1e9)));
    await store.close();
  }
})();
