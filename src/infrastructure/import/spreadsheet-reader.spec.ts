import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { readImportFiles, UnreadableImportFile, writeImportWorkbook } from './spreadsheet-reader';

/** The archive as a streaming read that ended early sees it: the entries from the 人员 sheet on are gone. */
function endingBeforePeople(workbook: Buffer): Buffer {
  const people = workbook.indexOf(Buffer.from('xl/worksheets/sheet2.xml')) - 30; // its local header
  const centralDirectory = workbook.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  return Buffer.concat([workbook.subarray(0, people), workbook.subarray(centralDirectory)]);
}

describe('reading an import workbook', () => {
  const RealReader = ExcelJS.stream.xlsx.WorkbookReader;
  let workbook: Buffer;

  beforeAll(async () => {
    const org = [{ 节点编号: 'root', 名称: '青浦区', 类型: '根节点' }];
    const people = Array.from({ length: 12 }, (_, n) => ({
      人员编号: `p${n}`,
      姓名: `员工${n}`,
      身份证号码: `id-${n}`,
    }));
    workbook = await writeImportWorkbook({ org, people });
  });

  afterEach(() => jest.restoreAllMocks());

  it('reads every row of both sheets', async () => {
    const sheets = await readImportFiles([{ name: 'd.xlsx', content: workbook }]);
    expect(sheets.personRows.map((row) => row.values['人员编号'])).toEqual(
      Array.from({ length: 12 }, (_, n) => `p${n}`),
    );
    expect(sheets.orgRows).toHaveLength(1);
  });

  it('refuses a read that ends before the last sheet instead of taking it for a sheet without rows', async () => {
    const short = endingBeforePeople(workbook);
    await expect(readImportFiles([{ name: 'd.xlsx', content: short }])).rejects.toThrow(UnreadableImportFile);
  });

  it('reads again after a short read, giving each row once', async () => {
    const short = endingBeforePeople(workbook);
    let reads = 0;
    // The first read of each pass (组织, then 人员) ends early, as exceljs's reader has under load (exceljs#3064).
    const spy = jest
      .spyOn(ExcelJS.stream.xlsx, 'WorkbookReader')
      .mockImplementation(
        ((input: Readable, options: object) =>
          new RealReader(++reads === 1 || reads === 3 ? Readable.from([short]) : input, options)) as never,
      );
    const sheets = await readImportFiles([{ name: 'd.xlsx', content: workbook }]);
    const complete = await readImportFiles([{ name: 'd.xlsx', content: workbook }]);
    // Two passes read twice each, two once; more when the reader also ended early by itself.
    expect(spy.mock.calls.length).toBeGreaterThanOrEqual(6);
    expect(sheets).toEqual(complete);
    expect(sheets.personRows).toHaveLength(12);
  });
});
