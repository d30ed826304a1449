/**
 * Directory read model: one document per person — the Person aggregate's state itself (folded with
 * the aggregate's own `evolve`, so the read side cannot drift from the write side's rules) plus
 * the fields queries need: `postNodeIds` (multikey: members of a node), `searchKeys` (multikey:
 * every substring of the name, "n:…", and the mobile number, "m:…"), and the jurisdiction's
 * directory matrix and accepted contacts for the visibility rules.
 */
import type { TypedEnvelope } from '../../application/event-store/event-envelope';
import type { Change, Projection } from '../../application/projections/projection';
import type { Doc } from '../../application/ports/read-store.port';
import type { ContactRequestEvent } from '../../domain/contact-request/contact-request.decider';
import {
  DEFAULT_MATRIX,
  type DirectoryPolicyEvent,
  type Matrix,
} from '../../domain/directory-policy/directory-policy.decider';
import {
  evolve as evolvePerson,
  PERSON_EVENT_TYPES,
  type PersonEvent,
  type PersonState,
} from '../../domain/person/person.decider';

export const DIRECTORY = 'directory';
export const PERSONS = 'persons';
export const CONTACTS = 'contacts';
export const SETTINGS = 'settings';
export const MATRIX_ID = 'matrix';

export type PersonDoc = Doc &
  Exclude<PersonState, { status: 'NONE' }> & {
    readonly postNodeIds: string[];
    readonly primaryNodeId: string | null;
    readonly searchKeys: string[];
  };

type Consumed = PersonEvent | DirectoryPolicyEvent | Extract<ContactRequestEvent, { type: 'ContactAccepted' }>;

const CONSUMED: ReadonlyArray<Consumed['type']> = [...PERSON_EVENT_TYPES, 'DirectoryMatrixChanged', 'ContactAccepted'];

function isPersonEvent(event: TypedEnvelope<Consumed>): event is TypedEnvelope<PersonEvent> {
  return (PERSON_EVENT_TYPES as readonly string[]).includes(event.type);
}

/** Longest name substring indexed: longer partial queries are cut to this length and checked in memory. */
export const MAX_KEY_LENGTH = 6;

export function normalizeSearch(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
}

export function nameKeys(name: string): string[] {
  const text = [...normalizeSearch(name)];
  const keys = new Set<string>();
  for (let i = 0; i < text.length; i++) {
    for (let j = i + 1; j <= Math.min(text.length, i + MAX_KEY_LENGTH); j++) keys.add(`n:${text.slice(i, j).join('')}`);
  }
  return [...keys];
}

function toDoc(state: PersonState): Doc | null {
  if (state.status === 'NONE') return null;
  const active = state.status === 'ACTIVE';
  // A departed person is no one's member and cannot be found; the document stays for the record.
  return {
    ...(state as unknown as Doc),
    id: state.personId,
    postNodeIds: active ? state.posts.map((p) => p.orgNodeId) : [],
    primaryNodeId: state.posts.find((p) => p.kind === 'PRIMARY')?.orgNodeId ?? null,
    searchKeys: active ? [...nameKeys(state.name), `m:${state.mobile}`] : [],
  };
}

function fromDoc(doc: Doc | null): PersonState {
  if (!doc) return { status: 'NONE' };
  const { postNodeIds, primaryNodeId, searchKeys, id, ...state } = doc as PersonDoc;
  void postNodeIds;
  void primaryNodeId;
  void searchKeys;
  void id;
  return state as unknown as PersonState;
}

function changesOf(event: TypedEnvelope<Consumed>): Change[] {
  if (isPersonEvent(event)) {
    const apply = (current: Doc | null) => toDoc(evolvePerson(fromDoc(current), event));
    return [{ collection: PERSONS, id: event.data.personId, apply }];
  }
  switch (event.type) {
    case 'DirectoryMatrixChanged': {
      const matrix = event.data.to as unknown as Doc;
      return [{ collection: SETTINGS, id: MATRIX_ID, apply: () => ({ id: MATRIX_ID, matrix }) }];
    }
    case 'ContactAccepted': {
      const { fromPersonId, toPersonId } = event.data;
      const pair = contactPairId(fromPersonId, toPersonId);
      const contact = { id: pair, personIds: [fromPersonId, toPersonId], acceptedAt: event.recordedAt };
      return [{ collection: CONTACTS, id: pair, apply: () => contact }];
    }
  }
}

/** The same id whichever of the two asked. */
export function contactPairId(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

export function matrixOf(settings: Doc | null): Matrix {
  return (settings?.matrix as unknown as Matrix | undefined) ?? DEFAULT_MATRIX;
}

export const directoryProjection: Projection<Consumed> = {
  name: DIRECTORY,
  version: 1,
  collections: [
    {
      name: PERSONS,
      indexes: [
        { fields: ['postNodeIds'], multikey: true },
        { fields: ['searchKeys'], multikey: true },
        { fields: ['status', 'directoryClass'] },
        { fields: ['primaryNodeId'] },
      ],
    },
    { name: CONTACTS },
    { name: SETTINGS },
  ],
  eventTypes: CONSUMED,
  changesOf,
};
