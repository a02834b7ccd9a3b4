/**
 * Row-by-row validation of a roster sheet, before anything is stored.
 *
 * Every data row below the header gets a status:
 * - 'rejected': not stored; `messages` holds the reasons (only the reasons; warnings are dropped so the
 *   错误原因 column of the rejected-rows file lists only what must be fixed).
 * - 'warning': stored, but something was changed on the way in (15-digit ID converted, full-width or
 *   lower-case characters or spaces normalised, document type corrected, unreadable optional value
 *   dropped) or looks odd (phone number format, digits in a name).
 * - 'ok'.
 *
 * Decisions (documented for the UI and the customer):
 * - Gender or birth date in the file that CONFLICTS with the ID number rejects the row. A checksum-valid
 *   ID cannot come from a single typo (MOD 11-2 catches those), so a conflict most often means the ID
 *   belongs to another person (rows shifted while pasting). The user must look at it.
 *   When the file leaves gender/birth date empty they are derived from the ID number silently.
 * - An ID number that Excel stored as a number with more than 15 digits is DAMAGED (Excel keeps 15
 *   significant digits) and rejected, never repaired. A number of at most 15 digits is intact and
 *   accepted with a warning. The same goes for a text cell holding "1.10105E+17" (a CSV saved by Excel).
 * - Rows where every imported column is empty (e.g. template rows with only 序号 filled in, or a footer
 *   "制表人：…" in the 序号 column) are skipped.
 * - Duplicates: the second and later rows with the same (normalised) ID number are rejected, naming
 *   the first row; an ID number already in the sitting is rejected.
 */
import type { CandidateFields } from '../../shared/contract/candidates';
import type { RosterMessage, RosterRow } from '../../shared/contract/roster';
import type { IdType } from '../../shared/domain/id-types';
import { ID_TYPE_NAMES } from '../../shared/domain/id-types';
import {
  isRealDate,
  localIsoDate,
  validateDocumentNumber,
  validateIdNumber,
  type DocumentNumberResult,
} from '../../shared/domain/id-number';
import type { Level } from '../../shared/domain/levels';
import { LEVEL_NAMES, parseLevel } from '../../shared/domain/levels';
import type { CandidateField, HeaderColumn, HeaderMatch } from './header';
import { FIELD_LABELS } from './header';
import type { SheetCell, SheetGrid } from './read-sheet';
import { EMPTY_CELL, numberText } from './read-sheet';

export interface RosterValidationContext {
  /** Normalised ID numbers of the candidates already in the sitting. */
  existingIdNumbers: ReadonlySet<string>;
  /** The levels the sitting offers for this occupation. */
  allowedLevels: readonly Level[];
  /** "Today" for the future-birth-date check; defaults to now. */
  today?: Date;
}

/** Message codes that reject a row. Everything else is a warning. */
export const REJECT_CODES = [
  'name_required',
  'name_too_long',
  'id_type_unknown',
  'id_required',
  'id_damaged_number',
  'id_length',
  'id_charset',
  'id_check_char',
  'id_birth_date_invalid',
  'id_birth_date_future',
  'id_address_code',
  'id_format',
  'id_empty',
  'id_duplicate_in_file',
  'id_already_in_sitting',
  'level_required',
  'level_unrecognised',
  'level_not_offered',
  'gender_mismatch',
  'birth_date_mismatch',
  'field_damaged_number',
  'field_too_long',
] as const;

/** Maximum lengths of the free-text fields (the candidateFieldsSchema limits). */
const TEXT_LIMITS = {
  ethnicity: 20,
  education: 40,
  phone: 40,
  address: 200,
  employer: 200,
  source: 40,
  trade: 100,
  eligibilityBasis: 200,
  priorCertNo: 40,
  admissionTicketNo: 40,
} as const satisfies Partial<Record<CandidateField, number>>;
type TextField = keyof typeof TEXT_LIMITS;
const TEXT_FIELDS = (Object.keys(TEXT_LIMITS) as TextField[]).filter((f) => f !== 'phone');

const NAME_MAX = 100;
/** Excel keeps 15 significant digits; a longer integer stored as a number has lost digits. */
const EXCEL_DIGITS = 15;

