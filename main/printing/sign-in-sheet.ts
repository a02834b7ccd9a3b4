/**
 * 考生签到表 (domain.md §7.1 step 8, §7.5): one A4 portrait table per room of a session.
 *
 * Columns 序号 | 座号 | 准考证号 | 姓名 | 证件号码 (always masked: 1101**********002X) | 签名 (blank) | 备注.
 * Every page repeats the heading (organisation, site, title, sitting, session, occupation/level, room,
 * time) and the column header; every page ends with the proctors' signature line, the 实到/缺考 blanks
 * and 第 x 页 共 y 页 (numbered per room). Candidates are printed in seat order (no seat → last, by
 * ticket number). A room without candidates still gets its page, saying so.
 */
import { maskIdNumber } from '../../shared/domain/id-types';
import { PrintingError } from './errors';
import type { TextField } from './layout';
import { centredBaseline, Composer, formatSessionTime, mm, PAPER } from './layout';
import type { PaperSize, RenderedPdf, RenderOptions, SignInCandidate, SignInSheetData } from './types';

export const SIGN_IN_TITLE = '考生签到表';

export interface SignInColumn {
  key: 'index' | 'seat' | 'ticketNo' | 'name' | 'idNumber' | 'signature' | 'remark';
  header: string;
  /** Left edge and width, pt. */
  x: number;
  width: number;
}

/** The sheet's geometry in points (before calibration). */
export interface SignInSheetTemplate {
  paper: PaperSize;
  rowsPerPage: number;
  columns: SignInColumn[];
  /** Top of the column header row, its height; top of the first candidate row, row height. */
  headerTop: number;
  headerHeight: number;
  firstRowTop: number;
  rowHeight: number;
  cellFontSize: number;
  fields: {
    organisation: TextField;
    title: TextField;
    /** Heading lines: left and right halves of three lines. */
    infoLeft: TextField[];
    infoRight: TextField[];
    signature: TextField;
    pageNumber: TextField;
  };
}

const LEFT = 15;
const WIDTH = 180;
const COLUMNS: [SignInColumn['key'], string, number][] = [
  ['index', '序号', 11],
  ['seat', '座号', 12],
  ['ticketNo', '准考证号', 36],
  ['name', '姓名', 24],
  ['idNumber', '证件号码', 41],
  ['signature', '考生签名', 34],
  ['remark', '备注', 22],
];

function tf(
  xMm: number,
  baselineMm: number,
  widthMm: number,
  size: number,
  align: TextField['align'],
): TextField {
  return {
    x: mm(xMm),
    baseline: mm(baselineMm),
    width: mm(widthMm),
    fontSize: size,
    minFontSize: size * 0.6,
    align,
  };
}

function buildTemplate(): SignInSheetTemplate {
  let x = LEFT;
  const columns = COLUMNS.map(([key, header, w]) => {
    const col = { key, header, x: mm(x), width: mm(w) };
    x += w;
    return col;
  });
  const half = WIDTH / 2;
  return {
    paper: PAPER.A4,
    rowsPerPage: 25,
    columns,
    headerTop: mm(48),
    headerHeight: mm(8),
    firstRowTop: mm(56),
    rowHeight: mm(8.5),
    cellFontSize: 10,
    fields: {
      organisation: tf(LEFT, 14, WIDTH, 10.5, 'center'),
      title: tf(LEFT, 24, WIDTH, 18, 'center'),
      infoLeft: [31.5, 37.5, 43.5].map((b) => tf(LEFT, b, half + 10, 10, 'left')),
      infoRight: [31.5, 37.5, 43.5].map((b) => tf(LEFT + half + 10, b, half - 10, 10, 'right')),
      signature: tf(LEFT, 277, WIDTH, 10.5, 'left'),
      pageNumber: tf(LEFT, 287, WIDTH, 9.5, 'center'),
    },
  };
}

export const SIGN_IN_SHEET_TEMPLATE: SignInSheetTemplate = buildTemplate();

/** Pages a room with `candidates` candidates takes (at least 1). */
export function signInPageCount(candidates: number): number {
  return Math.max(1, Math.ceil(candidates / SIGN_IN_SHEET_TEMPLATE.rowsPerPage));
}

function sortCandidates(list: SignInCandidate[]): SignInCandidate[] {
  return [...list].sort((a, b) => {
    if (a.seatNo !== b.seatNo) {
      if (a.seatNo === null) return 1;
      if (b.seatNo === null) return -1;
      return a.seatNo - b.seatNo;
    }
    return a.ticketNo.localeCompare(b.ticketNo);
  });
}

