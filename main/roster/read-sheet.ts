/**
 * Reads a roster file (花名册) into a plain grid of cells: .xlsx through exceljs, .csv through papaparse
 * (UTF-8 with or without BOM, UTF-16 with BOM, or GBK/GB18030 as saved by Chinese Excel).
 *
 * Row i of the grid (0-based) is spreadsheet row i + 1, so row numbers in messages match what Excel
 * shows. Numbers keep their raw value and kind 'number', so the validator can tell that an ID number
 * was stored as a number (and lost its digits beyond the 15th).
 */
import { inflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import Papa from 'papaparse';

export interface SheetCell {
  text: string;
  kind: 'string' | 'number' | 'date' | 'formula' | 'empty';
  /** The numeric value for kind 'number' (and for a formula whose result is a number). */
  raw?: number;
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
  return readXlsxLean(bytes) ?? readXlsxWithExcelJs(fileName, bytes);
}

/** The reference reader: exceljs's in-memory workbook. Used when the lean reader declines; exported for tests. */
export async function readXlsxWithExcelJs(fileName: string, bytes: Uint8Array): Promise<SheetGrid> {
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
        // Merged ranges: only the master cell carries the value.
        if (cell.type === ExcelJS.ValueType.Merge) return;
        const sc = cellFromValue(cell.value);
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

// ---- xlsx: the lean reader -----------------------------------------------------------------------------
//
// exceljs's in-memory reader builds a full model of the workbook (every cell with its style, every
// sheet, drawings, …) and costs about as much as the rest of the import together. Its streaming reader
// is no way out: it decodes each inflated chunk separately, so a Chinese character that straddles two
// chunks comes out as U+FFFD (a name such as 汪健 silently becomes ���健), and it ignores merged cells.
//
// So the .xlsx path reads the zip directory itself (node:zlib inflates the parts), and scans only the
// parts a roster needs: the workbook (sheet order, visibility, 1904 dates), its relationships, the
// styles (which cell styles are date formats), the shared strings and the one sheet. It reproduces
// exceljs's in-memory reader cell for cell — the values it builds go through the same cellFromValue()
// — and read-sheet.test.ts compares the two on generated workbooks. Anything it does not reproduce
// exactly (hyperlinks, rich inline strings, comments or CDATA in the XML, zip64, encrypted entries,
// odd sheet names, a part exceljs would reject, …) throws LeanUnsupported, and the file is read by
// exceljs instead, with exceljs's result or error message.

/** The lean reader met something it does not reproduce exactly; exceljs reads the file instead. */
class LeanUnsupported extends Error {
  override readonly name = 'LeanUnsupported';
}

function unsupported(why: string): never {
  throw new LeanUnsupported(why);
}

interface ZipEntry {
  method: number;
  compressedSize: number;
  localOffset: number;
}

/** The entries of a zip file by name (a leading "/" dropped, as exceljs does); no zip64, no encryption. */
function zipDirectory(bytes: Uint8Array): Map<string, ZipEntry> {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = bytes.length;
  let eocd = -1;
  for (let p = n - 22; p >= 0 && p >= n - 22 - 0xffff; p--) {
    if (dv.getUint32(p, true) === 0x06054b50) {
      eocd = p;
      break;
    }
  }
  if (eocd < 0) unsupported('no end of central directory');
  const count = dv.getUint16(eocd + 10, true);
  const cdSize = dv.getUint32(eocd + 12, true);
  const cdOffset = dv.getUint32(eocd + 16, true);
  if (dv.getUint16(eocd + 4, true) !== 0 || dv.getUint16(eocd + 6, true) !== 0) unsupported('multi-disk zip');
  if (count === 0xffff || cdOffset === 0xffffffff || cdSize === 0xffffffff) unsupported('zip64');
  if (cdOffset + cdSize > eocd) unsupported('central directory out of range');
  const entries = new Map<string, ZipEntry>();
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > eocd || dv.getUint32(p, true) !== 0x02014b50) unsupported('bad central directory');
    const flags = dv.getUint16(p + 8, true);
    const method = dv.getUint16(p + 10, true);
    const compressedSize = dv.getUint32(p + 20, true);
    const nameLength = dv.getUint16(p + 28, true);
    const extraLength = dv.getUint16(p + 30, true);
    const commentLength = dv.getUint16(p + 32, true);
    const localOffset = dv.getUint32(p + 42, true);
    // Only ASCII names are ever looked up; others decode to something that matches none of them.
    let name = Buffer.from(bytes.buffer, bytes.byteOffset + p + 46, nameLength).toString('latin1');
    p += 46 + nameLength + extraLength + commentLength;
    if (name.startsWith('/')) name = name.slice(1);
    if (flags & 1) unsupported('encrypted entry');
    if (entries.has(name)) unsupported('duplicate entry');
    entries.set(name, { method, compressedSize, localOffset });
  }
  return entries;
}

