import { describe, expect, it } from 'vitest';
import { candidateFieldsSchema } from '../../shared/contract/candidates';
import type { RosterRow } from '../../shared/contract/roster';
import { idCheckChar } from '../../shared/domain/id-number';
import type { Level } from '../../shared/domain/levels';
import {
  FIXTURE_ALLOWED_LEVELS,
  FIXTURE_TODAY,
  GBK_CSV_EXPECTED,
  makeGbkRosterCsv,
  makeIdNumber,
  makeMessyRosterXlsx,
  MESSY_ROSTER_EXPECTED,
  syntheticIdNumber,
  syntheticName,
  type RosterExpectation,
} from '../../test/fixtures/roster/make-roster';
import { findHeader } from './header';
import type { SheetCell, SheetGrid } from './read-sheet';
import { readRosterFile } from './read-sheet';
import { checkPhone, parseDateText, parseGender, parseIdType, validateRoster } from './validate';

const today = FIXTURE_TODAY;
const HEADERS = [
  '序号',
  '姓名',
  '性别',
  '证件类型',
  '身份证号码',
  '出生日期',
  '申报等级',
  '手机号码',
  '本职业工作年限',
];

type CellInput = string | number | null | SheetCell;

function cell(v: CellInput): SheetCell {
  if (v === null || v === '') return { text: '', kind: 'empty' };
  if (typeof v === 'number') return { text: String(v), kind: 'number', raw: v };
  if (typeof v === 'string') return { text: v, kind: 'string' };
  return v;
}

/** A grid with a title row, a blank row and the header on row 3; data from row 4. */
function gridOf(rows: Record<string, CellInput>[], headers = HEADERS): SheetGrid {
  return {
    sheetName: 'S',
    rows: [
      [cell('XX考点花名册')],
      [],
      headers.map((h) => cell(h)),
      ...rows.map((r) => headers.map((h) => cell(r[h] ?? null))),
    ],
  };
}

function validate(
  rows: Record<string, CellInput>[],
  opts: { existing?: string[]; levels?: readonly Level[]; headers?: string[] } = {},
): RosterRow[] {
  const g = gridOf(rows, opts.headers);
  return validateRoster(g, findHeader(g), {
    existingIdNumbers: new Set(opts.existing ?? []),
    allowedLevels: opts.levels ?? [3, 4, 5],
    today,
  });
}

