/**
 * Reads a roster file (花名册) into a plain grid of cells: .xlsx through exceljs, .csv through papaparse
 * (UTF-8 with or without BOM, UTF-16 with BOM, or GBK/GB18030 as saved by Chinese Excel).
 *
 * Row i of the grid (0-based) is spreadsheet row i + 1, so row numbers in messages match what Excel
 * shows. Numbers keep their raw value and kind 'number', so the validator can tell that an ID number
 * was stored as a number (and lost its digits beyond the 15th).
 */
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import Papa from 'papaparse';

export interface SheetCell {
  text: string;
  kind: 'string' | 'number' | 'date' | 'formula' | 'empty';
  /** The numeric value for kind 'number' (and for a formula whose result is a number). */
  raw?: number;
  /** Set when the value was filled down from a merged range: the address of its master cell (e.g. D3). */
  mergedFrom?: string;
}

export interface SheetGrid {
  sheetName: string;
  rows: SheetCell[][];
}

export type RosterFileErrorCode =
  | 'unsupported_type'
  | 'legacy_xls'
  | 'empty_file'
  | 'unreadable'
  | 'encrypted'
  | 'no_sheet'
  | 'header_not_found'
  | 'missing_columns';

/** A roster file that cannot be read at all; the message is for the user (Chinese). */
export class RosterFileError extends Error {
  override readonly name = 'RosterFileError';
  constructor(
    readonly code: RosterFileErrorCode,
    message: string,
    /** Extra detail, e.g. the missing column names for 'missing_columns'. */
    readonly details: readonly string[] = [],
  ) {
    super(message);
  }
}

export const EMPTY_CELL: SheetCell = Object.freeze({ text: '', kind: 'empty' });

/** Upper bound on rows read from one file: a roster is a few thousand rows, a runaway sheet is 1M. */
const MAX_ROWS = 100_000;

function extensionOf(fileName: string): string {
  const m = /\.([^./\\]+)$/.exec(fileName.trim());
  return m?.[1] ? m[1].toLowerCase() : '';
}

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  if (bytes.length < magic.length) return false;
  return magic.every((b, i) => bytes[i] === b);
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04] as const;
/** OLE2 compound document: old .xls, WPS .et, and also password-encrypted .xlsx files. */
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1] as const;

/** Read a roster file. Throws RosterFileError with a Chinese message when the file cannot be read. */
export async function readRosterFile(fileName: string, bytes: Uint8Array): Promise<SheetGrid> {
  const ext = extensionOf(fileName);
  if (bytes.length === 0) throw new RosterFileError('empty_file', `文件“${fileName}”是空的（0 字节）`);
  switch (ext) {
    case 'xlsx':
    case 'xlsm':
      if (startsWith(bytes, OLE_MAGIC)) {
        throw new RosterFileError(
          'encrypted',
          `文件“${fileName}”无法读取：它可能设置了打开密码，或其实是旧版 .xls 文件。请在 Excel 中取消密码，或“另存为” Excel 工作簿（*.xlsx）后再导入`,
        );
      }
      return readXlsx(fileName, bytes);
    case 'xls':
    case 'et':
      // A renamed .xlsx still works.
      if (startsWith(bytes, ZIP_MAGIC)) return readXlsx(fileName, bytes);
      throw new RosterFileError(
        'legacy_xls',
        `不支持旧版 Excel 97-2003 格式（.${ext}）：请在 Excel 或 WPS 中打开“${fileName}”，“另存为” Excel 工作簿（*.xlsx）后再导入`,
      );
    case 'csv':
    case 'txt':
      return readCsv(fileName, bytes);
    default:
      throw new RosterFileError(
        'unsupported_type',
        ext === ''
          ? `无法识别文件“${fileName}”的类型：请导入 .xlsx 或 .csv 格式的花名册`
          : `不支持 .${ext} 文件：请导入 .xlsx 或 .csv 格式的花名册`,
      );
  }
}

