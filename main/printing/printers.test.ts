/**
 * printers.ts without a print system: parsing lpstat/lp output, the folder printer (writes the file
 * atomically, never overwrites, leaves nothing behind on failure), the Windows path through a faked
 * PowerShell and SumatraPDF (arguments, unknown/offline printers, SumatraPDF missing), input checks.
 * The real CUPS queue is exercised in printers.cups.test.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/cups-pdf-inspect';
import { PrintingError } from './errors';
import {
  cupsPageSize,
  listPrinters,
  parseLpRequestId,
  parseLpstatAccepting,
  parseLpstatDefault,
  parseLpstatPrinters,
  parseWindowsPrinters,
  printPdf,
  safeFileName,
  sumatraPrintSettings,
  type CommandResult,
  type CommandRunner,
} from './printers';
import type { RenderedPdf } from './types';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const PDF: RenderedPdf = {
  bytes: new TextEncoder().encode('%PDF-1.7\n% test document\n%%EOF\n'),
  paper: { widthMm: 210, heightMm: 148 },
  pageCount: 1,
  title: '准考证-张三丰-202611050100012',
};

const LPSTAT_LP = `printer EXPQ1 is idle.  enabled since Sun Nov 22 18:57:13 2026
\tForm mounted:
\tContent types: any
\tDescription: EXPQ1
\tAlerts: none
\tLocation: 
\tConnection: direct
printer EXPQ2 disabled since Sun Nov 22 19:00:31 2026 -
\tpaper jam test
\tForm mounted:
\tDescription: 测试 打印机
\tAlerts: paused
\tLocation: Room 1
printer BUSY now printing BUSY-3.  enabled since Sun Nov 22 19:00:31 2026
`;

describe('CUPS output parsing', () => {
  it('lpstat -l -p: state, reason, description, location', () => {
    expect(parseLpstatPrinters(LPSTAT_LP)).toEqual([
      { name: 'EXPQ1', state: 'idle', message: null, description: 'EXPQ1', location: null },
      {
        name: 'EXPQ2',
        state: 'disabled',
        message: 'paper jam test',
        description: '测试 打印机',
        location: 'Room 1',
      },
      { name: 'BUSY', state: 'printing', message: null, description: null, location: null },
    ]);
    // Plain -p (no -l): the reason line follows the header.
    expect(parseLpstatPrinters('printer Q disabled since x -\n\tPaused by operator\n')[0]?.message).toBe(
      'Paused by operator',
    );
  });

  it('lpstat -a, lpstat -d, lp request id, custom page size', () => {
    const acc = parseLpstatAccepting(
      'EXPQ1 not accepting requests since Sun Nov 22 18:57:13 2026 -\n\tclosed for test\nEXPQ2 accepting requests since Sun Nov 22 19:00:31 2026\n',
    );
    expect(acc.get('EXPQ1')).toEqual({ accepting: false, reason: 'closed for test' });
    expect(acc.get('EXPQ2')).toEqual({ accepting: true, reason: null });
    expect(parseLpstatDefault('system default destination: PDF\n')).toBe('PDF');
    expect(parseLpstatDefault('no system default destination\n')).toBeNull();
    expect(parseLpRequestId('request id is EXPQ1-12 (1 file(s))\n')).toBe('EXPQ1-12');
    expect(cupsPageSize({ widthMm: 210, heightMm: 148 })).toBe('Custom.210x148mm');
    expect(cupsPageSize({ widthMm: 85.6, heightMm: 53.98 })).toBe('Custom.85.6x53.98mm');
  });
});

describe('folder printer', () => {
  it('writes the PDF under the title, never overwrites, and leaves no temporary file', async () => {
    const folder = path.join(tmp.dir, 'out', '准考证');
    const first = await printPdf({ kind: 'folder', name: folder }, { pdf: PDF });
    expect(first).toEqual({
      printer: { kind: 'folder', name: folder },
      jobId: null,
      file: path.join(folder, '准考证-张三丰-202611050100012.pdf'),
    });
    expect(fs.readFileSync(first.file!)).toEqual(Buffer.from(PDF.bytes));
    const second = await printPdf({ kind: 'folder', name: folder }, { pdf: PDF });
    expect(second.file).toBe(path.join(folder, '准考证-张三丰-202611050100012 (2).pdf'));
    const titled = await printPdf(
      { kind: 'folder', name: folder },
      { pdf: PDF, title: '座位/标签:第01考场?' },
    );
    expect(path.basename(titled.file!)).toBe('座位_标签_第01考场_.pdf');
    expect(fs.readdirSync(folder).sort()).toEqual(
      [
        '准考证-张三丰-202611050100012.pdf',
        '准考证-张三丰-202611050100012 (2).pdf',
        '座位_标签_第01考场_.pdf',
      ].sort(),
    );
  });

  it('a folder that cannot be written → JOB_FAILED naming it, nothing written', async () => {
    const blocker = path.join(tmp.dir, 'a-file');
    fs.writeFileSync(blocker, 'x');
    const target = path.join(blocker, 'sub');
    const err = await printPdf({ kind: 'folder', name: target }, { pdf: PDF }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PrintingError);
    expect(err).toMatchObject({ code: 'JOB_FAILED', printer: target });
    expect((err as Error).message).toContain(`无法写入文件夹「${target}」`);
    expect(fs.readFileSync(blocker, 'utf8')).toBe('x');
  });

  it('is listed (always available) beside the system printers', async () => {
    const folder = path.join(tmp.dir, 'listed');
    const noCups: CommandRunner = () =>
      Promise.resolve({
        code: null,
        stdout: '',
        stderr: '',
        error: Object.assign(new Error('spawn lpstat ENOENT'), { code: 'ENOENT' }),
      });
    const listing = await listPrinters({ platform: 'linux', folders: [folder], run: noCups });
    expect(listing.printers).toEqual([
      {
        target: { kind: 'folder', name: folder },
        displayName: `输出到文件夹：${folder}`,
        isDefault: false,
        status: 'ready',
        statusMessage: null,
        location: null,
      },
    ]);
    expect(listing.warnings).toEqual([
      '未安装 CUPS 打印系统（找不到 lpstat/lp 命令），无法使用系统打印机；可改用「输出到文件夹」。',
    ]);
  });

  it('refuses what is not a PDF, bad copy counts, an empty printer name', async () => {
    const notPdf = { ...PDF, bytes: new TextEncoder().encode('hello') };
    await expect(printPdf({ kind: 'folder', name: tmp.dir }, { pdf: notPdf })).rejects.toMatchObject({
      code: 'BAD_INPUT',
    });
    await expect(printPdf({ kind: 'folder', name: tmp.dir }, { pdf: PDF, copies: 0 })).rejects.toMatchObject({
      code: 'BAD_INPUT',
    });
    await expect(printPdf({ kind: 'cups', name: ' ' }, { pdf: PDF })).rejects.toMatchObject({
      code: 'BAD_INPUT',
    });
    expect(safeFileName('  ..\u0001 ')).toBe('_');
    expect(safeFileName('')).toBe('打印文件');
  });
});

describe('Windows printers (PowerShell + SumatraPDF, faked)', () => {
  const PRINTERS = JSON.stringify([
    {
      Name: '办公室 HP LaserJet',
      Default: true,
      WorkOffline: false,
      PrinterStatus: 3,
      Location: '',
      Comment: null,
    },
    {
      Name: 'Certificate Printer',
      Default: false,
      WorkOffline: true,
      PrinterStatus: 3,
      Location: '二楼',
      Comment: '',
    },
    { Name: 'Stopped', Default: false, WorkOffline: false, PrinterStatus: 6, Location: null, Comment: null },
  ]);

  function fakeWindows(sumatra: Partial<CommandResult> = {}) {
    const calls: { command: string; args: string[] }[] = [];
    const run: CommandRunner = (command, args) => {
      calls.push({ command, args });
      if (command === 'powershell.exe') {
        return Promise.resolve({ code: 0, stdout: PRINTERS, stderr: '', error: null });
      }
      // SumatraPDF: the temp file exists while it runs.
      expect(fs.existsSync(args[args.length - 1]!)).toBe(true);
      return Promise.resolve({ code: 0, stdout: '', stderr: '', error: null, ...sumatra });
    };
    return { calls, run };
  }

  it('parses Win32_Printer rows (one object or an array) into statuses', () => {
    const list = parseWindowsPrinters(PRINTERS);
    expect(list.map((p) => [p.target.name, p.status, p.isDefault, p.location])).toEqual([
      ['办公室 HP LaserJet', 'ready', true, null],
      ['Certificate Printer', 'offline', false, '二楼'],
      ['Stopped', 'disabled', false, null],
    ]);
    expect(parseWindowsPrinters('{"Name":"Only","Default":false,"PrinterStatus":4}')[0]?.status).toBe('busy');
    expect(parseWindowsPrinters('')).toEqual([]);
  });

  it('lists through PowerShell on win32', async () => {
    const { run, calls } = fakeWindows();
    const listing = await listPrinters({ platform: 'win32', run });
    expect(listing.printers).toHaveLength(3);
    expect(listing.warnings).toEqual([]);
    expect(calls[0]?.command).toBe('powershell.exe');
    expect(calls[0]?.args.join(' ')).toContain('Win32_Printer');
  });

  it('prints with SumatraPDF: -print-to NAME -print-settings noscale…, temp file removed afterwards', async () => {
    const exe = path.join(tmp.dir, 'SumatraPDF.exe');
    fs.writeFileSync(exe, '');
    const { run, calls } = fakeWindows();
    const r = await printPdf(
      { kind: 'windows', name: '办公室 HP LaserJet' },
      { pdf: PDF, copies: 2 },
      { platform: 'win32', sumatraPdfPath: exe, run },
    );
    expect(r).toEqual({ printer: { kind: 'windows', name: '办公室 HP LaserJet' }, jobId: null, file: null });
    const call = calls.find((c) => c.command === exe)!;
    expect(call.args.slice(0, 5)).toEqual([
      '-print-to',
      '办公室 HP LaserJet',
      '-print-settings',
      'noscale,landscape,paper=A5,2x',
      '-silent',
    ]);
    expect(fs.existsSync(call.args[5]!)).toBe(false);
    expect(sumatraPrintSettings({ widthMm: 210, heightMm: 297 }, 1)).toBe('noscale,portrait,paper=A4');
    expect(sumatraPrintSettings({ widthMm: 260, heightMm: 185 }, 1)).toBe('noscale,landscape');
  });

  it('unknown, offline and stopped printers, a failing SumatraPDF, SumatraPDF not configured → clear errors', async () => {
    const exe = path.join(tmp.dir, 'SumatraPDF.exe');
    fs.writeFileSync(exe, '');
    const opts = (run: CommandRunner) => ({ platform: 'win32' as const, sumatraPdfPath: exe, run });
    const { run } = fakeWindows();
    await expect(printPdf({ kind: 'windows', name: 'Nope' }, { pdf: PDF }, opts(run))).rejects.toMatchObject({
      code: 'PRINTER_NOT_FOUND',
      message: expect.stringContaining('找不到打印机「Nope」') as unknown,
    });
    await expect(
      printPdf({ kind: 'windows', name: 'Certificate Printer' }, { pdf: PDF }, opts(run)),
    ).rejects.toMatchObject({
      code: 'PRINTER_DISABLED',
      message: expect.stringContaining('脱机') as unknown,
    });
    await expect(
      printPdf({ kind: 'windows', name: 'Stopped' }, { pdf: PDF }, opts(run)),
    ).rejects.toMatchObject({
      code: 'PRINTER_DISABLED',
    });
    const failing = fakeWindows({ code: 1, stderr: 'Error: printer not ready' });
    await expect(
      printPdf({ kind: 'windows', name: '办公室 HP LaserJet' }, { pdf: PDF }, opts(failing.run)),
    ).rejects.toMatchObject({
      code: 'JOB_FAILED',
      message: '打印机「办公室 HP LaserJet」打印失败。SumatraPDF：Error: printer not ready',
    });
    await expect(
      printPdf({ kind: 'windows', name: '办公室 HP LaserJet' }, { pdf: PDF }, { platform: 'win32', run }),
    ).rejects.toMatchObject({
      code: 'PRINTING_UNAVAILABLE',
      message: expect.stringContaining('未配置 SumatraPDF') as unknown,
    });
    await expect(
      printPdf(
        { kind: 'windows', name: '办公室 HP LaserJet' },
        { pdf: PDF },
        { platform: 'win32', run, sumatraPdfPath: path.join(tmp.dir, 'missing.exe') },
      ),
    ).rejects.toMatchObject({
      code: 'PRINTING_UNAVAILABLE',
      message: expect.stringContaining('找不到 SumatraPDF') as unknown,
    });
    await expect(
      printPdf({ kind: 'windows', name: '办公室 HP LaserJet' }, { pdf: PDF }, { platform: 'linux', run }),
    ).rejects.toMatchObject({ code: 'PRINTING_UNAVAILABLE' });
  });
});
