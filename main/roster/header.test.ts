import { describe, expect, it } from 'vitest';
import { findHeader, matchHeader, normaliseHeader } from './header';
import type { SheetCell, SheetGrid } from './read-sheet';
import { RosterFileError } from './read-sheet';

function grid(rows: (string | null)[][]): SheetGrid {
  return {
    sheetName: 'S',
    rows: rows.map((r) =>
      r.map((t): SheetCell =>
        t === null || t === '' ? { text: '', kind: 'empty' } : { text: t, kind: 'string' },
      ),
    ),
  };
}

function headerError(g: SheetGrid): RosterFileError {
  try {
    findHeader(g);
  } catch (err) {
    if (err instanceof RosterFileError) return err;
    throw err;
  }
  throw new Error('expected a RosterFileError');
}

describe('matchHeader', () => {
  it.each([
    ['姓名', 'name'],
    ['姓 名', 'name'],
    ['*姓名', 'name'],
    ['姓名*', 'name'],
    ['性别', 'gender'],
    ['证件类型', 'idType'],
    ['身份证号', 'idNumber'],
    ['身份证号码', 'idNumber'],
    ['*身份证\n号码', 'idNumber'],
    ['证件号码', 'idNumber'],
    ['公民身份号码', 'idNumber'],
    ['证件号', 'idNumber'],
    ['身份证号码（必填）', 'idNumber'],
    ['出生日期', 'birthDate'],
    ['出生年月', 'birthDate'],
    ['出生日期(yyyy-mm-dd)', 'birthDate'],
    ['民族', 'ethnicity'],
    ['文化程度', 'education'],
    ['学历', 'education'],
    ['手机号码', 'phone'],
    ['联系电话', 'phone'],
    ['手机', 'phone'],
    ['电话', 'phone'],
    ['通讯地址', 'address'],
    ['地址', 'address'],
    ['联系地址', 'address'],
    ['工作单位', 'employer'],
    ['单位', 'employer'],
    ['考生来源', 'source'],
    ['申报等级', 'appliedLevel'],
    ['报考等级', 'appliedLevel'],
    ['等级', 'appliedLevel'],
    ['级别', 'appliedLevel'],
    ['申报级别', 'appliedLevel'],
    ['工种', 'trade'],
    ['职业方向', 'trade'],
    ['工种（职业方向）', 'trade'],
    ['工种(职业方向)', 'trade'],
    ['申报条件', 'eligibilityBasis'],
    ['考生申报条件', 'eligibilityBasis'],
    ['原证书号', 'priorCertNo'],
    ['原证书编号', 'priorCertNo'],
    ['本职业工作年限', 'yearsInOccupation'],
    ['工作年限', 'yearsInOccupation'],
    ['准考证号', 'admissionTicketNo'],
    ['序号', 'ignored'],
  ])('%j → %s', (text, field) => {
    expect(matchHeader(text)).toBe(field);
  });

  it.each([
    'XX考点2026年第一批职业技能等级认定花名册',
    '填报单位：XX学校',
    '电子邮箱',
    '原证书等级',
    '备注',
    '',
  ])('%j is not a known column', (text) => {
    expect(matchHeader(text)).toBeNull();
  });

  it('normalises full-width letters, spaces and marks', () => {
    expect(normaliseHeader(' ＊姓　名 ')).toBe('姓名');
    expect(normaliseHeader('工种（职业方向）')).toBe('工种职业方向');
    expect(normaliseHeader('ｎｏ.')).toBe('NO.');
  });
});

describe('findHeader', () => {
  const titleRows: (string | null)[][] = [
    ['XX考点2026年第一批职业技能等级认定花名册', null, null, null],
    ['填报单位：XX学校', null, null, '填报日期：2026年11月1日'],
  ];

  it('finds the header on row 3 below a merged title and a 填报单位 row', () => {
    const g = grid([
      ...titleRows,
      ['序号', '*姓名', '性别', '*身份证号码', '*申报等级', '电子邮箱', '工种（职业方向）', '备注'],
      ['1', '王芳', '女', '11010519491231002X', '四级', '', '--', ''],
    ]);
    const h = findHeader(g);
    expect(h.headerRowIndex).toBe(2);
    expect(h.columns).toEqual([
      { index: 0, header: '序号', field: null },
      { index: 1, header: '*姓名', field: 'name' },
      { index: 2, header: '性别', field: 'gender' },
      { index: 3, header: '*身份证号码', field: 'idNumber' },
      { index: 4, header: '*申报等级', field: 'appliedLevel' },
      { index: 5, header: '电子邮箱', field: null },
      { index: 6, header: '工种（职业方向）', field: 'trade' },
      { index: 7, header: '备注', field: null },
    ]);
    expect(h.unmappedHeaders).toEqual(['电子邮箱', '备注']);
  });

  it('picks the row naming the most columns, also when a hint row above mentions a few', () => {
    const g = grid([
      ['说明：姓名、证件号码为必填', null, null],
      ['姓名', '等级', null],
      ['姓名', '证件号码', '申报等级', '联系电话'],
    ]);
    expect(findHeader(g).headerRowIndex).toBe(2);
  });

  it('searches only the first 20 rows', () => {
    const rows: (string | null)[][] = Array.from({ length: 20 }, () => ['x']);
    rows.push(['姓名', '证件号码', '申报等级']);
    const err = headerError(grid(rows));
    expect(err.code).toBe('header_not_found');
    expect(err.message).toBe('在前 20 行中没有找到表头行：表头应包含“姓名”“证件号码”“申报等级”等列名');
    rows.splice(0, 1);
    expect(findHeader(grid(rows)).headerRowIndex).toBe(19);
  });

  it('names the missing required columns and where the header was found', () => {
    const err = headerError(grid([...titleRows, ['序号', '姓名', '性别', '手机号码']]));
    expect(err.code).toBe('missing_columns');
    expect(err.details).toEqual(['证件号码', '申报等级']);
    expect(err.message).toBe(
      '花名册缺少必填列：证件号码、申报等级（表头在第 3 行：序号、姓名、性别、手机号码）',
    );
  });

  it('keeps the first of two columns that map to the same field', () => {
    const h = findHeader(grid([['姓名', '手机号码', '电话', '证件号码', '申报等级', '电话']]));
    expect(h.columns.filter((c) => c.field === 'phone').map((c) => c.header)).toEqual(['手机号码']);
    expect(h.unmappedHeaders).toEqual(['电话', '电话 (2)']);
  });

  it('does not take a data row for the header', () => {
    const h = findHeader(
      grid([
        ['姓名', '身份证号', '等级'],
        ['技师', '电话', '单位'],
      ]),
    );
    expect(h.headerRowIndex).toBe(0);
  });
});