const UTF8_STRICT = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The text of a zip entry (UTF-8), or undefined when there is no such entry. */
function zipText(
  bytes: Uint8Array,
  entries: ReadonlyMap<string, ZipEntry>,
  name: string,
): string | undefined {
  const e = entries.get(name);
  if (!e) return undefined;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const p = e.localOffset;
  if (p + 30 > bytes.length || dv.getUint32(p, true) !== 0x04034b50) unsupported('bad local header');
  const start = p + 30 + dv.getUint16(p + 26, true) + dv.getUint16(p + 28, true);
  if (start + e.compressedSize > bytes.length) unsupported('entry out of range');
  const data = bytes.subarray(start, start + e.compressedSize);
  let raw: Uint8Array;
  if (e.method === 8) raw = inflateRawSync(data);
  else if (e.method === 0) raw = data;
  else unsupported(`compression method ${e.method}`);
  let text: string;
  try {
    text = UTF8_STRICT.decode(raw);
  } catch {
    unsupported('invalid UTF-8');
  }
  if (text.charCodeAt(0) !== 0x3c) unsupported('part does not start with "<"');
  return text;
}

// XML: the parts are scanned as text. What the scanner does not handle (DTDs, comments, CDATA, processing
// instructions past the declaration, entities other than the XML ones) makes the file fall back.

