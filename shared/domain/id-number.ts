/**
 * Identity-number validation (domain.md §10).
 *
 * - 居民身份证 (GB 11643-1999): 17 digits + MOD 11-2 check character; positions 7–14 are a real
 *   calendar date (1880 is valid, the future is not); positions 1–2 a province code (§5.7).
 * - Legacy 15-digit resident numbers are converted (insert "19", compute the check character) with a
 *   warning.
 * - 港澳台居民居住证: same format with address code 81/82/83.
 * - 外国人永久居留身份证: 2023 version = 18 characters starting with 9, MOD 11-2 (inner structure not
 *   documented, so no birth date or gender is derived); 2017 version = 3 upper-case letters + 12 digits,
 *   no check algorithm.
 * - Other document types (passport, travel permits, military ID…) have no check algorithm; only a
 *   per-type length/charset sanity check (domain.md §10.4, a configurable default).
 *
 * Pure TypeScript: used by main/ (roster import) and renderer/ (manual entry, check-in).
 */
import type { IdType } from './id-types';
import { ID_TYPE_NAMES } from './id-types';
import { isProvinceCode, RESIDENCE_PERMIT_CODES } from './provinces';

export interface IdWarning {
  code: IdWarningCode;
  message: string;
}

export type IdWarningCode =
  | 'id_whitespace' // internal spaces removed
  | 'id_fullwidth' // full-width characters converted
  | 'id_lowercase' // lower-case x (or letters of a 2017 foreign PR number) upper-cased
  | 'id_apostrophe' // a leading text-marker apostrophe removed
  | 'id_legacy_15' // 15-digit number converted to 18 digits
  | 'id_type_adjusted' // declared document type did not match the number; the detected type is used
  | 'id_looks_like_resident_id'; // e.g. declared 护照 but the number is a valid resident ID number

export type IdErrorCode =
  | 'id_empty'
  | 'id_length'
  | 'id_charset'
  | 'id_check_char'
  | 'id_birth_date_invalid'
  | 'id_birth_date_future'
  | 'id_address_code'
  | 'id_format';

/** The types whose numbers have a documented structure (validated by `validateIdNumber`). */
export type RuleIdType = 'resident_id' | 'residence_permit' | 'foreign_pr';

export type IdNumberResult =
  | {
      ok: true;
      /** Normalised: 18 characters upper-case, or the 15-character 2017 foreign PR number. */
      idNumber: string;
      idType: RuleIdType;
      /** YYYY-MM-DD, or null when the number does not carry one (foreign PR). */
      birthDate: string | null;
      gender: '男' | '女' | null;
      warnings: IdWarning[];
    }
  | { ok: false; code: IdErrorCode; message: string };

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';
/** Birth years before this are treated as typing errors (domain.md only says "do not reject 1880"). */
const MIN_BIRTH_YEAR = 1800;

/** The MOD 11-2 check character for a 17-digit body (GB 11643-1999 / ISO 7064). */
export function idCheckChar(body17: string): string {
  if (!/^\d{17}$/.test(body17)) throw new Error('idCheckChar: body must be 17 digits');
  let s = 0;
  for (let i = 0; i < 17; i++) s += (body17.charCodeAt(i) - 48) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARS[s % 11] ?? '';
}

// Whitespace in all its forms, including full-width space U+3000, NBSP, BOM and zero-width characters.
const WHITESPACE_RE = /[\s\u200B-\u200D\u2060\uFEFF]/g;
const FULLWIDTH_RE = /[\uFF01-\uFF5E]/g;

