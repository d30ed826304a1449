import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { EventStore } from '../../src/application/ports/event-store.port';
import { generateDistrict } from '../../src/tools/district-workbook';
import { writeImportWorkbook } from '../../src/infrastructure/import/spreadsheet-reader';
import { startTestApp, type TestApp } from '../support/test-app';

describe('import upload over HTTP', () => {
  let app: INestApplication;
  let store: EventStore;
  let testApp: TestApp;
  let ADMIN: Record<string, string>;
  let bootstrapped: string | null;

  beforeAll(async () => {
    testApp = await startTestApp();
    ({ app, store, admin: ADMIN } = testApp);
    bootstrapped = await store.headPosition();
  });
  afterAll(async () => {
    await testApp.close();
  });

  const upload = (content: Buffer, name: string, query = '') =>
    request(app.getHttpServer()).post(`/imports${query}`).set(ADMIN).attach('files', content, name);

  it('reports bad rows with their line numbers and writes nothing', async () => {
    const file = await writeImportWorkbook({
      org: [{ 节点编号: 'root', 名称: '青浦区', 类型: '根节点' }],
      people: [
        {
          人员编号: 'p1',
          姓名: '张三',
          身份证号码: '123',
          性别: '男',
          手机号码: '13800000000',
          编制: '在编-行政',
          单位节点编号: 'root',
        },
      ],
    });
    const response = await upload(file, 'bad.xlsx').expect(422);
    expect(response.body.code).toBe('IMPORT_INVALID');
    expect(response.body.details.problems).toEqual([
      { sheet: '人员', line: 2, reason: expect.stringContaining('身份证号') },
    ]);
    expect(await store.headPosition()).toBe(bootstrapped);
    await upload(Buffer.from('not a spreadsheet'), 'x.pdf').expect(400);
  });

  it('validates with dryRun, applies, and a second upload of the same file changes nothing', async () => {
    const { workbook } = await generateDistrict(200, 7);
    expect((await upload(workbook, 'district.xlsx', '?dryRun=true').expect(200)).body).toMatchObject({
      dryRun: true,
      peopleToRegister: 200,
    });
    expect(await store.headPosition()).toBe(bootstrapped);
    const applied = await upload(workbook, 'district.xlsx');
    expect(applied.status).toBe(200);
    expect(applied.body).toMatchObject({ peopleToRegister: 200, peopleRegistered: 200, failures: [] });
    const head = await store.headPosition();
    const again = await upload(workbook, 'district.xlsx').expect(200);
    expect(again.body).toMatchObject({ nodesToCreate: 0, peopleToRegister: 0 });
    expect(await store.headPosition()).toBe(head);
  });
});