const XML_ENTITY_RE = /&(?:(lt|gt|amp|quot|apos)|#(\d+)|#x([0-9a-fA-F]+));/g;
const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function isXmlChar(c: number): boolean {
  return (
    c === 0x9 ||
    c === 0xa ||
    c === 0xd ||
    (c >= 0x20 && c <= 0xd7ff) ||
    (c >= 0xe000 && c <= 0xfffd) ||
    (c >= 0x10000 && c <= 0x10ffff)
  );
}

function decodeEntities(s: string): string {
  let count = 0;
  const out = s.replace(
    XML_ENTITY_RE,
    (_m, named: string | undefined, dec: string | undefined, hex: string | undefined) => {
      count += 1;
      if (named) return NAMED_ENTITIES[named] ?? '';
      const code = dec !== undefined ? Number(dec) : parseInt(hex ?? '', 16);
      if (!isXmlChar(code)) unsupported('invalid character reference');
      return String.fromCodePoint(code);
    },
  );
  let amps = 0;
  for (let i = s.indexOf('&'); i >= 0; i = s.indexOf('&', i + 1)) amps += 1;
  if (amps !== count) unsupported('unknown entity');
  return out;
}

/** Character data as an XML parser reports it: line ends normalised, entities decoded. */
function xmlText(raw: string): string {
  const s = raw.includes('\r') ? raw.replace(/\r\n?/g, '\n') : raw;
  return s.includes('&') ? decodeEntities(s) : s;
}

/** An attribute value as an XML parser reports it: literal tabs and line ends become spaces. */
function xmlAttr(raw: string): string {
  let s = raw;
  if (s.includes('\n') || s.includes('\r') || s.includes('\t')) s = s.replace(/\r\n|[\t\n\r]/g, ' ');
  return s.includes('&') ? decodeEntities(s) : s;
}

/** exceljs's own second decoding of some values (utils.xmlDecode), reproduced. */
function excelJsXmlDecode(text: string): string {
  return text.replace(/&([a-z]*);/g, (c) => {
    switch (c) {
      case '&lt;':
        return '<';
      case '&gt;':
        return '>';
      case '&amp;':
        return '&';
      case '&apos;':
        return "'";
      case '&quot;':
        return '"';
      default:
        return c;
    }
  });
}

const ATTR_NAMES: string[] = [''];
const ATTR_VALUES: (string | undefined)[] = [undefined];

/** A forward-only tag scanner over one XML part. */
class XmlScanner {
  private pos: number;
  /** The current tag's name (with any prefix); see tag(). */
  private tagName = '';
  /** Whether the current tag is a closing tag, and whether it closes itself; see closing(), selfClosing(). */
  private isClose = false;
  private isEmpty = false;
  private attrStart = 0;
  private attrEnd = 0;
  /** The raw character data between the previous tag and this one. */
  textStart = 0;
  textEnd = 0;

  constructor(readonly xml: string) {
    let start = 0;
    if (xml.startsWith('<?xml')) {
      const end = xml.indexOf('?>');
      if (end < 0) unsupported('unterminated XML declaration');
      start = end + 2;
    }
    if (xml.includes('<!')) unsupported('DTD, comment or CDATA');
    if (xml.includes('<?', start)) unsupported('processing instruction');
    this.pos = start;
  }

  /** Move to the next tag; false at the end of the part. */
  next(): boolean {
    const xml = this.xml;
    const lt = xml.indexOf('<', this.pos);
    this.textStart = this.pos;
    if (lt < 0) {
      this.textEnd = xml.length;
      return false;
    }
    this.textEnd = lt;
    let i = lt + 1;
    this.isClose = xml.charCodeAt(i) === 47; // '/'
    if (this.isClose) i += 1;
    const nameStart = i;
    for (;;) {
      const c = xml.charCodeAt(i);
      if (c === 62 || c === 47 || c === 32 || c === 9 || c === 10 || c === 13 || Number.isNaN(c)) break;
      i += 1;
    }
    if (i === nameStart) unsupported('malformed tag');
    this.tagName = xml.slice(nameStart, i);
    this.attrStart = i;
    for (;;) {
      const c = xml.charCodeAt(i);
      if (c === 62) break; // '>'
      if (c === 34 || c === 39) {
        const q = xml.indexOf(c === 34 ? '"' : "'", i + 1);
        if (q < 0) unsupported('unterminated attribute');
        i = q + 1;
      } else if (Number.isNaN(c)) {
        unsupported('unterminated tag');
      } else {
        i += 1;
      }
    }
    this.isEmpty = !this.isClose && xml.charCodeAt(i - 1) === 47;
    this.attrEnd = this.isEmpty ? i - 1 : i;
    this.pos = i + 1;
    return true;
  }

  /** Whether the current tag is a closing tag (these are methods so that TypeScript does not narrow across next()). */
  closing(): boolean {
    return this.isClose;
  }

  /** Whether the current tag closes itself (<x/>). */
  selfClosing(): boolean {
    return this.isEmpty;
  }

  /** The current tag's name. */
  tag(): string {
    return this.tagName;
  }

  /** The raw text before the current tag. */
  text(): string {
    return this.xml.slice(this.textStart, this.textEnd);
  }

  /** The decoded value of an attribute of the current tag, or undefined. */
  attr(name: string): string | undefined {
    ATTR_NAMES[0] = name;
    this.attrs(ATTR_NAMES, ATTR_VALUES);
    return ATTR_VALUES[0];
  }

  /** The decoded values of the named attributes of the current tag (undefined when absent), in one pass. */
  attrs(names: readonly string[], out: (string | undefined)[]): void {
    out.fill(undefined, 0, names.length);
    const xml = this.xml;
    const end = this.attrEnd;
    let i = this.attrStart;
    while (i < end) {
      let c = xml.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) {
        i += 1;
        continue;
      }
      const nameStart = i;
      while (i < end && (c = xml.charCodeAt(i)) !== 61 && c !== 32 && c !== 9 && c !== 10 && c !== 13) i += 1;
      const nameLength = i - nameStart;
      while (i < end && xml.charCodeAt(i) !== 61) i += 1; // '='
      i += 1;
      while (i < end && (c = xml.charCodeAt(i)) !== 34 && c !== 39) i += 1;
      if (i >= end) unsupported('malformed attribute');
      const close = xml.indexOf(c === 34 ? '"' : "'", i + 1);
      if (close < 0 || close >= end) unsupported('malformed attribute');
      for (let k = 0; k < names.length; k++) {
        const name = names[k]!;
        if (nameLength === name.length && xml.startsWith(name, nameStart)) {
          out[k] = xmlAttr(xml.slice(i + 1, close));
          break;
        }
      }
      i = close + 1;
    }
  }

  /** Where the scanner stands (just after the current tag). */
  get position(): number {
    return this.pos;
  }

  /** Continue scanning at `pos`, which must be just after a tag. */
  seek(pos: number): void {
    this.pos = pos;
  }

  /** Skip to the end of the current element (which must be an opening tag). */
  skipElement(): void {
    if (this.isEmpty) return;
    const name = this.tagName;
    let depth = 1;
    while (this.next()) {
      if (this.tagName !== name) continue;
      if (this.isClose) depth -= 1;
      else if (!this.isEmpty) depth += 1;
      if (depth === 0) return;
    }
    unsupported(`unterminated <${name}>`);
  }
}

