/**
 * Runs a command through a decider: load the stream, fold it with `evolve`, `decide`, append with
 * the revision the decision was taken on, and on a concurrent write re-load and decide again, a
 * bounded number of times. Framework-free; DeciderCommandHandler plugs it into @nestjs/cqrs.
 */
import { FoldedStreams, type LoadedStream } from './folded-streams';
import type { Actor } from '../../domain/shared/actor';
import type { Decider, DomainCommand, DomainEvent } from '../../domain/shared/decider';
import { fold } from '../../domain/shared/decider';
import { currentVersionOf } from '../event-store/event-versions';
import {
  domainEventsOf,
  type EnvelopeMetadata,
  type EventEnvelope,
  toEventToAppend,
} from '../event-store/event-envelope';
import { WrongExpectedVersionError } from '../event-store/event-store.errors';
import { type EventStore, type ExpectedRevision, NO_STREAM } from '../ports/event-store.port';
import type { Position } from '../event-store/position';
import type { Clock } from '../ports/clock.port';
import type { IdGenerator } from '../ports/id-generator.port';

/** Who, why, when and on whose authority: supplied by the HTTP edge or by a policy. */
export interface CommandMetadata {
  readonly actor: Actor;
  readonly jurisdiction: string;
  /** 业务发生日期; defaults to the recording time. */
  readonly effectiveAt?: string;
  readonly reason?: string | null;
  readonly sourceRef?: string | null;
  /** Shared by every event of one operation (a merge of 2,000 people is one correlation). */
  readonly correlationId?: string;
  readonly causationId?: string | null;
  /** The W3C trace context of the step issuing the command: its events carry it. */
  readonly traceparent?: string | null;
  /**
   * The revision the client last saw (HTTP If-Match). When given, a stale view is an immediate
   * conflict instead of a retry: the client must look again before deciding.
   */
  readonly expectedRevision?: bigint | typeof NO_STREAM;
  /** Record the change's lag in working days in the envelope (person changes, 000:9). */
  readonly recordTimeliness?: boolean;
  /**
   * Decide and stop: nothing is reserved or appended, the outcome lists what would be (a
   * request's change checked when it is filed, by the decider that will execute it).
   */
  readonly validateOnly?: boolean;
}

export interface CommandOutcome<Event extends DomainEvent = DomainEvent> {
  readonly streamId: string;
  /** The events this command appended; empty when the decision was that nothing changes. */
  readonly events: ReadonlyArray<AppendedEvent<Event>>;
  /** The stream's revision after the command (null: the stream still does not exist). */
  readonly revision: bigint | null;
  readonly position: Position | null;
  readonly attempts: number;
}

/** An appended event with its envelope; its global position is known only for the last one (`position`). */
export type AppendedEvent<Event extends DomainEvent = DomainEvent> = Omit<EventEnvelope<Event>, 'position'>;

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  /** Upper bound of the random pause before attempt n, multiplied by n. */
  readonly baseDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 5 };

export class ConcurrencyConflictError extends Error {
  readonly code = 'CONCURRENCY_CONFLICT';
  constructor(
    readonly streamId: string,
    readonly attempts: number,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`记录 ${streamId} 正被他人同时修改（期望版本 ${expected}，当前版本 ${actual}），请刷新后重试`);
    this.name = 'ConcurrencyConflictError';
  }
}

/** Schema version of each event type (event-versions.ts); 1 unless an event type has been revised. */
export type SchemaVersions = (eventType: string) => number;

/** The lag of a change recorded at `recordedAt` with effective date `effectiveAt`. */
export type TimelinessOf = (effectiveAt: string, recordedAt: Date) => NonNullable<EnvelopeMetadata['timeliness']>;

/** The envelope of an event recorded at `now` for a command with this metadata. */
export function envelopeOf(
  metadata: CommandMetadata,
  now: Date,
  correlationId: string,
  schemaVersion = 1,
  timeliness?: EnvelopeMetadata['timeliness'],
): EnvelopeMetadata {
  return {
    schemaVersion,
    recordedAt: now.toISOString(),
    effectiveAt: metadata.effectiveAt ?? now.toISOString(),
    actor: metadata.actor,
    reason: metadata.reason ?? null,
    sourceRef: metadata.sourceRef ?? null,
    correlationId,
    causationId: metadata.causationId ?? null,
    jurisdiction: metadata.jurisdiction,
    ...(timeliness ? { timeliness } : {}),
    ...(metadata.traceparent ? { traceparent: metadata.traceparent } : {}),
  };
}

/** Turns a request into the decider's command on the state just loaded: authorization and facts happen here. */
export type Prepare<Command, State> = (state: State) => Command | Promise<Command>;

export type { LoadedStream };

