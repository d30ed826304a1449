/**
 * Corrections of a person's record (issue 18): a recorded event that was wrong is retracted, or its
 * effective date corrected, by an event of its own that points at it — never by another business
 * event (a reinstatement for a departure recorded for the wrong person would be false history).
 *
 * A retraction restores the posts and status the retracted event changed, so it is allowed only
 * while nothing recorded later depends on it: the person's later events must all be its own
 * consequences (the departure policy ending the posts it left behind). The application resolves
 * the target event and those later events; this module only judges.
 */
import type { Decider } from '../shared/decider';
import { DomainError } from '../shared/domain-error';
import { type Post, type PersonEvent, personDecider, type PersonState } from './person.decider';
import { PersonNotFound } from './person.errors';

/** The events that correct another, each naming it in `data.eventId`. */
export const CORRECTION_EVENT_TYPES: readonly string[] = ['PersonRecordRetracted', 'PersonEffectiveDateCorrected'];

/** A recorded event of the person's stream, as the application found it. */
export interface RecordFact {
  readonly eventId: string;
  readonly event: PersonEvent;
  readonly effectiveAt: string;
  /** Later events of the stream not caused by this one. */
  readonly independentLater: number;
}

export class RecordNotFound extends DomainError {
  readonly code = 'RECORD_NOT_FOUND';
  readonly kind = 'unprocessable';
  constructor(personId: string, eventId: string) {
    super(`人员 ${personId} 的记录中没有事件 ${eventId}`, { personId, eventId });
  }
}

export class RecordNotRetractable extends DomainError {
  readonly code = 'RECORD_NOT_RETRACTABLE';
  readonly kind = 'conflict';
  constructor(eventId: string, type: string) {
    super(
      `事件 ${eventId}（${type}）不能撤回：只能撤回调动、离职、复职、借调、兼职的记录，其余请以更正后的新记录办理`,
      {
        eventId,
        type,
      },
    );
  }
}

export class LaterRecordsDependOnIt extends DomainError {
  readonly code = 'LATER_RECORDS_DEPEND_ON_IT';
  readonly kind = 'conflict';
  constructor(eventId: string, later: number) {
    super(`事件 ${eventId} 之后还有 ${later} 条依赖它的记录，须先从最近的一条起逐条更正`, { eventId, later });
  }
}

/** The posts and status a retraction restores, from the state now and the retracted event. */
export function restoredBy(
  fact: RecordFact,
  posts: readonly Post[],
): { status: 'ACTIVE' | 'LEFT'; posts: Post[] } | null {
  const { event } = fact;
  switch (event.type) {
    case 'PersonLeft':
      return { status: 'ACTIVE', posts: [...event.data.posts] };
    case 'PersonTransferred':
      return { status: 'ACTIVE', posts: [event.data.from, ...posts.filter((p) => p.kind !== 'PRIMARY')] };
    case 'SecondmentStarted':
    case 'ConcurrentPostAssigned':
      return { status: 'ACTIVE', posts: posts.filter((p) => p.orgNodeId !== event.data.post.orgNodeId) };
    case 'PersonReinstated':
      return { status: 'LEFT', posts: [] };
    default:
      return null;
  }
}

/** The effective date a correction may set: a calendar date or an instant. */
export function assertEffectiveAt(value: string): void {
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value)) || !/^\d{4}-\d{2}-\d{2}/.test(value))
    throw new InvalidCorrection(`生效日期 ${String(value).slice(0, 40)} 无效，应为 YYYY-MM-DD`);
}

export class InvalidCorrection extends DomainError {
  readonly code = 'INVALID_CORRECTION';
  readonly kind = 'unprocessable';
  constructor(reason: string) {
    super(`更正无效：${reason}`, {});
  }
}

export type PersonCorrectionCommand =
  /** `target`: the recorded event the application found (null: none with that id). */
  | { type: 'RetractPersonRecord'; data: { personId: string; eventId: string; target: RecordFact | null } }
  | {
      type: 'CorrectEffectiveDate';
      data: { personId: string; eventId: string; effectiveAt: string; target: RecordFact | null };
    };

export function decideCorrection(command: PersonCorrectionCommand, state: PersonState): PersonEvent[] {
  const { personId, eventId, target } = command.data;
  if (state.status === 'NONE') throw new PersonNotFound(personId);
  if (!target) throw new RecordNotFound(personId, eventId);
  const type = target.event.type;
  if (type === 'PersonRecordRetracted' || type === 'PersonEffectiveDateCorrected')
    throw new RecordNotRetractable(eventId, type);
  if (command.type === 'CorrectEffectiveDate') {
    assertEffectiveAt(command.data.effectiveAt);
    if (command.data.effectiveAt === target.effectiveAt) return [];
    const data = { personId, eventId, correctedType: type, from: target.effectiveAt, to: command.data.effectiveAt };
    return [{ type: 'PersonEffectiveDateCorrected', data }];
  }
  const restored = restoredBy(target, state.posts);
  if (!restored) throw new RecordNotRetractable(eventId, type);
  if (target.independentLater > 0) throw new LaterRecordsDependOnIt(eventId, target.independentLater);
  return [{ type: 'PersonRecordRetracted', data: { personId, eventId, retractedType: type, restored } }];
}

/** The corrections as a decider on the Person stream: the person's own fold, these decisions. */
export const personCorrectionDecider: Decider<PersonCorrectionCommand, PersonEvent, PersonState> = {
  initialState: personDecider.initialState,
  decide: (command, state) => decideCorrection(command, state),
  evolve: personDecider.evolve,
};