/** The first tag of a part: its root element, which must be `name` without a namespace prefix. */
function rootScanner(xml: string, name: string): XmlScanner {
  const s = new XmlScanner(xml);
  if (!s.next() || s.closing() || s.tag() !== name) unsupported(`root element is not <${name}>`);
  return s;
}

/** exceljs's utils.isDateFmt. */
function isDateFormat(fmt: string | undefined): boolean {
  if (!fmt) return false;
  const f = fmt.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, '');
  return /[ymdhMsb]+/.test(f);
}

/** The built-in number formats exceljs knows (xlsx/defaultnumformats.js, the ids with a format code). */
const BUILTIN_NUMBER_FORMATS: Readonly<Record<number, string>> = {
  0: 'General',
  1: '0',
  2: '0.00',
  3: '#,##0',
  4: '#,##0.00',
  9: '0%',
  10: '0.00%',
  11: '0.00E+00',
  12: '# ?/?',
  13: '# ??/??',
  14: 'mm-dd-yy',
  15: 'd-mmm-yy',
  16: 'd-mmm',
  17: 'mmm-yy',
  18: 'h:mm AM/PM',
  19: 'h:mm:ss AM/PM',
  20: 'h:mm',
  21: 'h:mm:ss',
  22: 'm/d/yy "h":mm',
  37: '#,##0 ;(#,##0)',
  38: '#,##0 ;[Red](#,##0)',
  39: '#,##0.00 ;(#,##0.00)',
  40: '#,##0.00 ;[Red](#,##0.00)',
  45: 'mm:ss',
  46: '[h]:mm:ss',
  47: 'mmss.0',
  48: '##0.0E+0',
  49: '@',
};

/**
 * For each cell style (cellXfs index), whether exceljs reads its numbers as dates; null when the part
 * has no cellXfs (exceljs then fails on any styled cell).
 */
function parseDateStyles(xml: string): boolean[] | null {
  const s = rootScanner(xml, 'styleSheet');
  const customFormats = new Map<number, string>();
  const xfNumFmtIds: number[] = [];
  while (s.next()) {
    if (s.closing()) continue;
    if (s.tag() === 'numFmts' && !s.selfClosing()) {
      while (s.next() && !(s.closing() && s.tag() === 'numFmts')) {
        if (s.closing() || s.tag() !== 'numFmt') continue;
        const code = s.attr('formatCode');
        if (code === undefined) unsupported('numFmt without formatCode');
        customFormats.set(parseInt(s.attr('numFmtId') ?? '', 10), code.replace(/[\\](.)/g, '$1'));
      }
    } else if (s.tag() === 'cellXfs' && !s.selfClosing()) {
      while (s.next() && !(s.closing() && s.tag() === 'cellXfs')) {
        if (s.closing() || s.tag() !== 'xf') continue;
        xfNumFmtIds.push(parseInt(s.attr('numFmtId') ?? '', 10));
        s.skipElement();
      }
    } else {
      s.skipElement();
    }
  }
  if (xfNumFmtIds.length === 0) return null;
  return xfNumFmtIds.map((id) =>
    id ? isDateFormat(customFormats.get(id) ?? BUILTIN_NUMBER_FORMATS[id]) : false,
  );
}

