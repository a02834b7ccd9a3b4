/**
 * Finds the header row of a roster sheet and maps its columns to the canonical candidate fields
 * (domain.md §8.3). The header may sit anywhere in the first 20 rows, below merged title rows such as
 * "XX考点2026年第一批职业技能等级认定花名册" and "填报单位：…".
 */
import type { CandidateFields } from '../../shared/contract/candidates';
import type { SheetCell, SheetGrid } from './read-sheet';
import { RosterFileError } from './read-sheet';

export type CandidateField = keyof CandidateFields;

export interface HeaderColumn {
  /** 0-based column index in the grid. */
  index: number;
  /** The header text as written in the file (trimmed; a repeated header gets a " (2)" suffix). */
  header: string;
  /** The canonical field, or null when the column is not imported (序号, unknown, or a repeat). */
  field: CandidateField | null;
}

export interface HeaderMatch {
  /** 0-based index into grid.rows; the spreadsheet row number is headerRowIndex + 1. */
  headerRowIndex: number;
  columns: HeaderColumn[];
  /** Header texts that were not mapped to a field (序号 excluded). */
  unmappedHeaders: string[];
}

/** How many rows from the top are searched for the header. */
export const HEADER_SEARCH_ROWS = 20;

/** Columns a roster must have. */
export const REQUIRED_FIELDS: readonly CandidateField[] = ['name', 'idNumber', 'appliedLevel'];

/** The name shown to the user for each field (the most common header text). */
export const FIELD_LABELS: Record<CandidateField, string> = {
  name: '姓名',
  gender: '性别',
  idType: '证件类型',
  idNumber: '证件号码',
  birthDate: '出生日期',
  ethnicity: '民族',
  education: '文化程度',
  phone: '手机号码',
  address: '通讯地址',
  employer: '工作单位',
  source: '考生来源',
  appliedLevel: '申报等级',
  trade: '工种（职业方向）',
  eligibilityBasis: '申报条件',
  priorCertNo: '原证书编号',
  yearsInOccupation: '本职业工作年限',
  admissionTicketNo: '准考证号',
};

/** Header spellings (after normalisation, see normaliseHeader) for each field. */
const HEADER_ALIASES: Record<CandidateField, readonly string[]> = {
  name: ['姓名', '考生姓名', '学员姓名'],
  gender: ['性别'],
  idType: ['证件类型', '证件类别', '证件种类'],
  idNumber: [
    '身份证号',
    '身份证号码',
    '证件号码',
    '证件号',
    '公民身份号码',
    '身份证',
    '身份证件号码',
    '证件编号',
  ],
  birthDate: ['出生日期', '出生年月', '出生年月日'],
  ethnicity: ['民族'],
  education: ['文化程度', '学历'],
  phone: ['手机号码', '联系电话', '手机', '电话', '手机号', '联系方式', '电话号码'],
  address: ['通讯地址', '地址', '联系地址', '家庭住址', '家庭地址'],
  employer: ['工作单位', '单位', '单位名称', '所在单位'],
  source: ['考生来源'],
  appliedLevel: ['申报等级', '报考等级', '等级', '级别', '申报级别', '鉴定级别', '鉴定等级', '报考级别'],
  trade: ['工种', '职业方向', '工种职业方向', '职业工种', '工种方向'],
  eligibilityBasis: ['申报条件', '考生申报条件', '报考条件'],
  priorCertNo: ['原证书号', '原证书编号', '原证书号码'],
  yearsInOccupation: ['本职业工作年限', '工作年限', '从事本职业年限', '本职业年限'],
  admissionTicketNo: ['准考证号', '准考证号码'],
};

/** Header texts recognised as columns that are deliberately not imported. */
const IGNORED_HEADERS: ReadonlySet<string> = new Set(['序号', '编号', 'NO', 'NO.']);

const ALIAS_TO_FIELD: ReadonlyMap<string, CandidateField> = (() => {
  const m = new Map<string, CandidateField>();
  for (const [field, aliases] of Object.entries(HEADER_ALIASES) as [CandidateField, readonly string[]][]) {
    for (const a of aliases) m.set(a, field);
  }
  return m;
})();