// ---- small parsers (exported for the manual-entry form and tests) ------------------------------------

const NOT_HALF_WIDTH_RE = /[\uFF01-\uFF5E\u3000]/;

function halfWidth(s: string): string {
  if (!NOT_HALF_WIDTH_RE.test(s)) return s;
  return s
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ');
}

const ID_TYPE_WORDS: ReadonlyMap<string, IdType> = new Map<string, IdType>([
  ['居民身份证', 'resident_id'],
  ['身份证', 'resident_id'],
  ['二代身份证', 'resident_id'],
  ['第二代居民身份证', 'resident_id'],
  ['中华人民共和国居民身份证', 'resident_id'],
  ['港澳台居民居住证', 'residence_permit'],
  ['港澳居民居住证', 'residence_permit'],
  ['台湾居民居住证', 'residence_permit'],
  ['外国人永久居留身份证', 'foreign_pr'],
  ['外国人永久居留证', 'foreign_pr'],
  ['永久居留身份证', 'foreign_pr'],
  ['永居证', 'foreign_pr'],
  ['境外永久居住证外国国籍', 'foreign_pr'],
  ['境外永久居住证', 'foreign_pr'],
  ['港澳居民来往内地通行证', 'hk_macau_permit'],
  ['回乡证', 'hk_macau_permit'],
  ['台湾居民来往大陆通行证', 'taiwan_permit'],
  ['台胞证', 'taiwan_permit'],
  ['护照', 'passport'],
  ['护照外国国籍', 'passport'],
  ['外国护照', 'passport'],
  ['军官证', 'military'],
  ['军人身份证件', 'military'],
  ['军官证/军人身份证件', 'military'],
  ['士兵证', 'military'],
  ['文职干部证', 'military'],
  ['其他', 'other'],
  ['其它', 'other'],
  ['香港特区护照/身份证明', 'other'],
  ['澳门特区护照/身份证明', 'other'],
]);

/** Parse the 证件类型 column; accepts the Chinese names (and common short forms) and the type codes. */
export function parseIdType(text: string): IdType | null {
  const t = halfWidth(text)
    .replace(/\s+/g, '')
    .replace(/[()（）]/g, '');
  if (t === '') return null;
  const direct = ID_TYPE_WORDS.get(t);
  if (direct) return direct;
  for (const [type, name] of Object.entries(ID_TYPE_NAMES) as [IdType, string][]) {
    if (t === type || t === name) return type;
  }
  return null;
}

/** 男/女 and the usual variants (男性, M, Male, GB/T 2261.1 codes 1/2). */
export function parseGender(text: string): '男' | '女' | null {
  const t = halfWidth(text).trim().toUpperCase();
  if (t === '男' || t === '男性' || t === 'M' || t === 'MALE' || t === '1') return '男';
  if (t === '女' || t === '女性' || t === 'F' || t === 'FEMALE' || t === '2') return '女';
  return null;
}

const ISO_DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

export type ParsedDate = { kind: 'date'; iso: string } | { kind: 'month'; yearMonth: string };

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** Dates as people type them: 1990-01-01, 1990/1/1, 1990.1.1, 1990年1月1日, 19900101; 出生年月: 1990-01, 199001, 1990年1月. */
export function parseDateText(text: string): ParsedDate | null {
  if (ISO_DATE_RE.test(text)) {
    const y = Number(text.slice(0, 4));
    const mo = Number(text.slice(5, 7));
    const d = Number(text.slice(8, 10));
    return isRealDate(y, mo, d) ? { kind: 'date', iso: text } : null;
  }
  const t = halfWidth(text)
    .trim()
    .replace(/\s+\d{1,2}:\d{2}(:\d{2})?$/, '');
  let m =
    /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(t) ??
    /^(\d{4})(\d{2})(\d{2})$/.exec(t);
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    const d = Number(m[3]);
    return isRealDate(y, mo, d) ? { kind: 'date', iso: `${y}-${pad2(mo)}-${pad2(d)}` } : null;
  }
  m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$/.exec(t) ?? /^(\d{4})(\d{2})$/.exec(t);
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    return mo >= 1 && mo <= 12 ? { kind: 'month', yearMonth: `${y}-${pad2(mo)}` } : null;
  }
  return null;
}

