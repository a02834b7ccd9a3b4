import { deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { makeMessyRosterXlsx, makeValidRosterXlsx } from '../../test/fixtures/roster/make-roster';
import {
  decodeCsvBytes,
  numberText,
  readRosterFile,
  readXlsxLean,
  readXlsxWithExcelJs,
  RosterFileError,
} from './read-sheet';

async function xlsx(build: (wb: ExcelJS.Workbook) => void): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  build(wb);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

async function readError(fileName: string, bytes: Uint8Array): Promise<RosterFileError> {
  try {
    await readRosterFile(fileName, bytes);
  } catch (err) {
    if (err instanceof RosterFileError) return err;
    throw err;
  }
  throw new Error('expected a RosterFileError');
}

const OLE_HEADER = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);

describe('readRosterFile — .xlsx', () => {
  it('keeps row numbers, puts a merged value in the master cell only, formats dates, keeps numbers raw', async () => {
    const bytes = await xlsx((wb) => {
      const ws = wb.addWorksheet('花名册');
      ws.getCell('A1').value = 'XX考点2026年第一批职业技能等级认定花名册';
      ws.mergeCells('A1:E1');
      ws.getRow(3).values = ['序号', '姓名', '身份证号码', '出生日期', '申报等级'];
      ws.getRow(4).values = [1, '王芳', '11010519491231002X', new Date(Date.UTC(1949, 11, 31)), '四级'];
      ws.getRow(5).values = [2, '周杰', 110105194912310000, null, 4];
      ws.getCell('D4').numFmt = 'yyyy-mm-dd';
    });
    const grid = await readRosterFile('花名册.xlsx', bytes);
    expect(grid.sheetName).toBe('花名册');
    expect(grid.rows).toHaveLength(5);
    expect(grid.rows[0]![0]).toEqual({ text: 'XX考点2026年第一批职业技能等级认定花名册', kind: 'string' });
    expect(grid.rows[0]!.slice(1).every((c) => c.kind === 'empty')).toBe(true);
    expect(grid.rows[1]).toEqual([]); // blank row 2 is kept so indexes stay row numbers
    expect(grid.rows[2]!.map((c) => c.text)).toEqual(['序号', '姓名', '身份证号码', '出生日期', '申报等级']);
    expect(grid.rows[3]![2]).toEqual({ text: '11010519491231002X', kind: 'string' });
    expect(grid.rows[3]![3]).toEqual({ text: '1949-12-31', kind: 'date' });
    expect(grid.rows[4]![2]).toEqual({ text: '110105194912310000', kind: 'number', raw: 110105194912310000 });
    expect(grid.rows[4]![4]).toEqual({ text: '4', kind: 'number', raw: 4 });
  });

  it('reads the first visible worksheet, formulas, rich text and hyperlinks', async () => {
    const bytes = await xlsx((wb) => {
      const hidden = wb.addWorksheet('说明');
      hidden.state = 'hidden';
      hidden.getCell('A1').value = '填表说明';
      const ws = wb.addWorksheet('Sheet2');
      ws.getCell('A1').value = { formula: 'CONCATENATE("四","级")', result: '四级' };
      ws.getCell('B1').value = { formula: '1+1', result: 2 };
      ws.getCell('C1').value = { richText: [{ text: '王' }, { text: '芳', font: { bold: true } }] };
      ws.getCell('D1').value = { text: '链接', hyperlink: 'http://example.com' };
      ws.getCell('E1').value = true;
    });
    const grid = await readRosterFile('a.xlsx', bytes);
    expect(grid.sheetName).toBe('Sheet2');
    expect(grid.rows[0]).toEqual([
      { text: '四级', kind: 'formula' },
      { text: '2', kind: 'formula', raw: 2 },
      { text: '王芳', kind: 'string' },
      { text: '链接', kind: 'string' },
      { text: 'TRUE', kind: 'string' },
    ]);
  });

  it('drops trailing empty rows but keeps inner ones', async () => {
    const bytes = await xlsx((wb) => {
      const ws = wb.addWorksheet('S');
      ws.getCell('A1').value = 'a';
      ws.getCell('A3').value = 'b';
      ws.getCell('A6').value = '   ';
    });
    const grid = await readRosterFile('a.xlsx', bytes);
    expect(grid.rows.map((r) => r[0]?.text ?? '')).toEqual(['a', '', 'b']);
  });

  it('accepts a .xlsx renamed to .xls', async () => {
    const bytes = await xlsx((wb) => {
      wb.addWorksheet('S').getCell('A1').value = '姓名';
    });
    const grid = await readRosterFile('花名册.xls', bytes);
    expect(grid.rows[0]![0]!.text).toBe('姓名');
  });
});

