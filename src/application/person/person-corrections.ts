/**
 * Corrections of a person's record (issue 18): retract a recorded event that was wrong, or correct
 * its effective date, with a reason and a 文号 — recorded as an event of its own that points at the
 * corrected one. The target and the person's later records are read from the stream here; the
 * rules are the domain's (corrections.ts). A retraction that makes the person active again claims
 * their mobile again; one that makes them departed again frees it.
 */
import {
  type PersonCorrectionCommand,
  personCorrectionDecider,
  type RecordFact,
} from '../../domain/person/corrections';
import { type PersonEvent, type PersonState, personStream } from '../../domain/person/person.decider';
import { RuleViolation } from '../../domain/shared/domain-error';
import type { AccessControl } from '../access/access-control';
import { AggregateCommand, type BusCommandHandler } from '../commands/command-bus';
import {
  type CommandMetadata,
  type CommandOutcome,
  type DeciderCommandRunner,
  envelopeOf,
  preparedOnce,
} from '../commands/decider-command-runner';
import { fromRecordedEvent } from '../event-store/event-envelope';
import type { Clock } from '../ports/clock.port';
import type { EventStore } from '../ports/event-store.port';
import type { IdGenerator } from '../ports/id-generator.port';
import type { UniqueValueReservations } from '../uniqueness/unique-value-reservations';

type WithoutTarget<C> = C extends { type: infer T; data: infer D } ? { type: T; data: Omit<D, 'target'> } : never;
export type CorrectionRequest = WithoutTarget<PersonCorrectionCommand>;

/** RetractPersonRecord or CorrectEffectiveDate, on one person's stream. */
export class CorrectPersonRecord extends AggregateCommand<CorrectionRequest, CommandOutcome<PersonEvent>> {}

export class PersonCorrectionHandler implements BusCommandHandler<CorrectPersonRecord> {
  constructor(
    private readonly runner: DeciderCommandRunner,
    private readonly store: EventStore,
    private readonly access: AccessControl,
    private readonly reservations: UniqueValueReservations,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  async execute({ request, metadata, issuer }: CorrectPersonRecord): Promise<CommandOutcome<PersonEvent>> {
    // A correction stands on an authority: who decided it, and why (000:9; the audit trail shows both).
    if (!metadata.reason?.trim() || !metadata.sourceRef?.trim())
      throw new RuleViolation(
        'CORRECTION_NEEDS_AUTHORITY',
        'unprocessable',
        '更正记录须写明原因（reason）和依据文号（sourceRef）',
        {},
      );
    const m: CommandMetadata = { ...metadata, correlationId: metadata.correlationId ?? this.ids.next() };
    const stream = personStream(request.data.personId);
    const loaded = await this.runner.load(personCorrectionDecider, stream);
    const prepare = async (state: PersonState): Promise<PersonCorrectionCommand> => {
      await this.access.check(issuer, () => this.access.person('更正人员记录', state));
      const target = await this.target(stream, request.data.eventId);
      return { ...request, data: { ...request.data, target } } as PersonCorrectionCommand;
    };
    const command = await prepare(loaded.state);
    this.runner.precheck(personCorrectionDecider, command, loaded.state, m);
    const run = () => this.runner.run(personCorrectionDecider, stream, preparedOnce(command, prepare), m, loaded);
    const before = loaded.state;
    const restored =
      command.type === 'RetractPersonRecord' &&
      command.data.target?.event.type === 'PersonLeft' &&
      before.status === 'LEFT';
    const envelope = envelopeOf(m, this.clock.now(), m.correlationId!);
    // Active again: the mobile is theirs again, claimed before the retraction is recorded.
    if (restored) return this.reservations.holding([['Mobile', before.mobile]], before.personId, envelope, run);
    const outcome = await run();
    const { state } = await this.runner.load(personCorrectionDecider, stream);
    if (before.status === 'ACTIVE' && state.status === 'LEFT')
      await this.reservations.release('Mobile', state.mobile, state.personId, envelope);
    return outcome;
  }

  /** The event named, and how many later records of the stream are neither its consequences nor its corrections. */
  private async target(stream: string, eventId: string): Promise<RecordFact | null> {
    const recorded = await this.store.readStream(stream);
    const at = recorded.findIndex((e) => e.eventId === eventId);
    if (at < 0) return null;
    const envelope = fromRecordedEvent<PersonEvent>(recorded[at]);
    const independentLater = recorded.slice(at + 1).filter((later) => {
      const e = fromRecordedEvent<PersonEvent>(later);
      const correctsIt = 'eventId' in e.data && e.data.eventId === eventId;
      return e.causationId !== eventId && !correctsIt;
    }).length;
    const event = { type: envelope.type, data: envelope.data } as PersonEvent;
    return { eventId, event, effectiveAt: envelope.effectiveAt, independentLater };
  }
}
