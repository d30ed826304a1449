/**
 * The event envelope (DOMAIN.md "Event envelope"). The payload (`data`) is the domain event's plain
 * JSON; everything else travels in the stored event's metadata, so both adapters keep it verbatim
 * and EventStoreDB users see it in the metadata field they expect.
 */
import type { Actor, ActorRole } from '../../domain/shared/actor';
import { ACTOR_ROLES } from '../../domain/shared/actor';
import type { DomainEvent } from '../../domain/shared/decider';
import type { EventToAppend, RecordedEvent } from '../ports/event-store.port';
import type { JsonObject } from './json';
import { currentVersionOf, upcast } from './event-versions';
import type { Position } from './position';

/** The envelope fields stored as metadata. */
export interface EnvelopeMetadata {
  readonly schemaVersion: number;
  /** When the platform recorded the change (application clock), ISO 8601 UTC. */
  readonly recordedAt: string;
  /** When the change happened in reality (业务发生日期), ISO 8601. */
  readonly effectiveAt: string;
  readonly actor: Actor;
  readonly reason: string | null;
  /** The authority for the change, e.g. the HR notice's 文号. */
  readonly sourceRef: string | null;
  readonly correlationId: string;
  /** The event or request that caused this one; null for a first cause. */
  readonly causationId: string | null;
  readonly jurisdiction: string;
  /** The W3C trace context of the step that wrote the event (a command, a policy), for the next step to continue. */
  readonly traceparent?: string | null;
  /** Person changes: how many working days after its effective date the change was recorded (000:9, 001a:10). */
  readonly timeliness?: {
    readonly lagWorkingDays: number;
    readonly deadlineWorkingDays: number;
    readonly onTime: boolean;
  } | null;
}

/** A stored event with its envelope unpacked. */
export interface EventEnvelope<Event extends DomainEvent = DomainEvent> extends EnvelopeMetadata {
  readonly eventId: string;
  readonly type: Event['type'];
  readonly data: Event['data'];
  readonly streamId: string;
  readonly revision: bigint;
  readonly position: Position;
  /** The schema version the event was written with (before upcasting). */
  readonly storedVersion?: number;
}

/**
 * An envelope of one of the events of a union, discriminated by `type`: a `switch (event.type)`
 * narrows `data` to that event's shape.
 */
export type TypedEnvelope<Event extends DomainEvent> = Event extends DomainEvent ? EventEnvelope<Event> : never;

/** Whether an envelope carries one of `types`: narrows a union's envelope to that aggregate's events. */
export function isEventOf<Event extends DomainEvent>(
  types: ReadonlyArray<Event['type']>,
  event: { readonly type: string },
): event is TypedEnvelope<Event> {
  return (types as readonly string[]).includes(event.type);
}

/** The stored form of a domain event: its type's current schema version is stamped here, once for every writer. */
export function toEventToAppend(eventId: string, event: DomainEvent, metadata: EnvelopeMetadata): EventToAppend {
  return {
    eventId,
    type: event.type,
    data: event.data as JsonObject,
    metadata: { ...metadata, schemaVersion: currentVersionOf(event.type) } as unknown as JsonObject,
  };
}

export class MalformedEnvelopeError extends Error {
  readonly code = 'MALFORMED_ENVELOPE';
  constructor(
    readonly eventId: string,
    reason: string,
  ) {
    super(`事件 ${eventId} 的信封不完整：${reason}`);
  }
}

/**
 * The domain events of a stream's history, each envelope checked; `keep` leaves some out
 * (e.g. changes not yet in effect on a date).
 */
export function domainEventsOf<Event extends DomainEvent>(
  recorded: readonly RecordedEvent[],
  keep: (envelope: EventEnvelope<Event>) => boolean = () => true,
): Event[] {
  const events: Event[] = [];
  for (const event of recorded) {
    const envelope = fromRecordedEvent<Event>(event);
    if (keep(envelope)) events.push({ type: envelope.type, data: envelope.data } as Event);
  }
  return events;
}

/**
 * Unpacks and checks the envelope of a recorded event; the data is upcast to the current shape of
 * its type (event-versions.ts) and `schemaVersion` is then the current one; `storedVersion` keeps
 * the version it was written with.
 */
export function fromRecordedEvent<Event extends DomainEvent = DomainEvent>(
  recorded: RecordedEvent,
): EventEnvelope<Event> {
  const m = recorded.metadata;
  const fail = (reason: string): never => {
    throw new MalformedEnvelopeError(recorded.eventId, reason);
  };
  if (typeof m.schemaVersion !== 'number' || !Number.isInteger(m.schemaVersion) || m.schemaVersion < 1)
    fail('schemaVersion');
  if (typeof m.recordedAt !== 'string') fail('recordedAt');
  if (typeof m.effectiveAt !== 'string') fail('effectiveAt');
  if (typeof m.correlationId !== 'string') fail('correlationId');
  if (typeof m.jurisdiction !== 'string') fail('jurisdiction');
  const actor = m.actor as Record<string, unknown> | null;
  if (
    typeof actor !== 'object' ||
    actor === null ||
    typeof actor.accountId !== 'string' ||
    !ACTOR_ROLES.includes(actor.role as ActorRole)
  ) {
    fail('actor');
  }
  return {
    eventId: recorded.eventId,
    type: recorded.type as Event['type'],
    data: upcast(recorded.type, m.schemaVersion as number, recorded.data) as Event['data'],
    streamId: recorded.streamId,
    revision: recorded.revision,
    position: recorded.position,
    schemaVersion: currentVersionOf(recorded.type),
    storedVersion: m.schemaVersion as number,
    recordedAt: m.recordedAt as string,
    effectiveAt: m.effectiveAt as string,
    actor: actor as unknown as Actor,
    reason: typeof m.reason === 'string' ? m.reason : null,
    sourceRef: typeof m.sourceRef === 'string' ? m.sourceRef : null,
    correlationId: m.correlationId as string,
    causationId: typeof m.causationId === 'string' ? m.causationId : null,
    jurisdiction: m.jurisdiction as string,
    timeliness: (m.timeliness as EnvelopeMetadata['timeliness']) ?? null,
    traceparent: typeof m.traceparent === 'string' ? m.traceparent : null,
  };
}
