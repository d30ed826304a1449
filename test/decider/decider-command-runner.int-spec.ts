import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { CommandBus, CqrsModule } from '@nestjs/cqrs';
import { Test } from '@nestjs/testing';
import {
  ConcurrencyConflictError,
  type CommandMetadata,
  type CommandOutcome,
  DeciderCommandRunner,
} from '../../src/application/commands/decider-command-runner';
import { AggregateCommand, type BusCommandHandler, byPlatform } from '../../src/application/commands/command-bus';
import { bindCommands, on } from '../../src/infrastructure/buses/bus-bindings';
import { WrongExpectedVersionError } from '../../src/application/event-store/event-store.errors';
import { type EventStore, type ExpectedRevision, NO_STREAM } from '../../src/application/ports/event-store.port';
import type { Clock } from '../../src/application/ports/clock.port';
import type { IdGenerator } from '../../src/application/ports/id-generator.port';
import { SqliteEventStore } from '../../src/infrastructure/event-store/sqlite/sqlite-event-store';
import { SYSTEM_ADMIN } from '../support/decider-specification';
import { makeTempDir } from '../support/temp-dir';
import {
  SessionFull,
  type TrainingCommand,
  type TrainingEvent,
  type TrainingState,
  trainingSessionDecider,
} from '../support/training-session.decider';

const fixedClock: Clock = { now: () => new Date('2025-05-06T01:02:03.000Z') };
const randomIds: IdGenerator = { next: () => randomUUID() };
const metadata: CommandMetadata = { actor: SYSTEM_ADMIN, jurisdiction: 'qingpu' };
const signUp = (personId: string): TrainingCommand => ({
  type: 'SignUpForTraining',
  data: { sessionId: 's1', personId },
});
const STREAM = 'TrainingSession-s1';

