/**
 * Several instances on one embedded data directory (SQLite across processes), policies enabled on
 * all (issue 25): the policies and the scheduler run in exactly one of them, the holder of their
 * lease. Each departure's policy effect (its account closed) happens once, whichever instance took
 * the departure; SIGKILL of the holder → another takes over within the lease's TTL; a holder
 * paused (SIGSTOP) past its TTL and resumed finds its term over: its renewal and its checkpoints
 * are refused, and the effects stay once each. (Projections and webhook delivery are not leased
 * yet: they are off here, as the README asks for every instance but one.)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import request from 'supertest';
import type { CommandMetadata } from '../../src/application/commands/decider-command-runner';
import type { RecordedEvent } from '../../src/application/ports/event-store.port';
import { idNumberCheckCharacter } from '../../src/domain/person/identity';
import { SqliteEventStore } from '../../src/infrastructure/event-store/sqlite/sqlite-event-store';
import { runCli } from '../support/cli';
import { servicesOfApp } from '../support/services';
import { freePort } from '../support/ports';
import { makeTempDir } from '../support/temp-dir';
import { startTestApp, TEST_JWT_SECRET } from '../support/test-app';

const TTL_MS = 1500;
const ADMIN_META: CommandMetadata = {
  actor: { accountId: 'acc-admin', personId: 'p-admin', role: 'SYSTEM_ADMIN' },
  jurisdiction: 'qingpu',
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Instance {
  readonly child: ChildProcess;
  readonly base: string;
}

async function startInstance(dataDir: string): Promise<Instance> {
  const port = await freePort();
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join(__dirname, '../../src/main.ts')], {
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      JURISDICTION: 'qingpu',
      JWT_SECRET: TEST_JWT_SECRET,
      PORT: String(port),
      LOG_LEVEL: 'silent',
      POLICIES_ENABLED: 'true',
      LEASE_TTL_MS: String(TTL_MS),
      PROJECTIONS_ENABLED: 'false',
      WEBHOOKS_ENABLED: 'false',
      INTEGRITY_CHECKPOINTS_ENABLED: 'false',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let waited = 0; waited < 60_000; waited += 100) {
    const up = await fetch(`${base}/health/live`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return { child, base };
    await sleep(100);
  }
  throw new Error('an instance did not start');
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

describe('three instances, one holder of the policies’ lease', () => {
  jest.setTimeout(180_000);
  const dir = makeTempDir();
  const instances: Instance[] = [];
  afterAll(() => {
    for (const { child } of instances) {
      child.kill('SIGCONT');
      child.kill('SIGKILL');
    }
    dir.remove();
  });

  it('runs the policies once, moves them on SIGKILL within the TTL, and fences a holder paused past it', async () => {
    // ---- given: a unit with four people, each with an account ----
    const seed = await startTestApp({}, { keepDir: dir.path });
    try {
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
      await depart(others[0], 'p0');
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
      await sleep(1500);
      const renewals = async () => (await lease()).filter((e) => e.type === 'LeaseRenewed' && e.data.term === 2).length;
      const seen = await renewals();
      await until(renewals, (n) => n > seen, 5_000);
      holder2.child.kill('SIGSTOP');
      const [, , third] = await until(acquisitions, (a) => a.length >= 3, 20_000);
      expect(third.data.term).toBe(3);
      const holder3 = holderOf(third);
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
    } finally {
      await observer.close();
    }
  });
});