export class DeciderCommandRunner {
  private readonly folded: FoldedStreams;

  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly retry: RetryPolicy = DEFAULT_RETRY_POLICY,
    private readonly schemaVersions: SchemaVersions = currentVersionOf,
    private readonly timelinessOf: TimelinessOf | null = null,
  ) {
    this.folded = new FoldedStreams(store);
  }

  /** Reads and folds a stream (one read: of the whole stream, or of what follows the cached fold). */
  load<Event extends DomainEvent, State>(
    decider: Pick<Decider<DomainCommand, Event, State>, 'initialState' | 'evolve'>,
    streamId: string,
  ): Promise<LoadedStream<State>> {
    return this.folded.load(decider, streamId);
  }

  /**
   * Decides without writing (throws the decider's refusal): a command that must claim other
   * streams first (unique values) is checked before anything is claimed.
   */
  precheck<Command extends DomainCommand, Event extends DomainEvent, State>(
    decider: Decider<Command, Event, State>,
    command: Command,
    state: State,
    metadata: CommandMetadata,
  ): void {
    const now = this.clock.now();
    decider.decide(command, state, {
      now,
      effectiveAt: metadata.effectiveAt ?? now.toISOString(),
      actor: metadata.actor,
    });
  }

  /**
   * Loads the stream once, prepares the command on the state it holds (a handler authorizes there
   * and resolves the facts the decider needs), decides and appends with the revision the decision
   * was taken on. `loaded`, when the handler already read the stream, stands for the first read.
   * On a concurrent write the stream is read again and the command prepared again.
   */
  async run<Command extends DomainCommand, Event extends DomainEvent, State>(
    decider: Decider<Command, Event, State>,
    streamId: string,
    command: Command | Prepare<Command, State>,
    metadata: CommandMetadata,
    loaded?: LoadedStream<State>,
  ): Promise<CommandOutcome<Event>> {
    const correlationId = metadata.correlationId ?? this.ids.next();
    let read: LoadedStream<State> | undefined = loaded;
    for (let attempt = 1; ; attempt++) {
      const { state, revision: current, position } = read ?? (await this.load(decider, streamId));
      read = undefined;
      const prepared = typeof command === 'function' ? await command(state) : command;
      const currentLabel = current === null ? NO_STREAM : current.toString();

      if (metadata.expectedRevision !== undefined && metadata.expectedRevision !== (current ?? NO_STREAM)) {
        throw new ConcurrencyConflictError(streamId, attempt, String(metadata.expectedRevision), currentLabel);
      }

      const now = this.clock.now();
      const effectiveAt = metadata.effectiveAt ?? now.toISOString();
      const decided = decider.decide(prepared, state, { now, effectiveAt, actor: metadata.actor });
      const timeliness =
        metadata.recordTimeliness && this.timelinessOf ? this.timelinessOf(effectiveAt, now) : undefined;
      if (decided.length === 0) {
        return { streamId, events: [], revision: current, position, attempts: attempt };
      }

      const envelopes = decided.map((event) => ({
        eventId: this.ids.next(),
        event,
        metadata: envelopeOf(metadata, now, correlationId, this.schemaVersions(event.type), timeliness),
      }));
      const expected: ExpectedRevision = current ?? NO_STREAM;
      const appended = (first: bigint) =>
        envelopes.map(({ eventId, event, metadata: m }, i) => ({
          ...m,
          eventId,
          type: event.type,
          data: event.data,
          streamId,
          revision: first + BigInt(i),
        }));
      if (metadata.validateOnly)
        return {
          streamId,
          events: appended((current ?? -1n) + 1n),
          revision: current,
          position: null,
          attempts: attempt,
        };
      try {
        const result = await this.store.append(
          streamId,
          envelopes.map(({ eventId, event, metadata: m }) => toEventToAppend(eventId, event, m)),
          expected,
        );
        const first = result.nextExpectedRevision - BigInt(envelopes.length) + 1n;
        return {
          streamId,
          events: appended(first),
          revision: result.nextExpectedRevision,
          position: result.position,
          attempts: attempt,
        };
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        if (metadata.expectedRevision !== undefined || attempt >= this.retry.maxAttempts) {
          throw new ConcurrencyConflictError(streamId, attempt, String(expected), String(error.actual));
        }
        // Jittered pause so that racing writers do not collide again in lockstep.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * this.retry.baseDelayMs * attempt));
      }
    }
  }
}

/** An aggregate's current state and the revision it was read at (for If-Match and ETag). */
export async function loadAggregate<Event extends DomainEvent, State>(
  store: EventStore,
  decider: Pick<Decider<DomainCommand, Event, State>, 'initialState' | 'evolve'>,
  streamId: string,
): Promise<{ state: State; revision: bigint | null }> {
  const recorded = await store.readStream(streamId);
  return { state: fold(decider, domainEventsOf<Event>(recorded)), revision: recorded.at(-1)?.revision ?? null };
}

/** A command already prepared on the loaded state, prepared again only when a concurrent write forces a retry. */
export function preparedOnce<Command, State>(
  command: Command,
  prepare: Prepare<Command, State>,
): Prepare<Command, State> {
  let first: Command | null = command;
  return (state) => {
    if (first === null) return prepare(state);
    const prepared = first;
    first = null;
    return prepared;
  };
}
