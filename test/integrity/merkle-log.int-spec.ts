/**
 * The Merkle log over a real embedded store (issue 22): inclusion proofs of logs of 1, 2, 3,
 * 2^k ± 1 and 100,000 leaves, checked with the offline verifier's own checks
 * (examples/verify-proof.js, required as a module here; the HTTP suite runs it as a program);
 * a changed byte, a reordered pair, a dropped event and a history rewritten whole are each found
 * by `verify` and by a consistency proof against a checkpoint kept from before; a rebuilt log gives
 * the same proofs; a checkpoint with a wrong signature is refused.
 */
import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { AccessControl } from '../../src/application/access/access-control';
import { byPlatform } from '../../src/application/commands/command-bus';
import { DeciderCommandRunner } from '../../src/application/commands/decider-command-runner';
import { CHECKPOINTER_ACTOR } from '../../src/application/integrity/checkpointer';
import { type CheckpointKey, checkpointKey, verifierKey } from '../../src/application/integrity/checkpoint';
import { SignCheckpointHandler } from '../../src/application/integrity/integrity-log.command-handler';
import { SignCheckpoint } from '../../src/application/integrity/integrity-log.commands';
import { verifyLog } from '../../src/application/integrity/log-verification';
import { MerkleLogReader } from '../../src/application/integrity/merkle-log';
import { IntegrityProofs } from '../../src/application/integrity/proofs.queries';
import { OrgTree } from '../../src/application/org-node/org-tree';
import type { EventStore } from '../../src/application/ports/event-store.port';
import { ProjectionEngine } from '../../src/application/projections/projection-engine';
import { ReadModels } from '../../src/application/projections/read-models';
import { SqliteEventStore } from '../../src/infrastructure/event-store/sqlite/sqlite-event-store';
import { SqliteReadStore } from '../../src/infrastructure/read-store/sqlite/sqlite-read-store';
import { SystemClock } from '../../src/infrastructure/system/system-clock';
import { TimeOrderedUuidGenerator } from '../../src/infrastructure/system/uuid-generator';
import { integrityLogProjection } from '../../src/read-models/integrity-log/integrity-log.projection';
import { makeTempDir } from '../support/temp-dir';
import { dumpReadModels } from '../support/read-models';
import type { DocumentWrite } from '../../src/application/ports/read-store.port';
import type { Position } from '../../src/application/event-store/position';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const verifier = require('../../examples/verify-proof.js') as {
  checksOf(proof: object, signer: unknown, kept?: string): Array<[string, boolean]>;
  parseKey(text: string): unknown;
};

const quiet = { info: () => undefined, error: () => undefined };

/** Where a batch is cut short: before a document (by its place among its collection's), or before the checkpoint. */
type Cut = { readonly collection: string; readonly nth: number } | 'before-checkpoint';

/** Writes a batch's documents one at a time, in the order given, the checkpoint last, and crashes once at `cut`. */
class CrashingReadStore extends SqliteReadStore {
  crashes = 0;
  constructor(
    file: string,
    private readonly cut: Cut,
  ) {
    super(file);
  }
  private crash(): never {
    this.crashes += 1;
    throw new Error('simulated crash in the middle of a batch');
  }
  override async commit(
    projection: string,
    generation: number,
    writes: readonly DocumentWrite[],
    checkpoint: Position,
  ) {
    const [before] = (await this.generations(projection)).filter((g) => g.generation === generation);
    const kept = before.checkpoint ?? ('0000000000000000-0000000000000000' as Position);
    const seen = new Map<string, number>();
    for (const write of writes) {
      const nth = (seen.get(write.collection) ?? 0) + 1;
      seen.set(write.collection, nth);
      if (
        this.crashes === 0 &&
        this.cut !== 'before-checkpoint' &&
        write.collection.endsWith(`_${this.cut.collection}`) &&
        nth === this.cut.nth
      )
        this.crash();
      await super.commit(projection, generation, [write], kept);
    }
    if (this.crashes === 0 && this.cut === 'before-checkpoint' && writes.length > 0) this.crash();
    await super.commit(projection, generation, [], checkpoint);
  }
}

