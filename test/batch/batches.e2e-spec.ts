/**
 * Batch operations over HTTP (issue 23): 2,000 transfers from an uploaded sheet with 3 bad rows —
 * the preview lists exactly those 3 by line and writes nothing; applying does the rest, each its
 * own event under the batch's correlation, caused by the plan; the result sheet names every row;
 * sending the same batch again changes nothing. A tiered admin's rows outside their subtree are
 * refused as theirs would be one by one; a user may not send a batch at all.
 */
import ExcelJS from 'exceljs';
import request from 'supertest';
import type { CommandMetadata } from '../../src/application/commands/decider-command-runner';
import { generateDistrict } from '../../src/tools/district-workbook';
import { binaryBody } from '../support/read-models';
import { servicesOfApp } from '../support/services';
import { startTestApp, type TestApp } from '../support/test-app';

const META: CommandMetadata = {
  actor: { accountId: 'acc-admin', personId: 'p-admin', role: 'SYSTEM_ADMIN' },
  jurisdiction: 'qingpu',
};

const NOTICE = `effectiveAt=2025-06-01&sourceRef=${encodeURIComponent('青人社〔2025〕9号')}`;

async function sheet(rows: string[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const ws = workbook.addWorksheet('批量调动');
  ws.addRow(['人员编号', '调入节点编号', '职务']);
  for (const row of rows) ws.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

describe('batch operations (issue 23)', () => {
  jest.setTimeout(120_000);
  let app: TestApp;
  const http = () => request(app.app.getHttpServer());
  const upload = (file: Buffer, query: string, headers = app.admin) =>
    http().post(`/batches/upload?${query}`).set(headers).attach('file', file, 'transfers.xlsx');
  const finished = async (batchId: string) => {
    for (;;) {
      const report = await http().get(`/batches/${batchId}`).set(app.admin).expect(200);
      if (report.body.status === 'COMPLETED') return report.body;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  beforeAll(async () => {
    app = await startTestApp();
    const { workbook } = await generateDistrict(2000, 5);
    await http().post('/imports').set(app.admin).attach('files', workbook, 'district.xlsx').expect(200);
    const { tree } = servicesOfApp(app.app);
    await tree.execute(
      { type: 'CreateOrgNode', data: { orgNodeId: 'new-unit', name: '新设局', kind: 'UNIT', parentId: 'l1-2' } },
      META,
    );
  });
  afterAll(() => app.close());

  it('previews 2,000 transfers, names exactly the 3 bad rows by line, applies the rest once', async () => {
    const rows = Array.from({ length: 2000 }, (_, n) => [`p${n}`, 'new-unit', '科员']);
    rows[100] = ['p-nobody', 'new-unit', '科员']; // line 102: no such person
    rows[700] = ['p700', 'no-such-node', '科员']; // line 702: no such node
    rows[1500] = ['p5', 'new-unit', '科员']; // line 1502: p5 again
    const file = await sheet(rows);
    const before = await app.store.headPosition();
    const preview = await upload(file, `${NOTICE}&operation=TRANSFER&batchId=b-2000&dryRun=true`).expect(200);
    expect(preview.body).toMatchObject({ dryRun: true, accepted: 1997, planned: false });
    expect(preview.body.refused.map((r: { line: number; code: string }) => [r.line, r.code])).toEqual([
      [102, expect.any(String)],
      [702, expect.any(String)],
      [1502, 'BATCH_DUPLICATE_TARGET'],
    ]);
    expect(await app.store.headPosition()).toBe(before);

    const applied = await upload(file, `${NOTICE}&operation=TRANSFER&batchId=b-2000`).expect(200);
    expect(applied.body).toMatchObject({ accepted: 1997, planned: true });
    const report = await finished('b-2000');
    expect(report.counts).toEqual({ DONE: 1997, UNCHANGED: 0, REFUSED: 3, PENDING: 0 });
    const [plan] = await app.store.readStream('Batch-b-2000', { maxCount: 1 });
    for (const personId of ['p0', 'p999', 'p1999']) {
      const [last] = await app.store.readStream(`Person-${personId}`, { direction: 'backwards', maxCount: 1 });
      expect(last).toMatchObject({ type: 'PersonTransferred', data: { to: { orgNodeId: 'new-unit' } } });
      expect(last.metadata).toMatchObject({ correlationId: 'b-2000', causationId: plan.eventId });
    }

    // The result sheet: every line, with what became of it.
    const result = await http()
      .get('/batches/b-2000?format=xlsx')
      .set(app.admin)
      .buffer(true)
      .parse(binaryBody)
      .expect(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(result.body as unknown as ArrayBuffer);
    const ws = workbook.getWorksheet('办理结果')!;
    expect(ws.rowCount).toBe(2001);
    const refusedLines: number[] = [];
    ws.eachRow(
      (row, n) => n > 1 && row.getCell(3).value === '未办理' && refusedLines.push(Number(row.getCell(1).value)),
    );
    expect(refusedLines).toEqual([102, 702, 1502]);

    // The same batch again: nothing new.
    const head = await app.store.headPosition();
    expect((await upload(file, `${NOTICE}&operation=TRANSFER&batchId=b-2000`).expect(200)).body).toMatchObject({
      planned: false,
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await app.store.headPosition()).toBe(head);
  });

  it('refuses a tiered admin’s rows outside their subtree, and a user’s batch altogether', async () => {
    const { accounts } = servicesOfApp(app.app);
    await accounts.open({ accountId: 'acc-tiered', type: 'TIERED_ADMIN', loginName: 'tiered', personId: 'p10' }, META);
    await accounts.execute({ type: 'ActivateAccount', data: { accountId: 'acc-tiered' } }, META);
    await accounts.grantAdminScope({ accountId: 'acc-tiered', orgNodeId: 'u7' }, META);
    await accounts.open({ accountId: 'acc-user', type: 'USER', loginName: 'user.p11', personId: 'p11' }, META);
    await accounts.execute({ type: 'ActivateAccount', data: { accountId: 'acc-user' } }, META);
    const tiered = await app.bearer('acc-tiered');
    const preview = await http()
      .post('/batches')
      .set(tiered)
      .send({
        batchId: 'b-tiered',
        operation: 'DEPARTURE',
        dryRun: true,
        rows: [{ target: 'p1', fields: { reason: 'RESIGNED' } }],
      })
      .expect(200);
    expect(preview.body.refused).toEqual([expect.objectContaining({ line: 1, target: 'p1' })]);
    expect(preview.body.accepted).toBe(0);
    const user = await app.bearer('acc-user');
    await upload(await sheet([['p1', 'new-unit', '']]), 'operation=TRANSFER&batchId=b-user', user).expect(403);
    // Someone else's batch does not exist for them.
    await http().get('/batches/b-2000').set(tiered).expect(422);
  });
});
