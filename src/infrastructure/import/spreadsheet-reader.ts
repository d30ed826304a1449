/**
 * Reads import files as streams of rows: an XLSX workbook with the sheets 组织 and 人员, or CSV
 * files (UTF-8, with or without BOM), one per kind, recognised by their header row. A sheet is
 * parsed row by row (exceljs's streaming reader, fast-csv), never loaded whole, so that a city's
 * workbook of 300,000 people takes the memory of its file, not of its rows; each pass over the
 * rows (the plan, then the apply) reads the files again.
 */
import { PassThrough, Readable } from 'node:stream';
import { parseString } from '@fast-csv/parse';
import ExcelJS from 'exceljs';
import {
  type ImportRow,
  type ImportSource,
  type ImportSheetKind,
  ORG_COLUMNS,
  PERSON_COLUMNS,
} from '../../application/import/directory-import';

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

const isOrgHeader = (header: string[]) => header.includes(ORG_COLUMNS.orgNodeId) && header.includes(ORG_COLUMNS.kind);
const isPersonHeader = (header: string[]) =>
  header.includes(PERSON_COLUMNS.personId) && header.includes(PERSON_COLUMNS.idNumber);
const kindOf = (header: string[]): ImportSheetKind | null =>
  isOrgHeader(header) ? 'ORG' : isPersonHeader(header) ? 'PERSON' : null;
const clean = (text: string) => text.replace(/^\uFEFF/, '').trim();

/** The row of `cells` (by column, 1-based) under `header`; null when every cell is empty. */
function rowOf(line: number, header: readonly string[], cells: ReadonlyArray<string | undefined>): ImportRow | null {
  const values: Record<string, string> = {};
  let any = false;
  cells.forEach((text, column) => {
    const name = header[column];
    if (!name || text === undefined) return;
    values[name] = text;
    if (text.trim() !== '') any = true;
  });
  return any ? { line, values } : null;
}

/** How many times a workbook is read before its reading error is reported. */
const XLSX_READS = 3;

/**
 * The rows of `wanted` in an XLSX file. exceljs's streaming reader has been seen to end before the
 * archive's last entries on a busy machine (exceljs#3064): a sheet then goes missing without an
 * error. A read that did not meet every sheet the workbook lists is read again, past the rows
 * already given, so that a short read never passes for a short sheet.
 */
async function* xlsxRows(content: Buffer, wanted: ImportSheetKind, found: (kind: ImportSheetKind) => void) {
  let given = 0;
  for (let attempt = 1; ; attempt++) {
    let ordinal = 0;
    try {
      for await (const row of xlsxPass(content, wanted, found)) {
        if (ordinal++ < given) continue;
        given++;
        yield row;
      }
      return;
    } catch (error) {
      if (attempt >= XLSX_READS) throw error;
    }
  }
}

class IncompleteWorkbookRead extends Error {
  constructor(seen: number, listed: number | undefined) {
    super(`读到 ${seen} 张工作表，工作簿列有 ${listed ?? '未知'} 张`);
  }
}

/** One read of an XLSX file: each sheet's header, and the rows of `wanted` read on demand. */
async function* xlsxPass(content: Buffer, wanted: ImportSheetKind, found: (kind: ImportSheetKind) => void) {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([content]), {
    sharedStrings: 'cache',
    worksheets: 'emit',
    styles: 'ignore',
    hyperlinks: 'ignore',
    entries: 'ignore',
  } as never);
  let sheets = 0;
  for await (const sheet of reader) {
    sheets++;
    let header: string[] | null = null;
    for await (const row of sheet) {
      const cells: Array<string | undefined> = [];
      row.eachCell({ includeEmpty: false }, (cell, column) => (cells[column] = cell.text));
      if (header === null) {
        header = cells.map((text) => clean(text ?? ''));
        const kind = kindOf(header);
        if (kind) found(kind);
        // Another kind's sheet is skipped (the reader only inflates the rest of it).
        if (kind !== wanted) break;
        continue;
      }
      const parsed = rowOf(row.number, header, cells);
      if (parsed) yield parsed;
    }
  }
  // The workbook's own list of sheets is read with its last entry (xl/workbook.xml).
  const listed = (reader as unknown as { model?: { sheets?: unknown[] } }).model?.sheets?.length;
  if (listed === undefined || sheets < listed) throw new IncompleteWorkbookRead(sheets, listed);
}

