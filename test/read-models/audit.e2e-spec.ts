/**
 * The audit trail over HTTP: field-level diffs with actor, reason and 文号; queries by actor and
 * time range; CSV and XLSX export; a person changed five times across effective and recorded
 * dates, read back as of each recorded time and each effective date; and tamper evidence: one
 * stored payload altered in the SQLite file makes `verify` fail naming that event.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { verifyChain } from '../../src/application/integrity/hash-chain';
import { idNumberCheckCharacter } from '../../src/domain/person/identity';
import { SqliteEventStore } from '../../src/infrastructure/event-store/sqlite/sqlite-event-store';
import { makeTempDir } from '../support/temp-dir';
import { startTestApp, type TestApp, TEST_JWT_SECRET } from '../support/test-app';
import { binaryBody } from '../support/read-models';
import { withHrNotice } from '../support/hr-notice';

const id17 = '31011819850505001';
const pause = () => new Promise((resolve) => setTimeout(resolve, 15));

describe('audit trail, as-of and tamper evidence', () => {
  let testApp: TestApp;
  let dir: ReturnType<typeof makeTempDir>;
  let last = '';
  const server = () => testApp.app.getHttpServer();
  const send = async (path: string, body: object) => {
    const response = await request(server()).post(path).set(testApp.admin).send(withHrNotice(path, body));
    if (response.status !== 200) throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
    last = response.body.position;
    await pause();
    return response.body;
  };
  const get = (path: string) =>
    request(server())
      .get(path)
      .set({ ...testApp.admin, 'X-Consistent-With': last });

  beforeAll(async () => {
    dir = makeTempDir();
    testApp = await startTestApp({}, { keepDir: dir.path });
    await send('/org-nodes', {
      orgNodeId: 'edu',
      name: '区教育局',
      kind: 'UNIT',
      parentId: 'root',
      effectiveAt: '2025-01-01',
    });
    await send('/org-nodes', {
      orgNodeId: 'fin',
      name: '区财政局',
      kind: 'UNIT',
      parentId: 'root',
      effectiveAt: '2025-01-01',
    });
    // Five changes of one person; the last one is recorded late, effective before the third.
    await send('/persons', {
      personId: 'p1',
      name: '张三',
      idNumber: id17 + idNumberCheckCharacter(id17),
      gender: '1',
      mobile: '13812345678',
      employment: { type: 'CONTRACTED' },
      primaryPost: { orgNodeId: 'edu', title: '科员' },
      effectiveAt: '2025-01-02',
    });
    await send('/persons/p1/profile', {
      changes: { officePhone: '021-59720001' },
      effectiveAt: '2025-02-03',
      reason: '本人申请',
      sourceRef: '青教〔2025〕1号',
    });
    await send('/persons/p1/transfer', {
      to: { orgNodeId: 'fin', title: '副科长' },
      effectiveAt: '2025-04-01',
      sourceRef: '青人调〔2025〕7号',
    });
    await send('/persons/p1/directory-class', { directoryClass: 'Q2', effectiveAt: '2025-05-06' });
    await send('/persons/p1/profile', { changes: { rank: '四级主任科员' }, effectiveAt: '2025-03-03', reason: '补录' });
  });
  afterAll(async () => {
    await testApp.close();
    dir.remove();
  });

  it("an entity's history has field-level diffs with actor, reason and source reference", async () => {
    const history = await get('/audit/entries?entityType=Person&entityId=p1').expect(200);
    expect(history.body.entries.map((e: { type: string }) => e.type)).toEqual([
      'PersonRegistered',
      'PersonProfileUpdated',
      'PersonTransferred',
      'PersonDirectoryClassChanged',
      'PersonProfileUpdated',
    ]);
    const phone = history.body.entries[1];
    expect(phone).toMatchObject({
      actorAccountId: 'acc-admin',
      reason: '本人申请',
      sourceRef: '青教〔2025〕1号',
      changes: [{ field: 'officePhone', from: null, to: '021-59720001' }],
    });
    expect(phone.effectiveAt.slice(0, 10)).toBe('2025-02-03');
    const transfer = history.body.entries[2];
    expect(transfer.changes.map((c: { field: string }) => c.field)).toEqual(['posts']);
    expect(transfer.changes[0].from[0]).toMatchObject({ orgNodeId: 'edu', title: '科员' });
    expect(transfer.changes[0].to[0]).toMatchObject({ orgNodeId: 'fin', title: '副科长' });
    const node = await get('/audit/entries?entityType=OrgNode&entityId=fin').expect(200);
    expect(node.body.entries[0].changes).toEqual(
      expect.arrayContaining([{ field: 'name', from: null, to: '区财政局' }]),
    );
  });

  it('queries by actor and by recorded or effective time range', async () => {
    const all = (await get('/audit/entries?entityType=Person&entityId=p1').expect(200)).body.entries;
    const byActor = await get('/audit/entries?actor=acc-admin').expect(200);
    expect(byActor.body.entries.length).toBeGreaterThanOrEqual(all.length);
    expect((await get('/audit/entries?actor=nobody').expect(200)).body.entries).toEqual([]);
    const recorded = await get(
      `/audit/entries?recordedFrom=${encodeURIComponent(all[1].recordedAt)}&recordedTo=${encodeURIComponent(all[3].recordedAt)}`,
    ).expect(200);
    expect(recorded.body.entries.map((e: { eventId: string }) => e.eventId)).toEqual([all[1].eventId, all[2].eventId]);
    const effective = await get('/audit/entries?effectiveFrom=2025-03-01&effectiveTo=2025-04-01').expect(200);
    expect(effective.body.entries.map((e: { type: string }) => e.type).sort()).toEqual([
      'PersonProfileUpdated',
      'PersonTransferred',
    ]);
    expect((await get('/audit/entries?recordedFrom=yesterday').expect(422)).body.code).toBe('INVALID_AUDIT_QUERY');
    expect((await get('/audit/entries?entityType=Nope&entityId=x').expect(422)).body.code).toBe('INVALID_AUDIT_QUERY');
    const user = await request(server())
      .get('/audit/entries')
      .set(await testApp.bearer('acc-nobody'));
    expect(user.status).toBe(403);
  });

  it('exports an audit query to CSV and XLSX', async () => {
    const csv = await get('/audit/entries?entityType=Person&entityId=p1&format=csv').expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines).toHaveLength(6);
    expect(lines[0]).toContain('记录时间');
    expect(lines[2]).toContain('青教〔2025〕1号');
    const xlsx = await get('/audit/entries?entityType=Person&entityId=p1&format=xlsx')
      .buffer(true)
      .parse(binaryBody)
      .expect(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.body as never);
    const sheet = workbook.getWorksheet('审计记录')!;
    expect(sheet.rowCount).toBe(6);
    expect(String(sheet.getRow(3).getCell(10).value)).toBe('本人申请');
  });

  it('reads the person back as of each recorded time and each effective date', async () => {
    const entries = (await get('/audit/entries?entityType=Person&entityId=p1').expect(200)).body.entries as Array<{
      recordedAt: string;
    }>;
    const asOfRecorded = async (at: string) =>
      (await get(`/audit/Person/p1/as-of?recordedAt=${encodeURIComponent(at)}`).expect(200)).body.state;
    const states = [];
    for (const entry of entries) states.push(await asOfRecorded(entry.recordedAt));
    expect(states.map((s) => [s.officePhone, s.posts[0].orgNodeId, s.directoryClass, s.rank])).toEqual([
      [null, 'edu', 'Q4', null],
      ['021-59720001', 'edu', 'Q4', null],
      ['021-59720001', 'fin', 'Q4', null],
      ['021-59720001', 'fin', 'Q2', null],
      ['021-59720001', 'fin', 'Q2', '四级主任科员'],
    ]);
    const before = new Date(Date.parse(entries[0].recordedAt) - 1).toISOString();
    expect((await get(`/audit/Person/p1/as-of?recordedAt=${encodeURIComponent(before)}`).expect(404)).body.code).toBe(
      'ENTITY_NOT_FOUND',
    );

    const asOfEffective = async (day: string) =>
      (await get(`/audit/Person/p1/as-of?effectiveOn=${day}`).expect(200)).body.state;
    const byDate = [];
    for (const day of ['2025-01-02', '2025-02-03', '2025-03-03', '2025-04-01', '2025-05-06'])
      byDate.push(await asOfEffective(day));
    // The late change (rank, effective 2025-03-03) counts from its effective date, not from when it was recorded.
    expect(byDate.map((s) => [s.officePhone, s.posts[0].orgNodeId, s.directoryClass, s.rank])).toEqual([
      [null, 'edu', 'Q4', null],
      ['021-59720001', 'edu', 'Q4', null],
      ['021-59720001', 'edu', 'Q4', '四级主任科员'],
      ['021-59720001', 'fin', 'Q4', '四级主任科员'],
      ['021-59720001', 'fin', 'Q2', '四级主任科员'],
    ]);
    expect((await get('/audit/Person/p1/as-of?effectiveOn=2025-13-01').expect(422)).body.code).toBe(
      'INVALID_AUDIT_QUERY',
    );
  });

  it('the whole tree and directory as of a past date', async () => {
    const snapshot = await get('/audit/snapshot?effectiveOn=2025-03-31').expect(200);
    // The root was bootstrapped with today's effective date: on 2025-03-31 only the two bureaus were in effect.
    expect(snapshot.body.nodes.map((n: { id: string }) => n.id).sort()).toEqual(['edu', 'fin']);
    const p1 = snapshot.body.persons.find((p: { id: string }) => p.id === 'p1');
    expect(p1).toMatchObject({ primaryNodeId: 'edu', rank: '四级主任科员' });
    expect(p1.idNumber).toBeUndefined();
    const later = await get('/audit/snapshot?effectiveOn=2025-04-01').expect(200);
    expect(later.body.persons.find((p: { id: string }) => p.id === 'p1')).toMatchObject({ primaryNodeId: 'fin' });
  });

  it('a subtree as of a past date is the whole snapshot cut to that subtree, folded from its own streams', async () => {
    type Node = { id: string; path: string };
    type Person = { id: string; postNodeIds: string[] };
    for (const day of ['2025-03-31', '2025-04-01']) {
      const whole = (await get(`/audit/snapshot?effectiveOn=${day}`).expect(200)).body;
      const part = (await get(`/audit/snapshot?effectiveOn=${day}&root=edu`).expect(200)).body;
      const ids = new Set((whole.nodes as Node[]).filter((n) => n.path.split('/').includes('edu')).map((n) => n.id));
      expect(part.root).toBe('edu');
      expect(part.nodes).toEqual((whole.nodes as Node[]).filter((n) => ids.has(n.id)));
      expect(part.persons).toEqual((whole.persons as Person[]).filter((p) => p.postNodeIds.some((id) => ids.has(id))));
    }
    // p1 moved from edu to fin effective 2025-04-01.
    const before = (await get('/audit/snapshot?effectiveOn=2025-03-31&root=edu').expect(200)).body;
    const after = (await get('/audit/snapshot?effectiveOn=2025-04-01&root=edu').expect(200)).body;
    expect(before.persons.map((p: Person) => p.id)).toContain('p1');
    expect(after.persons.map((p: Person) => p.id)).not.toContain('p1');
    expect((await get('/audit/snapshot?effectiveOn=2025-04-01&root=nowhere').expect(404)).body.code).toBe(
      'ENTITY_NOT_FOUND',
    );
  });

  it('verify passes on the untouched store and names the event whose payload was altered in the file', async () => {
    const ok = await get('/integrity/verify').expect(200);
    expect(ok.body).toMatchObject({ ok: true, firstBreak: null });
    expect(ok.body.checked).toBeGreaterThan(5);
    const entries = (await get('/audit/entries?entityType=Person&entityId=p1').expect(200)).body.entries;
    const target = entries[2].eventId;
    await testApp.close();

    const db = new Database(join(dir.path, 'events.sqlite'));
    db.prepare(`UPDATE events SET data = replace(data, '副科长', '科长') WHERE event_id = ?`).run(target);
    db.close();
    const store = new SqliteEventStore({ file: join(dir.path, 'events.sqlite') });
    const result = await verifyChain(store);
    await store.close();
    expect(result.ok).toBe(false);
    expect(result.firstBreak).toMatchObject({
      eventId: target,
      streamId: 'Person-p1',
      revision: '2',
      reason: 'HASH_MISMATCH',
    });

    const cli = spawnSync(
      process.execPath,
      ['-r', '@swc-node/register', join(__dirname, '../../src/cli.ts'), 'verify'],
      {
        env: {
          ...process.env,
          DATA_DIR: dir.path,
          JURISDICTION: 'qingpu',
          JWT_SECRET: TEST_JWT_SECRET,
          LOG_LEVEL: 'silent',
        },
        encoding: 'utf8',
      },
    );
    expect(cli.status).toBe(3);
    expect(JSON.parse(cli.stdout).firstBreak.eventId).toBe(target);
    testApp = await startTestApp({}, { keepDir: dir.path });
  }, 60_000);
});
