/**
 * Export in the import template (issue 23): a generated district imported, changed, exported, and
 * the export imported into an empty store gives the same nodes and people with their primary
 * posts; exported as of a time before the changes, it gives the district as it stood then. The
 * export is for system admins only, and each one is recorded as a disclosure of ID numbers.
 */
import ExcelJS from 'exceljs';
import request from 'supertest';
import { binaryBody } from '../support/read-models';
import { servicesOfApp } from '../support/services';
import { startTestApp, type TestApp } from '../support/test-app';
import { generateDistrict } from '../../src/tools/district-workbook';
import type { CommandMetadata } from '../../src/application/commands/decider-command-runner';
import type { OrgNodeDoc } from '../../src/read-models/org-tree/org-tree.projection';

const META: CommandMetadata = {
  actor: { accountId: 'acc-admin', personId: 'p-admin', role: 'SYSTEM_ADMIN' },
  jurisdiction: 'qingpu',
};

/** The tree and people as the audit snapshot shows them, reduced to what the template carries. */
async function treeAndPeople(app: TestApp, asOf = new Date().toISOString()) {
  const snapshot = await request(app.app.getHttpServer())
    .get(`/audit/snapshot?recordedAt=${asOf}`)
    .set(app.admin)
    .expect(200);
  const nodes = (snapshot.body.nodes as OrgNodeDoc[])
    .filter((n) => n.status === 'ACTIVE')
    .map((n) => [n.id, n.name, n.shortName, n.kind, n.parentId, n.order].join('|'))
    .sort();
  const people = (snapshot.body.persons as Array<Record<string, unknown>>)
    .filter((p) => p.status === 'ACTIVE')
    .map((p) => {
      const primary = (p.posts as Array<Record<string, unknown>>).find((post) => post.kind === 'PRIMARY')!;
      return JSON.stringify([
        p.personId,
        p.name,
        p.gender,
        p.mobile,
        p.employment,
        p.rank,
        p.politicalStatus,
        p.directoryClass,
        primary.orgNodeId,
        primary.title,
        primary.order,
      ]);
    })
    .sort();
  return { nodes, people };
}

describe('export in the import template (issue 23)', () => {
  jest.setTimeout(120_000);
  let source: TestApp;
  let beforeChanges = '';

  const upload = (app: TestApp, content: Buffer) =>
    request(app.app.getHttpServer()).post('/imports').set(app.admin).attach('files', content, 'directory.xlsx');
  const exported = async (query = '') =>
    (
      await request(source.app.getHttpServer())
        .get(`/exports/directory-template${query}`)
        .set(source.admin)
        .buffer(true)
        .parse(binaryBody)
        .expect(200)
    ).body as Buffer;

  beforeAll(async () => {
    source = await startTestApp();
    const { workbook } = await generateDistrict(600, 11);
    expect((await upload(source, workbook)).body).toMatchObject({ peopleRegistered: 600, failures: [] });
    beforeChanges = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    // Then: a node renamed, one person transferred, one who left.
    const { tree, people } = servicesOfApp(source.app);
    await tree.execute({ type: 'RenameOrgNode', data: { orgNodeId: 'u3', name: '区第四局（更名）' } }, META);
    await people.transfer({ personId: 'p1', to: { orgNodeId: 'u5-1', title: '副科长' } }, META);
    await people.recordDeparture({ personId: 'p2', reason: 'RETIRED' }, META);
  });
  afterAll(() => source.close());

  it('round-trips today’s tree and people through an empty store', async () => {
    const file = await exported();
    const target = await startTestApp();
    try {
      const imported = await upload(target, file);
      expect(imported.status).toBe(200);
      expect(imported.body.failures).toEqual([]);
      const [want, got] = [await treeAndPeople(source), await treeAndPeople(target)];
      expect(got.nodes).toEqual(want.nodes);
      expect(got.people).toEqual(want.people);
      expect(want.people.length).toBe(600 - 1 + 1); // p2 left; the bootstrapped admin is there too
      expect(got.nodes.some((n) => n.includes('区第四局（更名）'))).toBe(true);
    } finally {
      await target.close();
    }
  });

  it('round-trips the district as it stood before the changes', async () => {
    const file = await exported(`?recordedAt=${beforeChanges}`);
    const target = await startTestApp();
    try {
      expect((await upload(target, file)).body.failures).toEqual([]);
      const [want, got] = [await treeAndPeople(source, beforeChanges), await treeAndPeople(target)];
      expect(got.nodes).toEqual(want.nodes);
      expect(got.people).toEqual(want.people);
      expect(want.people.length).toBe(601);
    } finally {
      await target.close();
    }
  });

  it('exports a subtree, is for system admins only, and records each export as a disclosure', async () => {
    const before = (await source.store.readStream('Account-acc-admin')).filter((e) => e.type === 'IdNumbersDisclosed');
    const file = await exported('?root=u5');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file as unknown as ArrayBuffer);
    // u5, its ten 处 and the two 组 under each of the first five.
    expect(workbook.getWorksheet('组织')!.rowCount).toBe(1 + 21);
    const unitColumn = (workbook.getWorksheet('人员')!.getRow(1).values as string[]).indexOf('单位节点编号');
    const units = new Set<string>();
    workbook.getWorksheet('人员')!.eachRow((row, n) => n > 1 && units.add(String(row.getCell(unitColumn).value)));
    expect([...units].every((id) => id === 'u5' || id.startsWith('u5-'))).toBe(true);
    const after = (await source.store.readStream('Account-acc-admin')).filter((e) => e.type === 'IdNumbersDisclosed');
    expect(after.length).toBe(before.length + 1);
    expect(after.at(-1)!.data).toMatchObject({ purpose: expect.stringContaining('u5') });
    const { accounts } = servicesOfApp(source.app);
    await accounts.open({ accountId: 'acc-p7', type: 'USER', loginName: 'user.p7', personId: 'p7' }, META);
    await accounts.execute({ type: 'ActivateAccount', data: { accountId: 'acc-p7' } }, META);
    await request(source.app.getHttpServer())
      .get('/exports/directory-template')
      .set(await source.bearer('acc-p7'))
      .expect(403);
  });
});
