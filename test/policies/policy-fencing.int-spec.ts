/**
 * The policies' fencing (issue 25): an engine started in a lease term claims every checkpoint
 * stream for its term; an engine of an earlier term, still running (its holder paused past the
 * lease's expiry), has its next checkpoint refused and stops taking events in. Whatever it did in
 * between is a policy command run twice, which the deciders make a no-op: each effect stays once.
 */
import { COMMAND_BUS, type CommandBus } from '../../src/application/commands/command-bus';
import type { CommandMetadata } from '../../src/application/commands/decider-command-runner';
import { OrgTree } from '../../src/application/org-node/org-tree';
import { EVENT_POLICIES } from '../../src/application/policies/policies';
import { PolicyEngine } from '../../src/application/policies/policy-engine';
import { idNumberCheckCharacter } from '../../src/domain/person/identity';
import { InMemoryPolicyLookups } from '../../src/read-models/policy-lookups/policy-lookups.projection';
import { servicesOfApp } from '../support/services';
import { startTestApp, type TestApp } from '../support/test-app';

const ADMIN_META: CommandMetadata = {
  actor: { accountId: 'acc-admin', personId: 'p-admin', role: 'SYSTEM_ADMIN' },
  jurisdiction: 'qingpu',
};
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
let seq = 0;
const ids = { next: () => `00000000-0000-4000-9000-${String(++seq).padStart(12, '0')}` };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a policy engine of an ended lease term', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('has its checkpoint refused once a later term claimed the streams, and stops', async () => {
    const { people, accounts } = servicesOfApp(t.app);
    const engine = (lookups = new InMemoryPolicyLookups()) =>
      new PolicyEngine(
        t.store,
        t.app.get<CommandBus>(COMMAND_BUS),
        { store: t.store, tree: t.app.get(OrgTree), lookups },
        EVENT_POLICIES,
        lookups,
        { now: () => new Date() },
        ids,
        silent,
        { jurisdiction: 'qingpu', timeZone: 'Asia/Shanghai', schedulerIntervalMs: 3_600_000 },
      );
    for (const n of [1, 2]) {
      const id17 = `310118198002010${n}1`;
      await people.register(
        {
          personId: `p${n}`,
          name: `人员${'甲乙'[n - 1]}`,
          idNumber: id17 + idNumberCheckCharacter(id17),
          gender: '1',
          mobile: `1370000001${n}`,
          officePhone: null,
          employment: { type: 'CONTRACTED', establishmentType: null },
          rank: null,
          politicalStatus: null,
          leadershipDuties: null,
          primaryPost: { orgNodeId: 'root' },
        },
        ADMIN_META,
      );
      await accounts.open({ accountId: `a${n}`, type: 'USER', loginName: `user${n}`, personId: `p${n}` }, ADMIN_META);
    }

    const deposed = engine();
    await deposed.start(1);
    await deposed.caughtUp;
    const current = engine();
    await current.start(2);
    await current.caughtUp;

    // Both still take events in: the deposed one does not know yet.
    await people.recordDeparture({ personId: 'p1', reason: 'RETIRED' }, ADMIN_META);
    await current.settled();
    // The deposed engine's delayed checkpoint is refused: it stops.
    await sleep(1500);
    await people.recordDeparture({ personId: 'p2', reason: 'RETIRED' }, ADMIN_META);
    await current.settled();
    await sleep(200);
    const lastDeparture = (await t.store.readStream('Person-p2')).at(-1)!.position;
    expect(current.position! >= lastDeparture).toBe(true);
    expect(deposed.position === null || deposed.position < lastDeparture).toBe(true);

    const checkpoints = await t.store.readStream('PolicyCheckpoint-qingpu-departure');
    const claim = checkpoints.findIndex((e) => e.data.term === 2);
    expect(claim).toBeGreaterThanOrEqual(0);
    expect(checkpoints.slice(claim).map((e) => e.data.term)).toEqual(checkpoints.slice(claim).map(() => 2));
    for (const account of ['a1', 'a2'])
      expect((await t.store.readStream(`Account-${account}`)).filter((e) => e.type === 'AccountClosed')).toHaveLength(
        1,
      );
    await current.stop();
    await deposed.stop();
  }, 30_000);
});
