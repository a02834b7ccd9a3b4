import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { RosterRow } from '../../shared/contract/roster';
import {
  FIXTURE_ALLOWED_LEVELS,
  FIXTURE_TODAY,
  makeIdNumber,
  makeMessyRosterXlsx,
  MESSY_ROSTER_EXPECTED,
} from '../../test/fixtures/roster/make-roster';
import { findHeader, type HeaderMatch } from './header';
import { readRosterFile } from './read-sheet';
import { buildRejectedWorkbook, ORIGINAL_ROW_HEADER, REASON_HEADER } from './rejected-file';
import { validateRoster } from './validate';

async function importFile(name: string, bytes: Uint8Array, existing: ReadonlySet<string>) {
  const grid = await readRosterFile(name, bytes);
  const header = findHeader(grid);
  const rows = validateRoster(grid, header, {
    existingIdNumbers: existing,
    allowedLevels: FIXTURE_ALLOWED_LEVELS,
    today: FIXTURE_TODAY,
  });
  return { grid, header, rows };
}

function storedIds(rows: readonly RosterRow[]): Set<string> {
  return new Set(rows.flatMap((r) => (r.candidate ? [r.candidate.idNumber] : [])));
}

describe('buildRejectedWorkbook', () => {
  it('writes the original headers, the rejected rows as text, 错误原因 and 原行号', async () => {
    const first = await importFile('花名册.xlsx', await makeMessyRosterXlsx(), new Set());
    const bytes = await buildRejectedWorkbook(first.header, first.rows);

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(new Uint8Array(bytes).buffer);
    const ws = wb.worksheets[0]!;
    const headerTexts = (ws.getRow(1).values as unknown[]).slice(1);
    expect(headerTexts).toEqual([
      ...first.header.columns.map((c) => c.header),
      REASON_HEADER,
      ORIGINAL_ROW_HEADER,
    ]);
    expect(ws.rowCount).toBe(1 + MESSY_ROSTER_EXPECTED.rejected);

    const idCol = first.header.columns.findIndex((c) => c.field === 'idNumber') + 1;
    const reasonCol = first.header.columns.length + 1;
    const rowCol = first.header.columns.length + 2;
    const excelRows = Array.from({ length: ws.rowCount - 1 }, (_, i) => ws.getRow(i + 2));
    expect(excelRows.map((r) => r.getCell(rowCol).value)).toEqual(
      MESSY_ROSTER_EXPECTED.rows.filter((r) => r.status === 'rejected').map((r) => r.rowNumber),
    );
    for (const r of excelRows) {
      const id = r.getCell(idCol);
      expect(typeof id.value).toBe('string');
      expect(id.numFmt).toBe('@');
    }
    expect(ws.getColumn(idCol).numFmt).toBe('@');
    expect(excelRows[0]!.getCell(reasonCol).value).toBe('*身份证号码：校验位错误：应为 X，实为 1');
    expect(excelRows[0]!.getCell(idCol).value).toBe('110105194912310021');
    expect(excelRows[1]!.getCell(reasonCol).value).toBe('*身份证号码：证件号码与第 4 行重复');
  });

  it('re-imports unchanged with the same rejections (duplicates now found in the sitting)', async () => {
    const first = await importFile('花名册.xlsx', await makeMessyRosterXlsx(), new Set());
    const rejectedFile = await buildRejectedWorkbook(first.header, first.rows);
    const again = await importFile('未通过校验的行.xlsx', rejectedFile, storedIds(first.rows));

    expect(again.header.headerRowIndex).toBe(0);
    expect(again.header.unmappedHeaders).toEqual([REASON_HEADER, ORIGINAL_ROW_HEADER]);
    expect(again.rows.every((r) => r.status === 'rejected')).toBe(true);
    expect(again.rows.map((r) => r.messages[0]!.code)).toEqual([
      'id_check_char',
      'id_already_in_sitting',
      // The damaged number arrives as its (wrong) digits in a text cell: caught by the check character.
      'id_check_char',
      'gender_mismatch',
      'level_not_offered',
      'id_already_in_sitting',
    ]);
    expect(again.rows[2]!.messages[0]!.message).toBe(
      '校验位错误：应为 X，实为 0（号码末三位为 000，可能是 Excel 把它存成数字后丢失了末尾数字：请把该列设置为“文本”格式后重新录入）',
    );
    // ID numbers round-trip as text, character for character.
    const idHeader = first.header.columns.find((c) => c.field === 'idNumber')!.header;
    const rejectedFirst = first.rows.filter((r) => r.status === 'rejected');
    expect(again.rows.map((r) => r.source[idHeader])).toEqual(rejectedFirst.map((r) => r.source[idHeader]));
  });

  it('imports cleanly once the user has fixed the rows', async () => {
    const first = await importFile('花名册.xlsx', await makeMessyRosterXlsx(), new Set());
    const rejectedFile = await buildRejectedWorkbook(first.header, first.rows);

    // The user opens the file in Excel and fixes each row.
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(new Uint8Array(rejectedFile).buffer);
    const ws = wb.worksheets[0]!;
    const col = (h: HeaderMatch, field: string) => h.columns.findIndex((c) => c.field === field) + 1;
    const idCol = col(first.header, 'idNumber');
    const genderCol = col(first.header, 'gender');
    const levelCol = col(first.header, 'appliedLevel');
    for (let r = 2; r <= ws.rowCount; r++) {
      const row = ws.getRow(r);
      // Re-typed ID numbers (women, so the gender column agrees after it is set to 女).
      row.getCell(idCol).value = makeIdNumber('110105', '19900101', 100 + 2 * r);
      row.getCell(genderCol).value = '女';
      row.getCell(levelCol).value = '四级';
    }
    const fixed = new Uint8Array(await wb.xlsx.writeBuffer());

    const second = await importFile('未通过校验的行.xlsx', fixed, storedIds(first.rows));
    expect(second.rows).toHaveLength(MESSY_ROSTER_EXPECTED.rejected);
    expect(second.rows.filter((r) => r.status === 'rejected')).toEqual([]);
    // 原行号 and 错误原因 are ignored; the 黄 明 row keeps its name-space warning.
    expect(
      second.rows.filter((r) => r.status === 'warning').map((r) => r.messages.map((m) => m.code)),
    ).toEqual([['name_spaces_removed']]);
  });

  it('leaves out rows that are not rejected and still writes a header when none are', async () => {
    const header: HeaderMatch = {
      headerRowIndex: 0,
      columns: [
        { index: 0, header: '姓名', field: 'name' },
        { index: 1, header: '身份证号码', field: 'idNumber' },
        { index: 2, header: '申报等级', field: 'appliedLevel' },
      ],
      unmappedHeaders: [],
    };
    const bytes = await buildRejectedWorkbook(header, [
      { rowNumber: 2, status: 'ok', messages: [], source: { 姓名: '王芳' }, candidate: null },
    ]);
    const grid = await readRosterFile('x.xlsx', bytes);
    expect(grid.rows.map((r) => r.map((c) => c.text))).toEqual([
      ['姓名', '身份证号码', '申报等级', REASON_HEADER, ORIGINAL_ROW_HEADER],
    ]);
  });
});