const clock = new SystemClock();
const ids = new TimeOrderedUuidGenerator();
const KEY: CheckpointKey = checkpointKey('gov-collab/qingpu', generateKeyPairSync('ed25519').privateKey);
const SIGNER = verifier.parseKey(verifierKey(KEY));
const holds = (proof: object, kept?: string) => verifier.checksOf(proof, SIGNER, kept).every(([, ok]) => ok);

/** A log kept by its own engine over a store, with the service's signing handler. */
class Log {
  readonly readStore: SqliteReadStore;
  readonly engine: ProjectionEngine;
  readonly proofs: IntegrityProofs;
  private readonly signer: SignCheckpointHandler;

  constructor(
    readonly store: EventStore,
    file: string,
  ) {
    this.readStore = new SqliteReadStore(file);
    this.engine = new ProjectionEngine(store, this.readStore, [integrityLogProjection], clock, quiet, {
      batchSize: 5000,
    });
    const reader = new MerkleLogReader(new ReadModels(this.readStore, this.engine, () => Date.now()));
    this.proofs = new IntegrityProofs(reader, store, KEY);
    const runner = new DeciderCommandRunner(store, clock, ids);
    const access = new AccessControl(store, new OrgTree(store, 'qingpu'), clock, 3, false);
    this.signer = new SignCheckpointHandler(runner, reader, KEY, access, clock);
  }

  async caughtUp(): Promise<void> {
    const head = await this.store.headPosition();
    if (head) expect(await this.engine.waitFor(head, 60_000)).toBe(true);
  }

  async sign() {
    await this.caughtUp();
    const signed = await this.signer.execute(
      new SignCheckpoint({ actor: CHECKPOINTER_ACTOR, jurisdiction: 'qingpu' }, byPlatform('test')),
    );
    await this.caughtUp();
    return signed;
  }

  async close(): Promise<void> {
    await this.engine.stop();
    await this.readStore.close();
  }
}

/** `count` small events over a few streams, as one append per stream and batch. */
async function appendEvents(store: EventStore, count: number, from = 0, variant = ''): Promise<string[]> {
  const eventIds: string[] = [];
  for (let done = 0; done < count;) {
    const n = Math.min(500, count - done);
    const stream = `Sample-${(from + done) % 7}`;
    const events = Array.from({ length: n }, (_, i) => {
      const eventId = ids.next();
      eventIds.push(eventId);
      const k = from + done + i;
      return {
        eventId,
        type: 'SampleRecorded',
        data: { k, note: `第 ${k} 个事件${k === 3 ? variant : ''}` },
        metadata: { schemaVersion: 1, recordedAt: new Date(1_700_000_000_000 + k).toISOString() },
      };
    });
    await store.append(stream, events, 'any');
    done += n;
  }
  return eventIds;
}