async function* csvRows(content: Buffer, wanted: ImportSheetKind, found: (kind: ImportSheetKind) => void) {
  if (content.includes(0)) throw new Error('不是文本文件');
  const text = content.toString('utf8');
  if (text.includes('\uFFFD')) throw new Error('不是 UTF-8 编码（请另存为“CSV UTF-8”）');
  // Every cell as text: ID numbers and mobiles must not turn into numbers.
  const records = parseString<string[], string[]>(text.replace(/^\uFEFF/, ''), { delimiter: ',' });
  let header: string[] | null = null;
  let line = 0;
  for await (const record of records as AsyncIterable<string[]>) {
    line++;
    // 1-based columns, as in a workbook.
    const cells = [undefined, ...record];
    if (header === null) {
      header = cells.map((cell) => clean(cell ?? ''));
      const kind = kindOf(header);
      if (kind) found(kind);
      if (kind !== wanted) return;
      continue;
    }
    const parsed = rowOf(line, header, cells);
    if (parsed) yield parsed;
  }
}

/** The rows of `files`, a stream per pass; an unreadable file, or one without a template header, is refused when read. */
export function spreadsheetSource(files: readonly ImportFile[]): ImportSource {
  return {
    async *rows(kind: ImportSheetKind) {
      for (const file of files) {
        const lower = file.name.toLowerCase();
        const kinds = new Set<ImportSheetKind>();
        const found = (k: ImportSheetKind) => kinds.add(k);
        try {
          if (lower.endsWith('.xlsx')) yield* xlsxRows(file.content, kind, found);
          else if (lower.endsWith('.csv')) yield* csvRows(file.content, kind, found);
          else throw new Error('只支持 .xlsx 和 .csv 文件');
        } catch (error) {
          throw new UnreadableImportFile(file.name, error instanceof Error ? error.message : String(error));
        }
        if (kinds.size === 0)
          throw new UnreadableImportFile(
            file.name,
            `找不到模板表头（组织表须有“${ORG_COLUMNS.orgNodeId}”“${ORG_COLUMNS.kind}”，人员表须有“${PERSON_COLUMNS.personId}”“${PERSON_COLUMNS.idNumber}”）`,
          );
      }
    },
  };
}

/** Every row of `files` in memory (small files, tests). */
export async function readImportFiles(files: readonly ImportFile[]): Promise<ImportSheets> {
  const source = spreadsheetSource(files);
  const orgRows: ImportRow[] = [];
  const personRows: ImportRow[] = [];
  for await (const row of source.rows('ORG')) orgRows.push(row);
  for await (const row of source.rows('PERSON')) personRows.push(row);
  return { orgRows, personRows };
}

/**
 * Writes the template workbook (both sheets with their headers), for users and tests; row by row
 * (exceljs's streaming writer), so that a city's 300,000 people are not built up as a workbook.
 */
export async function writeImportWorkbook(sheets: {
  org: Array<Record<string, string>>;
  people: Array<Record<string, string>>;
}): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
  const write = (name: string, columns: readonly string[], rows: Array<Record<string, string>>) => {
    const sheet = workbook.addWorksheet(name);
    // Text cells: leading zeros of codes and the full ID number survive.
    sheet.columns = columns.map((header) => ({ header, style: { numFmt: '@' } }));
    for (const row of rows) sheet.addRow(columns.map((column) => row[column] ?? '')).commit();
    sheet.commit();
  };
  write('组织', Object.values(ORG_COLUMNS), sheets.org);
  write('人员', Object.values(PERSON_COLUMNS), sheets.people);
  await workbook.commit();
  if (!stream.readableEnded) await new Promise((resolve) => stream.once('end', resolve));
  return Buffer.concat(chunks);
}