function one(row: Record<string, CellInput>, opts: Parameters<typeof validate>[1] = {}): RosterRow {
  const rows = validate([row], opts);
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

const ID_A = '11010519491231002X'; // female, 1949-12-31
const ID_M = makeIdNumber('320102', '19850315', 11); // male, 1985-03-15
const base = { 姓名: '王芳', 身份证号码: ID_A, 申报等级: '四级/中级工' };

function assertExpectation(rows: RosterRow[], expected: RosterExpectation): void {
  expect(rows).toHaveLength(expected.dataRows);
  expect(rows.filter((r) => r.status === 'ok')).toHaveLength(expected.ok);
  expect(rows.filter((r) => r.status === 'warning')).toHaveLength(expected.warning);
  expect(rows.filter((r) => r.status === 'rejected')).toHaveLength(expected.rejected);
  for (const e of expected.rows) {
    const row = rows.find((r) => r.rowNumber === e.rowNumber);
    expect(row, `row ${e.rowNumber}`).toBeDefined();
    expect(row!.status, `row ${e.rowNumber}: ${JSON.stringify(row!.messages)}`).toBe(e.status);
    if (e.code) expect(row!.messages.map((m) => m.code)).toContain(e.code);
  }
}

describe('validateRoster — values filled down from merged cells', () => {
  it('takes a merged 申报等级 for every row of the merge and says so, so nobody is levelled by accident', () => {
    const merged: SheetCell = { text: '四级/中级工', kind: 'string', mergedFrom: 'G4' };
    const [first, second] = validate([base, { 姓名: '周杰', 身份证号码: ID_M, 申报等级: merged }]);
    expect(first!.status).toBe('ok');
    expect(second!.status).toBe('warning');
    expect(second!.candidate?.appliedLevel).toBe(4);
    expect(second!.messages).toEqual([
      {
        field: 'appliedLevel',
        column: '申报等级',
        code: 'merged_fill',
        message: '申报等级“四级/中级工”取自合并单元格 G4，请确认适用于本行',
      },
    ]);
  });
});

describe('validateRoster — the messy fixture roster', () => {
  it('gives every row the expected status, with Excel row numbers', async () => {
    const grid = await readRosterFile('花名册.xlsx', await makeMessyRosterXlsx());
    const header = findHeader(grid);
    expect(header.headerRowIndex + 1).toBe(MESSY_ROSTER_EXPECTED.headerRowNumber);
    const rows = validateRoster(grid, header, {
      existingIdNumbers: new Set(),
      allowedLevels: FIXTURE_ALLOWED_LEVELS,
      today,
    });
    assertExpectation(rows, MESSY_ROSTER_EXPECTED);

    const byRow = (n: number) => rows.find((r) => r.rowNumber === n)!;
    expect(byRow(8).messages).toEqual([
      {
        field: 'idNumber',
        column: '*身份证号码',
        code: 'id_check_char',
        message: '校验位错误：应为 X，实为 1',
      },
    ]);
    expect(byRow(9).messages).toEqual([
      {
        field: 'idNumber',
        column: '*身份证号码',
        code: 'id_duplicate_in_file',
        message: '证件号码与第 4 行重复',
      },
    ]);
    expect(byRow(10).messages[0]!.message).toMatch(/^证件号码被 Excel 存成了数字（显示为 4\.40305E\+17）/);
    expect(byRow(16).messages.map((m) => m.message)).toEqual(['证件号码与第 7 行重复']);
    expect(byRow(11).candidate).toMatchObject({
      idNumber: '31010419750612002' + idCheckChar('31010419750612002'),
    });
    expect(byRow(6).candidate?.idNumber).toMatch(/^33010619920708024[\dX]$/);
    expect(byRow(7).candidate?.idNumber).toBe('34052419800101001X');
    // The 工种 "--" means none; phone numbers stored as numbers are fine.
    expect(byRow(4).candidate).toMatchObject({ trade: null, phone: '13800138000', ethnicity: '汉族' });
    for (const r of rows) if (r.candidate) candidateFieldsSchema.parse(r.candidate);
  });

  it('reads the GBK CSV fixture', async () => {
    const grid = await readRosterFile('花名册.csv', makeGbkRosterCsv());
    const header = findHeader(grid);
    expect(header.headerRowIndex + 1).toBe(GBK_CSV_EXPECTED.headerRowNumber);
    const rows = validateRoster(grid, header, {
      existingIdNumbers: new Set(),
      allowedLevels: FIXTURE_ALLOWED_LEVELS,
      today,
    });
    assertExpectation(rows, GBK_CSV_EXPECTED);
    expect(rows[0]!.candidate).toMatchObject({ name: '买买提·艾力', gender: '男', appliedLevel: 4 });
    expect(rows[1]!.candidate).toMatchObject({ name: '欧阳娜娜', phone: '0571-87654321', appliedLevel: 3 });
    expect(rows[2]!.messages[0]!.message).toBe(
      '证件号码“1.10105E+17”已被 Excel 改成科学计数法，后几位数字已丢失，无法自动修复：请在 Excel 中把该列设置为“文本”格式后重新录入',
    );
    expect(rows[3]!.messages[0]!.message).toBe(
      '本场次不设二级/技师，可申报：五级/初级工、四级/中级工、三级/高级工',
    );
  });
});

describe('validateRoster — statuses', () => {
  it('a clean row is ok, with gender and birth date derived from the ID number', () => {
    const r = one({ ...base, 手机号码: '138 0013 8000' });
    expect(r).toMatchObject({ rowNumber: 4, status: 'ok', messages: [] });
    expect(r.candidate).toEqual({
      name: '王芳',
      gender: '女',
      idType: 'resident_id',
      idNumber: ID_A,
      birthDate: '1949-12-31',
      ethnicity: null,
      education: null,
      phone: '13800138000',
      address: null,
      employer: null,
      source: null,
      appliedLevel: 4,
      trade: null,
      eligibilityBasis: null,
      priorCertNo: null,
      yearsInOccupation: null,
      admissionTicketNo: null,
    });
    expect(r.source).toMatchObject({ 姓名: '王芳', 身份证号码: ID_A, 申报等级: '四级/中级工', 序号: '' });
  });

  it('normalised ID input makes a warning row, stored with the clean number', () => {
    const r = one({ ...base, 身份证号码: '110105 19491231002x' });
    expect(r.status).toBe('warning');
    expect(r.candidate?.idNumber).toBe(ID_A);
    expect(r.messages).toEqual([
      { field: 'idNumber', column: '身份证号码', code: 'id_whitespace', message: '已去除证件号码中的空格' },
      {
        field: 'idNumber',
        column: '身份证号码',
        code: 'id_lowercase',
        message: '证件号码末位的小写 x 已改为大写 X',
      },
    ]);
  });

  it('a 15-digit ID is converted with a warning saying so', () => {
    const r = one({ ...base, 姓名: '赵磊', 身份证号码: '340524800101001' });
    expect(r.status).toBe('warning');
    expect(r.candidate).toMatchObject({
      idNumber: '34052419800101001X',
      gender: '男',
      birthDate: '1980-01-01',
    });
    expect(r.messages[0]!.message).toBe(
      '15 位旧身份证号码 340524800101001 已升级为 18 位 34052419800101001X（出生年份按 19xx 补全）',
    );
  });

  it('rejected rows carry only the reasons, no candidate', () => {
    const r = one({ ...base, 姓名: ' 王 芳 ', 身份证号码: '110105194912310021' });
    expect(r.status).toBe('rejected');
    expect(r.candidate).toBeNull();
    expect(r.messages.map((m) => m.code)).toEqual(['id_check_char']);
  });

  it('collects every reason of a row', () => {
    const r = one({ 姓名: '', 身份证号码: '', 申报等级: '', 性别: '男' });
    expect(r.messages).toEqual([
      { field: 'name', column: '姓名', code: 'name_required', message: '姓名为空' },
      { field: 'idNumber', column: '身份证号码', code: 'id_required', message: '证件号码为空' },
      { field: 'appliedLevel', column: '申报等级', code: 'level_required', message: '申报等级为空' },
    ]);
  });
});

describe('validateRoster — ID numbers stored as numbers', () => {
  it('an 18-digit number is damaged: rejected with a message telling the user what to do, never repaired', () => {
    const r = one({ ...base, 身份证号码: 110105194912310000 });
    expect(r.status).toBe('rejected');
    expect(r.messages).toEqual([
      {
        field: 'idNumber',
        column: '身份证号码',
        code: 'id_damaged_number',
        message:
          '证件号码被 Excel 存成了数字（显示为 1.10105E+17），第 15 位以后的数字已丢失，无法自动修复：请把该列设置为“文本”格式后重新录入',
      },
    ]);
  });

  it('a formula yielding a long number is damaged too', () => {
    const r = one({
      ...base,
      身份证号码: { text: '110105194912310000', kind: 'formula', raw: 110105194912310000 },
    });
    expect(r.messages[0]!.code).toBe('id_damaged_number');
  });

  it('a text cell in scientific notation is damaged', () => {
    expect(one({ ...base, 身份证号码: '1.10105E+17' }).messages[0]!.code).toBe('id_damaged_number');
    expect(one({ ...base, 身份证号码: '1.10105e17' }).messages[0]!.code).toBe('id_damaged_number');
  });

  it('18 digits ending in 000 with a wrong check character get a hint about Excel', () => {
    const r = one({ ...base, 身份证号码: '110105194912310000' });
    expect(r.messages[0]!.message).toBe(
      '校验位错误：应为 3，实为 0（号码末三位为 000，可能是 Excel 把它存成数字后丢失了末尾数字：请把该列设置为“文本”格式后重新录入）',
    );
  });

  it('a 15-digit number is intact: accepted with a warning to format the column as text', () => {
    const r = one({ ...base, 姓名: '赵磊', 身份证号码: 340524800101001 });
    expect(r.status).toBe('warning');
    expect(r.candidate?.idNumber).toBe('34052419800101001X');
    expect(r.messages.map((m) => m.code)).toEqual(['id_stored_as_number', 'id_legacy_15']);
  });
});

describe('validateRoster — duplicates', () => {
  it('rejects the second and later occurrences, naming the first row', () => {
    const rows = validate([
      base,
      { ...base, 姓名: '李强', 身份证号码: ID_M },
      { ...base, 姓名: '王芳2' },
      { ...base, 身份证号码: ID_A.toLowerCase() },
    ]);
    expect(rows.map((r) => r.status)).toEqual(['ok', 'ok', 'rejected', 'rejected']);
    expect(rows[2]!.messages.map((m) => m.message)).toEqual(['证件号码与第 4 行重复']);
    expect(rows[3]!.messages.map((m) => m.message)).toEqual(['证件号码与第 4 行重复']);
  });

  it('finds a 15-digit number that duplicates its 18-digit form', () => {
    const rows = validate([
      { ...base, 身份证号码: '34052419800101001X' },
      { ...base, 身份证号码: '340524800101001' },
    ]);
    expect(rows[1]!.messages.map((m) => m.message)).toEqual(['证件号码与第 4 行重复']);
  });

  it('rejects a candidate already in the sitting', () => {
    const r = one(base, { existing: [ID_A] });
    expect(r.messages).toEqual([
      {
        field: 'idNumber',
        column: '身份证号码',
        code: 'id_already_in_sitting',
        message: '该证件号码的考生已在本场次中，不能重复导入',
      },
    ]);
  });
});

describe('validateRoster — levels', () => {
  it.each([
    ['4', 4],
    ['四级（中级工）', 4],
    ['初级', 5],
    ['三级/高级工', 3],
  ])('accepts %j', (text, level) => {
    expect(one({ ...base, 申报等级: text }).candidate?.appliedLevel).toBe(level);
  });

  it('accepts a level cell stored as a number', () => {
    expect(one({ ...base, 申报等级: 4 }).candidate?.appliedLevel).toBe(4);
  });

  it('rejects an unreadable level, naming it', () => {
    expect(one({ ...base, 申报等级: '中级工程师' }).messages).toEqual([
      {
        field: 'appliedLevel',
        column: '申报等级',
        code: 'level_unrecognised',
        message: '申报等级“中级工程师”无法识别，请填写如“四级/中级工”、“四级”或“4”',
      },
    ]);
  });

  it('rejects a level the sitting does not offer, listing those it does', () => {
    expect(one({ ...base, 申报等级: '高级技师' }, { levels: [2, 1] }).status).toBe('ok');
    expect(one({ ...base, 申报等级: '技师' }, { levels: [1] }).messages[0]!.message).toBe(
      '本场次不设二级/技师，可申报：一级/高级技师',
    );
  });
});

describe('validateRoster — gender and birth date against the ID number', () => {
  it('accepts matching values in any usual spelling', () => {
    const r = one({ ...base, 性别: '女性', 出生日期: '1949年12月31日' });
    expect(r.status).toBe('ok');
    expect(one({ ...base, 出生日期: { text: '1949-12-31', kind: 'date' } }).status).toBe('ok');
    expect(one({ ...base, 出生日期: '1949.12' }).status).toBe('ok');
    expect(one({ ...base, 出生日期: 19491231 }).status).toBe('ok');
  });

  it('rejects a gender that conflicts with the ID number', () => {
    expect(one({ ...base, 性别: '男' }).messages).toEqual([
      {
        field: 'gender',
        column: '性别',
        code: 'gender_mismatch',
        message: '性别“男”与证件号码不符（证件号码为女性）',
      },
    ]);
  });

  it('rejects a birth date (or 出生年月) that conflicts with the ID number', () => {
    expect(one({ ...base, 出生日期: '1949-12-30' }).messages).toEqual([
      {
        field: 'birthDate',
        column: '出生日期',
        code: 'birth_date_mismatch',
        message: '出生日期 1949-12-30 与证件号码不符（证件号码为 1949-12-31）',
      },
    ]);
    expect(one({ ...base, 出生日期: '1950-01' }).messages[0]!.message).toBe(
      '出生日期 1950-01 与证件号码不符（证件号码为 1949-12）',
    );
  });

  it('unreadable gender or birth date is a warning; the ID number decides', () => {
    const r = one({ ...base, 性别: '?', 出生日期: '不详' });
    expect(r.status).toBe('warning');
    expect(r.candidate).toMatchObject({ gender: '女', birthDate: '1949-12-31' });
    expect(r.messages.map((m) => m.message)).toEqual([
      '性别“?”无法识别，已按证件号码取“女”',
      '出生日期“不详”无法识别，已按证件号码取 1949-12-31',
    ]);
  });
});

describe('validateRoster — document types', () => {
  it('takes the 证件类型 column into account', () => {
    const r = one({ ...base, 证件类型: '护照', 身份证号码: 'e12345678', 性别: '女', 出生日期: '1990-05-01' });
    expect(r.status).toBe('warning'); // lower case upper-cased
    expect(r.candidate).toMatchObject({
      idType: 'passport',
      idNumber: 'E12345678',
      gender: '女',
      birthDate: '1990-05-01',
    });
  });

  it('corrects a declared type that does not fit the number, with a warning on the 证件类型 column', () => {
    const r = one({ ...base, 证件类型: '居民身份证', 身份证号码: '810000199001010019' });
    expect(r.status).toBe('warning');
    expect(r.candidate?.idType).toBe('residence_permit');
    expect(r.messages[0]).toMatchObject({ field: 'idType', column: '证件类型', code: 'id_type_adjusted' });
  });

  it('rejects an unknown 证件类型', () => {
    const r = one({ ...base, 证件类型: '驾驶证' });
    expect(r.messages[0]!.code).toBe('id_type_unknown');
    expect(r.messages[0]!.message).toMatch(/^证件类型“驾驶证”无法识别，应为：居民身份证、港澳台居民居住证、/);
  });

  it('detects foreign PR numbers without a 证件类型 column', () => {
    expect(one({ ...base, 身份证号码: 'USA110090010100' }).candidate?.idType).toBe('foreign_pr');
  });
});

describe('validateRoster — other fields', () => {
  it('warns about an implausible phone number but stores it', () => {
    const r = one({ ...base, 手机号码: '1380013800' });
    expect(r.status).toBe('warning');
    expect(r.candidate?.phone).toBe('1380013800');
    expect(r.messages[0]!.message).toBe('手机号码“1380013800”格式不正确，请核对');
  });

  it('reads years in occupation', () => {
    expect(one({ ...base, 本职业工作年限: '5年' }).candidate?.yearsInOccupation).toBe(5);
    expect(one({ ...base, 本职业工作年限: 12 }).candidate?.yearsInOccupation).toBe(12);
    const r = one({ ...base, 本职业工作年限: '很多' });
    expect(r.status).toBe('warning');
    expect(r.candidate?.yearsInOccupation).toBeNull();
  });

  it('removes spaces inside a Chinese name and unifies the middle dot, with warnings', () => {
    expect(one({ ...base, 姓名: '王 芳' }).candidate?.name).toBe('王芳');
    const r = one({ ...base, 姓名: '买买提.艾力' });
    expect(r.candidate?.name).toBe('买买提·艾力');
    expect(r.messages[0]!.code).toBe('name_dot_normalised');
    expect(one({ ...base, 姓名: 'John Smith' }).status).toBe('ok');
  });

  it('rejects a prior certificate number that Excel stored as a 16-digit number', () => {
    const r = one({ ...base, 原证书编号: 1234567890123456 }, { headers: [...HEADERS, '原证书编号'] });
    expect(r.messages[0]).toMatchObject({
      field: 'priorCertNo',
      column: '原证书编号',
      code: 'field_damaged_number',
    });
  });

  it('rejects text longer than the stored field allows', () => {
    const r = one({ ...base, 民族: '汉'.repeat(21) }, { headers: [...HEADERS, '民族'] });
    expect(r.messages).toEqual([
      { field: 'ethnicity', column: '民族', code: 'field_too_long', message: '民族超过 20 个字符' },
    ]);
  });
});

describe('validateRoster — which rows count', () => {
  it('skips blank rows and rows where only unmapped columns (序号, footers) are filled', () => {
    const rows = validate([
      base,
      {},
      { 序号: '3' },
      { ...base, 姓名: '李强', 身份证号码: ID_M },
      { 序号: '制表人：张老师' },
    ]);
    expect(rows.map((r) => r.rowNumber)).toEqual([4, 7]);
  });
});

describe('small parsers', () => {
  it('parseIdType', () => {
    expect(parseIdType('居民身份证')).toBe('resident_id');
    expect(parseIdType(' 身份证 ')).toBe('resident_id');
    expect(parseIdType('港澳台居民居住证')).toBe('residence_permit');
    expect(parseIdType('境外永久居住证（外国国籍）')).toBe('foreign_pr');
    expect(parseIdType('护照（外国国籍）')).toBe('passport');
    expect(parseIdType('台胞证')).toBe('taiwan_permit');
    expect(parseIdType('军官证/军人身份证件')).toBe('military');
    expect(parseIdType('passport')).toBe('passport');
    expect(parseIdType('驾驶证')).toBeNull();
  });

  it('parseGender', () => {
    expect(['男', '男性', 'M', 'male', '1', '男 '].map(parseGender)).toEqual([
      '男',
      '男',
      '男',
      '男',
      '男',
      '男',
    ]);
    expect(['女', '女性', 'F', 'Female', '2'].map(parseGender)).toEqual(['女', '女', '女', '女', '女']);
    expect(parseGender('未知')).toBeNull();
  });

  it('parseDateText', () => {
    expect(parseDateText('1990/1/5')).toEqual({ kind: 'date', iso: '1990-01-05' });
    expect(parseDateText('1990.01.05')).toEqual({ kind: 'date', iso: '1990-01-05' });
    expect(parseDateText('19900105')).toEqual({ kind: 'date', iso: '1990-01-05' });
    expect(parseDateText('1990-01-05 00:00:00')).toEqual({ kind: 'date', iso: '1990-01-05' });
    expect(parseDateText('１９９０年１月')).toEqual({ kind: 'month', yearMonth: '1990-01' });
    expect(parseDateText('199001')).toEqual({ kind: 'month', yearMonth: '1990-01' });
    expect(parseDateText('1990-02-30')).toBeNull();
    expect(parseDateText('abc')).toBeNull();
  });

  it('checkPhone', () => {
    expect(checkPhone('+86 138-0013-8000')).toEqual({ value: '13800138000', plausible: true });
    expect(checkPhone('０５７１－８７６５４３２１')).toEqual({ value: '0571-87654321', plausible: true });
    expect(checkPhone('12345')).toEqual({ value: '12345', plausible: false });
  });
});

// Speed is measured by `npm run bench`, never asserted here.
describe('validateRoster — a large roster', () => {
  it('accepts 10,000 distinct valid rows', () => {
    const rows: Record<string, CellInput>[] = [];
    for (let i = 0; i < 10_000; i++) {
      const id = syntheticIdNumber(i);
      rows.push({
        序号: i + 1,
        姓名: syntheticName(i),
        性别: (id.charCodeAt(16) - 48) % 2 === 1 ? '男' : '女',
        证件类型: '居民身份证',
        身份证号码: id,
        出生日期: { text: `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`, kind: 'date' },
        申报等级: ['五级/初级工', '四级/中级工', '三级/高级工'][i % 3]!,
        手机号码: String(13000000000 + i),
      });
    }
    const g = gridOf(rows);
    const header = findHeader(g);
    const result = validateRoster(g, header, {
      existingIdNumbers: new Set(),
      allowedLevels: [3, 4, 5],
      today,
    });
    expect(result.filter((r) => r.status === 'ok')).toHaveLength(10_000);
    expect(new Set(result.map((r) => r.candidate?.idNumber)).size).toBe(10_000);
  });
});
