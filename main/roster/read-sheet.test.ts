import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeCsvBytes, numberText, readRosterFile, RosterFileError } from './read-sheet';

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

  it('fills a value merged down a column into every row of the merge (e.g. one 申报等级 for three people)', async () => {
    const bytes = await xlsx((wb) => {
      const ws = wb.addWorksheet('花名册');
      ws.getCell('A1').value = '花名册';
      ws.mergeCells('A1:D1');
      ws.getRow(2).values = ['序号', '姓名', '工作单位', '申报等级'];
      ws.getRow(3).values = [1, '王芳', '甲公司', '四级'];
      ws.getRow(4).values = [2, '周杰'];
      ws.getRow(5).values = [3, '李娜'];
      ws.getRow(6).values = [4, '张伟', '乙公司', '五级'];
      ws.mergeCells('C3:C4');
      ws.mergeCells('D3:D5');
    });
    const grid = await readRosterFile('花名册.xlsx', bytes);
    expect(grid.rows.map((r) => r.map((c) => c.text))).toEqual([
      ['花名册'],
      ['序号', '姓名', '工作单位', '申报等级'],
      ['1', '王芳', '甲公司', '四级'],
      ['2', '周杰', '甲公司', '四级'],
      ['3', '李娜', '', '四级'],
      ['4', '张伟', '乙公司', '五级'],
    ]);
    expect(grid.rows[2]![3]).toEqual({ text: '四级', kind: 'string' });
    expect(grid.rows[4]![3]).toEqual({ text: '四级', kind: 'string', mergedFrom: 'D3' });
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
