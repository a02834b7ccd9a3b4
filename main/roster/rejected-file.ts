/**
 * The rejected-rows file (未通过校验的行): an .xlsx with the original header texts, the rejected rows'
 * original cell text, and two extra columns 错误原因 and 原行号. Every cell is written as text (and the
 * columns are formatted as text, so numbers typed in later stay text), which means the ID numbers
 * round-trip exactly. Once fixed, the file imports like any roster: 错误原因 and 原行号 are not known
 * column names and are ignored.
 */
import ExcelJS from 'exceljs';
import type { RosterRow } from '../../shared/contract/roster';
import type { HeaderMatch } from './header';

export const REASON_HEADER = '错误原因';
export const ORIGINAL_ROW_HEADER = '原行号';

const ERROR_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFC7CE' } };
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };

/** Build the rejected-rows workbook. Rows that are not 'rejected' are left out. */
export async function buildRejectedWorkbook(
  header: HeaderMatch,
  rows: readonly RosterRow[],
): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '职业技能等级认定考点系统';
  workbook.created = new Date();
  const sheet = workbook.addWorksheet('未通过校验的行', { views: [{ state: 'frozen', ySplit: 1 }] });

  const headers = header.columns.map((c) => c.header);
  const allHeaders = [...headers, REASON_HEADER, ORIGINAL_ROW_HEADER];
  sheet.columns = allHeaders.map((h, i) => ({
    key: `c${i}`,
    width: h === REASON_HEADER ? 60 : Math.max(10, Math.min(40, h.length * 2 + 4)),
    // Text format for the data columns, so the user's corrections (e.g. a re-typed ID number) stay text.
    style: i < headers.length ? { numFmt: '@' } : {},
  }));

  const headerRow = sheet.getRow(1);
  allHeaders.forEach((h, i) => {
    const cell = headerRow.getCell(i + 1);
    cell.value = h;
    cell.font = { bold: true };
    cell.fill = HEADER_FILL;
  });

  // Widen the ID column: 18 digits must be visible.
  header.columns.forEach((c, i) => {
    if (c.field === 'idNumber') sheet.getColumn(i + 1).width = 24;
  });

  let r = 2;
  for (const row of rows) {
    if (row.status !== 'rejected') continue;
    const excelRow = sheet.getRow(r++);
    const badColumns = new Set(row.messages.map((m) => m.column).filter((c): c is string => c !== null));
    headers.forEach((h, i) => {
      const cell = excelRow.getCell(i + 1);
      cell.value = row.source[h] ?? '';
      cell.numFmt = '@';
      if (badColumns.has(h)) cell.fill = ERROR_FILL;
    });
    const reason = excelRow.getCell(headers.length + 1);
    reason.value = row.messages.map((m) => (m.column ? `${m.column}：${m.message}` : m.message)).join('；\n');
    reason.alignment = { wrapText: true, vertical: 'top' };
    excelRow.getCell(headers.length + 2).value = row.rowNumber;
  }

  const buffer = await workbook.xlsx.writeBuffer();
  return new Uint8Array(buffer);
}
