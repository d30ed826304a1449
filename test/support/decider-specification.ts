/**
 * Given/when/then for deciders (after emmett's DeciderSpecification):
 *
 *   const spec = DeciderSpecification.for(orgNodeDecider);
 *   spec.given([created]).when(rename).then([renamed]);
 *   spec.given([]).when(rename).thenThrows(OrgNodeNotFound, (e) => expect(e.details.orgNodeId).toBe('n1'));
 */
import type { Actor } from '../../src/domain/shared/actor';
import {
  type DecisionContext,
  type Decider,
  type DomainCommand,
  type DomainEvent,
  fold,
} from '../../src/domain/shared/decider';
import type { DomainError } from '../../src/domain/shared/domain-error';
import { captureFixture } from './event-fixtures';

export const SYSTEM_ADMIN: Actor = { accountId: 'account-admin', personId: 'person-admin', role: 'SYSTEM_ADMIN' };

export const DEFAULT_CONTEXT: DecisionContext = {
  now: new Date('2025-03-03T02:00:00.000Z'),
  effectiveAt: '2025-03-03',
  actor: SYSTEM_ADMIN,
};

export const DeciderSpecification = {
  for<C extends DomainCommand, E extends DomainEvent, S>(
    decider: Decider<C, E, S>,
    context: Partial<DecisionContext> = {},
  ) {
    const baseContext: DecisionContext = { ...DEFAULT_CONTEXT, ...context };
    return {
      given(events: readonly E[]) {
        return {
          when(command: C, overrides: Partial<DecisionContext> = {}) {
            const run = () => decider.decide(command, fold(decider, events), { ...baseContext, ...overrides });
            return {
              then(expected: readonly E[]): void {
                const produced = run();
                expect(produced).toEqual(expected);
                produced.forEach(captureFixture);
              },
              thenNothingHappens(): void {
                expect(run()).toEqual([]);
              },
              /** Refused with a RuleViolation (or any DomainError) of this code. */
              thenFails(code: string): void {
                let thrown: unknown;
                try {
                  thrown = new Error(`expected ${code}, but the decider produced ${JSON.stringify(run())}`);
                } catch (error) {
                  thrown = error;
                }
                expect((thrown as { code?: string }).code).toBe(code);
              },
              thenThrows<Err extends DomainError>(
                errorType: new (...args: never[]) => Err,
                check?: (error: Err) => void,
              ): void {
                let thrown: unknown;
                try {
                  const produced = run();
                  thrown = new Error(
                    `expected ${errorType.name}, but the decider produced ${JSON.stringify(produced)}`,
                  );
                } catch (error) {
                  thrown = error;
                }
                expect(thrown).toBeInstanceOf(errorType);
                check?.(thrown as Err);
              },
            };
          },
        };
      },
    };
  },
};
