/**
 * The load both HTTP benchmarks drive (bench:http, and the scale suite's HTTP step): autocannon
 * posting UpdatePersonProfile — a new office phone for a random person in post, so that every
 * request appends an event — and the people to pick from, read from the directory read model.
 */
import { join } from 'node:path';
import autocannon from 'autocannon';
import { ReadModels } from '../src/application/projections/read-models';
import { SqliteReadStore } from '../src/infrastructure/read-store/sqlite/sqlite-read-store';
import { DIRECTORY, PERSONS, type PersonDoc } from '../src/read-models/directory/directory.projection';
import { mulberry32 } from '../src/tools/synthetic/synthetic-jurisdiction';

export interface LoadResult {
  readonly commandsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly non2xx: number;
  readonly errors: number;
}

export async function profileChanges(options: {
  readonly port: number;
  readonly token: string;
  readonly people: readonly string[];
  readonly connections: number;
  readonly seconds: number;
  /** Seeds the choice of people; the phone numbers start at seed × 1,000,000. */
  readonly seed: number;
}): Promise<LoadResult> {
  const { people, seconds } = options;
  const random = mulberry32(options.seed);
  let sequence = options.seed * 1_000_000;
  const result = await autocannon({
    url: `http://127.0.0.1:${options.port}`,
    connections: options.connections,
    duration: seconds,
    headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' },
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => ({
          ...request,
          path: `/persons/${people[Math.floor(random() * people.length)]}/profile`,
          body: JSON.stringify({ changes: { officePhone: `0571-${String(10_000_000 + (sequence++ % 89_999_999))}` } }),
        }),
      },
    ],
  });
  return {
    commandsPerSecond: Math.round(result['2xx'] / seconds),
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/** People still in post (a departed person's profile change is refused, 409): the commands' targets. */
export async function activePeople(dataDir: string): Promise<string[]> {
  const readStore = new SqliteReadStore(join(dataDir, 'read-models.sqlite'));
  try {
    const models = new ReadModels(readStore, null, () => Date.now());
    return ((await models.find(DIRECTORY, PERSONS, { status: 'ACTIVE' })) as PersonDoc[]).map((p) => p.id);
  } finally {
    await readStore.close();
  }
}
