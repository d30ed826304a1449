/**
 * Several instances on one embedded data directory (SQLite across processes), every worker enabled
 * on all (issue 25): the policies and the scheduler run in exactly one of them, the holder of their
 * lease, the live projections in the holder of theirs, and a subscription's webhook delivery in the
 * holder of its own: every published event reaches the subscriber, in order per stream. Each departure's
 * policy effect (its account closed) happens once, whichever instance took the departure, and an
 * instance that does not feed the read models still reads its own writes; SIGKILL of the holder →
 * another takes over within the lease's TTL; a holder paused (SIGSTOP) past its TTL and resumed
 * finds its term over: its renewal and its checkpoints are refused, and the effects stay once each.
 * At the end the read models are those a single instance builds from the same history.
 */
import { join } from 'node:path';
import request from 'supertest';
import type { CommandMetadata } from '../../src/application/commands/decider-command-runner';
import type { RecordedEvent } from '../../src/application/ports/event-store.port';
import { idNumberCheckCharacter } from '../../src/domain/person/identity';
import { SqliteEventStore } from '../../src/infrastructure/event-store/sqlite/sqlite-event-store';
import { ProjectionEngine } from '../../src/application/projections/projection-engine';
import type { ReadStore } from '../../src/application/ports/read-store.port';
import { SqliteReadStore } from '../../src/infrastructure/read-store/sqlite/sqlite-read-store';
import { SystemClock } from '../../src/infrastructure/system/system-clock';
import { readModelProjections } from '../../src/read-models/projections';
import { isPublished } from '../../src/application/published-events/catalog';
import { SubscriberServer } from '../subscribers/subscriber-server';
import { runCli } from '../support/cli';
import { registerSubscription } from '../support/subscriptions';
import { dumpReadModels } from '../support/read-models';
import { servicesOfApp } from '../support/services';
import { type ServiceProcess, startServiceProcess } from '../support/service-process';
import { makeTempDir } from '../support/temp-dir';
import { startTestApp, TEST_JWT_SECRET } from '../support/test-app';

const TTL_MS = 1500;
const PROJECTIONS = readModelProjections({ timeZone: 'Asia/Shanghai' });
const ADMIN_META: CommandMetadata = {
  actor: { accountId: 'acc-admin', personId: 'p-admin', role: 'SYSTEM_ADMIN' },
  jurisdiction: 'qingpu',
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Instance = ServiceProcess;

function startInstance(dataDir: string): Promise<Instance> {
  return startServiceProcess(dataDir, {
    POLICIES_ENABLED: 'true',
    LEASE_TTL_MS: String(TTL_MS),
    WEBHOOKS_ENABLED: 'true',
    WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    WEBHOOK_BACKOFF_BASE_MS: '5',
    WEBHOOK_BACKOFF_MAX_MS: '40',
    WEBHOOK_CHECKPOINT_MS: '50',
    INTEGRITY_CHECKPOINTS_ENABLED: 'false',
  });
}

/** Polls `read` until `accept` takes its value, or fails after `timeoutMs`. */
async function until<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) {
      const shown = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
      throw new Error(`not reached in ${timeoutMs} ms: ${shown}`);
    }
    await sleep(25);
  }
}