// ---- xlsx ---------------------------------------------------------------------------------------------

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** exceljs returns date cells as UTC-midnight Date objects; format the calendar date they stand for. */
function formatDate(d: Date): string {
  if (Number.isNaN(d.getTime())) return '';
  const y = d.getUTCFullYear();
  const base = `${y}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
  const h = d.getUTCHours();
  const mi = d.getUTCMinutes();
  const s = d.getUTCSeconds();
  return h === 0 && mi === 0 && s === 0 ? base : `${base} ${pad2(h)}:${pad2(mi)}:${pad2(s)}`;
}

/**
 * A number as text without exponent notation: integers print all their digits (a damaged ID number
 * 110105194912310000 stays recognisable), fractions are cut to Excel's 15 significant digits so binary
 * noise (0.30000000000000004) disappears.
 */
export function numberText(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return Math.abs(n) < 1e21 ? String(n) : BigInt(n).toString();
  const v = Number(n.toPrecision(15));
  const s = String(v);
  if (!/e/i.test(s)) return s;
  // Very small or very large fractions: print fixed-point, then trim trailing zeros.
  return v.toFixed(20).replace(/\.?0+$/, '');
}

function richTextOf(value: { richText: { text: string }[] }): string {
  return value.richText.map((r) => r.text).join('');
}

function cellFromValue(value: ExcelJS.CellValue): SheetCell {
  if (value === null || value === undefined) return EMPTY_CELL;
  if (typeof value === 'number') return { text: numberText(value), kind: 'number', raw: value };
  if (typeof value === 'string') return value === '' ? EMPTY_CELL : { text: value, kind: 'string' };
  if (typeof value === 'boolean') return { text: value ? 'TRUE' : 'FALSE', kind: 'string' };
  if (value instanceof Date) return { text: formatDate(value), kind: 'date' };
  if ('richText' in value) {
    const text = richTextOf(value);
    return text === '' ? EMPTY_CELL : { text, kind: 'string' };
  }
  if ('error' in value) return { text: value.error, kind: 'string' };
  if ('hyperlink' in value && 'text' in value) {
    const t: unknown = value.text;
    if (typeof t === 'string') return { text: t, kind: 'string' };
    if (t && typeof t === 'object' && 'richText' in t) {
      return { text: richTextOf(t as { richText: { text: string }[] }), kind: 'string' };
    }
    return { text: String(value.hyperlink), kind: 'string' };
  }
  if ('formula' in value || 'sharedFormula' in value) {
    const result: unknown = value.result;
    if (typeof result === 'number') return { text: numberText(result), kind: 'formula', raw: result };
    if (result instanceof Date) return { text: formatDate(result), kind: 'formula' };
    if (typeof result === 'string') return { text: result, kind: 'formula' };
    if (typeof result === 'boolean') return { text: result ? 'TRUE' : 'FALSE', kind: 'formula' };
    if (result && typeof result === 'object' && 'error' in result) {
      return { text: String(result.error), kind: 'formula' };
    }
    return { text: '', kind: 'formula' };
  }
  return EMPTY_CELL;
}

async function readXlsx(fileName: string, bytes: Uint8Array): Promise<SheetGrid> {
  if (!startsWith(bytes, ZIP_MAGIC)) {
    throw new RosterFileError(
      startsWith(bytes, OLE_MAGIC) ? 'encrypted' : 'unreadable',
      `文件“${fileName}”不是有效的 Excel 工作簿（.xlsx），无法读取。请用 Excel 打开后“另存为” Excel 工作簿（*.xlsx）`,
    );
  }
  const workbook = new ExcelJS.Workbook();
  try {
    // A private copy as a plain ArrayBuffer (exceljs types its input as ArrayBuffer; JSZip reads it).
    await workbook.xlsx.load(new Uint8Array(bytes).buffer);
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new RosterFileError(
      'unreadable',
      `文件“${fileName}”已损坏或不是有效的 .xlsx 工作簿，无法读取（${detail}）`,
    );
  }
  const sheet = workbook.worksheets.find((ws) => ws.state !== 'hidden' && ws.state !== 'veryHidden');
  if (!sheet) throw new RosterFileError('no_sheet', `文件“${fileName}”中没有可见的工作表`);

  const rows: SheetCell[][] = [];
  const lastRow = Math.min(sheet.rowCount, MAX_ROWS);
  for (let r = 1; r <= lastRow; r++) {
    const row = sheet.findRow(r);
    const cells: SheetCell[] = [];
    if (row) {
      row.eachCell({ includeEmpty: false }, (cell, col) => {
        // Merged ranges. Down one column (申报等级 or 工作单位 merged over the rows of several people, a header
        // cell merged over two header rows) every row carries the master's value; across columns (a title
        // over the whole table) only the master cell does.
        let sc: SheetCell;
        if (cell.type === ExcelJS.ValueType.Merge) {
          if (cell.master.col !== cell.col) return;
          sc = { ...cellFromValue(cell.master.value), mergedFrom: cell.master.address };
        } else {
          sc = cellFromValue(cell.value);
        }
        if (sc.kind === 'empty') return;
        while (cells.length < col - 1) cells.push(EMPTY_CELL);
        cells[col - 1] = sc;
      });
    }
    rows.push(cells);
  }
  trimTrailingEmptyRows(rows);
  return { sheetName: sheet.name, rows };
}

function trimTrailingEmptyRows(rows: SheetCell[][]): void {
  while (rows.length > 0) {
    const last = rows[rows.length - 1];
    if (last && last.some((c) => c.kind !== 'empty' && c.text.trim() !== '')) break;
    rows.pop();
  }
}

// ---- csv ----------------------------------------------------------------------------------------------

/** Decode CSV bytes: BOM first, then strict UTF-8, then GB18030 (a superset of GBK). */
export function decodeCsvBytes(bytes: Uint8Array): { text: string; encoding: string } {
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) {
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8-bom' };
  }
  if (startsWith(bytes, [0xff, 0xfe])) {
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  }
  if (startsWith(bytes, [0xfe, 0xff])) {
    return { text: iconv.decode(Buffer.from(bytes.subarray(2)), 'utf-16be'), encoding: 'utf-16be' };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return {
      text: iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'gb18030'),
      encoding: 'gb18030',
    };
  }
}

/** Exports often write ="0123…" so that Excel keeps long numbers as text; unwrap it. */
const EXCEL_TEXT_FORMULA_RE = /^="(.*)"$/s;

function csvCell(value: string): SheetCell {
  if (value.trim() === '') return EMPTY_CELL;
  const m = EXCEL_TEXT_FORMULA_RE.exec(value);
  if (m) {
    return m[1] === undefined || m[1] === ''
      ? EMPTY_CELL
      : { text: m[1].replace(/""/g, '"'), kind: 'string' };
  }
  return { text: value, kind: 'string' };
}

function readCsv(fileName: string, bytes: Uint8Array): SheetGrid {
  const { text } = decodeCsvBytes(bytes);
  if (text.includes('\u0000')) {
    throw new RosterFileError('unreadable', `文件“${fileName}”不是文本格式的 CSV 文件，无法读取`);
  }
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: false, delimiter: '' });
  const data = parsed.data.slice(0, MAX_ROWS);
  if (data.length === 0) throw new RosterFileError('empty_file', `文件“${fileName}”中没有数据`);
  const rows: SheetCell[][] = data.map((record) => record.map(csvCell));
  trimTrailingEmptyRows(rows);
  if (rows.length === 0) throw new RosterFileError('empty_file', `文件“${fileName}”中没有数据`);
  const baseName = fileName.replace(/^.*[/\\]/, '').replace(/\.[^.]+$/, '');
  return { sheetName: baseName, rows };
}
