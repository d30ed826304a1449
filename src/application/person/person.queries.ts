import { mask } from '../../domain/person/identity';
import type { PersonState } from '../../domain/person/person.decider';
import type { EventStore } from '../ports/event-store.port';
import { type BusQueryHandler, PrincipalQuery } from '../queries/query-bus';
import { loadPerson } from './person.load';

export type PersonView = Exclude<PersonState, { status: 'NONE' }>;

/** A person as in effect on a date (ID number masked), with the recorded revision; null when there is none. */
export class GetPerson extends PrincipalQuery<{ person: PersonView | null; revision: bigint | null }> {
  constructor(
    principal: ConstructorParameters<typeof PrincipalQuery>[0],
    readonly personId: string,
    readonly effectiveOn: { readonly date: string; readonly timeZone: string },
  ) {
    super(principal);
  }
}

export class GetPersonHandler implements BusQueryHandler<GetPerson> {
  constructor(private readonly store: EventStore) {}

  async execute({ personId, effectiveOn }: GetPerson) {
    const { state, revision } = await loadPerson(this.store, personId, effectiveOn);
    if (state.status === 'NONE') return { person: null, revision };
    return { person: { ...state, idNumber: mask(state.idNumber) }, revision };
  }
}