describe('DeciderCommandRunner', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let store: EventStore;
  beforeEach(() => {
    dir = makeTempDir();
    store = new SqliteEventStore({ file: join(dir.path, 'events.sqlite') });
  });
  afterEach(async () => {
    await store.close();
    dir.remove();
  });

  async function openSession(runner: DeciderCommandRunner, places: number) {
    await runner.run(
      trainingSessionDecider,
      STREAM,
      { type: 'OpenTrainingSession', data: { sessionId: 's1', places } },
      metadata,
    );
  }

  it('50 writers racing with exact expected revisions: each revision written once, losers told WrongExpectedVersion', async () => {
    let wrongVersions = 0;
    const writer = async (w: number) => {
      for (;;) {
        const last = (await store.readStream(STREAM, { direction: 'backwards', maxCount: 1 }))[0];
        const expected: ExpectedRevision = last ? last.revision : NO_STREAM;
        try {
          return await store.append(
            STREAM,
            [{ eventId: randomUUID(), type: 'Written', data: { writer: w }, metadata: {} }],
            expected,
          );
        } catch (error) {
          if (!(error instanceof WrongExpectedVersionError)) throw error;
          wrongVersions++;
        }
      }
    };
    const results = await Promise.all(Array.from({ length: 50 }, (_, w) => writer(w)));
    const events = await store.readStream(STREAM);
    expect(events.map((e) => e.revision)).toEqual(Array.from({ length: 50 }, (_, i) => BigInt(i)));
    expect(new Set(events.map((e) => e.data.writer)).size).toBe(50);
    expect(new Set(results.map((r) => r.nextExpectedRevision)).size).toBe(50);
    expect(wrongVersions).toBeGreaterThan(0);
  });

  it("turns conflicts into successes while the decision still holds, and into the decider's own error once it does not", async () => {
    const runner = new DeciderCommandRunner(store, fixedClock, randomIds, { maxAttempts: 60, baseDelayMs: 2 });
    await openSession(runner, 30);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => runner.run(trainingSessionDecider, STREAM, signUp(`p${i}`), metadata)),
    );
    const succeeded = outcomes.filter((o) => o.status === 'fulfilled');
    const failed = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(succeeded).toHaveLength(30);
    expect(failed).toHaveLength(20);
    for (const failure of failed) expect(failure.reason).toBeInstanceOf(SessionFull);
    // Some commands had to decide again on fresher state.
    expect(Math.max(...succeeded.map((o) => (o.status === 'fulfilled' ? o.value.attempts : 0)))).toBeGreaterThan(1);
    const events = await store.readStream(STREAM);
    expect(events.map((e) => e.revision)).toEqual(Array.from({ length: 31 }, (_, i) => BigInt(i)));
  });

  it('gives up after the bounded number of attempts with a clear conflict error', async () => {
    const runner = new DeciderCommandRunner(store, fixedClock, randomIds, { maxAttempts: 1, baseDelayMs: 0 });
    await openSession(runner, 100);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => runner.run(trainingSessionDecider, STREAM, signUp(`p${i}`), metadata)),
    );
    const conflicts = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(conflicts.length).toBeGreaterThan(0);
    const conflict = conflicts[0].reason as ConcurrencyConflictError;
    expect(conflict).toBeInstanceOf(ConcurrencyConflictError);
    expect(conflict.code).toBe('CONCURRENCY_CONFLICT');
    expect(conflict.message).toContain(STREAM);
    expect((await store.readStream(STREAM)).length).toBe(1 + outcomes.length - conflicts.length);
  });

  it("refuses at once, without retrying, when the client's expected revision (If-Match) is stale", async () => {
    const runner = new DeciderCommandRunner(store, fixedClock, randomIds);
    await openSession(runner, 5);
    await expect(
      runner.run(trainingSessionDecider, STREAM, signUp('p1'), { ...metadata, expectedRevision: NO_STREAM }),
    ).rejects.toMatchObject({
      code: 'CONCURRENCY_CONFLICT',
      attempts: 1,
    });
    const outcome = await runner.run(trainingSessionDecider, STREAM, signUp('p1'), {
      ...metadata,
      expectedRevision: 0n,
    });
    expect(outcome.revision).toBe(1n);
  });

  it('wraps events in the envelope: injected ids and clock, actor, reason, source, one correlation, causation', async () => {
    let n = 0;
    const countingIds: IdGenerator = { next: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}` };
    const runner = new DeciderCommandRunner(store, fixedClock, countingIds);
    const outcome = await runner.run(
      trainingSessionDecider,
      STREAM,
      { type: 'OpenTrainingSession', data: { sessionId: 's1', places: 3 } },
      {
        ...metadata,
        reason: '年度培训',
        sourceRef: '青府办〔2025〕12号',
        effectiveAt: '2025-05-01',
        causationId: 'request-9',
      },
    );
    const [stored] = await store.readStream(STREAM);
    expect(stored.eventId).toBe('00000000-0000-4000-8000-000000000002'); // id 1 went to the correlation
    expect(stored.data).toEqual({ sessionId: 's1', places: 3, openedAt: '2025-05-06T01:02:03.000Z' });
    expect(stored.metadata).toEqual({
      schemaVersion: 1,
      recordedAt: '2025-05-06T01:02:03.000Z',
      effectiveAt: '2025-05-01',
      actor: SYSTEM_ADMIN,
      reason: '年度培训',
      sourceRef: '青府办〔2025〕12号',
      correlationId: '00000000-0000-4000-8000-000000000001',
      causationId: 'request-9',
      jurisdiction: 'qingpu',
    });
    expect(outcome.events[0]).toMatchObject({
      eventId: stored.eventId,
      revision: 0n,
      streamId: STREAM,
      type: 'TrainingSessionOpened',
    });
  });

  it('appends nothing when the decision is that nothing changes', async () => {
    const runner = new DeciderCommandRunner(store, fixedClock, randomIds);
    await openSession(runner, 5);
    const outcome = await runner.run(
      trainingSessionDecider,
      STREAM,
      { type: 'OpenTrainingSession', data: { sessionId: 's1', places: 5 } },
      metadata,
    );
    expect(outcome.events).toEqual([]);
    expect(outcome.revision).toBe(0n);
    expect(await store.readStream(STREAM)).toHaveLength(1);
  });

  describe('through the @nestjs/cqrs command bus', () => {
    class SignUpForTrainingCommand extends AggregateCommand<TrainingCommand, CommandOutcome<TrainingEvent>> {}

    /** A plain handler, as the application writes them; the infrastructure's binder puts it on the bus. */
    class SignUpForTrainingHandler implements BusCommandHandler<SignUpForTrainingCommand> {
      constructor(private readonly runner: DeciderCommandRunner) {}
      execute({ request, metadata }: SignUpForTrainingCommand) {
        const stream = `TrainingSession-${request.data.sessionId}`;
        return this.runner.run<TrainingCommand, TrainingEvent, TrainingState>(
          trainingSessionDecider,
          stream,
          request,
          metadata,
        );
      }
    }

    it('dispatches to the bound handler, which runs the decider and returns the outcome', async () => {
      const runner = new DeciderCommandRunner(store, fixedClock, randomIds);
      await openSession(runner, 2);
      const moduleRef = await Test.createTestingModule({ imports: [CqrsModule.forRoot()] }).compile();
      const bus = moduleRef.get(CommandBus);
      bindCommands(bus, [on(SignUpForTrainingCommand, new SignUpForTrainingHandler(runner))]);
      await moduleRef.init();
      const command = new SignUpForTrainingCommand(signUp('p7'), metadata, byPlatform('test'));
      const outcome: CommandOutcome<TrainingEvent> = await bus.execute(command);
      expect(outcome.events.map((e) => e.type)).toEqual(['SignedUpForTraining']);
      expect(outcome.revision).toBe(1n);
      await moduleRef.close();
    });
  });
});
