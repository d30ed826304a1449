import { DeciderSpecification } from '../../../test/support/decider-specification';
import {
  InvalidCorrection,
  LaterRecordsDependOnIt,
  personCorrectionDecider,
  type RecordFact,
  RecordNotFound,
  RecordNotRetractable,
} from './corrections';
import { idNumberCheckCharacter } from './identity';
import { type Post, type PersonEvent, personDecider } from './person.decider';
import { PersonNotFound } from './person.errors';

const spec = DeciderSpecification.for(personCorrectionDecider);
const id17 = '31011819800101001';
const post = (orgNodeId: string, kind: Post['kind'] = 'PRIMARY'): Post => ({
  orgNodeId,
  kind,
  title: '科员',
  postLevel: null,
  role: null,
  order: 0,
  from: null,
  until: null,
});
const registered: PersonEvent = {
  type: 'PersonRegistered',
  data: {
    personId: 'p1',
    name: '张三',
    idNumber: id17 + idNumberCheckCharacter(id17),
    gender: '1',
    mobile: '13812345678',
    officePhone: null,
    employment: { type: 'ON_ESTABLISHMENT', establishmentType: 'ADMINISTRATIVE' },
    rank: null,
    politicalStatus: null,
    leadershipDuties: null,
    primaryPost: post('edu'),
    directoryClass: 'Q1',
  },
};
const concurrent: PersonEvent = {
  type: 'ConcurrentPostAssigned',
  data: { personId: 'p1', post: post('fin', 'CONCURRENT') },
};
const left: PersonEvent = {
  type: 'PersonLeft',
  data: { personId: 'p1', reason: 'OTHER', primaryOrgNodeId: 'edu', posts: [post('edu'), post('fin', 'CONCURRENT')] },
};
const transferred: PersonEvent = {
  type: 'PersonTransferred',
  data: { personId: 'p1', from: post('edu'), to: post('health') },
};
const fact = (event: PersonEvent, independentLater = 0): RecordFact => ({
  eventId: 'e9',
  event,
  effectiveAt: '2025-03-01',
  independentLater,
});
const retract = (target: RecordFact | null) => ({
  type: 'RetractPersonRecord' as const,
  data: { personId: 'p1', eventId: 'e9', target },
});

describe('corrections of a person’s record (issue 18)', () => {
  it('retracts a departure recorded for the wrong person: active again, every post it ended restored', () => {
    const restored = { status: 'ACTIVE' as const, posts: [post('edu'), post('fin', 'CONCURRENT')] };
    spec
      .given([registered, concurrent, left])
      .when(retract(fact(left)))
      .then([
        {
          type: 'PersonRecordRetracted',
          data: { personId: 'p1', eventId: 'e9', retractedType: 'PersonLeft', restored },
        },
      ]);
    const state = [registered, concurrent, left].reduce(personDecider.evolve, personDecider.initialState());
    const after = personCorrectionDecider.decide(retract(fact(left)), state, {
      now: new Date(0),
      effectiveAt: '2025-03-05',
      actor: { accountId: 'a', role: 'SYSTEM_ADMIN' },
    });
    expect(after.reduce(personDecider.evolve, state)).toMatchObject(restored);
  });

  it('retracts a transfer: the primary post goes back where it was', () => {
    spec
      .given([registered, transferred])
      .when(retract(fact(transferred)))
      .then([
        {
          type: 'PersonRecordRetracted',
          data: {
            personId: 'p1',
            eventId: 'e9',
            retractedType: 'PersonTransferred',
            restored: { status: 'ACTIVE', posts: [post('edu')] },
          },
        },
      ]);
  });

  it('refuses a retraction that later records depend on, of a kind that cannot be undone, or of nothing', () => {
    spec
      .given([registered, transferred])
      .when(retract(fact(transferred, 2)))
      .thenThrows(LaterRecordsDependOnIt);
    spec
      .given([registered])
      .when(retract(fact(registered)))
      .thenThrows(RecordNotRetractable);
    spec.given([registered]).when(retract(null)).thenThrows(RecordNotFound);
    spec
      .given([])
      .when(retract(fact(left)))
      .thenThrows(PersonNotFound);
  });

  it('corrects an effective date, once; a malformed date is refused', () => {
    const correct = (effectiveAt: string) => ({
      type: 'CorrectEffectiveDate' as const,
      data: { personId: 'p1', eventId: 'e9', effectiveAt, target: fact(transferred) },
    });
    spec
      .given([registered, transferred])
      .when(correct('2025-02-01'))
      .then([
        {
          type: 'PersonEffectiveDateCorrected',
          data: {
            personId: 'p1',
            eventId: 'e9',
            correctedType: 'PersonTransferred',
            from: '2025-03-01',
            to: '2025-02-01',
          },
        },
      ]);
    spec.given([registered, transferred]).when(correct('2025-03-01')).thenNothingHappens();
    spec.given([registered, transferred]).when(correct('soon')).thenThrows(InvalidCorrection);
  });
});
