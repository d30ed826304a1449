import { mask } from '../../domain/person/identity';
import type { PersonState } from '../../domain/person/person.decider';
import { administersRecord } from '../../domain/access/read-policy';
import { AccessControl } from '../access/access-control';
import type { OrgTree } from '../org-node/org-tree';
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

/** A person's record is administration: their unit's admins and the person themself; for anyone else it does not exist. */
export class GetPersonHandler implements BusQueryHandler<GetPerson> {
  constructor(
    private readonly store: EventStore,
    private readonly tree: OrgTree,
    private readonly access: AccessControl,
  ) {}

  async execute({ principal, personId, effectiveOn }: GetPerson) {
    const viewer = await this.access.standingOf(principal);
    const { state, revision } = await loadPerson(this.store, personId, effectiveOn);
    if (state.status === 'NONE' || viewer === null) return { person: null, revision: null };
    const { state: tree } = await this.tree.load();
    const own = viewer.personId === personId;
    if (!own && !administersRecord(viewer, tree, AccessControl.nodesOf(state))) return { person: null, revision: null };
    return { person: { ...state, idNumber: mask(state.idNumber) }, revision };
  }
}
