import { DeciderSpecification } from './decider-specification';
import { SessionFull, SessionNotOpen, trainingSessionDecider } from './training-session.decider';

const spec = DeciderSpecification.for(trainingSessionDecider);
const opened = {
  type: 'TrainingSessionOpened',
  data: { sessionId: 's1', places: 1, openedAt: '2025-03-03T02:00:00.000Z' },
} as const;

describe('DeciderSpecification (given/when/then)', () => {
  it('passes the injected time to the decider', () => {
    spec
      .given([])
      .when({ type: 'OpenTrainingSession', data: { sessionId: 's1', places: 1 } })
      .then([opened]);
  });

  it('asserts the events produced', () => {
    spec
      .given([opened])
      .when({ type: 'SignUpForTraining', data: { sessionId: 's1', personId: 'p1' } })
      .then([{ type: 'SignedUpForTraining', data: { sessionId: 's1', personId: 'p1' } }]);
  });

  it('asserts that nothing happens', () => {
    spec
      .given([opened])
      .when({ type: 'OpenTrainingSession', data: { sessionId: 's1', places: 9 } })
      .thenNothingHappens();
  });

  it('asserts a typed domain error with its code and details', () => {
    spec
      .given([opened, { type: 'SignedUpForTraining', data: { sessionId: 's1', personId: 'p1' } }])
      .when({ type: 'SignUpForTraining', data: { sessionId: 's1', personId: 'p2' } })
      .thenThrows(SessionFull, (error) => {
        expect(error.code).toBe('TRAINING_SESSION_FULL');
        expect(error.details).toEqual({ sessionId: 's1', places: 1 });
      });
  });

  it('fails when the decider does not throw the expected error', () => {
    expect(() =>
      spec
        .given([opened])
        .when({ type: 'SignUpForTraining', data: { sessionId: 's1', personId: 'p1' } })
        .thenThrows(SessionNotOpen),
    ).toThrow();
  });

  it('fails when the events differ', () => {
    expect(() =>
      spec
        .given([])
        .when({ type: 'OpenTrainingSession', data: { sessionId: 's1', places: 2 } })
        .then([opened]),
    ).toThrow();
  });
});