describe('three instances, one holder of each lease', () => {
  jest.setTimeout(180_000);
  const dir = makeTempDir();
  const instances: Instance[] = [];
  const subscriber = new SubscriberServer(() => 'ok');
  afterAll(async () => {
    await subscriber.stop();
    for (const { child } of instances) {
      child.kill('SIGCONT');
      child.kill('SIGKILL');
    }
    dir.remove();
  });

  it('runs the policies once, moves them on SIGKILL within the TTL, and fences a holder paused past it', async () => {
    // ---- given: a unit with four people, each with an account ----
    const url = await subscriber.start();
    const seed = await startTestApp({ WEBHOOKS_ENABLED: 'false' }, { keepDir: dir.path });
    let subscriptionId = '';
    try {
      const registered = await registerSubscription(seed, { name: '公文流转系统', url });
      subscriber.secret = registered.secret;
      subscriptionId = registered.id;
      const { tree, people, accounts } = servicesOfApp(seed.app);
      await tree.execute(
        { type: 'CreateOrgNode', data: { orgNodeId: 'edu', name: '区教育局', kind: 'UNIT', parentId: 'root' } },
        ADMIN_META,
      );
      for (let i = 0; i < 4; i++) {
        const id17 = `3101181980010100${i}`;
        await people.register(
          {
            personId: `p${i}`,
            name: `人员${'甲乙丙丁'[i]}`,
            idNumber: id17 + idNumberCheckCharacter(id17),
            gender: Number(id17[16]) % 2 === 1 ? '1' : '2',
            mobile: `1370000000${i}`,
            officePhone: null,
            employment: { type: 'CONTRACTED', establishmentType: null },
            rank: null,
            politicalStatus: null,
            leadershipDuties: null,
            primaryPost: { orgNodeId: 'edu' },
          },
          ADMIN_META,
        );
        await accounts.open({ accountId: `a${i}`, type: 'USER', loginName: `user${i}`, personId: `p${i}` }, ADMIN_META);
      }
    } finally {
      await seed.close();
    }
    const env = {
      ...process.env,
      DATA_DIR: dir.path,
      JURISDICTION: 'qingpu',
      JWT_SECRET: TEST_JWT_SECRET,
      LOG_LEVEL: 'silent',
    };
    const token = runCli(env, ['token', '--account', 'acc-admin']).stdout.trim();
    expect(token.split('.')).toHaveLength(3);

    const observer = new SqliteEventStore({ file: join(dir.path, 'events.sqlite') });
    const lease = () => observer.readStream('Lease-qingpu-policies');
    const acquisitions = async () => (await lease()).filter((e) => e.type === 'LeaseAcquired');
    const projectionTerms = async () =>
      (await observer.readStream('Lease-qingpu-projections'))
        .filter((e) => e.type === 'LeaseAcquired')
        .map((e) => e.data.term as number);
    const members = (via: Instance, position: string) =>
      request(via.base)
        .get('/org-tree/edu/members')
        .set({ Authorization: `Bearer ${token}`, 'X-Consistent-With': position })
        .expect(200);
    const closedOf = async (accountId: string) =>
      (await observer.readStream(`Account-${accountId}`)).filter((e) => e.type === 'AccountClosed').length;
    const holderOf = (event: RecordedEvent) =>
      instances.find((i) => (event.data.holder as string).split(':')[1] === String(i.child.pid))!;
    const depart = async (via: Instance, personId: string) =>
      request(via.base)
        .post(`/persons/${personId}/departure`)
        .set('Authorization', `Bearer ${token}`)
        .send({
          departureReason: 'RETIRED',
          effectiveAt: new Date().toISOString().slice(0, 10),
          sourceRef: '测人调〔2026〕1号',
        })
        .expect(200);

    try {
      // ---- when: three instances start on the same data directory, all with policies enabled ----
      for (let n = 0; n < 3; n++) instances.push(await startInstance(dir.path));
      const [first] = await until(acquisitions, (a) => a.length >= 1, 30_000);
      expect(first.data.term).toBe(1);
      const holder1 = holderOf(first);
      const others = instances.filter((i) => i !== holder1);

      // ---- then: a departure taken by a non-holder has its account closed once, by the holder ----
      const departed = (await depart(others[0], 'p0')).body.position as string;
      // Read through the other non-holder: it waits until the holder's projections have committed it.
      expect(JSON.stringify((await members(others[1], departed)).body)).not.toContain('"p0"');
      expect(JSON.stringify((await members(others[1], departed)).body)).toContain('"p1"');
      // The seed took term 1 and released it: one acquisition since the three started.
      expect(await projectionTerms()).toEqual([1, 2]);
      await until(
        () => closedOf('a0'),
        (n) => n === 1,
        20_000,
      );

      // ---- SIGKILL of the holder: another instance takes over within the TTL ----
      const killedAt = Date.now();
      holder1.child.kill('SIGKILL');
      const [, second] = await until(acquisitions, (a) => a.length >= 2, 20_000);
      const takeover = Date.now() - killedAt;
      process.stdout.write(`policies lease: taken over ${takeover} ms after SIGKILL (TTL ${TTL_MS} ms)\n`);
      expect(second.data.term).toBe(2);
      const holder2 = holderOf(second);
      expect(holder2).not.toBe(holder1);
      // Within the TTL, plus the renewal interval a waiting instance polls at (and the machine's noise).
      expect(takeover).toBeLessThan(TTL_MS + TTL_MS / 3 + 1500);
      await depart(others.find((i) => i !== holder2) ?? holder2, 'p1');
      await until(
        () => closedOf('a1'),
        (n) => n === 1,
        20_000,
      );

      // ---- SIGSTOP of the new holder past its TTL: the third instance takes over ----
      // Paused between two of its writes: on the embedded store a process frozen inside a write
      // transaction would hold SQLite's write lock and stall every instance until it resumes (see
      // docs/operations.md), which no lease can help. So: after its checkpoints, right after a renewal.
      // With every worker enabled it also writes other leases' renewals and delivery checkpoints, so
      // a pause can still land inside one: then nothing is taken over; it is resumed and paused again.
      await sleep(1500);
      const renewals = async () => (await lease()).filter((e) => e.type === 'LeaseRenewed' && e.data.term === 2).length;
      let third: RecordedEvent | undefined;
      for (let stalls = 0; !third; stalls++) {
        expect(stalls).toBeLessThan(3);
        const seen = await renewals();
        await until(renewals, (n) => n > seen, 5_000);
        holder2.child.kill('SIGSTOP');
        third = (await until(acquisitions, (a) => a.length >= 3, TTL_MS * 8).catch(() => null))?.[2];
        if (third) break;
        holder2.child.kill('SIGCONT');
        // Resumed past its TTL, it may have been taken over as it resumed: that one is the takeover.
        await sleep(TTL_MS);
        third = (await acquisitions())[2];
      }
      expect(third!.data.term).toBe(3);
      const holder3 = holderOf(third!);
      expect(holder3).not.toBe(holder2);
      await depart(holder3, 'p2');
      await until(
        () => closedOf('a2'),
        (n) => n === 1,
        20_000,
      );

      // ---- resumed, the deposed holder writes nothing in its term: renewal and checkpoints refused ----
      holder2.child.kill('SIGCONT');
      await sleep(TTL_MS * 2);
      await depart(holder3, 'p3');
      await until(
        () => closedOf('a3'),
        (n) => n === 1,
        20_000,
      );
      const afterThird = (await lease()).filter((e) => e.position > third.position);
      expect(afterThird.length).toBeGreaterThan(0);
      expect(afterThird.every((e) => e.data.term === 3)).toBe(true);
      const checkpoints = await observer.readAll({ filter: { eventTypes: ['PolicyCheckpointAdvanced'] } });
      const lateCheckpoints = checkpoints.filter((e) => e.position > third.position && e.data.term !== 3);
      expect(lateCheckpoints).toEqual([]);
      // The deposed instance is alive, only idle; every effect happened once.
      expect(holder2.child.exitCode).toBeNull();
      for (const account of ['a0', 'a1', 'a2', 'a3']) expect(await closedOf(account)).toBe(1);
      // The projections' terms only rise: one holder at a time, taken over as the holders went.
      const terms = await projectionTerms();
      expect(terms).toEqual(terms.map((_, i) => i + 1));

      // Every published event reached the subscriber, in order per stream (repeats only after a takeover).
      const published = (await observer.readAll({ maxCount: 100_000 })).filter((e) => isPublished(e.type));
      await subscriber.waitForUnique(published.length, 30_000);
      expect(new Set(subscriber.unique.keys())).toEqual(new Set(published.map((e) => e.eventId)));
      for (const [stream, revisions] of subscriber.orderByStream())
        expect({ stream, revisions }).toEqual({ stream, revisions: [...revisions].sort((a, b) => a - b) });
      expect(subscriber.badSignatures).toBe(0);
      // One holder of the delivery at a time: its terms rise, and the log was claimed by rising terms only.
      const deliveryTerms = (await observer.readStream(`Lease-qingpu-webhooks-${subscriptionId}`))
        .filter((e) => e.type === 'LeaseAcquired')
        .map((e) => e.data.term as number);
      expect(deliveryTerms.length).toBeGreaterThanOrEqual(2);
      expect(deliveryTerms).toEqual(deliveryTerms.map((_, i) => i + 1));
      const claims = (await observer.readStream(`SubscriptionDelivery-${subscriptionId}`))
        .filter((e) => e.type === 'DeliveryClaimed')
        .map((e) => e.data.term as number);
      expect(claims).toEqual([...claims].sort((a, b) => a - b));
      expect(claims.at(-1)).toBe(deliveryTerms.at(-1));
    } finally {
      await observer.close();
    }
    // ---- the read models they leave are what one instance builds from the same history ----
    for (const { child } of instances) {
      child.kill('SIGCONT');
      child.kill('SIGKILL');
    }
    // The killed holders' leases expire by their own TTL; the single instance then takes them at once.
    await sleep(TTL_MS * 2);
    // Delivery off: its claim of the log would be an event after the catch-up this compares.
    const single = await startTestApp({ WEBHOOKS_ENABLED: 'false' }, { keepDir: dir.path });
    try {
      const engine = single.app.get(ProjectionEngine);
      expect(await engine.waitFor((await single.store.headPosition())!, 30_000)).toBe(true);
      const reference = new SqliteReadStore(':memory:');
      const quiet = { info: () => undefined, error: () => undefined };
      await new ProjectionEngine(single.store, reference, PROJECTIONS, new SystemClock(), quiet).rebuild(
        PROJECTIONS.map((p) => p.name),
      );
      const live = await dumpReadModels(engine['readStore'] as ReadStore, PROJECTIONS);
      expect(live).toEqual(await dumpReadModels(reference, PROJECTIONS));
      expect(live['directory/persons'].length).toBeGreaterThan(4);
      await reference.close();
    } finally {
      await single.close();
    }
  });
});
