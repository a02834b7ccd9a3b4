/**
 * 签到表: 70 candidates → 3 A4 pages (25 rows each), the heading and column header on every page,
 * 第 x 页 共 y 页, the proctors' signature line, masked ID numbers only, seat order, numbering per room.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskIdNumber } from '../../shared/domain/id-types';
import { pageSizes, tempDir, text, words, writePdf } from '../../test/support/cups-pdf-inspect';
import { sampleSignInSheet, signInCandidates } from '../../test/fixtures/printing/sample-data';
import { findCjkFont } from './fonts';
import {
  renderSignInSheet,
  renderSignInSheets,
  SIGN_IN_SHEET_TEMPLATE,
  signInPageCount,
} from './sign-in-sheet';
import type { LoadedFont } from './types';

const SUITE = { timeout: 120_000 }; // generous: rendering and poppler on a slow CI machine

let font: LoadedFont;
const tmp = tempDir();

beforeAll(async () => {
  font = await findCjkFont();
});
afterAll(() => tmp.cleanup());

const HEADERS = ['序号', '座号', '准考证号', '姓名', '证件号码', '考生签名', '备注'];

describe('sign-in sheet (签到表)', SUITE, () => {
  it('70 candidates: 3 A4 pages, heading and column header on each, 第 x 页 共 3 页', async () => {
    const room = sampleSignInSheet(70);
    const pdf = await renderSignInSheet(room, { font });
    const file = writePdf(tmp.dir, 'sign-70.pdf', pdf.bytes);
    expect(SIGN_IN_SHEET_TEMPLATE.rowsPerPage).toBe(25);
    expect(signInPageCount(70)).toBe(3);
    expect(pdf.pageCount).toBe(3);
    const sizes = pageSizes(file);
    expect(sizes).toHaveLength(3);
    for (const s of sizes) expect([s.width, s.height]).toEqual([595.276, 841.89]);

    for (let p = 1; p <= 3; p++) {
      const s = text(file, p, 'raw');
      for (const expected of [
        '某某市职业技能鉴定指导中心',
        '考生签到表',
        '认定批次：2026 年第 4 批职业技能等级认定',
        '场次：理论知识考试',
        '考场：第01考场（教学楼 201）',
        '考试时间：2026年12月05日 09:00–10:30',
        '应到：70 人',
        '监考人员签字',
        `第 ${p} 页 共 3 页`,
      ]) {
        expect(s, `page ${p}`).toContain(expected);
      }
      const header = words(file).filter((w) => w.page === p && HEADERS.includes(w.text));
      expect(header.map((w) => w.text).sort()).toEqual([...HEADERS].sort());
      // The header row is at the same place on every page.
      for (const w of header) {
        expect(w.yMin).toBeGreaterThan(SIGN_IN_SHEET_TEMPLATE.headerTop);
        expect(w.yMax).toBeLessThan(SIGN_IN_SHEET_TEMPLATE.firstRowTop);
      }
    }
  });

  it('lists every candidate once, in seat order, with only masked ID numbers; 序号 runs on across pages', async () => {
    const candidates = signInCandidates(70);
    const shuffled = [...candidates].reverse();
    const pdf = await renderSignInSheet({ ...sampleSignInSheet(0), candidates: shuffled }, { font });
    const file = writePdf(tmp.dir, 'sign-order.pdf', pdf.bytes);
    const all = text(file);
    for (const c of candidates) {
      expect(all).toContain(maskIdNumber(c.idNumber));
      expect(all).not.toContain(c.idNumber);
    }
    const list = words(file);
    const ticketWords = list.filter((w) => /^2026110501\d{4}$/.test(w.text));
    expect(ticketWords.map((w) => w.text)).toEqual(candidates.map((c) => c.ticketNo));
    expect(ticketWords.filter((w) => w.page === 1)).toHaveLength(25);
    expect(ticketWords.filter((w) => w.page === 3)).toHaveLength(20);
    // Row 26 (first of page 2) is numbered 26, at the first row's height.
    const first2 = ticketWords.find((w) => w.page === 2)!;
    const index26 = list.find((w) => w.page === 2 && w.text === '26' && Math.abs(w.yMin - first2.yMin) < 1);
    expect(index26).toBeDefined();
    expect(first2.yMin).toBeGreaterThan(SIGN_IN_SHEET_TEMPLATE.firstRowTop);
    expect(first2.yMax).toBeLessThan(SIGN_IN_SHEET_TEMPLATE.firstRowTop + SIGN_IN_SHEET_TEMPLATE.rowHeight);
  });

  it('candidates without a seat come last; an empty room still gets its page', async () => {
    const [a, b, c] = signInCandidates(3);
    const pdf = await renderSignInSheet(
      {
        ...sampleSignInSheet(0),
        candidates: [
          { ...a!, seatNo: null },
          { ...b!, seatNo: 9 },
          { ...c!, seatNo: 2 },
        ],
      },
      { font },
    );
    const file = writePdf(tmp.dir, 'sign-seats.pdf', pdf.bytes);
    const order = words(file)
      .filter((w) => /^2026110501\d{4}$/.test(w.text))
      .map((w) => w.text);
    expect(order).toEqual([c!.ticketNo, b!.ticketNo, a!.ticketNo]);

    const empty = await renderSignInSheet(sampleSignInSheet(0), { font });
    const emptyFile = writePdf(tmp.dir, 'sign-empty.pdf', empty.bytes);
    expect(empty.pageCount).toBe(1);
    expect(text(emptyFile)).toContain('本考场无考生');
    expect(text(emptyFile, 1, 'raw')).toContain('第 1 页 共 1 页');
  });

  it('several rooms in one PDF: each starts a new page and is numbered on its own', async () => {
    const r1 = sampleSignInSheet(30);
    const r2 = { ...sampleSignInSheet(10), roomName: '第02考场', roomLocation: null };
    const pdf = await renderSignInSheets([r1, r2], { font });
    const file = writePdf(tmp.dir, 'sign-rooms.pdf', pdf.bytes);
    expect(pdf.pageCount).toBe(3);
    expect(text(file, 1, 'raw')).toContain('第 1 页 共 2 页');
    expect(text(file, 2, 'raw')).toContain('第 2 页 共 2 页');
    expect(text(file, 3, 'raw')).toContain('考场：第02考场');
    expect(text(file, 3, 'raw')).toContain('第 1 页 共 1 页');
    expect(text(file, 3, 'raw')).toContain('应到：10 人');
  });
});
