/** Helpers for read-model tests: a varied history over HTTP, and a dump of every read model's documents. */
import { isDeepStrictEqual } from 'node:util';
import request from 'supertest';
import { LEAVES, MERKLE_LOG } from '../../src/application/integrity/merkle-log';
import { generateDistrict } from '../../src/tools/district-workbook';
import type { AnyProjection } from '../../src/application/projections/projection';
import { activeGeneration, type Doc, physicalName, type ReadStore } from '../../src/application/ports/read-store.port';
import type { TestApp } from './test-app';
import { withHrNotice } from './hr-notice';

/** A supertest parser that keeps a binary answer (an XLSX download) as one Buffer: `.buffer(true).parse(binaryBody)`. */
export function binaryBody(response: request.Response, callback: (error: Error | null, body: Buffer) => void): void {
  const stream = response as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => callback(null, Buffer.concat(chunks)));
}

/** Every document of every ACTIVE read model, by projection/collection, sorted by id. */
export async function dumpReadModels(
  store: ReadStore,
  projections: readonly AnyProjection[],
): Promise<Record<string, Doc[]>> {
  const out: Record<string, Doc[]> = {};
  for (const projection of projections) {
    const active = activeGeneration(await store.generations(projection.name));
    if (!active) throw new Error(`${projection.name} has no ACTIVE generation`);
    for (const collection of projection.collections) {
      out[`${projection.name}/${collection.name}`] = await store.find(
        physicalName(projection.name, active.generation, collection.name),
        {},
        { sort: [] },
      );
    }
  }
  return out;
}

/**
 * A district of `people` imported, then changes that touch every projection: transfers, a
 * departure, renames, a subtree moved, a node hidden, classes and contact modes, the matrix, a
 * contact request accepted. Returns the position of the last event.
 */
export async function buildHistory(testApp: TestApp, people: number): Promise<string> {
  const server = testApp.app.getHttpServer();
  let last = '';
  const send = async (path: string, body: object, headers = testApp.admin) => {
    const response = await request(server).post(path).set(headers).send(withHrNotice(path, body));
    if (response.status !== 200) throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
    if (typeof response.body.position === 'string') last = response.body.position;
    return response.body;
  };
  const { workbook } = await generateDistrict(people, 11);
  const imported = await request(server).post('/imports').set(testApp.admin).attach('files', workbook, 'district.xlsx');
  if (imported.status !== 200 || imported.body.peopleRegistered !== people)
    throw new Error(`import: ${imported.status} ${JSON.stringify(imported.body)}`);
  for (let n = 0; n < Math.min(people, 40); n += 4) {
    await send(`/persons/p${n}/transfer`, {
      to: { orgNodeId: `u${n % 48}`, title: '科员' },
      effectiveAt: '2025-06-02',
      sourceRef: `青人调〔2025〕${n}号`,
    });
  }
  await send('/persons/p1/departure', { departureReason: 'RETIRED', effectiveAt: '2025-07-01' });
  await send('/persons/p3/directory-class', { directoryClass: 'Q1' });
  await send('/persons/p5/contact-mode', { contactMode: { searchable: false, addable: true } });
  await send('/persons/p7/profile', {
    changes: { officePhone: '021-59720000', mobile: '13999990007' },
    reason: '本人申请',
  });
  await send('/org-nodes/u2/rename', { name: '区第3局（更名）' });
  await send('/org-nodes/u3/move', { toParentId: 'l1-9' });
  await send('/org-nodes/u4/hidden', { hidden: true, visibleTo: ['p9'] });
  await send('/directory-policy/matrix', {
    matrix: {
      Q1: { Q1: 'DIRECT', Q2: 'DIRECT', Q3: 'DIRECT', Q4: 'DIRECT' },
      Q2: { Q1: 'SEARCH_ADD', Q2: 'DIRECT', Q3: 'DIRECT', Q4: 'DIRECT' },
      Q3: { Q1: 'NONE', Q2: 'SEARCH_ADD', Q3: 'DIRECT', Q4: 'DIRECT' },
      Q4: { Q1: 'NONE', Q2: 'SEARCH_ADD', Q3: 'DIRECT', Q4: 'DIRECT' },
    },
  });
  await send('/accounts', { accountId: 'acc-p2', type: 'USER', personId: 'p2', loginName: 'user.p2' });
  await send('/accounts', { accountId: 'acc-p6', type: 'USER', personId: 'p6', loginName: 'user.p6' });
  await send('/accounts/acc-p2/activate', {});
  await send('/accounts/acc-p6/activate', {});
  return last;
}

/**
 * The read models of a history and of that history carried on: a service start takes its leases
 * (events, issue 25), which only the Merkle log, covering every event, takes in. Every other read
 * model is the same; the Merkle log's earlier leaves are all still there.
 */
export function expectSameReadModels(later: Record<string, Doc[]>, earlier: Record<string, Doc[]>): void {
  const merkleLog = (key: string) => key.startsWith(`${MERKLE_LOG}/`);
  const rest = (dump: Record<string, Doc[]>) => Object.fromEntries(Object.entries(dump).filter(([k]) => !merkleLog(k)));
  expect(rest(later)).toEqual(rest(earlier));
  const leaves = new Map((later[`${MERKLE_LOG}/${LEAVES}`] ?? []).map((leaf) => [leaf.id, leaf]));
  const missing = (earlier[`${MERKLE_LOG}/${LEAVES}`] ?? []).filter(
    (leaf) => !isDeepStrictEqual(leaves.get(leaf.id), leaf),
  );
  expect(missing).toEqual([]);
}
