/**
 * 座位标签: a sheet of desk labels (A4 portrait, columns × rows, default 2 × 5), one per seat, in the
 * order given. Each label: room (and an optional caption such as the session), the seat number large,
 * the candidate's name and admission ticket number. Dashed cutting lines around every label.
 * Font sizes follow the label's height, so denser grids stay readable.
 */
import { PrintingError } from './errors';
import type { Box, TextField } from './layout';
import { Composer, mm, PAPER } from './layout';
import type { RenderedPdf, SeatLabelData, SeatLabelOptions } from './types';

export interface SeatLabelGrid {
  columns: number;
  rows: number;
  /** Every label's box on a page, row by row (pt, before calibration). */
  cells: Box[];
}

export interface SeatLabelFields {
  room: TextField;
  caption: TextField;
  seat: TextField;
  name: TextField;
  ticketNo: TextField;
}

const DEFAULT_COLUMNS = 2;
const DEFAULT_ROWS = 5;
const DEFAULT_MARGIN_MM = 10;

/** The grid for the options (validated: 1–6 columns, 1–12 rows, margin 0–30 mm). */
export function seatLabelGrid(
  options: Pick<SeatLabelOptions, 'columns' | 'rows' | 'marginMm'> = {},
): SeatLabelGrid {
  const columns = options.columns ?? DEFAULT_COLUMNS;
  const rows = options.rows ?? DEFAULT_ROWS;
  const margin = options.marginMm ?? DEFAULT_MARGIN_MM;
  if (!Number.isInteger(columns) || columns < 1 || columns > 6) {
    throw new PrintingError('BAD_INPUT', `座位标签每行 ${columns} 个不合适（应为 1–6）`);
  }
  if (!Number.isInteger(rows) || rows < 1 || rows > 12) {
    throw new PrintingError('BAD_INPUT', `座位标签每页 ${rows} 行不合适（应为 1–12）`);
  }
  if (!(margin >= 0 && margin <= 30)) {
    throw new PrintingError('BAD_INPUT', `页边距 ${margin} mm 不合适（应为 0–30）`);
  }
  const w = (PAPER.A4.widthMm - 2 * margin) / columns;
  const h = (PAPER.A4.heightMm - 2 * margin) / rows;
  const cells: Box[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      cells.push({ x: mm(margin + c * w), y: mm(margin + r * h), width: mm(w), height: mm(h) });
    }
  }
  return { columns, rows, cells };
}

/** Where the texts of a label in `cell` go. */
export function seatLabelFields(cell: Box): SeatLabelFields {
  const H = cell.height;
  const pad = Math.min(mm(3), cell.width * 0.05);
  const x = cell.x + pad;
  const width = cell.width - 2 * pad;
  const f = (baseline: number, size: number): TextField => ({
    x,
    baseline: cell.y + baseline * H,
    width,
    fontSize: size,
    minFontSize: Math.max(5, size * 0.5),
    align: 'center',
  });
  return {
    room: f(0.15, Math.min(14, H * 0.09)),
    caption: f(0.26, Math.min(9, H * 0.06)),
    seat: f(0.64, H * 0.38),
    name: f(0.82, Math.min(20, H * 0.12)),
    ticketNo: f(0.94, Math.min(11, H * 0.07)),
  };
}

/** 座位标签 sheets: labels fill the grid row by row, as many pages as needed. */
export async function renderSeatLabels(
  labels: SeatLabelData[],
  options: SeatLabelOptions,
): Promise<RenderedPdf> {
  if (labels.length === 0) throw new PrintingError('BAD_INPUT', '没有要打印的座位标签');
  const grid = seatLabelGrid(options);
  const perPage = grid.cells.length;
  const rooms = [...new Set(labels.map((l) => l.roomName))];
  const title = `座位标签-${rooms.length === 1 ? rooms[0] : `${rooms.length}个考场`}-${labels.length}张`;
  const c = new Composer(PAPER.A4, options, title);
  labels.forEach((label, i) => {
    if (i % perPage === 0) c.addPage();
    const cell = grid.cells[i % perPage];
    if (!cell) return;
    if (options.cutLines ?? true) c.rect(cell, { lineWidth: 0.3, dash: 3 });
    const f = seatLabelFields(cell);
    c.text(label.roomName, f.room, { bold: true });
    if (label.caption?.trim()) c.text(label.caption, f.caption);
    c.text(String(label.seatNo), f.seat, { bold: true });
    c.text(label.name, f.name);
    c.text(`准考证号：${label.ticketNo}`, f.ticketNo);
  });
  return c.finish();
}
