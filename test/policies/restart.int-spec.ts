/**
 * The service is killed (SIGKILL) while its policies work through the departure of 500 people;
 * after a restart every policy completes, and every effect happened exactly once.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { CommandMetadata } from '../../src/application/commands/decider-command-runner';
import { fromRecordedEvent } from '../../src/application/event-store/event-envelope';
import type { RecordedEvent } from '../../src/application/ports/event-store.port';
import { idNumberCheckCharacter } from '../../src/domain/person/identity';
import { SqliteEventStore } from '../../src/infrastructure/event-store/sqlite/sqlite-event-store';
import { makeTempDir } from '../support/temp-dir';
import { TEST_JWT_SECRET, startTestApp } from '../support/test-app';
import { servicesOfApp } from '../support/services';

const PEOPLE = 500;
const GROUPS = 5;
const ADMIN_META: CommandMetadata = {
  actor: { accountId: 'acc-admin', personId: 'p-admin', role: 'SYSTEM_ADMIN' },
  jurisdiction: 'qingpu',
};

function startService(dataDir: string): ChildProcess {
  return spawn(process.execPath, ['-r', '@swc-node/register', join(__dirname, '../../src/main.ts')], {
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      JURISDICTION: 'qingpu',
      JWT_SECRET: TEST_JWT_SECRET,
      PORT: '0',
      LOG_LEVEL: 'silent',
      POLICIES_ENABLED: 'true',
      // The killed instance's lease on the policies expires within this; the next one then takes over.
      LEASE_TTL_MS: '1500',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function inChunks<T>(items: readonly T[], size: number, work: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(work));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('policies survive a SIGKILL in the middle of a 500-person departure', () => {
  jest.setTimeout(240_000);
  const dir = makeTempDir();
  afterAll(() => dir.remove());

  it('completes every policy exactly once after the restart', async () => {
    // ---- given: 500 people in one unit, each with a user account and in a work group; all recorded as departed, policies off ----
    const seed = await startTestApp({}, { keepDir: dir.path });
    const people = servicesOfApp(seed.app).people;
    const accounts = servicesOfApp(seed.app).accounts;
    const groups = servicesOfApp(seed.app).groups;
    await servicesOfApp(seed.app).tree.execute(
      { type: 'CreateOrgNode', data: { orgNodeId: 'edu', name: '区教育局', kind: 'UNIT', parentId: 'root' } },
      ADMIN_META,
    );
    const ids = Array.from({ length: PEOPLE }, (_, i) => i);
    const personId = (i: number) => `p${i}`;
    await inChunks(ids, 25, async (i) => {
      const id17 = `310118${1960 + (i % 40)}0101${String(i).padStart(3, '0')}`.slice(0, 17);
      await people.register(
        {
          personId: personId(i),
          name: '离岗人员',
          idNumber: id17 + idNumberCheckCharacter(id17),
          gender: Number(id17[16]) % 2 === 1 ? '1' : '2',
          mobile: `137${String(i).padStart(8, '0')}`,
          officePhone: null,
          employment: { type: 'CONTRACTED', establishmentType: null },
          rank: null,
          politicalStatus: null,
          leadershipDuties: null,
          primaryPost: { orgNodeId: 'edu' },
        },
        ADMIN_META,
      );
      await accounts.open(
        { accountId: `a${i}`, type: 'USER', loginName: `user${i}`, personId: personId(i) },
        ADMIN_META,
      );
    });
    // Groups owned by the admin, who stays; each holds a fifth of the departing people.
    for (let g = 0; g < GROUPS; g++) {
      await groups.create(
        {
          groupId: `g${g}`,
          name: `工作群${g}`,
          kind: 'CROSS_UNIT',
          owningOrgNodeId: 'root',
          ownerId: 'p-admin',
          memberIds: ids.filter((i) => i % GROUPS === g).map(personId),
        },
        ADMIN_META,
      );
    }
    await inChunks(ids, 25, (i) => people.recordDeparture({ personId: personId(i), reason: 'RETIRED' }, ADMIN_META));
    await seed.close();

    const file = join(dir.path, 'events.sqlite');
    const observer = new SqliteEventStore({ file });
    const ofType = async (type: string): Promise<RecordedEvent[]> =>
      observer.readAll({ filter: { eventTypes: [type] } });
    const departureCheckpoint = async () =>
      (await observer.readStream('PolicyCheckpoint-qingpu-departure', { direction: 'backwards', maxCount: 1 }))[0]?.data
        .position as string | undefined;
    const lastDeparture = (await ofType('PersonLeft')).at(-1)!.position;

    try {
      // ---- when: the service starts working through them and is killed part-way ----
      const first = startService(dir.path);
      let closedAtKill = 0;
      for (let waited = 0; waited < 120_000; waited += 20) {
        closedAtKill = (await ofType('AccountClosed')).length;
        if (closedAtKill >= 50) break;
        await sleep(20);
      }
      first.kill('SIGKILL');
      await new Promise((resolve) => first.once('exit', resolve));
      closedAtKill = (await ofType('AccountClosed')).length;
      expect(closedAtKill).toBeGreaterThanOrEqual(50);
      expect(closedAtKill).toBeLessThan(PEOPLE);

      // ---- then: after a restart every policy finishes ----
      const second = startService(dir.path);
      for (let waited = 0; waited < 180_000; waited += 100) {
        const checkpoint = await departureCheckpoint();
        if (checkpoint !== undefined && checkpoint >= lastDeparture) break;
        await sleep(100);
      }
      second.kill('SIGTERM');
      await new Promise((resolve) => second.once('exit', resolve));
      expect(await departureCheckpoint()).toBe(lastDeparture);
      // Checkpoints are written in batches, not once per event (issue 20): 500 departures, a handful of writes.
      const checkpointWrites = (await observer.readStream('PolicyCheckpoint-qingpu-departure')).length;
      expect(checkpointWrites).toBeGreaterThan(0);
      expect(checkpointWrites).toBeLessThan(50);

      // ---- and each effect happened exactly once, caused by that person's departure ----
      const departures = new Map((await ofType('PersonLeft')).map((r) => [r.data.personId as string, r.eventId]));
      const closed = (await ofType('AccountClosed')).map(fromRecordedEvent);
      expect(closed).toHaveLength(PEOPLE);
      expect(new Set(closed.map((e) => (e.data as { accountId: string }).accountId)).size).toBe(PEOPLE);
      for (const event of closed)
        expect(event.causationId).toBe(departures.get((event.data as { personId: string }).personId));

      const removals = (await ofType('GroupMembersRemoved')).map(fromRecordedEvent);
      const removed = removals.flatMap((e) =>
        (e.data as { personIds: string[] }).personIds.map((p) => `${(e.data as { groupId: string }).groupId}/${p}`),
      );
      expect(removed).toHaveLength(PEOPLE);
      expect(new Set(removed).size).toBe(PEOPLE);
      for (const event of removals)
        expect(event.causationId).toBe(departures.get((event.data as { personIds: string[] }).personIds[0]));
      for (let g = 0; g < GROUPS; g++) {
        const last = (await observer.readStream(`WorkGroup-g${g}`)).at(-1)!;
        expect(last.type).toBe('GroupMembersRemoved');
      }
    } finally {
      await observer.close();
    }
  });
});
