/**
 * A small decider used only to exercise the decider kit: sign-ups to a training session (培训报名)
 * with a fixed number of places. Real aggregates live in src/domain/<aggregate>/.
 */
import type { Decider } from '../../src/domain/shared/decider';
import { DomainError } from '../../src/domain/shared/domain-error';

export type TrainingCommand =
  | { type: 'OpenTrainingSession'; data: { sessionId: string; places: number } }
  | { type: 'SignUpForTraining'; data: { sessionId: string; personId: string } };

export type TrainingEvent =
  | { type: 'TrainingSessionOpened'; data: { sessionId: string; places: number; openedAt: string } }
  | { type: 'SignedUpForTraining'; data: { sessionId: string; personId: string } };

export interface TrainingState {
  readonly open: boolean;
  readonly places: number;
  readonly attendees: readonly string[];
}

export class SessionFull extends DomainError {
  readonly code = 'TRAINING_SESSION_FULL';
  readonly kind = 'conflict';
  constructor(sessionId: string, places: number) {
    super(`培训 ${sessionId} 的 ${places} 个名额已满`, { sessionId, places });
  }
}

export class SessionNotOpen extends DomainError {
  readonly code = 'TRAINING_SESSION_NOT_OPEN';
  readonly kind = 'unprocessable';
  constructor(sessionId: string) {
    super(`培训 ${sessionId} 尚未开放报名`, { sessionId });
  }
}

export const trainingSessionDecider: Decider<TrainingCommand, TrainingEvent, TrainingState> = {
  initialState: () => ({ open: false, places: 0, attendees: [] }),
  decide(command, state, context) {
    switch (command.type) {
      case 'OpenTrainingSession':
        if (state.open) return [];
        return [{ type: 'TrainingSessionOpened', data: { ...command.data, openedAt: context.now.toISOString() } }];
      case 'SignUpForTraining':
        if (!state.open) throw new SessionNotOpen(command.data.sessionId);
        if (state.attendees.includes(command.data.personId)) return [];
        if (state.attendees.length >= state.places) throw new SessionFull(command.data.sessionId, state.places);
        return [{ type: 'SignedUpForTraining', data: command.data }];
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'TrainingSessionOpened':
        return { ...state, open: true, places: event.data.places };
      case 'SignedUpForTraining':
        return { ...state, attendees: [...state.attendees, event.data.personId] };
    }
  },
};
