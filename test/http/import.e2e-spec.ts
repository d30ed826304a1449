import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { EVENT_STORE, type EventStore } from '../../src/application/event-store/event-store.port';
import { AppModule } from '../../src/infrastructure/app.module';
import { loadConfig } from '../../src/infrastructure/config/app-config';
import { configureHttp } from '../../src/infrastructure/http/configure-http';
import { generateDistrict } from '../../bench/generate-district';
import { writeImportWorkbook } from '../../src/infrastructure/import/spreadsheet-reader';
import { makeTempDir } from '../support/temp-dir';

const ADMIN = { 'X-Actor-Account-Id': 'acc-admin', 'X-Actor-Role': 'SYSTEM_ADMIN' };

describe('import upload over HTTP', () => {
  let app: INestApplication;
  let store: EventStore;
  let dir: ReturnType<typeof makeTempDir>;

  beforeAll(async () => {
    dir = makeTempDir();
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.forConfig(loadConfig({ DATA_DIR: dir.path, LOG_LEVEL: 'silent', JURISDICTION: 'qingpu' }))] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    configureHttp(app);
    await app.init();
    store = app.get(EVENT_STORE);
  });
  afterAll(async () => {
    await app.close();
    dir.remove();
  });

  const upload = (content: Buffer, name: string, query = '') => request(app.getHttpServer()).post(`/imports${query}`).set(ADMIN).attach('files', content, name);

  it('reports bad rows with their line numbers and writes nothing', async () => {
    const file = await writeImportWorkbook({ org: [{ 节点编号: 'root', 名称: '青浦区', 类型: '根节点' }], people: [{ 人员编号: 'p1', 姓名: '张三', 身份证号码: '123', 性别: '男', 手机号码: '13800000000', 编制: '在编-行政', 单位节点编号: 'root' }] });
    const response = await upload(file, 'bad.xlsx').expect(422);
    expect(response.body.code).toBe('IMPORT_INVALID');
    expect(response.body.details.problems).toEqual([{ sheet: '人员', line: 2, reason: expect.stringContaining('身份证号') }]);
    expect(await store.headPosition()).toBeNull();
    await upload(Buffer.from('not a spreadsheet'), 'x.pdf').expect(400);
  });

  it('validates with dryRun, applies, and a second upload of the same file changes nothing', async () => {
    const { workbook } = await generateDistrict(200, 7);
    expect((await upload(workbook, 'district.xlsx', '?dryRun=true').expect(200)).body).toMatchObject({ dryRun: true, peopleToRegister: 200 });
    expect(await store.headPosition()).toBeNull();
    const applied = await upload(workbook, 'district.xlsx');
    expect(applied.status).toBe(200);
    expect(applied.body).toMatchObject({ peopleToRegister: 200, peopleRegistered: 200, failures: [] });
    const head = await store.headPosition();
    const again = await upload(workbook, 'district.xlsx').expect(200);
    expect(again.body).toMatchObject({ nodesToCreate: 0, peopleToRegister: 0 });
    expect(await store.headPosition()).toBe(head);
  });
});
