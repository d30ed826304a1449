import { fold } from '../../domain/shared/decider';
import { type PersonEvent, type PersonState, personDecider, personStream } from '../../domain/person/person.decider';
import { domainEventsOf } from '../event-store/event-envelope';
import type { EventStore } from '../ports/event-store.port';
import { effectiveLocalDate } from '../calendar/working-days';

/**
 * The person as recorded. With `effectiveOn`, only the changes in effect on that date count
 * (bitemporal: a future-dated change takes effect on its date); the revision stays the recorded
 * one, since that is what a conditional write (If-Match) is checked against.
 */
export async function loadPerson(
  store: EventStore,
  personId: string,
  effectiveOn?: { date: string; timeZone: string },
): Promise<{ state: PersonState; revision: bigint | null }> {
  const recorded = await store.readStream(personStream(personId));
  const inEffect = (e: { effectiveAt: string }) =>
    !effectiveOn || effectiveLocalDate(e.effectiveAt, effectiveOn.timeZone) <= effectiveOn.date;
  return {
    state: fold(personDecider, domainEventsOf<PersonEvent>(recorded, inEffect)),
    revision: recorded.at(-1)?.revision ?? null,
  };
}
