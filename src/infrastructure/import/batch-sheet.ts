/**
 * A batch's uploaded sheet (XLSX, the first sheet; or CSV, UTF-8): a header row naming the
 * operation's columns (batch-rows.ts), then one row per item; each row keeps its line number so
 * that the preview and the result sheet speak of the lines the operator sees.
 */
import { parseString } from '@fast-csv/parse';
import ExcelJS from 'exceljs';
import type { OperationSpec } from '../../application/batch/batch-rows';
import type { SubmittedRow } from '../../application/batch/batch.commands';
import { UnreadableImportFile } from './spreadsheet-reader';

async function linesOf(name: string, content: Buffer): Promise<string[][]> {
  if (/\.csv$/i.test(name)) {
    const rows: string[][] = [];
    await new Promise<void>((resolve, reject) =>
      parseString(content.toString('utf8').replace(/^\uFEFF/, ''), { ignoreEmpty: false })
        .on('data', (row: string[]) => rows.push(row))
        .on('error', reject)
        .on('end', () => resolve()),
    );
    return rows;
  }
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(content as unknown as ArrayBuffer);
  } catch (error) {
    throw new UnreadableImportFile(
      name,
      `不是 XLSX 或 CSV 文件（${error instanceof Error ? error.message : String(error)}）`,
    );
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new UnreadableImportFile(name, '工作簿中没有工作表');
  const rows: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row, number) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, column) => (cells[column - 1] = cell.text.trim()));
    rows[number - 1] = cells;
  });
  return Array.from(rows, (row) => row ?? []);
}

export async function readBatchSheet(name: string, content: Buffer, spec: OperationSpec): Promise<SubmittedRow[]> {
  const lines = await linesOf(name, content);
  const header = (lines[0] ?? []).map((text) => (text ?? '').replace(/^\uFEFF/, '').trim());
  const targetAt = header.indexOf(spec.targetColumn);
  if (targetAt < 0) throw new UnreadableImportFile(name, `表头缺少“${spec.targetColumn}”列`);
  const fieldAt = Object.entries(spec.fieldColumns).map(([field, column]) => [field, header.indexOf(column)] as const);
  const rows: SubmittedRow[] = [];
  lines.slice(1).forEach((cells, i) => {
    if (cells.every((cell) => !cell)) return;
    const fields: Record<string, string> = {};
    for (const [field, at] of fieldAt) if (at >= 0 && cells[at]) fields[field] = cells[at];
    rows.push({ line: i + 2, target: cells[targetAt] ?? '', fields });
  });
  return rows;
}