describe('numberText', () => {
  it('never uses exponent notation and removes binary noise', () => {
    expect(numberText(110105194912310000)).toBe('110105194912310000');
    expect(numberText(1.2e21)).toBe('1200000000000000000000');
    expect(numberText(0.1 + 0.2)).toBe('0.3');
    expect(numberText(13800138000)).toBe('13800138000');
    expect(numberText(1e-7)).toBe('0.0000001');
    expect(numberText(-5)).toBe('-5');
  });
});

describe('readRosterFile — .csv', () => {
  const csv =
    '姓名,身份证号码,申报等级\r\n王芳,11010519491231002X,四级/中级工\r\n"李, 强",340524800101001,"三级\n高级工"\r\n';

  it('reads UTF-8 without BOM', async () => {
    const grid = await readRosterFile('a.csv', new TextEncoder().encode(csv));
    expect(grid.sheetName).toBe('a');
    expect(grid.rows.map((r) => r.map((c) => c.text))).toEqual([
      ['姓名', '身份证号码', '申报等级'],
      ['王芳', '11010519491231002X', '四级/中级工'],
      ['李, 强', '340524800101001', '三级\n高级工'],
    ]);
    expect(grid.rows[1]![1]!.kind).toBe('string');
  });

  it('reads UTF-8 with BOM (the BOM does not stick to the first header)', async () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(csv)]);
    const grid = await readRosterFile('a.CSV', bytes);
    expect(grid.rows[0]![0]!.text).toBe('姓名');
  });

  it('reads GBK as saved by Chinese Excel', async () => {
    const bytes = new Uint8Array(iconv.encode(csv, 'gbk'));
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const grid = await readRosterFile('花名册.csv', bytes);
    expect(grid.rows[1]!.map((c) => c.text)).toEqual(['王芳', '11010519491231002X', '四级/中级工']);
  });

  it('reads GB18030 characters outside GBK (rare surname characters)', () => {
    const text = '姓名\r\n𠮷祥\r\n';
    const decoded = decodeCsvBytes(new Uint8Array(iconv.encode(text, 'gb18030')));
    expect(decoded.text).toBe(text);
    expect(decoded.encoding).toBe('gb18030');
  });

  it('reads UTF-16 tab-separated text ("Unicode 文本")', async () => {
    const text = '姓名\t身份证号码\t申报等级\r\n王芳\t11010519491231002X\t四级\r\n';
    const bytes = new Uint8Array([0xff, 0xfe, ...iconv.encode(text, 'utf-16le')]);
    const grid = await readRosterFile('a.txt', bytes);
    expect(grid.rows[1]!.map((c) => c.text)).toEqual(['王芳', '11010519491231002X', '四级']);
  });

  it('unwraps ="…" text cells written by exporting systems', async () => {
    const grid = await readRosterFile(
      'a.csv',
      new TextEncoder().encode('姓名,身份证号码\n王芳,="11010519491231002X"\n'),
    );
    expect(grid.rows[1]![1]).toEqual({ text: '11010519491231002X', kind: 'string' });
  });

  it('marks blank fields as empty and keeps blank lines as rows', async () => {
    const grid = await readRosterFile('a.csv', new TextEncoder().encode('标题,,\n\n姓名,,等级\n'));
    expect(grid.rows).toHaveLength(3);
    expect(grid.rows[0]![1]).toEqual({ text: '', kind: 'empty' });
    expect(grid.rows[2]![0]!.text).toBe('姓名');
  });
});

