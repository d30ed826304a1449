/**
 * A lease on a singleton worker (the policies and the scheduler today): at most one instance of
 * the service runs the worker at a time (issue 25). The lease lives in the event store, one stream
 * per worker; a holder acquires it when it is free or expired, renews it before it expires, and
 * releases it on a clean stop. Each acquisition opens a new term: the term is the fencing token
 * that what the worker writes carries, so that a holder deposed while paused finds its term gone.
 * Operational, like the policies' checkpoints: not part of the published domain history.
 */
import type { Decider, DomainCommand, DomainEvent } from '../shared/decider';
import { RuleViolation } from '../shared/domain-error';

export type LeaseEvent =
  | DomainEvent<'LeaseAcquired', { lease: string; holder: string; term: number; expiresAt: string }>
  | DomainEvent<'LeaseRenewed', { lease: string; holder: string; term: number; expiresAt: string }>
  | DomainEvent<'LeaseReleased', { lease: string; holder: string; term: number }>;

export type LeaseCommand =
  | DomainCommand<'AcquireLease', { lease: string; holder: string; ttlMs: number }>
  | DomainCommand<'RenewLease', { lease: string; holder: string; term: number; ttlMs: number }>
  | DomainCommand<'ReleaseLease', { lease: string; holder: string; term: number }>;

export interface LeaseState {
  /** The current term's holder; null when released or never held. */
  readonly holder: string | null;
  /** Terms so far (0: never held). */
  readonly term: number;
  readonly expiresAt: string | null;
}

export const leaseStream = (jurisdiction: string, lease: string) => `Lease-${jurisdiction}-${lease}`;

const expired = (state: LeaseState, now: Date) =>
  state.holder === null || state.expiresAt === null || Date.parse(state.expiresAt) <= now.getTime();

export const leaseDecider: Decider<LeaseCommand, LeaseEvent, LeaseState> = {
  initialState: () => ({ holder: null, term: 0, expiresAt: null }),

  decide(command, state, { now }) {
    switch (command.type) {
      case 'AcquireLease': {
        const { lease, holder, ttlMs } = command.data;
        const expiresAt = new Date(now.getTime() + ttlMs).toISOString();
        // Its own live lease: acquiring again only renews it.
        if (state.holder === holder && !expired(state, now))
          return [{ type: 'LeaseRenewed', data: { lease, holder, term: state.term, expiresAt } }];
        if (!expired(state, now))
          throw new RuleViolation(
            'LEASE_HELD',
            'conflict',
            `工作进程 ${lease} 正由 ${state.holder} 运行，至 ${state.expiresAt}`,
            {
              lease,
              holder: state.holder,
            },
          );
        return [{ type: 'LeaseAcquired', data: { lease, holder, term: state.term + 1, expiresAt } }];
      }
      case 'RenewLease': {
        const { lease, holder, term, ttlMs } = command.data;
        // A later term, or another holder: this holder was deposed (e.g. paused past its expiry).
        if (state.term !== term || state.holder !== holder)
          throw new RuleViolation('LEASE_LOST', 'conflict', `工作进程 ${lease} 的第 ${term} 任期已结束`, {
            lease,
            term,
            current: state.term,
          });
        return [
          {
            type: 'LeaseRenewed',
            data: { lease, holder, term, expiresAt: new Date(now.getTime() + ttlMs).toISOString() },
          },
        ];
      }
      case 'ReleaseLease': {
        const { lease, holder, term } = command.data;
        if (state.term !== term || state.holder !== holder) return [];
        return [{ type: 'LeaseReleased', data: { lease, holder, term } }];
      }
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'LeaseAcquired':
      case 'LeaseRenewed':
        return { holder: event.data.holder, term: event.data.term, expiresAt: event.data.expiresAt };
      case 'LeaseReleased':
        return { holder: null, term: state.term, expiresAt: null };
    }
  },
};
