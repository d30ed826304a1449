import { DeciderSpecification } from '../../../test/support/decider-specification';
import { type LeaseEvent, leaseDecider } from './lease.decider';

const NOW = new Date('2025-03-03T02:00:00.000Z');
const at = (ms: number) => new Date(NOW.getTime() + ms);
const spec = DeciderSpecification.for(leaseDecider, { now: NOW });
const acquiredByA: LeaseEvent = {
  type: 'LeaseAcquired',
  data: { lease: 'policies', holder: 'a', term: 1, expiresAt: at(10_000).toISOString() },
};

describe('the lease of a singleton worker', () => {
  it('is acquired when never held, opening term 1', () =>
    spec
      .given([])
      .when({ type: 'AcquireLease', data: { lease: 'policies', holder: 'a', ttlMs: 10_000 } })
      .then([acquiredByA]));

  it('is refused to another holder while it runs', () =>
    spec
      .given([acquiredByA])
      .when({ type: 'AcquireLease', data: { lease: 'policies', holder: 'b', ttlMs: 10_000 } }, { now: at(9_999) })
      .thenFails('LEASE_HELD'));

  it('is taken over once expired, in a new term', () =>
    spec
      .given([acquiredByA])
      .when({ type: 'AcquireLease', data: { lease: 'policies', holder: 'b', ttlMs: 10_000 } }, { now: at(10_000) })
      .then([
        {
          type: 'LeaseAcquired',
          data: { lease: 'policies', holder: 'b', term: 2, expiresAt: at(20_000).toISOString() },
        },
      ]));

  it('is taken at once after a release, in a new term', () =>
    spec
      .given([acquiredByA, { type: 'LeaseReleased', data: { lease: 'policies', holder: 'a', term: 1 } }])
      .when({ type: 'AcquireLease', data: { lease: 'policies', holder: 'b', ttlMs: 10_000 } }, { now: at(1) })
      .then([
        {
          type: 'LeaseAcquired',
          data: { lease: 'policies', holder: 'b', term: 2, expiresAt: at(10_001).toISOString() },
        },
      ]));

  it('is renewed by its holder in its term, even a little late when no one took it', () =>
    spec
      .given([acquiredByA])
      .when(
        { type: 'RenewLease', data: { lease: 'policies', holder: 'a', term: 1, ttlMs: 10_000 } },
        { now: at(12_000) },
      )
      .then([
        {
          type: 'LeaseRenewed',
          data: { lease: 'policies', holder: 'a', term: 1, expiresAt: at(22_000).toISOString() },
        },
      ]));

  it('refuses the renewal of a deposed holder: its term is over', () =>
    spec
      .given([
        acquiredByA,
        {
          type: 'LeaseAcquired',
          data: { lease: 'policies', holder: 'b', term: 2, expiresAt: at(25_000).toISOString() },
        },
      ])
      .when(
        { type: 'RenewLease', data: { lease: 'policies', holder: 'a', term: 1, ttlMs: 10_000 } },
        { now: at(16_000) },
      )
      .thenFails('LEASE_LOST'));

  it('lets only the current term’s holder release it', () => {
    spec
      .given([acquiredByA])
      .when({ type: 'ReleaseLease', data: { lease: 'policies', holder: 'a', term: 1 } })
      .then([{ type: 'LeaseReleased', data: { lease: 'policies', holder: 'a', term: 1 } }]);
    spec
      .given([acquiredByA])
      .when({ type: 'ReleaseLease', data: { lease: 'policies', holder: 'b', term: 1 } })
      .thenNothingHappens();
  });
});