function drawPage(
  c: Composer,
  t: SignInSheetTemplate,
  room: SignInSheetData,
  rows: SignInCandidate[],
  firstIndex: number,
  page: number,
  pages: number,
  options: RenderOptions,
): void {
  const f = t.fields;
  c.addPage();
  c.text([room.organisationName, room.siteName].filter((s) => s.trim() !== '').join('　'), f.organisation);
  c.text(SIGN_IN_TITLE, f.title, { bold: true });
  const occupation = [room.occupation, room.levelText].filter((s): s is string => !!s?.trim()).join('　');
  const roomText = room.roomLocation?.trim()
    ? `${room.roomName}（${room.roomLocation.trim()}）`
    : room.roomName;
  const left = [
    `认定批次：${room.sittingName}`,
    occupation ? `职业（工种）/等级：${occupation}` : '',
    `考试时间：${formatSessionTime(room.startsAt, room.endsAt, options.timeZone)}`,
  ];
  const right = [`场次：${room.sessionName}`, `考场：${roomText}`, `应到：${room.candidates.length} 人`];
  left.forEach((s, i) => {
    const fl = f.infoLeft[i];
    if (s && fl) c.text(s, fl);
  });
  right.forEach((s, i) => {
    const fr = f.infoRight[i];
    if (fr) c.text(s, fr);
  });

  // Table: header row + rowsPerPage rows, all ruled (blank rows too, for late additions).
  const first = t.columns[0];
  const last = t.columns[t.columns.length - 1];
  if (!first || !last) return;
  const tableLeft = first.x;
  const tableRight = last.x + last.width;
  const bottom = t.firstRowTop + t.rowsPerPage * t.rowHeight;
  c.rect(
    { x: tableLeft, y: t.headerTop, width: tableRight - tableLeft, height: bottom - t.headerTop },
    { lineWidth: 0.8 },
  );
  for (const col of t.columns.slice(1)) c.line(col.x, t.headerTop, col.x, bottom);
  c.line(tableLeft, t.firstRowTop, tableRight, t.firstRowTop, { lineWidth: 0.8 });
  for (let r = 1; r < t.rowsPerPage; r++) {
    const y = t.firstRowTop + r * t.rowHeight;
    c.line(tableLeft, y, tableRight, y, { lineWidth: 0.3 });
  }
  const cell = (col: SignInColumn, top: number, h: number, text: string, bold = false) => {
    const pad = mm(1);
    c.text(
      text,
      {
        x: col.x + pad,
        baseline: centredBaseline(top, h, t.cellFontSize),
        width: col.width - 2 * pad,
        fontSize: t.cellFontSize,
        minFontSize: t.cellFontSize * 0.6,
        align: 'center',
      },
      { bold },
    );
  };
  for (const col of t.columns) cell(col, t.headerTop, t.headerHeight, col.header, true);
  if (rows.length === 0 && page === 1) {
    c.text('本考场无考生', {
      x: tableLeft,
      baseline: centredBaseline(t.firstRowTop, t.rowHeight, t.cellFontSize),
      width: tableRight - tableLeft,
      fontSize: t.cellFontSize,
      minFontSize: t.cellFontSize,
      align: 'center',
    });
  }
  rows.forEach((cand, i) => {
    const top = t.firstRowTop + i * t.rowHeight;
    const values: Record<SignInColumn['key'], string> = {
      index: String(firstIndex + i + 1),
      seat: cand.seatNo === null ? '' : String(cand.seatNo),
      ticketNo: cand.ticketNo,
      name: cand.name,
      idNumber: maskIdNumber(cand.idNumber),
      signature: '',
      remark: cand.remark ?? '',
    };
    for (const col of t.columns) cell(col, top, t.rowHeight, values[col.key]);
  });

  c.text('监考人员签字：________________　________________　　实到：______ 人　缺考：______ 人', f.signature);
  c.text(`第 ${page} 页 共 ${pages} 页`, f.pageNumber);
}

/** 签到表 for several rooms in one PDF (each room starts on a new page and is numbered on its own). */
export async function renderSignInSheets(
  rooms: SignInSheetData[],
  options: RenderOptions,
): Promise<RenderedPdf> {
  if (rooms.length === 0) throw new PrintingError('BAD_INPUT', '没有要打印的签到表');
  const t = SIGN_IN_SHEET_TEMPLATE;
  const firstRoom = rooms[0];
  const title =
    rooms.length === 1 && firstRoom
      ? `签到表-${firstRoom.sessionName}-${firstRoom.roomName}`
      : `签到表-${firstRoom?.sessionName ?? ''}-${rooms.length}个考场`;
  const c = new Composer(t.paper, options, title);
  for (const room of rooms) {
    const sorted = sortCandidates(room.candidates);
    const pages = signInPageCount(sorted.length);
    for (let p = 0; p < pages; p++) {
      const slice = sorted.slice(p * t.rowsPerPage, (p + 1) * t.rowsPerPage);
      drawPage(c, t, room, slice, p * t.rowsPerPage, p + 1, pages, options);
    }
  }
  return c.finish();
}

/** 签到表 for one room. */
export function renderSignInSheet(room: SignInSheetData, options: RenderOptions): Promise<RenderedPdf> {
  return renderSignInSheets([room], options);
}