describe('the Merkle log over the embedded store (issue 22)', () => {
  jest.setTimeout(180_000);
  const dir = makeTempDir();
  afterAll(() => dir.remove());

  it('proves random events of logs of 1, 2, 3, 2^k ± 1 leaves, and every checkpoint consistent with the later ones', async () => {
    const store = new SqliteEventStore({ file: join(dir.path, 'sizes.sqlite') });
    const log = new Log(store, join(dir.path, 'sizes-read.sqlite'));
    await log.engine.start();
    // Each checkpoint is itself a leaf: these sizes leave room for at least one event between two.
    const signedSizes = [1, 3, 5, 9, 17, 33, 65, 129, 257, 1025];
    const checkpoints: Array<{ size: number; note: string }> = [];
    try {
      for (const size of signedSizes) {
        const { size: before } = await log.proofs.log.head();
        await appendEvents(store, size - before, before);
        const signed = await log.sign();
        expect({ size: signed.size, signed: signed.signed }).toEqual({ size, signed: true });
        checkpoints.push({ size, note: signed.note });
      }
      const leaves = await log.proofs.log.leaves(0, 1025);
      const random = (n: number) => Array.from({ length: 6 }, () => Math.floor(Math.random() * n));
      // The log of the first n leaves, for every n asked for; signed where a checkpoint has that size.
      for (const n of [
        1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 255, 256, 257, 1023, 1024, 1025,
      ]) {
        const signed = checkpoints.find((c) => c.size === n);
        for (const index of new Set(n <= 9 ? leaves.slice(0, n).map((_, i) => i) : [0, 1, n - 1, ...random(n)])) {
          const full = signed
            ? await log.proofs.inclusion(leaves[index].eventId, n, true)
            : {
                ...(await log.proofs.inclusion(leaves[index].eventId, 1025, true)),
                treeSize: n,
                inclusionPath: (await log.proofs.log.inclusionPath(index, n)).map((h) => h.toString('hex')),
                rootHash: (await log.proofs.log.rootAt(n)).toString('hex'),
                checkpoint: undefined,
              };
          expect({ n, index, signed: !!signed, holds: holds(full) }).toEqual({
            n,
            index,
            signed: !!signed,
            holds: true,
          });
          // Another event's data in its place does not hold.
          expect(holds({ ...full, event: { ...full.event, data: { forged: true } } })).toBe(false);
        }
      }
      for (const [i, first] of checkpoints.entries())
        for (const second of checkpoints.slice(i)) {
          const proof = await log.proofs.consistency(first.size, second.size);
          expect({ from: first.size, to: second.size, holds: holds(proof, first.note) }).toEqual({
            from: first.size,
            to: second.size,
            holds: true,
          });
        }
      // A checkpoint with a wrong signature is refused.
      const proof = await log.proofs.inclusion(leaves[3].eventId, 1025, true);
      const forgedNote = proof.checkpoint.replace(
        /— (\S+) (\S+)\n$/,
        (_, name: string, sig: string) =>
          `— ${name} ${sig.slice(0, 10)}${sig[10] === 'A' ? 'B' : 'A'}${sig.slice(11)}\n`,
      );
      expect(forgedNote).not.toBe(proof.checkpoint);
      expect(holds({ ...proof, checkpoint: forgedNote })).toBe(false);
      const other = checkpointKey(KEY.name, generateKeyPairSync('ed25519').privateKey);
      const otherSigner = verifier.parseKey(verifierKey(other));
      expect(verifier.checksOf(proof, otherSigner).every(([, ok]) => ok)).toBe(false);
    } finally {
      await log.close();
      await store.close();
    }
  });

  it('proves events of a log of 100,000 leaves, and a rebuilt log gives the same proofs', async () => {
    const store = new SqliteEventStore({ file: join(dir.path, 'large.sqlite') });
    const log = new Log(store, join(dir.path, 'large-read.sqlite'));
    await log.engine.start();
    try {
      await appendEvents(store, 50_000);
      const middle = await log.sign();
      await appendEvents(store, 100_000 - 50_001, 50_000);
      const end = await log.sign();
      expect(end.size).toBe(100_000);
      // The first pick lies in the left 2^16 subtree, whose leaves all sit 17 levels deep; a random leaf of
      // the right edge (98,304 onward) sits higher and has a shorter path.
      const picks = [12_345, ...Array.from({ length: 39 }, () => Math.floor(Math.random() * 100_000))];
      const leaves = await Promise.all(picks.map(async (i) => (await log.proofs.log.leaves(i, 1))[0]));
      const proofs = await Promise.all(leaves.map((leaf) => log.proofs.inclusion(leaf.eventId, 100_000, true)));
      for (const proof of proofs)
        expect({ leaf: proof.leafIndex, holds: holds(proof) }).toEqual({ leaf: proof.leafIndex, holds: true });
      expect(proofs[0].inclusionPath).toHaveLength(17);
      expect(holds(await log.proofs.consistency(middle.size, end.size), middle.note)).toBe(true);

      // Rebuilt from the events into a fresh store: the same leaves, heads and proofs, bit for bit.
      const rebuilt = new Log(store, join(dir.path, 'large-rebuilt.sqlite'));
      await rebuilt.engine.rebuild([integrityLogProjection.name]);
      try {
        expect(await rebuilt.proofs.log.head()).toEqual(await log.proofs.log.head());
        for (const leaf of leaves.slice(0, 10))
          expect(await rebuilt.proofs.inclusion(leaf.eventId, 100_000, true)).toEqual(
            await log.proofs.inclusion(leaf.eventId, 100_000, true),
          );
      } finally {
        await rebuilt.close();
      }
    } finally {
      await log.close();
      await store.close();
    }
  });

  it('a batch cut short on a store without transactions (documents written one by one) ends in the same log', async () => {
    const store = new SqliteEventStore({ file: join(dir.path, 'crash.sqlite') });
    await appendEvents(store, 3000);
    const reference = new Log(store, join(dir.path, 'crash-reference.sqlite'));
    await reference.engine.rebuild([integrityLogProjection.name]);
    const expected = await dumpReadModels(reference.readStore, [integrityLogProjection]);
    await reference.close();
    try {
      // Cut among the leaves, among the nodes, just before the head, and after the head but before the checkpoint, as MongoDB may.
      const cuts: Cut[] = [
        { collection: 'leaves', nth: 1 },
        { collection: 'leaves', nth: 500 },
        { collection: 'nodes', nth: 300 },
        { collection: 'head', nth: 1 },
        'before-checkpoint',
      ];
      for (const cut of cuts) {
        const crashing = new CrashingReadStore(
          join(dir.path, `crash-${JSON.stringify(cut).replace(/\W/g, '')}.sqlite`),
          cut,
        );
        const engine = new ProjectionEngine(store, crashing, [integrityLogProjection], clock, quiet, {
          batchSize: 5000,
          retryDelayMs: 10,
        });
        await engine.start();
        expect(await engine.waitFor((await store.headPosition())!, 60_000)).toBe(true);
        await engine.stop();
        expect({ cut, crashes: crashing.crashes }).toEqual({ cut, crashes: 1 });
        expect({ cut, log: await dumpReadModels(crashing, [integrityLogProjection]) }).toEqual({ cut, log: expected });
        await crashing.close();
      }
    } finally {
      await store.close();
    }
  });

  describe('tampering', () => {
    /** A store of 300 events and two checkpoints, closed; what the auditor kept from it. */
    async function signedHistory(name: string) {
      const file = join(dir.path, `${name}.sqlite`);
      const store = new SqliteEventStore({ file });
      const log = new Log(store, join(dir.path, `${name}-read.sqlite`));
      await log.engine.start();
      await appendEvents(store, 150);
      await log.sign();
      await appendEvents(store, 150, 150);
      const kept = await log.sign();
      await log.close();
      await store.close();
      return { file, readFile: join(dir.path, `${name}-read.sqlite`), kept };
    }

    /** verify on the tampered store against the log kept so far, and against the checkpoint an auditor kept. */
    async function afterTampering(
      history: Awaited<ReturnType<typeof signedHistory>>,
      tamper: (db: Database.Database) => void,
    ) {
      const db = new Database(history.file);
      tamper(db);
      db.close();
      const store = new SqliteEventStore({ file: history.file });
      const log = new Log(store, history.readFile);
      // The history rebuilt into a new log, as someone rewriting it would (and without its checkpoints).
      const fresh = new Log(store, join(dir.path, `${Math.random()}-fresh.sqlite`));
      try {
        const verification = await verifyLog(store, log.proofs.log, KEY);
        await fresh.engine.rebuild([integrityLogProjection.name]);
        const rewritten = await verifyLog(store, fresh.proofs.log, KEY, [history.kept.note]);
        const head = await fresh.proofs.log.head();
        const path = await fresh.proofs.log.consistencyPath(history.kept.size, Math.max(head.size, history.kept.size));
        const consistency = {
          kind: 'consistency',
          first: history.kept.size,
          second: head.size,
          firstHash: history.kept.rootHash,
          secondHash: head.rootHash.toString('hex'),
          consistencyPath: path.map((h) => h.toString('hex')),
        };
        return { verification, rewritten, consistentWithKept: holds(consistency, history.kept.note) };
      } finally {
        await fresh.close();
        await log.close();
        await store.close();
      }
    }

    it('an untouched history verifies, and extends the kept checkpoint', async () => {
      const history = await signedHistory('untouched');
      const outcome = await afterTampering(history, () => undefined);
      expect(outcome.verification).toMatchObject({
        ok: true,
        firstMismatch: null,
        checkpoints: { checked: 2, consistent: true },
      });
      expect(outcome.rewritten.ok).toBe(true);
      expect(outcome.consistentWithKept).toBe(true);
    });

    it.each([
      [
        'a changed byte',
        (db: Database.Database) =>
          db
            .prepare(
              "UPDATE events SET data = replace(data, '第 77 个', '第 78 个') WHERE position = (SELECT position FROM events ORDER BY position LIMIT 1 OFFSET 77)",
            )
            .run(),
        77,
        'LEAF_MISMATCH',
      ],
      [
        'a reordered pair',
        (db: Database.Database) => {
          const [a, b] = db.prepare('SELECT position FROM events ORDER BY position LIMIT 2 OFFSET 120').all() as Array<{
            position: number;
          }>;
          db.prepare('UPDATE events SET position = -1 WHERE position = ?').run(a.position);
          db.prepare('UPDATE events SET position = ? WHERE position = ?').run(a.position, b.position);
          db.prepare('UPDATE events SET position = ? WHERE position = -1').run(b.position);
        },
        120,
        'LEAF_MISMATCH',
      ],
      [
        'a dropped event',
        (db: Database.Database) =>
          db
            .prepare(
              'DELETE FROM events WHERE position = (SELECT position FROM events ORDER BY position LIMIT 1 OFFSET 200)',
            )
            .run(),
        200,
        'LEAF_MISMATCH',
      ],
    ])(
      '%s is found by verify and by a consistency proof against the kept checkpoint',
      async (_what, tamper, index, reason) => {
        const history = await signedHistory(`tamper-${index}`);
        const outcome = await afterTampering(history, tamper);
        expect(outcome.verification.ok).toBe(false);
        expect(outcome.verification.firstMismatch).toMatchObject({ leafIndex: index, reason });
        expect(outcome.verification.checkpoints.consistent).toBe(false);
        // Rebuilt to match the tampered events, the log no longer extends what the auditor kept.
        expect(outcome.rewritten.firstMismatch).toBeNull();
        // (the checkpoints left in the store are the first found; the kept one fails as well)
        expect(outcome.rewritten.checkpoints.consistent).toBe(false);
        expect(outcome.consistentWithKept).toBe(false);
      },
    );

    it('a history rewritten whole (another store, its own log, no checkpoints) does not extend the kept checkpoint', async () => {
      const history = await signedHistory('original');
      const file = join(dir.path, 'rewritten.sqlite');
      const store = new SqliteEventStore({ file });
      const log = new Log(store, join(dir.path, 'rewritten-read.sqlite'));
      await log.engine.start();
      try {
        // The same number of events, one of them told differently.
        await appendEvents(store, 400, 0, '（改写）');
        await log.caughtUp();
        const verification = await verifyLog(store, log.proofs.log, KEY, [history.kept.note]);
        expect(verification.firstMismatch).toBeNull();
        expect(verification.checkpoints.firstInconsistent).toMatchObject({
          size: history.kept.size,
          reason: 'ROOT_MISMATCH',
          kept: true,
        });
        const path = await log.proofs.log.consistencyPath(history.kept.size, 400);
        const head = await log.proofs.log.head();
        const proof = {
          kind: 'consistency',
          first: history.kept.size,
          second: 400,
          firstHash: history.kept.rootHash,
          secondHash: head.rootHash.toString('hex'),
          consistencyPath: path.map((h) => h.toString('hex')),
        };
        expect(holds(proof, history.kept.note)).toBe(false);
      } finally {
        await log.close();
        await store.close();
      }
    });
  });
});