const MOBILE_RE = /^1[3-9]\d{9}$/;

export type PhoneCheck = { value: string; plausible: boolean };

/** Phone sanity: an 11-digit mobile number (1[3-9]…) or a landline with area code; spaces/dashes allowed. */
export function checkPhone(text: string): PhoneCheck {
  if (MOBILE_RE.test(text)) return { value: text, plausible: true };
  const trimmed = halfWidth(text).trim();
  let digits = trimmed.replace(/[\s\-()（）]/g, '');
  if (/^\+?86\d{11}$/.test(digits)) digits = digits.replace(/^\+?86/, '');
  if (/^1[3-9]\d{9}$/.test(digits)) return { value: digits, plausible: true };
  if (/^0\d{2,3}-?\d{7,8}(-\d{1,6})?$/.test(trimmed.replace(/\s/g, ''))) {
    return { value: trimmed.replace(/\s/g, ''), plausible: true };
  }
  if (/^0\d{9,11}$/.test(digits)) return { value: digits, plausible: true };
  return { value: trimmed, plausible: false };
}

/** How Excel shows a long number in a General-format cell, e.g. 1.10105E+17. */
function excelDisplay(n: number): string {
  return n
    .toExponential(5)
    .replace('e', 'E')
    .replace(/\.?0+E/, 'E');
}

function isDamagedNumberCell(cell: SheetCell): boolean {
  if (cell.raw === undefined || (cell.kind !== 'number' && cell.kind !== 'formula')) return false;
  const digits = numberText(Math.abs(cell.raw)).replace(/\D/g, '');
  return !Number.isInteger(cell.raw) || digits.length > EXCEL_DIGITS;
}

const SCIENTIFIC_RE = /^\d+(\.\d+)?E\+?\d+$/i;
/** Cheap pre-check: SCIENTIFIC_RE needs an E (half- or full-width) somewhere. */
const MAYBE_SCIENTIFIC_RE = /[eEｅＥ]/;

// ---- the validator -------------------------------------------------------------------------------------

type FieldColumns = Partial<Record<CandidateField, HeaderColumn>>;

/** One row being checked: its cells by field, and the messages collected so far. */
class RowCheck {
  readonly errors: RosterMessage[] = [];
  readonly warnings: RosterMessage[] = [];
  constructor(
    private readonly row: readonly SheetCell[],
    private readonly cols: FieldColumns,
  ) {}

  cell(f: CandidateField): SheetCell {
    const c = this.cols[f];
    return c ? (this.row[c.index] ?? EMPTY_CELL) : EMPTY_CELL;
  }

  text(f: CandidateField): string {
    return this.cell(f).text.trim();
  }

  error(field: CandidateField | null, code: string, message: string): void {
    this.errors.push({ field, column: field ? (this.cols[field]?.header ?? null) : null, code, message });
  }

  warn(field: CandidateField | null, code: string, message: string): void {
    this.warnings.push({ field, column: field ? (this.cols[field]?.header ?? null) : null, code, message });
  }
}

