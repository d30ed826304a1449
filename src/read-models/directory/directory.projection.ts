/**
 * Directory read model: one document per person — the Person aggregate's state itself (folded with
 * the aggregate's own `evolve`, so the read side cannot drift from the write side's rules) plus
 * the fields queries need: `postNodeIds` (multikey: members of a node), `searchKeys` (multikey:
 * every substring of the name, "n:…", and the mobile number, "m:…"), and the jurisdiction's
 * directory matrix and accepted contacts for the visibility rules.
 */
import type { EventEnvelope } from '../../application/event-store/event-envelope';
import type { Change, Projection } from '../../application/projections/projection';
import type { Doc } from '../../application/read-store/read-store.port';
import { DEFAULT_MATRIX, type Matrix } from '../../domain/directory-policy/directory-policy.decider';
import { evolve as evolvePerson, type PersonEvent, type PersonState } from '../../domain/person/person.decider';

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

export const PERSON_EVENT_TYPES = [
  'PersonRegistered',
  'PersonProfileUpdated',
  'PersonPostChanged',
  'PersonTransferred',
  'SecondmentStarted',
  'SecondmentEnded',
  'ConcurrentPostAssigned',
  'ConcurrentPostRelieved',
  'PersonLeft',
  'PersonReinstated',
  'PersonDirectoryClassChanged',
  'PersonContactModeChanged',
];

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

function changesOf(event: EventEnvelope): Change[] {
  const d = event.data as Record<string, unknown>;
  if (PERSON_EVENT_TYPES.includes(event.type)) {
    const personEvent = { type: event.type, data: event.data } as PersonEvent;
    return [
      {
        collection: PERSONS,
        id: d.personId as string,
        apply: (current) => toDoc(evolvePerson(fromDoc(current), personEvent)),
      },
    ];
  }
  switch (event.type) {
    case 'DirectoryMatrixChanged':
      return [
        {
          collection: SETTINGS,
          id: MATRIX_ID,
          apply: () => ({ id: MATRIX_ID, matrix: d.to as Matrix as unknown as Doc }),
        },
      ];
    case 'ContactAccepted': {
      const pair = contactPairId(d.fromPersonId as string, d.toPersonId as string);
      return [
        {
          collection: CONTACTS,
          id: pair,
          apply: () => ({
            id: pair,
            personIds: [d.fromPersonId as string, d.toPersonId as string],
            acceptedAt: event.recordedAt,
          }),
        },
      ];
    }
    default:
      return [];
  }
}

/** The same id whichever of the two asked. */
export function contactPairId(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

export function matrixOf(settings: Doc | null): Matrix {
  return (settings?.matrix as unknown as Matrix | undefined) ?? DEFAULT_MATRIX;
}

export const directoryProjection: Projection = {
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
  eventTypes: [...PERSON_EVENT_TYPES, 'DirectoryMatrixChanged', 'ContactAccepted'],
  changesOf,
};
