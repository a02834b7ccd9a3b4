import { describe, expect, it } from 'vitest';
import { idCheckChar, normalizeIdInput, validateDocumentNumber, validateIdNumber } from './id-number';
import { isProvinceCode, provinceName } from './provinces';

const today = new Date(2026, 10, 22); // 2026-11-22

function ok(raw: string, opts: Parameters<typeof validateIdNumber>[1] = {}) {
  const r = validateIdNumber(raw, { today, ...opts });
  if (!r.ok) throw new Error(`expected ${raw} to be valid, got ${r.code}: ${r.message}`);
  return r;
}

function bad(raw: string, opts: Parameters<typeof validateIdNumber>[1] = {}) {
  const r = validateIdNumber(raw, { today, ...opts });
  if (r.ok) throw new Error(`expected ${raw} to be invalid`);
  return r;
}

describe('idCheckChar (MOD 11-2)', () => {
  it('computes the check characters of the standard examples', () => {
    expect(idCheckChar('11010519491231002')).toBe('X');
    expect(idCheckChar('44052418800101001')).toBe('4');
    expect(idCheckChar('34052419800101001')).toBe('X');
    expect(idCheckChar('11010520000229002')).toBe('1');
  });

  it('refuses a body that is not 17 digits', () => {
    expect(() => idCheckChar('1101051949123100')).toThrow();
    expect(() => idCheckChar('1101051949123100A')).toThrow();
  });
});

describe('normalizeIdInput', () => {
  it('trims, removes inner (also full-width) spaces, converts full-width characters and upper-cases x', () => {
    expect(normalizeIdInput('  11010519491231002x ')).toBe('11010519491231002X');
    expect(normalizeIdInput('110105 1949\u30001231 002X')).toBe('11010519491231002X');
    expect(normalizeIdInput('１１０１０５１９４９１２３１００２Ｘ')).toBe('11010519491231002X');
    expect(normalizeIdInput('１１０１０５１９４９１２３１００２ｘ')).toBe('11010519491231002X');
    expect(normalizeIdInput('\t110105194912310021\r\n')).toBe('110105194912310021');
  });
});

describe('validateIdNumber — domain.md §10.1 test vectors', () => {
  it('11010519491231002X: valid, 北京, female, 1949-12-31', () => {
    const r = ok('11010519491231002X');
    expect(r).toEqual({
      ok: true,
      idNumber: '11010519491231002X',
      idType: 'resident_id',
      birthDate: '1949-12-31',
      gender: '女',
      warnings: [],
    });
  });

  it('440524188001010014: valid, born 1880 (not too old), male', () => {
    const r = ok('440524188001010014');
    expect(r.birthDate).toBe('1880-01-01');
    expect(r.gender).toBe('男');
  });

  it('34052419800101001X: valid', () => {
    expect(ok('34052419800101001X').gender).toBe('男');
  });

  it('11010519491231002x: valid after upper-casing, with a warning', () => {
    const r = ok('11010519491231002x');
    expect(r.idNumber).toBe('11010519491231002X');
    expect(r.warnings).toEqual([{ code: 'id_lowercase', message: '证件号码末位的小写 x 已改为大写 X' }]);
  });

  it('110105194912310021: wrong check character (should be X)', () => {
    expect(bad('110105194912310021')).toEqual({
      ok: false,
      code: 'id_check_char',
      message: '校验位错误：应为 X，实为 1',
    });
  });

  it('440524188001010015: wrong check character (should be 4)', () => {
    expect(bad('440524188001010015').message).toBe('校验位错误：应为 4，实为 5');
  });

  it('110105194913310021: month 13', () => {
    expect(bad('110105194913310021')).toEqual({
      ok: false,
      code: 'id_birth_date_invalid',
      message: '出生日期 1949-13-31 不存在',
    });
  });

  it('110105194902290029: 1949-02-29 does not exist', () => {
    expect(bad('110105194902290029').message).toBe('出生日期 1949-02-29 不存在');
  });

  it('110105200002290021: 2000-02-29 exists (leap year)', () => {
    expect(ok('110105200002290021').birthDate).toBe('2000-02-29');
  });

  it('000105194912310024: checksum-valid but address code 00 is rejected', () => {
    expect(bad('000105194912310024')).toEqual({
      ok: false,
      code: 'id_address_code',
      message: '地址码 00 不是有效的省级代码',
    });
  });

  it('340524800101001 (15 digits): converted to 34052419800101001X with a warning', () => {
    const r = ok('340524800101001');
    expect(r.idNumber).toBe('34052419800101001X');
    expect(r.birthDate).toBe('1980-01-01');
    expect(r.gender).toBe('男');
    expect(r.warnings).toEqual([
      {
        code: 'id_legacy_15',
        message:
          '15 位旧身份证号码 340524800101001 已升级为 18 位 34052419800101001X（出生年份按 19xx 补全）',
      },
    ]);
  });
});