/** Validate every data row below the header. Fast enough for 10,000 rows in well under a second. */
export function validateRoster(
  grid: SheetGrid,
  header: HeaderMatch,
  ctx: RosterValidationContext,
): RosterRow[] {
  const today = ctx.today ?? new Date();
  const todayIso = localIsoDate(today);
  const idOptions = { today };
  const cols: FieldColumns = {};
  for (const c of header.columns) if (c.field) cols[c.field] = c;
  const presentTextFields = TEXT_FIELDS.filter((f) => cols[f] !== undefined);
  const mappedIndexes = header.columns.filter((c) => c.field !== null).map((c) => c.index);
  const allowed = new Set<Level>(ctx.allowedLevels);
  const allowedText = ctx.allowedLevels
    .slice()
    .sort((a, b) => b - a)
    .map((l) => LEVEL_NAMES[l])
    .join('、');
  const firstRowById = new Map<string, number>();
  // A roster repeats a handful of level and document-type spellings thousands of times.
  const levelCache = new Map<string, Level | null>();
  const idTypeCache = new Map<string, IdType | null>();
  const out: RosterRow[] = [];

  for (let r = header.headerRowIndex + 1; r < grid.rows.length; r++) {
    const row = grid.rows[r] ?? [];
    if (!anyFilled(row, mappedIndexes)) continue;
    const rowNumber = r + 1;
    const rc = new RowCheck(row, cols);

    const source: Record<string, string> = {};
    for (const c of header.columns) {
      const cell = row[c.index] ?? EMPTY_CELL;
      source[c.header] = cell.text;
      if (cell.mergedFrom !== undefined && c.field !== null && cell.text.trim() !== '') {
        rc.warn(
          c.field,
          'merged_fill',
          `${c.header}“${cell.text.trim()}”取自合并单元格 ${cell.mergedFrom}，请确认适用于本行`,
        );
      }
    }

    // 姓名
    const name = normaliseName(rc.text('name'), rc);
    if (name === '') rc.error('name', 'name_required', '姓名为空');
    else if (name.length > NAME_MAX) rc.error('name', 'name_too_long', `姓名超过 ${NAME_MAX} 个字符`);

    // 证件类型
    let declaredType: IdType | undefined;
    const idTypeText = rc.text('idType');
    if (idTypeText !== '') {
      let t = idTypeCache.get(idTypeText);
      if (t === undefined) {
        t = parseIdType(idTypeText);
        idTypeCache.set(idTypeText, t);
      }
      if (t) declaredType = t;
      else {
        rc.error(
          'idType',
          'id_type_unknown',
          `证件类型“${idTypeText}”无法识别，应为：${Object.values(ID_TYPE_NAMES).join('、')}`,
        );
      }
    }

    // 证件号码
    const idCell = rc.cell('idNumber');
    const idText = idCell.text.trim();
    let id: DocumentNumberResult | null = null;
    if (idText === '') {
      rc.error('idNumber', 'id_required', '证件号码为空');
    } else if (isDamagedNumberCell(idCell)) {
      rc.error(
        'idNumber',
        'id_damaged_number',
        `证件号码被 Excel 存成了数字（显示为 ${excelDisplay(idCell.raw ?? 0)}），第 ${EXCEL_DIGITS} 位以后的数字已丢失，无法自动修复：请把该列设置为“文本”格式后重新录入`,
      );
    } else if (MAYBE_SCIENTIFIC_RE.test(idText) && SCIENTIFIC_RE.test(halfWidth(idText).replace(/\s/g, ''))) {
      rc.error(
        'idNumber',
        'id_damaged_number',
        `证件号码“${idText}”已被 Excel 改成科学计数法，后几位数字已丢失，无法自动修复：请在 Excel 中把该列设置为“文本”格式后重新录入`,
      );
    } else if (idTypeText === '' || declaredType) {
      if (idCell.kind === 'number' || (idCell.kind === 'formula' && idCell.raw !== undefined)) {
        rc.warn(
          'idNumber',
          'id_stored_as_number',
          '证件号码在 Excel 中存成了数字（数字未丢失），建议把该列设置为“文本”格式',
        );
      }
      id = declaredType
        ? validateDocumentNumber(idText, declaredType, idOptions)
        : validateIdNumber(idText, idOptions);
      if (!id.ok) {
        let message = id.message;
        if (id.code === 'id_check_char' && /^\d{15}000$/.test(halfWidth(idText).replace(/\s/g, ''))) {
          message +=
            '（号码末三位为 000，可能是 Excel 把它存成数字后丢失了末尾数字：请把该列设置为“文本”格式后重新录入）';
        }
        rc.error('idNumber', id.code, message);
        id = null;
      } else {
        for (const w of id.warnings) {
          rc.warn(w.code === 'id_type_adjusted' ? 'idType' : 'idNumber', w.code, w.message);
        }
        const first = firstRowById.get(id.idNumber);
        if (first !== undefined) {
          rc.error('idNumber', 'id_duplicate_in_file', `证件号码与第 ${first} 行重复`);
        } else {
          firstRowById.set(id.idNumber, rowNumber);
          if (ctx.existingIdNumbers.has(id.idNumber)) {
            rc.error('idNumber', 'id_already_in_sitting', '该证件号码的考生已在本场次中，不能重复导入');
          }
        }
      }
    }

    // 申报等级
    const levelText = rc.text('appliedLevel');
    let level: Level | null = null;
    if (levelText === '') rc.error('appliedLevel', 'level_required', '申报等级为空');
    else {
      const cached = levelCache.get(levelText);
      level = cached === undefined ? parseLevel(levelText) : cached;
      if (cached === undefined) levelCache.set(levelText, level);
      if (level === null) {
        rc.error(
          'appliedLevel',
          'level_unrecognised',
          `申报等级“${levelText}”无法识别，请填写如“四级/中级工”、“四级”或“4”`,
        );
      } else if (!allowed.has(level)) {
        rc.error(
          'appliedLevel',
          'level_not_offered',
          `本场次不设${LEVEL_NAMES[level]}${allowedText ? `，可申报：${allowedText}` : ''}`,
        );
        level = null;
      }
    }

    // 性别: derived from the ID number; the file's value must agree.
    let gender: '男' | '女' | null = id?.gender ?? null;
    const genderText = rc.text('gender');
    if (genderText !== '') {
      const g = parseGender(genderText);
      if (g === null) {
        rc.warn(
          'gender',
          'gender_unrecognised',
          gender
            ? `性别“${genderText}”无法识别，已按证件号码取“${gender}”`
            : `性别“${genderText}”无法识别，未保存`,
        );
      } else if (gender && g !== gender) {
        rc.error('gender', 'gender_mismatch', `性别“${g}”与证件号码不符（证件号码为${gender}性）`);
      } else gender = g;
    }

    // 出生日期 / 出生年月
    let birthDate: string | null = id?.birthDate ?? null;
    const bdCell = rc.cell('birthDate');
    const bdText = bdCell.text.trim();
    if (bdText !== '') {
      const parsed = parseDateText(bdText);
      if (parsed === null) {
        rc.warn(
          'birthDate',
          'birth_date_unrecognised',
          birthDate
            ? `出生日期“${bdText}”无法识别，已按证件号码取 ${birthDate}`
            : `出生日期“${bdText}”无法识别，未保存`,
        );
      } else if (birthDate) {
        const fileValue = parsed.kind === 'date' ? parsed.iso : parsed.yearMonth;
        const idValue = parsed.kind === 'date' ? birthDate : birthDate.slice(0, 7);
        if (fileValue !== idValue) {
          rc.error(
            'birthDate',
            'birth_date_mismatch',
            `出生日期 ${fileValue} 与证件号码不符（证件号码为 ${idValue}）`,
          );
        }
      } else if (parsed.kind === 'date') {
        if (parsed.iso > todayIso) {
          rc.warn('birthDate', 'birth_date_future', `出生日期 ${parsed.iso} 在未来，未保存`);
        } else birthDate = parsed.iso;
      } else {
        rc.warn('birthDate', 'birth_date_partial', `出生日期“${bdText}”只有年月，未保存`);
      }
    }

    // 手机号码
    let phone: string | null = null;
    const phoneText = rc.text('phone');
    if (phoneText !== '') {
      const p = checkPhone(phoneText);
      phone = p.value;
      if (!p.plausible) rc.warn('phone', 'phone_suspicious', `手机号码“${phoneText}”格式不正确，请核对`);
    }

    // 本职业工作年限
    let years: number | null = null;
    const yearsText = halfWidth(rc.text('yearsInOccupation')).replace(/\s/g, '');
    if (yearsText !== '') {
      const m = /^(\d{1,2}(\.\d+)?)年?$/.exec(yearsText);
      const v = m ? Number(m[1]) : NaN;
      if (Number.isFinite(v) && v >= 0 && v <= 80) years = v;
      else rc.warn('yearsInOccupation', 'years_unrecognised', `本职业工作年限“${yearsText}”无法识别，未保存`);
    }

    // The other text fields.
    const texts: Partial<Record<TextField, string | null>> = {};
    for (const f of presentTextFields) {
      const cell = rc.cell(f);
      const t = (
        cell.text.includes('\n') || cell.text.includes('\r') ? cell.text.replace(/[\r\n]+/g, ' ') : cell.text
      ).trim();
      if (t === '') {
        texts[f] = null;
        continue;
      }
      if ((f === 'priorCertNo' || f === 'admissionTicketNo') && isDamagedNumberCell(cell)) {
        rc.error(
          f,
          'field_damaged_number',
          `${FIELD_LABELS[f]}被 Excel 存成了数字（显示为 ${excelDisplay(cell.raw ?? 0)}），第 ${EXCEL_DIGITS} 位以后的数字已丢失：请把该列设置为“文本”格式后重新录入`,
        );
        continue;
      }
      if (t.length > TEXT_LIMITS[f]) {
        rc.error(f, 'field_too_long', `${FIELD_LABELS[f]}超过 ${TEXT_LIMITS[f]} 个字符`);
        continue;
      }
      texts[f] = f === 'trade' && /^[-—–]+$/.test(t) ? null : t;
    }
    if (phone !== null && phone.length > TEXT_LIMITS.phone) {
      rc.error('phone', 'field_too_long', `${FIELD_LABELS.phone}超过 ${TEXT_LIMITS.phone} 个字符`);
    }

    if (rc.errors.length > 0 || !id || level === null) {
      out.push({ rowNumber, status: 'rejected', messages: rc.errors, source, candidate: null });
      continue;
    }
    const candidate: CandidateFields = {
      name,
      gender,
      idType: id.idType,
      idNumber: id.idNumber,
      birthDate,
      ethnicity: texts.ethnicity ?? null,
      education: texts.education ?? null,
      phone,
      address: texts.address ?? null,
      employer: texts.employer ?? null,
      source: texts.source ?? null,
      appliedLevel: level,
      trade: texts.trade ?? null,
      eligibilityBasis: texts.eligibilityBasis ?? null,
      priorCertNo: texts.priorCertNo ?? null,
      yearsInOccupation: years,
      admissionTicketNo: texts.admissionTicketNo ?? null,
    };
    out.push({
      rowNumber,
      status: rc.warnings.length > 0 ? 'warning' : 'ok',
      messages: rc.warnings,
      source,
      candidate,
    });
  }
  return out;
}