describe('readRosterFile — files it cannot read', () => {
  it('asks for .xlsx instead of an old .xls', async () => {
    const err = await readError('花名册.xls', OLE_HEADER);
    expect(err.code).toBe('legacy_xls');
    expect(err.message).toBe(
      '不支持旧版 Excel 97-2003 格式（.xls）：请在 Excel 或 WPS 中打开“花名册.xls”，“另存为” Excel 工作簿（*.xlsx）后再导入',
    );
  });

  it('explains a password-protected .xlsx', async () => {
    const err = await readError('花名册.xlsx', OLE_HEADER);
    expect(err.code).toBe('encrypted');
    expect(err.message).toContain('打开密码');
  });

  it('rejects other file types by extension', async () => {
    const err = await readError('花名册.pdf', new Uint8Array([1, 2, 3]));
    expect(err.code).toBe('unsupported_type');
    expect(err.message).toBe('不支持 .pdf 文件：请导入 .xlsx 或 .csv 格式的花名册');
    expect((await readError('花名册', new Uint8Array([1]))).message).toBe(
      '无法识别文件“花名册”的类型：请导入 .xlsx 或 .csv 格式的花名册',
    );
  });

  it('rejects an empty file', async () => {
    const err = await readError('a.xlsx', new Uint8Array());
    expect(err.code).toBe('empty_file');
    expect(err.message).toBe('文件“a.xlsx”是空的（0 字节）');
    expect((await readError('a.csv', new TextEncoder().encode('\r\n\r\n'))).code).toBe('empty_file');
  });

  it('rejects a file that is not a zip with an .xlsx name', async () => {
    const err = await readError('a.xlsx', new TextEncoder().encode('姓名,身份证号码'));
    expect(err.code).toBe('unreadable');
    expect(err.message).toContain('不是有效的 Excel 工作簿');
  });

  it('rejects a truncated .xlsx', async () => {
    const good = await xlsx((wb) => {
      wb.addWorksheet('S').getCell('A1').value = '姓名';
    });
    const err = await readError('a.xlsx', good.subarray(0, Math.floor(good.length / 2)));
    expect(err.code).toBe('unreadable');
    expect(err.message).toMatch(/^文件“a\.xlsx”已损坏或不是有效的 \.xlsx 工作簿，无法读取/);
  });

  it('rejects binary data with a .csv name', async () => {
    const err = await readError('a.csv', new Uint8Array([0x00, 0x01, 0x02, 0x00]));
    expect(err.code).toBe('unreadable');
  });
});

// ---- the lean .xlsx reader against exceljs's in-memory reader ---------------------------------------------

// A minimal zip writer, so that tests can hand-craft the XML parts.
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of data) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function zip(files: Record<string, string>, opts: { store?: boolean } = {}): Uint8Array {
  const local: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(files)) {
    const data = Buffer.from(text, 'utf8');
    const body = opts.store ? data : deflateRawSync(data);
    const nameBytes = Buffer.from(name, 'utf8');
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(20, 4);
    h.writeUInt16LE(0x0800, 6);
    h.writeUInt16LE(opts.store ? 0 : 8, 8);
    h.writeUInt16LE(0x21, 12);
    h.writeUInt32LE(crc32(data), 14);
    h.writeUInt32LE(body.length, 18);
    h.writeUInt32LE(data.length, 22);
    h.writeUInt16LE(nameBytes.length, 26);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(0x0800, 8);
    c.writeUInt16LE(opts.store ? 0 : 8, 10);
    c.writeUInt16LE(0x21, 14);
    c.writeUInt32LE(crc32(data), 16);
    c.writeUInt32LE(body.length, 20);
    c.writeUInt32LE(data.length, 24);
    c.writeUInt16LE(nameBytes.length, 28);
    c.writeUInt32LE(offset, 42);
    local.push(h, nameBytes, body);
    central.push(c, nameBytes);
    offset += 30 + nameBytes.length + body.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...local, cd, end]));
}

const NS =
  'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
const DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const REL_WS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet';

interface Book {
  sheets?: string; // <sheet> elements
  workbookPr?: string;
  rels?: string; // <Relationship> elements
  styles?: string | null; // inner XML of <styleSheet>, null for no styles part
  sst?: string | null; // <si> elements, null for no shared strings part
  parts?: Record<string, string>; // worksheet parts by path
  sheet1?: string; // shortcut: inner XML of xl/worksheets/sheet1.xml
}

