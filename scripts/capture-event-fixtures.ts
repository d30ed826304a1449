/**
 * Captures one stored event of every type a varied test history produces, as the fixtures of the
 * current schema versions (test/published-events/fixtures/<Type>.v<N>.json). Run once when a
 * version is published (`node -r @swc-node/register scripts/capture-event-fixtures.ts`); existing
 * fixtures are never overwritten: they are the record of what was published.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildHistory } from '../test/support/read-models';
import { startTestApp } from '../test/support/test-app';

const DIR = join(__dirname, '..', 'test', 'published-events', 'fixtures');

async function main(): Promise<void> {
  const app = await startTestApp({ POLICIES_ENABLED: 'true' });
  try {
    await buildHistory(app, 12);
    mkdirSync(DIR, { recursive: true });
    const seen = new Set<string>();
    for (const event of await app.store.readAll()) {
      const version = event.metadata.schemaVersion as number;
      const key = `${event.type}.v${version}`;
      if (seen.has(key) || !/^[A-Z]/.test(event.type)) continue;
      seen.add(key);
      const file = join(DIR, `${key}.json`);
      if (existsSync(file)) continue;
      const { type, data, metadata, streamId, revision } = event;
      writeFileSync(
        file,
        `${JSON.stringify({ type, streamId, revision: revision.toString(), data, metadata }, null, 2)}\n`,
      );
      process.stdout.write(`wrote ${key}\n`);
    }
  } finally {
    await app.close();
  }
}

void main();
