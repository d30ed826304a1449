/**
 * Reads import files: an XLSX workbook with the sheets 组织 and 人员, or CSV files (UTF-8, with
 * or without BOM), one per kind, recognised by their header row.
 */
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { type ImportRow, ORG_COLUMNS, PERSON_COLUMNS } from '../../application/import/directory-import';

export interface ImportFile {
  readonly name: string;
  readonly content: Buffer;
}

export interface ImportSheets {
  readonly orgRows: ImportRow[];
  readonly personRows: ImportRow[];
}

export class UnreadableImportFile extends Error {
  readonly code = 'UNREADABLE_IMPORT_FILE';
  constructor(file: string, reason: string) {
    super(`无法读取导入文件 ${file}：${reason}`);
  }
}

function rowsOf(sheet: ExcelJS.Worksheet): { header: string[]; rows: ImportRow[] } {
  const header: string[] = [];
  sheet.getRow(1).eachCell({ includeEmpty: true }, (cell, column) => {
    header[column] = cell.text.replace(/^\uFEFF/, '').trim();
  });
  const rows: ImportRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, line) => {
    if (line === 1) return;
    const values: Record<string, string> = {};
    let any = false;
    row.eachCell({ includeEmpty: false }, (cell, column) => {
      const name = header[column];
      if (!name) return;
      values[name] = cell.text;
      if (cell.text.trim() !== '') any = true;
    });
    if (any) rows.push({ line, values });
  });
  return { header: header.filter(Boolean), rows };
}

const isOrgHeader = (header: string[]) => header.includes(ORG_COLUMNS.orgNodeId) && header.includes(ORG_COLUMNS.kind);
const isPersonHeader = (header: string[]) =>
  header.includes(PERSON_COLUMNS.personId) && header.includes(PERSON_COLUMNS.idNumber);

export async function readImportFiles(files: readonly ImportFile[]): Promise<ImportSheets> {
  const orgRows: ImportRow[] = [];
  const personRows: ImportRow[] = [];
  for (const file of files) {
    const workbook = new ExcelJS.Workbook();
    const lower = file.name.toLowerCase();
    try {
      if (lower.endsWith('.xlsx')) {
        await workbook.xlsx.load(file.content as unknown as ArrayBuffer);
      } else if (lower.endsWith('.csv')) {
        if (file.content.includes(0)) throw new Error('不是文本文件');
        const text = file.content.toString('utf8');
        if (text.includes('\uFFFD')) throw new Error('不是 UTF-8 编码（请另存为“CSV UTF-8”）');
        // Every cell as text: ID numbers and mobiles must not turn into numbers.
        await workbook.csv.read(Readable.from([text.replace(/^\uFEFF/, '')]), {
          parserOptions: { delimiter: ',' },
          map: (value: string) => value,
        } as never);
      } else {
        throw new Error('只支持 .xlsx 和 .csv 文件');
      }
    } catch (error) {
      throw new UnreadableImportFile(file.name, error instanceof Error ? error.message : String(error));
    }
    const found: string[] = [];
    for (const sheet of workbook.worksheets) {
      const { header, rows } = rowsOf(sheet);
      if (isOrgHeader(header)) {
        // One by one: spreading a sheet of 120,000 rows into push() overflows the stack (issue 20).
        for (const row of rows) orgRows.push(row);
        found.push(sheet.name);
      } else if (isPersonHeader(header)) {
        for (const row of rows) personRows.push(row);
        found.push(sheet.name);
      }
    }
    if (found.length === 0)
      throw new UnreadableImportFile(
        file.name,
        `找不到模板表头（组织表须有“${ORG_COLUMNS.orgNodeId}”“${ORG_COLUMNS.kind}”，人员表须有“${PERSON_COLUMNS.personId}”“${PERSON_COLUMNS.idNumber}”）`,
      );
  }
  return { orgRows, personRows };
}

/** Writes the template workbook (both sheets with their headers), for users and tests. */
export async function writeImportWorkbook(sheets: {
  org: Array<Record<string, string>>;
  people: Array<Record<string, string>>;
}): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const org = workbook.addWorksheet('组织');
  org.addRow(Object.values(ORG_COLUMNS));
  for (const row of sheets.org) org.addRow(Object.values(ORG_COLUMNS).map((column) => row[column] ?? ''));
  const people = workbook.addWorksheet('人员');
  people.addRow(Object.values(PERSON_COLUMNS));
  for (const row of sheets.people) people.addRow(Object.values(PERSON_COLUMNS).map((column) => row[column] ?? ''));
  // Text cells: leading zeros of codes and the full ID number survive.
  for (const sheet of [org, people]) sheet.columns.forEach((column) => (column.numFmt = '@'));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