/** exceljs's TextXform: the joined text with _xHHHH_ escapes decoded. */
function ooxmlText(text: string): string {
  return text.includes('_x')
    ? text.replace(/_x([0-9A-F]{4})_/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    : text;
}

/** The text of a <t> element the scanner has just opened; it must contain text only. */
function readT(s: XmlScanner): string {
  if (s.selfClosing()) return '';
  if (!s.next() || !s.closing() || s.tag() !== 't') unsupported('markup inside <t>');
  return xmlText(s.text());
}

/** The shared strings, each already as the cell exceljs would give (string, rich text or nothing). */
function parseSharedStrings(xml: string): SheetCell[] {
  const s = rootScanner(xml, 'sst');
  const out: SheetCell[] = [];
  const toCell = (text: string): SheetCell => (text === '' ? EMPTY_CELL : { text, kind: 'string' });
  while (s.next()) {
    if (s.closing()) {
      if (s.tag() === 'sst') break;
      unsupported(`unexpected </${s.tag()}> in shared strings`);
    }
    if (s.tag() !== 'si') unsupported(`unexpected <${s.tag()}> in shared strings`);
    if (s.selfClosing()) {
      out.push(EMPTY_CELL);
      continue;
    }
    let plain: string | undefined;
    let runs: string[] | undefined;
    while (s.next() && !(s.closing() && s.tag() === 'si')) {
      if (s.closing()) unsupported(`unexpected </${s.tag()}> in <si>`);
      if (s.tag() === 't') {
        if (runs) unsupported('rich text and plain text in one string');
        plain = ooxmlText(readT(s));
      } else if (s.tag() === 'r') {
        if (plain !== undefined) unsupported('rich text and plain text in one string');
        runs ??= [];
        let runText = '';
        if (!s.selfClosing()) {
          while (s.next() && !(s.closing() && s.tag() === 'r')) {
            if (s.closing()) unsupported(`unexpected </${s.tag()}> in <r>`);
            if (s.tag() === 't') runText = ooxmlText(readT(s));
            else if (s.tag() === 'rPr') s.skipElement();
            else unsupported(`unexpected <${s.tag()}> in <r>`);
          }
        }
        runs.push(runText);
      } else if (s.tag() === 'rPh' || s.tag() === 'phoneticPr') {
        s.skipElement(); // phonetic guides are not part of the value
      } else {
        unsupported(`unexpected <${s.tag()}> in <si>`);
      }
    }
    if (runs) out.push(toCell(runs.join('')));
    else if (plain !== undefined) out.push(toCell(plain));
    else out.push(EMPTY_CELL);
  }
  return out;
}

interface LeanWorkbook {
  sheetName: string;
  sheetPath: string;
  date1904: boolean;
}

const WORKSHEET_PART_RE = /xl\/worksheets\/sheet(\d+)[.]xml/;

/** The first visible worksheet, found the way exceljs finds workbook.worksheets[…]. */
function locateSheet(bytes: Uint8Array, entries: ReadonlyMap<string, ZipEntry>): LeanWorkbook {
  const workbookXml = zipText(bytes, entries, 'xl/workbook.xml');
  const relsXml = zipText(bytes, entries, 'xl/_rels/workbook.xml.rels');
  if (workbookXml === undefined || relsXml === undefined) unsupported('no workbook or relationships');

  const rels = new Map<string, string>();
  const r = rootScanner(relsXml, 'Relationships');
  while (r.next()) {
    if (r.closing() || r.tag() !== 'Relationship') continue;
    const id = r.attr('Id');
    const target = r.attr('Target');
    if (id === undefined || target === undefined) unsupported('incomplete relationship');
    rels.set(id, target);
  }

  let date1904 = false;
  const sheets: { name: string; id: number; state: string | undefined; rId: string | undefined }[] = [];
  const w = rootScanner(workbookXml, 'workbook');
  while (w.next()) {
    if (w.closing()) continue;
    if (w.tag() === 'workbookPr') date1904 = w.attr('date1904') === '1';
    else if (w.tag() === 'sheet') {
      const name = w.attr('name');
      if (name === undefined) unsupported('sheet without a name');
      sheets.push({
        name: excelJsXmlDecode(name),
        id: parseInt(w.attr('sheetId') ?? '', 10),
        state: w.attr('state'),
        rId: w.attr('r:id'),
      });
    }
  }

  const ids = new Set<number>();
  const names = new Set<string>();
  const paths = new Set<string>();
  let first: LeanWorkbook | undefined;
  for (const sheet of sheets) {
    // exceljs keys worksheets by sheetId; odd ids or names make it drop a sheet or throw.
    if (!Number.isInteger(sheet.id) || sheet.id < 1 || ids.has(sheet.id)) unsupported('odd sheetId');
    ids.add(sheet.id);
    const target = sheet.rId === undefined ? undefined : rels.get(sheet.rId);
    if (target === undefined) continue;
    const path = `xl/${target.replace(/^(\s|\/xl\/)+/, '')}`;
    if (!entries.has(path) || path.endsWith('/') || !WORKSHEET_PART_RE.test(path)) continue; // e.g. a chart sheet
    if (paths.has(path)) unsupported('two sheets share one part');
    paths.add(path);
    const n = sheet.name;
    if (n === '' || n === 'History' || n.length > 31 || /[*?:/\\[\]]/.test(n) || /(^')|('$)/.test(n)) {
      unsupported('a sheet name exceljs rejects');
    }
    if (names.has(n.toLowerCase())) unsupported('duplicate sheet name');
    names.add(n.toLowerCase());
    if (!first && sheet.state !== 'hidden' && sheet.state !== 'veryHidden') {
      first = { sheetName: n, sheetPath: path, date1904 };
    }
  }
  if (!first) unsupported('no visible worksheet');
  return { ...first, date1904 };
}

/** exceljs's utils.excelToDate; `v` is coerced like exceljs's arithmetic does. */
function excelToDate(v: unknown, date1904: boolean): Date {
  return new Date(Math.round((Number(v) - 25569 + (date1904 ? 1462 : 0)) * 24 * 3600 * 1000));
}

/** 1-based column number of a cell reference such as "AB12"; the row part is not used (as in exceljs). */
function columnOf(ref: string): number {
  let col = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c < 65 || c > 90) break;
    col = col * 26 + c - 64;
  }
  if (i === 0 || i > 3 || i === ref.length || col > 16384) unsupported(`cell reference ${ref}`);
  for (let j = i; j < ref.length; j++) {
    const c = ref.charCodeAt(j);
    if (c < 48 || c > 57) unsupported(`cell reference ${ref}`);
  }
  return col;
}