function anyFilled(row: readonly SheetCell[], indexes: readonly number[]): boolean {
  for (const i of indexes) {
    const cell = row[i];
    if (cell !== undefined && cell.kind !== 'empty' && cell.text.trim() !== '') return true;
  }
  return false;
}

const CJK = '\\u3400-\\u9FFF';
const CJK_SPACE_RE = new RegExp(`([${CJK}])[\\s\\u3000]+(?=[${CJK}])`, 'g');
const CJK_DOT_RE = new RegExp(`([${CJK}])[.．•・‧∙･](?=[${CJK}])`, 'g');

/** Names: trim; drop spaces between Chinese characters; unify the middle dot of minority names (·). */
/** Characters that make a name need a closer look (spaces, dot variants, digits). */
const NAME_ATTENTION_RE = /[\s\u3000.．•・‧∙･\d]/;

function normaliseName(raw: string, rc: RowCheck): string {
  if (!NAME_ATTENTION_RE.test(raw)) return raw;
  let name = raw.replace(/\u3000/g, ' ').trim();
  const noSpace = name.replace(CJK_SPACE_RE, '$1');
  if (noSpace !== name) {
    rc.warn('name', 'name_spaces_removed', `姓名“${name}”中的空格已去除`);
    name = noSpace;
  }
  const dotted = name.replace(CJK_DOT_RE, '$1·');
  if (dotted !== name) {
    rc.warn('name', 'name_dot_normalised', `姓名“${name}”中的间隔号已统一为“·”`);
    name = dotted;
  }
  if (/\d/.test(name)) rc.warn('name', 'name_has_digits', `姓名“${name}”含有数字，请核对`);
  return name;
}
