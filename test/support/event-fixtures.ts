/**
 * Fixtures of every published schema version (test/published-events/fixtures/<Type>.v<N>.json):
 * a stored event (type, data, metadata) as it was written when that version was current. New
 * versions are captured from the domain's own given/when/then specs, by running them with
 * CAPTURE_EVENT_FIXTURES=test/published-events/fixtures (an existing fixture is never overwritten:
 * it is the record of what was published).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { currentVersionOf } from '../../src/application/event-store/event-versions';
import type { DomainEvent } from '../../src/domain/shared/decider';

export const FIXTURES_DIR = join(__dirname, '..', 'published-events', 'fixtures');

export function captureFixture(event: DomainEvent): void {
  const dir = process.env.CAPTURE_EVENT_FIXTURES;
  if (!dir) return;
  const version = currentVersionOf(event.type);
  const file = join(dir, `${event.type}.v${version}.json`);
  if (existsSync(file)) return;
  const metadata = {
    schemaVersion: version,
    recordedAt: '2025-03-03T02:00:00.000Z',
    effectiveAt: '2025-03-03',
    actor: { accountId: 'account-admin', personId: 'person-admin', role: 'SYSTEM_ADMIN' },
    reason: null,
    sourceRef: null,
    correlationId: '00000000-0000-4000-8000-000000000001',
    causationId: null,
    jurisdiction: 'qingpu',
  };
  writeFileSync(file, `${JSON.stringify({ type: event.type, data: event.data, metadata }, null, 2)}\n`);
}