describe('validateIdNumber — residence permits and foreign PR cards (§10.2, §10.3)', () => {
  it.each([
    ['810000199001010019', '1990-01-01', '男'],
    ['820000198512310029', '1985-12-31', '女'],
    ['830000200002290031', '2000-02-29', '男'],
  ])('%s is a 港澳台居民居住证', (id, birthDate, gender) => {
    const r = ok(id);
    expect(r.idType).toBe('residence_permit');
    expect(r.birthDate).toBe(birthDate);
    expect(r.gender).toBe(gender);
  });

  it('a residence permit with a wrong check character is rejected', () => {
    expect(bad('810000199001010018').message).toBe('校验位错误：应为 9，实为 8');
  });

  it('931156199001010014: 2023 foreign PR (leading 9, MOD 11-2), no birth date or gender derived', () => {
    expect(ok('931156199001010014')).toEqual({
      ok: true,
      idNumber: '931156199001010014',
      idType: 'foreign_pr',
      birthDate: null,
      gender: null,
      warnings: [],
    });
    expect(bad('931156199001010015').code).toBe('id_check_char');
  });

  it('2017 foreign PR: 3 letters + 12 digits, no check algorithm', () => {
    const r = ok('USA110090010100');
    expect(r.idType).toBe('foreign_pr');
    expect(r.idNumber).toBe('USA110090010100');
    expect(r.birthDate).toBeNull();
    // Any digits pass: there is no documented check character.
    expect(ok('CAN999999999999').idType).toBe('foreign_pr');
  });

  it('2017 foreign PR typed in lower case is upper-cased with a warning', () => {
    const r = ok('usa110090010100');
    expect(r.idNumber).toBe('USA110090010100');
    expect(r.warnings.map((w) => w.code)).toEqual(['id_lowercase']);
  });

  it('a declared type that does not match the number gives a warning and the detected type', () => {
    const r = ok('810000199001010019', { idType: 'resident_id' });
    expect(r.idType).toBe('residence_permit');
    expect(r.warnings).toEqual([
      {
        code: 'id_type_adjusted',
        message: '证件类型填写为“居民身份证”，但号码是港澳台居民居住证号码，已按港澳台居民居住证处理',
      },
    ]);
    expect(ok('11010519491231002X', { idType: 'resident_id' }).warnings).toEqual([]);
  });
});

