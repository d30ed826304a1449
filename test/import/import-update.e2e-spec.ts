/**
 * Import as update (issue 23): a workbook exported from the service (the import template),
 * changed in a spreadsheet — a node renamed, one added, one moved to another parent; a person's mobile changed, one
 * transferred, one added, one removed — and uploaded again: the preview proposes exactly those
 * differences as one batch, applying carries them out, and uploading it again finds nothing to do.
 */
import ExcelJS from 'exceljs';
import request from 'supertest';
import { generateDistrict } from '../../src/tools/district-workbook';
import { idNumberCheckCharacter } from '../../src/domain/person/identity';
import { binaryBody } from '../support/read-models';
import { startTestApp, type TestApp } from '../support/test-app';

const NOTICE = `effectiveAt=2025-06-01&sourceRef=${encodeURIComponent('青人社〔2025〕12号')}`;

describe('import as update (issue 23)', () => {
  jest.setTimeout(120_000);
  let app: TestApp;
  const http = () => request(app.app.getHttpServer());
  const update = (file: Buffer, query: string) =>
    http().post(`/imports/updates?${NOTICE}&${query}`).set(app.admin).attach('files', file, 'directory.xlsx');

  beforeAll(async () => {
    app = await startTestApp();
    const { workbook } = await generateDistrict(300, 3);
    await http().post('/imports').set(app.admin).attach('files', workbook, 'district.xlsx').expect(200);
  });
  afterAll(() => app.close());

  it('proposes the differences of a changed workbook as one batch, applies them, then finds nothing more', async () => {
    const exported = await http()
      .get('/exports/directory-template')
      .set(app.admin)
      .buffer(true)
      .parse(binaryBody)
      .expect(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(exported.body as unknown as ArrayBuffer);
    const org = workbook.getWorksheet('组织')!;
    const people = workbook.getWorksheet('人员')!;
    const column = (ws: ExcelJS.Worksheet, name: string) => (ws.getRow(1).values as string[]).indexOf(name);
    const rowOf = (ws: ExcelJS.Worksheet, id: string) => {
      let found: ExcelJS.Row | null = null;
      ws.eachRow((row) => {
        if (row.getCell(1).value === id) found = row;
      });
      return found!;
    };
    rowOf(org, 'u4').getCell(column(org, '名称')).value = '区第五局（更名）';
    rowOf(org, 'u6-3-0').getCell(column(org, '上级节点编号')).value = 'u6-7';
    org.addRow(['u4-new', '新设处', '', '内设机构', 'u4', '', '99']);
    const person = (id: string) => rowOf(people, id);
    person('p1').getCell(column(people, '手机号码')).value = '13999990001';
    person('p2').getCell(column(people, '单位节点编号')).value = 'u4-new';
    const copied = (person('p3').values as unknown[]).slice(1).map(String);
    people.spliceRows(person('p4').number, 1);
    copied[0] = 'p-new';
    copied[column(people, '身份证号码') - 1] = `11010519900307003${idNumberCheckCharacter('11010519900307003')}`;
    copied[column(people, '手机号码') - 1] = '13999990002';
    people.addRow(copied);
    const file = Buffer.from(await workbook.xlsx.writeBuffer());

    const before = await app.store.headPosition();
    const preview = await update(file, 'batchId=update-1&dryRun=true').expect(200);
    expect(preview.body.counts).toEqual({
      CREATE_NODE: 1,
      RENAME_NODE: 1,
      MOVE_NODE: 1,
      REGISTER_PERSON: 1,
      UPDATE_PROFILE: 1,
      TRANSFER: 1,
      CHANGE_POST: 0,
      DEPARTURE: 1,
    });
    expect(preview.body.plan).toMatchObject({ dryRun: true, accepted: 7, refused: [] });
    expect(await app.store.headPosition()).toBe(before);

    expect((await update(file, 'batchId=update-1').expect(200)).body.plan).toMatchObject({
      planned: true,
      accepted: 7,
    });
    let report;
    do report = (await http().get('/batches/update-1').set(app.admin).expect(200)).body;
    while (report.status !== 'COMPLETED');
    expect(report.counts).toEqual({ DONE: 7, UNCHANGED: 0, REFUSED: 0, PENDING: 0 });
    const last = async (stream: string) =>
      (await app.store.readStream(stream, { direction: 'backwards', maxCount: 1 }))[0];
    expect(await last('Person-p2')).toMatchObject({ type: 'PersonTransferred', data: { to: { orgNodeId: 'u4-new' } } });
    expect(await last('Person-p4')).toMatchObject({ type: 'PersonLeft' });
    expect(await last('Person-p-new')).toMatchObject({ type: 'PersonRegistered' });
    expect((await last('Person-p1')).type).toBe('PersonProfileUpdated');

    const again = await update(file, 'batchId=update-2&dryRun=true').expect(422);
    expect(again.body.code).toBe('IMPORT_NO_CHANGES');
  });
});