function toHalfWidth(s: string): string {
  if (!/[\uFF01-\uFF5E]/.test(s)) return s;
  return s.replace(FULLWIDTH_RE, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

interface NormalisedInput {
  value: string;
  warnings: IdWarning[];
}

/** Input that needs no normalisation at all (the common case on import). */
const CLEAN_RE = /^[0-9A-Z]+$/;

function normaliseDetailed(raw: string, upperX = true): NormalisedInput {
  const warnings: IdWarning[] = [];
  if (CLEAN_RE.test(raw)) return { value: raw, warnings };
  let v = raw.replace(/^[\s\u200B-\u200D\u2060\uFEFF]+|[\s\u200B-\u200D\u2060\uFEFF]+$/g, '');
  if (/^['‘’`]/.test(v)) {
    v = v.slice(1);
    warnings.push({ code: 'id_apostrophe', message: '已去除证件号码前的单引号' });
  }
  const noSpace = v.replace(WHITESPACE_RE, '');
  if (noSpace !== v) warnings.push({ code: 'id_whitespace', message: '已去除证件号码中的空格' });
  v = noSpace;
  const half = toHalfWidth(v);
  if (half !== v) warnings.push({ code: 'id_fullwidth', message: '证件号码中的全角字符已转为半角' });
  v = half;
  if (upperX && v.endsWith('x')) {
    v = v.slice(0, -1) + 'X';
    warnings.push({ code: 'id_lowercase', message: '证件号码末位的小写 x 已改为大写 X' });
  }
  return { value: v, warnings };
}

/**
 * Normalise typed or imported ID input: trim, remove all whitespace (including the full-width space),
 * convert full-width digits and letters to ASCII, and upper-case a trailing x.
 */
export function normalizeIdInput(raw: string): string {
  return normaliseDetailed(raw).value;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Local calendar date as YYYY-MM-DD. */
export function localIsoDate(d: Date): string {
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`;
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** True when y-m-d is a real Gregorian date. */
export function isRealDate(y: number, m: number, d: number): boolean {
  if (!Number.isInteger(y) || !Number.isInteger(m) || !Number.isInteger(d)) return false;
  if (m < 1 || m > 12 || d < 1) return false;
  const days = [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] ?? 0;
  return d <= days;
}

type Fail = Extract<IdNumberResult, { ok: false }>;

function fail(code: IdErrorCode, message: string): Fail {
  return { ok: false, code, message };
}

/** Checks the birth date at positions 7–14 of an 18-character number; returns the ISO date or a failure. */
function checkBirthDate(id18: string, today: Date): string | Fail {
  const ys = id18.slice(6, 10);
  const ms = id18.slice(10, 12);
  const ds = id18.slice(12, 14);
  const iso = `${ys}-${ms}-${ds}`;
  const y = Number(ys);
  if (!isRealDate(y, Number(ms), Number(ds))) {
    return fail('id_birth_date_invalid', `出生日期 ${iso} 不存在`);
  }
  if (y < MIN_BIRTH_YEAR) {
    return fail('id_birth_date_invalid', `出生日期 ${iso} 不合理（早于 ${MIN_BIRTH_YEAR} 年）`);
  }
  if (iso > localIsoDate(today)) return fail('id_birth_date_future', `出生日期 ${iso} 在未来`);
  return iso;
}

function checkCheckChar(id18: string): Fail | null {
  const expected = idCheckChar(id18.slice(0, 17));
  const actual = id18.charAt(17);
  if (expected !== actual) return fail('id_check_char', `校验位错误：应为 ${expected}，实为 ${actual}`);
  return null;
}

/** The first character that is not allowed at its position, for a clear message. */
function firstBadChar(v: string, allowXAt: number): { pos: number; ch: string } | null {
  for (let i = 0; i < v.length; i++) {
    const ch = v.charAt(i);
    if (ch >= '0' && ch <= '9') continue;
    if (ch === 'X' && i === allowXAt) continue;
    return { pos: i + 1, ch };
  }
  return null;
}

function typeMismatchWarning(declared: IdType | undefined, detected: RuleIdType): IdWarning | null {
  if (declared === undefined || declared === detected) return null;
  if (declared !== 'resident_id' && declared !== 'residence_permit' && declared !== 'foreign_pr') return null;
  return {
    code: 'id_type_adjusted',
    message: `证件类型填写为“${ID_TYPE_NAMES[declared]}”，但号码是${ID_TYPE_NAMES[detected]}号码，已按${ID_TYPE_NAMES[detected]}处理`,
  };
}

/**
 * Validate an identity number of one of the types with a documented structure (resident ID, HK/Macau/
 * Taiwan residence permit, foreign permanent-resident card). The type is detected from the number;
 * `opts.idType` (the declared type, e.g. from a roster column) only adds a warning when it disagrees.
 * For the types without a check algorithm use `validateDocumentNumber`.
 */
export function validateIdNumber(raw: string, opts: { today?: Date; idType?: IdType } = {}): IdNumberResult {
  const today = opts.today ?? new Date();
  const norm = normaliseDetailed(raw);
  const warnings = [...norm.warnings];
  const v = norm.value;
  if (v === '') return fail('id_empty', '证件号码为空');

  // 2017 foreign permanent-resident card: 3 letters (country) + 12 digits, no check algorithm.
  if (v.length === 15 && /^[A-Za-z]{3}\d{12}$/.test(v)) {
    const upper = v.toUpperCase();
    if (upper !== v) {
      warnings.push({ code: 'id_lowercase', message: '外国人永久居留身份证号码中的小写字母已改为大写' });
    }
    const mismatch = typeMismatchWarning(opts.idType, 'foreign_pr');
    if (mismatch) warnings.push(mismatch);
    return { ok: true, idNumber: upper, idType: 'foreign_pr', birthDate: null, gender: null, warnings };
  }

  // Legacy 15-digit resident number: 6 address + YYMMDD + 3 sequence.
  if (v.length === 15) {
    const bad = firstBadChar(v, -1);
    if (bad) return fail('id_charset', `15 位身份证号码只能由数字组成，第 ${bad.pos} 位为“${bad.ch}”`);
    // Only first-generation resident ID cards had 15 digits (no residence permits, no foreign PR).
    const prefix = v.slice(0, 2);
    if (!isProvinceCode(prefix)) return fail('id_address_code', `地址码 ${prefix} 不是有效的省级代码`);
    const body = `${v.slice(0, 6)}19${v.slice(6)}`;
    const converted = body + idCheckChar(body);
    const result = validateId18(converted, today, opts.idType, warnings);
    if (!result.ok) return result;
    result.warnings.push({
      code: 'id_legacy_15',
      message: `15 位旧身份证号码 ${v} 已升级为 18 位 ${converted}（出生年份按 19xx 补全）`,
    });
    return result;
  }

  if (v.length !== 18) {
    if (/^[\dX]*$/.test(v)) return fail('id_length', `长度应为 18 位，实为 ${v.length} 位`);
    const bad = firstBadChar(v, v.length - 1);
    const where = bad ? `，第 ${bad.pos} 位为“${bad.ch}”` : '';
    return fail('id_length', `长度应为 18 位，实为 ${v.length} 位${where}`);
  }
  const bad = firstBadChar(v, 17);
  if (bad) {
    const detail = bad.pos === 18 ? '末位只能是数字或 X' : '前 17 位只能是数字';
    return fail('id_charset', `${detail}，第 ${bad.pos} 位为“${bad.ch}”`);
  }
  return validateId18(v, today, opts.idType, warnings);
}

function validateId18(
  v: string,
  today: Date,
  declared: IdType | undefined,
  warnings: IdWarning[],
): IdNumberResult {
  const prefix = v.slice(0, 2);

  // 2023 foreign permanent-resident card: leading 9, MOD 11-2; inner structure undocumented (§10.3).
  if (v.startsWith('9')) {
    const checkFail = checkCheckChar(v);
    if (checkFail) return checkFail;
    const mismatch = typeMismatchWarning(declared, 'foreign_pr');
    if (mismatch) warnings.push(mismatch);
    return { ok: true, idNumber: v, idType: 'foreign_pr', birthDate: null, gender: null, warnings };
  }

  let idType: RuleIdType;
  if (Object.hasOwn(RESIDENCE_PERMIT_CODES, prefix)) idType = 'residence_permit';
  else if (isProvinceCode(prefix)) idType = 'resident_id';
  else return fail('id_address_code', `地址码 ${prefix} 不是有效的省级代码`);

  const birth = checkBirthDate(v, today);
  if (typeof birth !== 'string') return birth;
  const checkFail = checkCheckChar(v);
  if (checkFail) return checkFail;

  const mismatch = typeMismatchWarning(declared, idType);
  if (mismatch) warnings.push(mismatch);
  const gender = (v.charCodeAt(16) - 48) % 2 === 1 ? '男' : '女';
  return { ok: true, idNumber: v, idType, birthDate: birth, gender, warnings };
}

// ---- document types without a check algorithm ------------------------------------------------------

/**
 * Length/charset sanity patterns for the document types without a documented check algorithm
 * (domain.md §10.4, [U]: a configurable default). Applied after normalisation (no spaces, half-width,
 * upper-case).
 */
export const OTHER_DOCUMENT_PATTERNS: Readonly<
  Record<Exclude<IdType, RuleIdType>, { pattern: RegExp; description: string }>
> = {
  hk_macau_permit: { pattern: /^[HM]\d{8}(\d{2})?$/, description: 'H 或 M 加 8 位（或 10 位）数字' },
  taiwan_permit: {
    pattern: /^\d{8}$|^\d{10}[A-Z]?$/,
    description: '8 位数字（旧版为 10 位数字，可带 1 位字母）',
  },
  passport: { pattern: /^[A-Z0-9]{5,17}$/, description: '5–17 位字母或数字' },
  military: { pattern: /^[\u4E00-\u9FFFA-Z0-9]{4,40}$/, description: '4–40 位汉字、字母或数字' },
  other: { pattern: /^.{1,40}$/u, description: '1–40 个字符' },
};

export type DocumentNumberResult =
  | {
      ok: true;
      idNumber: string;
      idType: IdType;
      birthDate: string | null;
      gender: '男' | '女' | null;
      warnings: IdWarning[];
    }
  | { ok: false; code: IdErrorCode; message: string };

function isRuleType(t: IdType): t is RuleIdType {
  return t === 'resident_id' || t === 'residence_permit' || t === 'foreign_pr';
}

/**
 * Validate a document number of any type. Resident IDs, residence permits and foreign PR cards go through
 * `validateIdNumber` (the detected type wins, with a warning when it differs from `idType`); the other
 * types only get normalisation and a length/charset sanity check.
 */
export function validateDocumentNumber(
  raw: string,
  idType: IdType,
  opts: { today?: Date } = {},
): DocumentNumberResult {
  if (isRuleType(idType)) return validateIdNumber(raw, { ...opts, idType });
  // The trailing-x rule is specific to resident IDs; other numbers are upper-cased as a whole.
  const norm = normaliseDetailed(raw, false);
  const warnings = norm.warnings;
  const typeName = ID_TYPE_NAMES[idType];
  const keepCase = idType === 'other';
  const value = keepCase ? norm.value : norm.value.toUpperCase();
  if (value === '') return fail('id_empty', '证件号码为空');
  const rule = OTHER_DOCUMENT_PATTERNS[idType];
  const residentLike = /^\d{17}[\dX]$/.test(value) && idCheckChar(value.slice(0, 17)) === value.charAt(17);
  if (!rule.pattern.test(value)) {
    if (residentLike) {
      return fail(
        'id_format',
        `号码“${value}”是居民身份证号码，但证件类型填写为“${typeName}”：请核对证件类型`,
      );
    }
    return fail('id_format', `${typeName}号码“${value}”格式不正确：应为${rule.description}`);
  }
  if (value !== norm.value) {
    warnings.push({ code: 'id_lowercase', message: '证件号码中的小写字母已改为大写' });
  }
  if (residentLike) {
    warnings.push({
      code: 'id_looks_like_resident_id',
      message: `证件类型为“${typeName}”，但号码看起来是居民身份证号码，请核对证件类型`,
    });
  }
  return { ok: true, idNumber: value, idType, birthDate: null, gender: null, warnings };
}
