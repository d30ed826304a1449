/** What the read-model routes share: the read-your-writes header and file downloads (CSV, XLSX, HTML). */
import { StreamableFile } from '@nestjs/common';
import ExcelJS from 'exceljs';

export const CONSISTENT = {
  name: 'X-Consistent-With',
  required: false,
  description: 'The `position` a command returned: wait until the read models have it',
};

/** CSV with every field quoted when needed (RFC 4180), a UTF-8 BOM so spreadsheet software reads Chinese right. */
export function toCsv(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<unknown>>): string {
  const cell = (value: unknown) => {
    const text = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
    // A leading = + - @ would run as a formula in a spreadsheet: quote it as text.
    const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return `\uFEFF${[header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`;
}

const CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  html: 'text/html; charset=utf-8',
} as const;

/** A file answer: text is sent as UTF-8; CSV and XLSX download, HTML opens in the browser. */
export function fileResponse(
  kind: keyof typeof CONTENT_TYPES,
  body: string | Buffer,
  filename: string,
): StreamableFile {
  const disposition = `${kind === 'html' ? 'inline' : 'attachment'}; filename="${filename}.${kind}"`;
  return new StreamableFile(typeof body === 'string' ? Buffer.from(body, 'utf8') : body, {
    type: CONTENT_TYPES[kind],
    disposition,
  });
}

/** A workbook of one sheet: a bold header row, then the rows as text. */
export async function workbookOf(
  sheetName: string,
  header: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<unknown>>,
) {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(sheetName);
  sheet.addRow([...header]);
  const text = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));
  for (const row of rows) sheet.addRow(row.map((v) => (typeof v === 'number' ? v : text(v))));
  sheet.getRow(1).font = { bold: true };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