describe('validateIdNumber — faults a user makes', () => {
  it('names the length', () => {
    expect(bad('11010519491231002')).toEqual({
      ok: false,
      code: 'id_length',
      message: '长度应为 18 位，实为 17 位',
    });
    expect(bad('1101051949123100211').message).toBe('长度应为 18 位，实为 19 位');
    expect(bad('1101051949123100').message).toBe('长度应为 18 位，实为 16 位');
  });

  it('names a bad character and its position', () => {
    expect(bad('1101051949123100AX')).toEqual({
      ok: false,
      code: 'id_charset',
      message: '前 17 位只能是数字，第 17 位为“A”',
    });
    expect(bad('11010519491231002Y').message).toBe('末位只能是数字或 X，第 18 位为“Y”');
    expect(bad('X10105194912310021').message).toBe('前 17 位只能是数字，第 1 位为“X”');
  });

  it('rejects a birth date in the future', () => {
    const body = '11010520301231002';
    expect(bad(body + idCheckChar(body))).toEqual({
      ok: false,
      code: 'id_birth_date_future',
      message: '出生日期 2030-12-31 在未来',
    });
    // Today itself is not in the future.
    const t = '11010520261122002';
    expect(ok(t + idCheckChar(t)).birthDate).toBe('2026-11-22');
    const tomorrow = '11010520261123002';
    expect(bad(tomorrow + idCheckChar(tomorrow)).code).toBe('id_birth_date_future');
  });

  it('rejects an implausibly old year but accepts 1880', () => {
    const body = '11010517991231002';
    expect(bad(body + idCheckChar(body)).message).toBe('出生日期 1799-12-31 不合理（早于 1800 年）');
  });

  it('rejects an empty number', () => {
    expect(bad('   ')).toEqual({ ok: false, code: 'id_empty', message: '证件号码为空' });
  });

  it('warns about each normalisation it made', () => {
    const r = ok(' １１０１０５ １９４９１２３１００２ｘ');
    expect(r.idNumber).toBe('11010519491231002X');
    expect(r.warnings.map((w) => w.code)).toEqual(['id_whitespace', 'id_fullwidth', 'id_lowercase']);
    expect(r.warnings.map((w) => w.message)).toEqual([
      '已去除证件号码中的空格',
      '证件号码中的全角字符已转为半角',
      '证件号码末位的小写 x 已改为大写 X',
    ]);
  });

  it('trailing spaces alone are trimmed silently', () => {
    expect(ok('11010519491231002X  ').warnings).toEqual([]);
  });

  it('15-digit numbers are checked like 18-digit ones after conversion', () => {
    expect(bad('340524801301001').message).toBe('出生日期 1980-13-01 不存在');
    expect(bad('000524800101001').code).toBe('id_address_code');
    expect(bad('910000800101001').message).toBe('地址码 91 不是有效的省级代码');
    expect(bad('810000800101001').code).toBe('id_address_code');
    expect(bad('34052480010100A').message).toBe('15 位身份证号码只能由数字组成，第 15 位为“A”');
  });

  it('the 17th digit decides the gender', () => {
    const male = '44030519900101003';
    const female = '44030519900101004';
    expect(ok(male + idCheckChar(male)).gender).toBe('男');
    expect(ok(female + idCheckChar(female)).gender).toBe('女');
  });
});

describe('validateDocumentNumber — types without a check algorithm (§10.4)', () => {
  it('delegates the rule types to validateIdNumber', () => {
    const r = validateDocumentNumber('110105194912310021', 'resident_id', { today });
    expect(r.ok).toBe(false);
  });

  it('checks only length and charset for passports and permits', () => {
    expect(validateDocumentNumber(' e12345678 ', 'passport')).toMatchObject({
      ok: true,
      idNumber: 'E12345678',
      idType: 'passport',
      warnings: [{ code: 'id_lowercase', message: '证件号码中的小写字母已改为大写' }],
    });
    expect(validateDocumentNumber('H12345678', 'hk_macau_permit')).toMatchObject({ ok: true, warnings: [] });
    expect(validateDocumentNumber('12345678', 'taiwan_permit')).toMatchObject({ ok: true });
    expect(validateDocumentNumber('X1234', 'hk_macau_permit')).toEqual({
      ok: false,
      code: 'id_format',
      message: '港澳居民来往内地通行证号码“X1234”格式不正确：应为H 或 M 加 8 位（或 10 位）数字',
    });
    expect(validateDocumentNumber('南字第12345678号', 'military')).toMatchObject({ ok: true });
    expect(validateDocumentNumber('', 'other')).toMatchObject({ ok: false, code: 'id_empty' });
  });

  it('points out a resident ID number entered under another document type', () => {
    expect(validateDocumentNumber('11010519491231002X', 'passport')).toEqual({
      ok: false,
      code: 'id_format',
      message: '号码“11010519491231002X”是居民身份证号码，但证件类型填写为“护照”：请核对证件类型',
    });
    const r = validateDocumentNumber('11010519491231002X', 'military');
    expect(r).toMatchObject({ ok: true, idType: 'military' });
    if (r.ok) expect(r.warnings.map((w) => w.code)).toEqual(['id_looks_like_resident_id']);
  });
});

describe('provinces', () => {
  it('knows the §5.7 table', () => {
    expect(isProvinceCode('11')).toBe(true);
    expect(isProvinceCode('65')).toBe(true);
    expect(isProvinceCode('00')).toBe(false);
    expect(isProvinceCode('81')).toBe(false);
    expect(provinceName('23')).toBe('黑龙江');
    expect(provinceName('82')).toBe('澳门');
    expect(provinceName('99')).toBeNull();
  });
});