const DEFAULT_STYLES =
  '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/><numFmt numFmtId="165" formatCode="0.00_);[Red]\\(0.00\\)"/></numFmts>' +
  '<cellXfs count="7"><xf numFmtId="0" fontId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="164"/><xf numFmtId="49"/>' +
  '<xf numFmtId="31"/><xf numFmtId="165"><alignment wrapText="1"/></xf><xf numFmtId="22"/></cellXfs>';

function book(b: Book, opts: { store?: boolean } = {}): Uint8Array {
  const files: Record<string, string> = {
    '[Content_Types].xml': `${DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
    '_rels/.rels': `${DECL}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    'xl/workbook.xml': `${DECL}<workbook ${NS}>${b.workbookPr ?? ''}<sheets>${b.sheets ?? '<sheet name="花名册" sheetId="1" r:id="rId1"/>'}</sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': `${DECL}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${b.rels ?? `<Relationship Id="rId1" Type="${REL_WS}" Target="worksheets/sheet1.xml"/>`}</Relationships>`,
  };
  if (b.styles !== null)
    files['xl/styles.xml'] = `${DECL}<styleSheet ${NS}>${b.styles ?? DEFAULT_STYLES}</styleSheet>`;
  if (b.sst !== null && b.sst !== undefined)
    files['xl/sharedStrings.xml'] = `${DECL}<sst ${NS}>${b.sst}</sst>`;
  if (b.sheet1 !== undefined)
    files['xl/worksheets/sheet1.xml'] = `${DECL}<worksheet ${NS}>${b.sheet1}</worksheet>`;
  Object.assign(files, b.parts ?? {});
  return zip(files, opts);
}

async function reference(bytes: Uint8Array): Promise<unknown> {
  try {
    return await readXlsxWithExcelJs('a.xlsx', bytes);
  } catch (err) {
    return err instanceof RosterFileError ? { code: err.code } : { thrown: String(err) };
  }
}

async function expectSameAsExcelJs(bytes: Uint8Array, leanSupported = true) {
  const lean = readXlsxLean(bytes);
  const ref = await reference(bytes);
  if (leanSupported) {
    expect(lean, 'lean reader declined').not.toBeNull();
    expect(lean).toEqual(ref);
  } else {
    expect(lean).toBeNull();
  }
  return lean;
}

const SST = [
  '<si><t>姓名</t></si>',
  '<si><t xml:space="preserve"> 王 芳 </t><phoneticPr fontId="1" type="noConversion"/></si>',
  '<si><r><rPr><b/><sz val="11"/></rPr><t>汪</t></r><r><t>健</t></r></si>',
  '<si><t>A&amp;B &lt;x&gt; &#x4E2D;&#22269;</t></si>',
  '<si><t>回车_x000D_换行_x000a_</t></si>',
  '<si/>',
  '<si><t/></si>',
  '<si><t>たなか</t><rPh sb="0" eb="3"><t>タナカ</t></rPh></si>',
  '<si><r><t></t></r></si>',
  '<si><t>line1\r\nline2</t></si>',
].join('');

describe('lean xlsx reader = exceljs in-memory reader (hand-crafted parts)', () => {
  it('shared strings: plain, rich, phonetic, entities, _xHHHH_ escapes, empty items', async () => {
    const cells = Array.from(
      { length: 10 },
      (_, i) => `<c r="${String.fromCharCode(65 + i)}1" t="s"><v>${i}</v></c>`,
    ).join('');
    const g = await expectSameAsExcelJs(
      book({ sst: SST, sheet1: `<sheetData><row r="1">${cells}</row></sheetData>` }),
    );
    expect(g!.rows[0]!.map((c) => c.text)).toEqual([
      '姓名',
      ' 王 芳 ',
      '汪健',
      'A&B <x> 中国',
      '回车\r换行_x000a_',
      '',
      '',
      'たなか',
      '',
      'line1\nline2',
    ]);
  });

  it('cell types: numbers, inline strings, str, booleans, errors, d, n', async () => {
    const row =
      '<c r="A1"><v>42</v></c><c r="B1" t="n"><v>1.5</v></c><c r="C1" t="inlineStr"><is><t>行内 &amp; 文本</t></is></c>' +
      '<c r="D1" t="str"><v>a&amp;amp;b</v></c><c r="E1" t="b"><v>1</v></c><c r="F1" t="b"><v>0</v></c><c r="G1" t="e"><v>#N/A</v></c>' +
      '<c r="H1" t="d"><v>2020-01-01</v></c><c r="I1"><v>110105194912310000</v></c><c r="J1"><v>abc</v></c><c r="K1"><v></v></c>' +
      '<c r="L1" s="3"/><c r="M1"/><c r="N1" t="inlineStr"><is><t></t></is></c><c r="P1"><v> 7 </v></c>';
    await expectSameAsExcelJs(book({ sheet1: `<sheetData><row r="1">${row}</row></sheetData>` }));
  });

  it('dates by cell style: built-in 14 and 22, a custom format, 1900 and 1904 systems; id 31 stays a number', async () => {
    const row =
      '<c r="A1" s="1"><v>32874</v></c><c r="B1" s="2"><v>45000.5</v></c><c r="C1" s="3"><v>45000</v></c>' +
      '<c r="D1" s="4"><v>45000</v></c><c r="E1" s="5"><v>45000</v></c><c r="F1" s="6"><v>45000.25</v></c><c r="G1" s="99"><v>45000</v></c>' +
      '<c r="H1" s="0"><v>45000</v></c><c r="I1" s="1"><v>x</v></c>';
    const sheet1 = `<sheetData><row r="1">${row}</row></sheetData>`;
    const g = await expectSameAsExcelJs(book({ sheet1 }));
    expect(g!.rows[0]![0]).toEqual({ text: '1990-01-01', kind: 'date' });
    const g1904 = await expectSameAsExcelJs(book({ sheet1, workbookPr: '<workbookPr date1904="1"/>' }));
    expect(g1904!.rows[0]![0]).toEqual({ text: '1994-01-02', kind: 'date' });
    await expectSameAsExcelJs(book({ sheet1, workbookPr: '<workbookPr date1904="true"/>' }));
    await expectSameAsExcelJs(book({ sheet1, styles: null }));
  });

  it('formulas: results of every type, shared formulas, no result, date-formatted results', async () => {
    const row =
      '<c r="A1"><f>1+1</f><v>2</v></c><c r="B1" t="str"><f>A1&amp;"x"</f><v>2x</v></c><c r="C1" t="b"><f>TRUE()</f><v>1</v></c>' +
      '<c r="D1" t="e"><f>NA()</f><v>#N/A</v></c><c r="E1" s="1"><f>DATE(1990,1,1)</f><v>32874</v></c>' +
      '<c r="F1" s="1" t="str"><f>TEXT(A1,"0")</f><v>2</v></c><c r="G1"><f t="shared" ref="G1:G2" si="0">A1*2</f><v>4</v></c>' +
      '<c r="H1"><f>A1</f></c><c r="I1"><f/><v>5</v></c><c r="J1" t="str"><f>""</f><v></v></c>';
    const row2 =
      '<c r="G2"><f t="shared" si="0"/><v>6</v></c><c r="H2" s="1"><f t="shared" si="0"/><v>abc</v></c>';
    await expectSameAsExcelJs(
      book({ sheet1: `<sheetData><row r="1">${row}</row><row r="2">${row2}</row></sheetData>` }),
    );
  });

  it('merged cells keep the top-left value only, also when other cells of the area hold values', async () => {
    const sheet1 =
      '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>标题</t></is></c><c r="B1"><v>9</v></c><c r="C1"><v>8</v></c></row>' +
      '<row r="2"><c r="A2"><v>1</v></c><c r="B2"><v>2</v></c><c r="C2"><v>3</v></c><c r="D2"><v>4</v></c></row>' +
      '<row r="4"><c r="B4"><v>5</v></c></row></sheetData>' +
      '<mergeCells count="3"><mergeCell ref="A1:C1"/><mergeCell ref="D3:C2"/><mergeCell ref="A4:B5"/></mergeCells>';
    const g = await expectSameAsExcelJs(book({ sheet1 }));
    // D3:C2 is C2:D3 (master C2); A4:B5 has an empty master, so row 4 ends up empty and is dropped.
    expect(g!.rows.map((r) => r.map((c) => c.text))).toEqual([['标题'], ['1', '2', '3']]);
  });

  it('pretty-printed XML, single quotes, CRLF and character references', async () => {
    const sheet1 =
      '\r\n  <sheetData>\r\n    <row r=\'1\' spans="1:3">\r\n      <c r="A1" t="inlineStr">\r\n        <is>\r\n          <t>第一行\r\n第二行</t>\r\n        </is>\r\n      </c>\r\n' +
      '      <c r = "B1" >\r\n        <v>3</v>\r\n      </c>\r\n      <c r="C1" t="s"><v>3</v></c>\r\n    </row>\r\n  </sheetData>\r\n';
    await expectSameAsExcelJs(book({ sst: SST, sheet1 }));
  });

  it('sheet order, hidden sheets, chart sheets, absolute targets, names with entities', async () => {
    const parts = {
      'xl/worksheets/sheet1.xml': `${DECL}<worksheet ${NS}><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>`,
      'xl/worksheets/sheet2.xml': `${DECL}<worksheet ${NS}><sheetData><row r="1"><c r="A1"><v>2</v></c></row></sheetData></worksheet>`,
      'xl/worksheets/sheet3.xml': `${DECL}<worksheet ${NS}><sheetData><row r="1"><c r="A1"><v>3</v></c></row></sheetData></worksheet>`,
    };
    const rels =
      `<Relationship Id="rId1" Type="${REL_WS}" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${REL_WS}" Target="/xl/worksheets/sheet2.xml"/>` +
      `<Relationship Id="rId3" Type="${REL_WS}" Target="worksheets/sheet3.xml"/><Relationship Id="rId4" Type="chartsheet" Target="chartsheets/sheet1.xml"/>`;
    const cases = [
      '<sheet name="图表" sheetId="4" r:id="rId4"/><sheet name="说明" sheetId="3" state="hidden" r:id="rId3"/><sheet name="A&amp;amp;B" sheetId="2" r:id="rId2"/><sheet name="S1" sheetId="1" r:id="rId1"/>',
      '<sheet name="x" sheetId="1" state="veryHidden" r:id="rId1"/><sheet name="y" sheetId="3" r:id="rId3"/>',
      '<sheet name="y" sheetId="3" state="visible" r:id="rId9"/><sheet name="z" sheetId="2" r:id="rId2"/>',
    ];
    for (const sheets of cases) await expectSameAsExcelJs(book({ sheets, rels, parts }));
    // exceljs refuses these names; the lean reader leaves such files to it.
    for (const name of ['History', "'quoted'"]) {
      await expectSameAsExcelJs(
        book({ sheets: `<sheet name="${name}" sheetId="1" r:id="rId1"/>`, rels, parts }),
        false,
      );
    }
    await expectSameAsExcelJs(
      book({
        sheets: '<sheet name="a" sheetId="1" r:id="rId1"/><sheet name="A" sheetId="2" r:id="rId2"/>',
        rels,
        parts,
      }),
      false,
    );
  });

  it('stored (uncompressed) entries and gaps between rows and cells', async () => {
    const sheet1 =
      '<sheetData><row r="2"><c r="C2"><v>1</v></c><c r="AA2"><v>2</v></c></row><row r="5"/><row r="7"><c r="B7" s="3"/></row></sheetData>';
    const g = await expectSameAsExcelJs(book({ sheet1 }, { store: true }));
    expect(g!.rows).toHaveLength(2);
  });

  it("declines what it does not reproduce; readRosterFile then gives exceljs's result", async () => {
    const declined = [
      book({
        sst: SST,
        sheet1:
          '<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData><hyperlinks><hyperlink ref="A1" r:id="rId1"/></hyperlinks>',
      }),
      book({
        sheet1:
          '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><r><t>富</t></r><r><t>文本</t></r></is></c></row></sheetData>',
      }),
      book({ sheet1: '<!-- note --><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData>' }),
      book({
        sheet1:
          '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t><![CDATA[x]]></t></is></c></row></sheetData>',
      }),
      book({
        sheet1: '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&nbsp;</t></is></c></row></sheetData>',
      }),
      book({ sheet1: '<sheetData><row r="1"><c r="A1" t="s"><v>7</v></c></row></sheetData>' }), // no shared strings part
      book({ sheet1: '<sheetData><row r="1"><c><v>1</v></c></row></sheetData>' }), // cell without r
      book({ sheet1: '<sheetData><row r="2"><c r="A2"><v>1</v></c></row><row r="1"/></sheetData>' }),
      book({
        sheet1:
          '<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData><mergeCells><mergeCell ref="A1:B2"/><mergeCell ref="B2:C3"/></mergeCells>',
      }),
      book({
        sheet1: '<sheetData><row r="1"><c r="A1" s="1"><v>1</v></c></row></sheetData>',
        styles: '<fonts/>',
      }),
    ];
    for (const bytes of declined) {
      expect(readXlsxLean(bytes)).toBeNull();
      const ref = await reference(bytes);
      let got: unknown;
      try {
        got = await readRosterFile('a.xlsx', bytes);
      } catch (err) {
        got = err instanceof RosterFileError ? { code: err.code } : { thrown: String(err) };
      }
      expect(got).toEqual(ref);
    }
  });
});