const MERGE_REF_RE = /^([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?$/;

interface MergeRange {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

function mergeRange(ref: string): MergeRange {
  const m = MERGE_REF_RE.exec(ref);
  if (!m) unsupported(`merge range ${ref}`);
  const r1 = Number(m[2]);
  const c1 = columnOf(`${m[1]}1`);
  const r2 = m[4] === undefined ? r1 : Number(m[4]);
  const c2 = m[3] === undefined ? c1 : columnOf(`${m[3]}1`);
  return { top: Math.min(r1, r2), left: Math.min(c1, c2), bottom: Math.max(r1, r2), right: Math.max(c1, c2) };
}

interface SheetContext {
  shared: readonly SheetCell[] | undefined;
  /** Per cell style: read numbers as dates. null: styles.xml has no cellXfs; undefined: no styles.xml. */
  dateStyles: readonly boolean[] | null | undefined;
  date1904: boolean;
}

/** One <c> element, as exceljs's CellXform parses and reconciles it, turned into a SheetCell. */
function leanCell(
  ctx: SheetContext,
  t: string | undefined,
  styleId: number,
  formula: boolean,
  value: string | undefined,
): SheetCell {
  let isDate = false;
  if (styleId) {
    if (ctx.dateStyles === null) unsupported('styled cell without cellXfs');
    isDate = ctx.dateStyles?.[styleId] ?? false;
  }
  if (formula) {
    let result: unknown;
    if (value) {
      if (t === 'str') result = excelJsXmlDecode(value);
      else if (t === 'b') result = parseInt(value, 10) !== 0;
      else if (t === 'e') result = { error: value };
      else result = parseFloat(value);
    }
    if (result !== undefined && isDate) result = excelToDate(result, ctx.date1904);
    return cellFromValue({ formula: '', result } as ExcelJS.CellFormulaValue);
  }
  if (value === undefined) return EMPTY_CELL;
  switch (t) {
    case 's': {
      const shared = ctx.shared?.[parseInt(value, 10)];
      if (shared === undefined) unsupported('shared string missing');
      return shared;
    }
    case 'str':
      return cellFromValue(excelJsXmlDecode(value));
    case 'inlineStr':
      return cellFromValue(value);
    case 'b':
      return cellFromValue(parseInt(value, 10) !== 0);
    case 'e':
      return cellFromValue({ error: value } as ExcelJS.CellErrorValue);
    default: {
      const n = parseFloat(value);
      return cellFromValue(isDate ? excelToDate(n, ctx.date1904) : n);
    }
  }
}

/** The rows of a worksheet part (up to MAX_ROWS), merged areas' non-master cells emptied. */
const CELL_ATTRS = ['r', 's', 't'] as const;

function parseSheetRows(xml: string, ctx: SheetContext): SheetCell[][] {
  if (xml.includes('<hyperlink')) unsupported('hyperlinks');
  const cellAttrs: (string | undefined)[] = [undefined, undefined, undefined];
  const s = rootScanner(xml, 'worksheet');
  const rows: SheetCell[][] = [];
  const merges: MergeRange[] = [];
  let lastRow = 0;
  while (s.next()) {
    if (s.closing()) continue;
    if (s.tag() === 'mergeCell') {
      const ref = s.attr('ref');
      if (ref === undefined) unsupported('mergeCell without ref');
      merges.push(mergeRange(ref));
      continue;
    }
    if (s.tag() !== 'sheetData' || s.selfClosing()) continue;
    // <sheetData>: rows of cells.
    while (s.next()) {
      if (s.closing()) {
        if (s.tag() === 'sheetData') break;
        unsupported(`unexpected </${s.tag()}>`);
      }
      if (s.tag() !== 'row') unsupported(`unexpected <${s.tag()}> in <sheetData>`);
      const rowNumber = Number(s.attr('r'));
      if (!Number.isInteger(rowNumber) || rowNumber <= lastRow)
        unsupported('row numbers missing or out of order');
      lastRow = rowNumber;
      const rowStyle = parseInt(s.attr('s') ?? '', 10);
      if (rowStyle && !ctx.dateStyles) unsupported('row style without cellXfs');
      const cells: SheetCell[] = [];
      let lastCol = 0;
      if (!s.selfClosing()) {
        while (s.next()) {
          if (s.closing()) {
            if (s.tag() === 'row') break;
            unsupported(`unexpected </${s.tag()}>`);
          }
          if (s.tag() !== 'c') unsupported(`unexpected <${s.tag()}> in <row>`);
          s.attrs(CELL_ATTRS, cellAttrs);
          const [ref, styleText, t] = cellAttrs;
          if (ref === undefined) unsupported('cell without a reference');
          const col = columnOf(ref);
          if (col <= lastCol) unsupported('cells out of order');
          lastCol = col;
          const styleId = styleText === undefined ? NaN : parseInt(styleText, 10);
          let formula = false;
          let value: string | undefined;
          let done = s.selfClosing();
          if (!done && xml.startsWith('<v>', s.position)) {
            // The common case, <c …><v>text</v></c>, without the general loop.
            const start = s.position + 3;
            const end = xml.indexOf('</v>', start);
            if (end >= 0 && xml.startsWith('</c>', end + 4)) {
              const raw = xml.slice(start, end);
              if (raw.includes('<')) unsupported('markup inside <v>');
              if (raw !== '') value = xmlText(raw);
              s.seek(end + 8);
              done = true;
            }
          }
          if (!done) {
            let inIs = false;
            while (s.next()) {
              const name = s.tag();
              if (s.closing()) {
                if (name === 'c') break;
                if (name === 'is' && inIs) {
                  inIs = false;
                  continue;
                }
                unsupported(`unexpected </${name}>`);
              }
              if (name === 'v' || (name === 't' && inIs)) {
                if (s.selfClosing()) continue;
                if (!s.next() || !s.closing() || s.tag() !== name) unsupported(`markup inside <${name}>`);
                if (s.textEnd > s.textStart) {
                  const text = xmlText(s.text());
                  value = value ? value + text : text;
                }
              } else if (name === 'f') {
                if (s.attr('t')) formula = true;
                if (!s.selfClosing()) {
                  if (!s.next() || !s.closing() || s.tag() !== 'f') unsupported('markup inside <f>');
                  if (s.textEnd > s.textStart) formula = true;
                }
              } else if (name === 'is' && !inIs) {
                if (!s.selfClosing()) inIs = true;
              } else {
                unsupported(`unexpected <${name}> in <c>`); // rich inline text, extLst, …
              }
            }
          }
          if (rowNumber > MAX_ROWS) continue;
          const cell = leanCell(ctx, t, styleId, formula, value);
          if (cell.kind === 'empty') continue;
          while (cells.length < col - 1) cells.push(EMPTY_CELL);
          cells[col - 1] = cell;
        }
      }
      if (rowNumber > MAX_ROWS) continue;
      while (rows.length < rowNumber - 1) rows.push([]);
      rows.push(cells);
    }
  }
  applyMerges(rows, merges);
  return rows;
}

/** exceljs keeps the value of a merged area's top-left cell only; overlapping areas make it fail. */
function applyMerges(rows: SheetCell[][], merges: readonly MergeRange[]): void {
  for (let i = 0; i < merges.length; i++) {
    const m = merges[i]!;
    for (let j = 0; j < i; j++) {
      const o = merges[j]!;
      if (!(o.bottom < m.top || o.top > m.bottom || o.right < m.left || o.left > m.right)) {
        unsupported('overlapping merged cells');
      }
    }
  }
  for (const m of merges) {
    for (let r = m.top; r <= Math.min(m.bottom, rows.length); r++) {
      const cells = rows[r - 1];
      if (!cells) continue;
      let changed = false;
      for (let c = m.left; c <= Math.min(m.right, cells.length); c++) {
        if ((r > m.top || c > m.left) && cells[c - 1] !== EMPTY_CELL) {
          cells[c - 1] = EMPTY_CELL;
          changed = true;
        }
      }
      if (changed) while (cells.length > 0 && cells[cells.length - 1] === EMPTY_CELL) cells.pop();
    }
  }
}

/**
 * Read the first visible worksheet without exceljs. Returns null when the file uses something this
 * reader does not reproduce exactly; the caller then reads it with exceljs. Exported for tests.
 */
export function readXlsxLean(bytes: Uint8Array): SheetGrid | null {
  try {
    const entries = zipDirectory(bytes);
    const book = locateSheet(bytes, entries);
    const sheetXml = zipText(bytes, entries, book.sheetPath);
    if (sheetXml === undefined) unsupported('worksheet part missing');
    const sharedXml = zipText(bytes, entries, 'xl/sharedStrings.xml');
    const stylesXml = zipText(bytes, entries, 'xl/styles.xml');
    const rows = parseSheetRows(sheetXml, {
      shared: sharedXml === undefined ? undefined : parseSharedStrings(sharedXml),
      dateStyles: stylesXml === undefined ? undefined : parseDateStyles(stylesXml),
      date1904: book.date1904,
    });
    trimTrailingEmptyRows(rows);
    return { sheetName: book.sheetName, rows };
  } catch {
    // LeanUnsupported, or a damaged zip or part (zlib, DataView range errors): exceljs decides.
    return null;
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