/**
 * Normalise a header for matching: drop whitespace (also line breaks inside the cell and the full-width
 * space), the asterisks marking required columns, and parenthesis characters; convert full-width
 * letters/digits; upper-case Latin letters.
 */
export function normaliseHeader(text: string): string {
  return text
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\s\u3000*★:：]/g, '')
    .replace(/[()[\]【】〔〕]/g, '')
    .toUpperCase();
}

/** Remove a trailing hint in parentheses: "出生日期（yyyy-mm-dd）" → "出生日期", "身份证号(必填)" → "身份证号". */
function withoutHint(text: string): string {
  return text.replace(/[（(［[【][^（）()]*[）)\]］】]\s*$/, '').replace(/^[（(][^）)]*[）)]/, '');
}

/** The field a header text maps to, 'ignored' for 序号 and friends, or null. */
export function matchHeader(text: string): CandidateField | 'ignored' | null {
  const exact = normaliseHeader(text);
  if (exact === '') return null;
  if (IGNORED_HEADERS.has(exact)) return 'ignored';
  const direct = ALIAS_TO_FIELD.get(exact);
  if (direct) return direct;
  const stripped = normaliseHeader(withoutHint(text.trim()));
  if (stripped !== exact && stripped !== '') {
    if (IGNORED_HEADERS.has(stripped)) return 'ignored';
    const viaHint = ALIAS_TO_FIELD.get(stripped);
    if (viaHint) return viaHint;
  }
  return null;
}

function scoreRow(row: readonly SheetCell[]): number {
  const seen = new Set<CandidateField>();
  for (const cell of row) {
    if (cell.kind !== 'string' && cell.kind !== 'formula') continue;
    const f = matchHeader(cell.text);
    if (f && f !== 'ignored') seen.add(f);
  }
  return seen.size;
}

/**
 * Find the header row (the row among the first 20 that names the most known columns) and map its
 * columns. Throws RosterFileError 'header_not_found' when no row names at least two known columns, and
 * 'missing_columns' (details = the missing labels) when 姓名, 证件号码 or 申报等级 is absent.
 * When two columns map to the same field the first one wins; the other is reported as unmapped.
 */
export function findHeader(grid: SheetGrid): HeaderMatch {
  let best = -1;
  let bestScore = 0;
  const limit = Math.min(grid.rows.length, HEADER_SEARCH_ROWS);
  for (let r = 0; r < limit; r++) {
    const score = scoreRow(grid.rows[r] ?? []);
    if (score > bestScore) {
      best = r;
      bestScore = score;
    }
  }
  if (best < 0 || bestScore < 2) {
    throw new RosterFileError(
      'header_not_found',
      `在前 ${HEADER_SEARCH_ROWS} 行中没有找到表头行：表头应包含“姓名”“证件号码”“申报等级”等列名`,
    );
  }

  const headerRow = grid.rows[best] ?? [];
  const columns: HeaderColumn[] = [];
  const unmappedHeaders: string[] = [];
  const taken = new Set<CandidateField>();
  const headerCount = new Map<string, number>();
  headerRow.forEach((cell, index) => {
    const original = cell.text.replace(/[\r\n]+/g, '').trim();
    if (cell.kind === 'empty' || original === '') return;
    const n = (headerCount.get(original) ?? 0) + 1;
    headerCount.set(original, n);
    const header = n === 1 ? original : `${original} (${n})`;
    const match = matchHeader(original);
    let field: CandidateField | null = null;
    if (match && match !== 'ignored') {
      if (taken.has(match)) {
        unmappedHeaders.push(header);
      } else {
        field = match;
        taken.add(match);
      }
    } else if (match === null) {
      unmappedHeaders.push(header);
    }
    columns.push({ index, header, field });
  });

  const missing = REQUIRED_FIELDS.filter((f) => !taken.has(f)).map((f) => FIELD_LABELS[f]);
  if (missing.length > 0) {
    throw new RosterFileError(
      'missing_columns',
      `花名册缺少必填列：${missing.join('、')}（表头在第 ${best + 1} 行：${columns.map((c) => c.header).join('、')}）`,
      missing,
    );
  }
  return { headerRowIndex: best, columns, unmappedHeaders };
}