describe('lean xlsx reader = exceljs in-memory reader (workbooks written by exceljs)', () => {
  it('reads the fixture rosters itself, cell for cell as exceljs does', async () => {
    for (const bytes of [await makeMessyRosterXlsx(), await makeValidRosterXlsx(300)]) {
      await expectSameAsExcelJs(bytes);
    }
  });

  it('agrees on generated workbooks: every cell type, number formats, merges, hidden sheets, 1904 dates', async () => {
    let seed = 20261122;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
    const strings = [
      '王芳',
      '汪健',
      ' 前后空格 ',
      'a&b<c>"d\'',
      '换\n行',
      '_x000D_',
      'x\r\ny',
      '',
      '   ',
      '𠮷祥',
    ];
    const formats = ['yyyy-mm-dd', 'yyyy"年"m"月"d"日"', 'h:mm', '@', '0.00', 'mm-dd-yy', '[Red]0', '"d"0'];
    const numbers = [0, -5, 3.14159, 0.1 + 0.2, 110105194912310000, 13800138000, 1e-7, 45000.5, 1e21];
    const results: unknown[] = [
      3,
      'abc',
      true,
      { error: '#DIV/0!' },
      new Date(Date.UTC(1990, 0, 1)),
      undefined,
    ];
    let compared = 0;
    for (let n = 0; n < 40; n++) {
      const wb = new ExcelJS.Workbook();
      if (rnd() < 0.2) wb.properties.date1904 = true;
      const sheetCount = 1 + Math.floor(rnd() * 3);
      for (let s = 0; s < sheetCount; s++) {
        const ws = wb.addWorksheet(`${pick(['花名册', 'A&B', "O'K"])}${s}`);
        if (s < sheetCount - 1 && rnd() < 0.4) ws.state = pick(['hidden', 'veryHidden'] as const);
        const rows = 1 + Math.floor(rnd() * 10);
        const cols = 1 + Math.floor(rnd() * 8);
        for (let r = 1; r <= rows; r++) {
          for (let c = 1; c <= cols; c++) {
            const k = rnd();
            const cell = ws.getCell(r, c);
            if (k < 0.3) cell.value = pick(strings);
            else if (k < 0.5) cell.value = pick(numbers);
            else if (k < 0.6)
              cell.value = new Date(
                Date.UTC(
                  1900 + Math.floor(rnd() * 130),
                  Math.floor(rnd() * 12),
                  1 + Math.floor(rnd() * 28),
                  rnd() < 0.3 ? 13 : 0,
                ),
              );
            else if (k < 0.65) cell.value = rnd() < 0.5;
            else if (k < 0.68) cell.value = { error: '#N/A' } as ExcelJS.CellErrorValue;
            else if (k < 0.78)
              cell.value = { formula: 'A1+1', result: pick(results) } as ExcelJS.CellFormulaValue;
            else if (k < 0.85)
              cell.value = {
                richText: [{ text: pick(strings) }, { text: pick(strings), font: { bold: true } }],
              };
            if (k < 0.9 && rnd() < 0.3) cell.numFmt = pick(formats);
          }
        }
        if (rnd() < 0.5 && rows >= 2 && cols >= 2) {
          const r1 = 1 + Math.floor(rnd() * (rows - 1));
          const c1 = 1 + Math.floor(rnd() * (cols - 1));
          ws.mergeCells(r1, c1, r1 + Math.floor(rnd() * 2), c1 + 1);
        }
      }
      const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
      await expectSameAsExcelJs(bytes);
      compared += 1;
    }
    expect(compared).toBe(40);
  });
});
