/**
 * Composing exact-size PDFs with pdfkit (devices.md §5.4, §5.7, §5.8).
 *
 * - Every page is exactly the paper size (PDF MediaBox in points = mm × 72 / 25.4); margins are the
 *   template's business, pdfkit's own margins are 0 and it never breaks pages by itself.
 * - Coordinates are PDF points from the page's top-left corner. Template text fields are anchored on
 *   their **baseline**, so a field prints at the same place whatever font is found (and shrunk text
 *   stays on the line). The top-left of the text's line box — what pdfkit takes and what
 *   `pdftotext -bbox` reports as (xMin, yMin) — is `baseline − font.ascent × size` (fieldTop()).
 * - The printer's calibration offset is applied to every element at once: each page starts with a
 *   translation by (dx, dy), so nothing can be forgotten.
 * - One CJK font (fonts.ts), embedded as a subset. Titles are emboldened by stroking the glyph outline
 *   (text stays extractable).
 * - QR codes are drawn as vector rectangles from qrcode's module matrix (crisp at any resolution).
 */
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { PrintingError } from './errors';
import type { CalibrationOffset, LoadedFont, PaperSize, RenderedPdf, RenderOptions } from './types';
import { DEFAULT_TIME_ZONE, siteTimeParts } from '../../shared/domain/site-time';

export const PT_PER_MM = 72 / 25.4;

/** Millimetres → points. */
export function mm(v: number): number {
  return v * PT_PER_MM;
}

export const PAPER = {
  A4: { widthMm: 210, heightMm: 297 },
  A4_LANDSCAPE: { widthMm: 297, heightMm: 210 },
  A5: { widthMm: 148, heightMm: 210 },
  A5_LANDSCAPE: { widthMm: 210, heightMm: 148 },
} as const satisfies Record<string, PaperSize>;

/** Page size in points, as pdfinfo prints it (rounded to 2 decimals there). */
export function paperPt(paper: PaperSize): { width: number; height: number } {
  return { width: mm(paper.widthMm), height: mm(paper.heightMm) };
}

export const NO_CALIBRATION: CalibrationOffset = { dxMm: 0, dyMm: 0 };

/** A single line of text in a template. */
export interface TextField {
  /** Left edge of the box, pt. */
  x: number;
  /** Baseline, pt from the top of the page. */
  baseline: number;
  /** Box width, pt: longer text is shrunk down to minFontSize, then cut with …. */
  width: number;
  fontSize: number;
  minFontSize: number;
  align: 'left' | 'center' | 'right';
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface TextResult {
  /** The size used (smaller than the field's when the text was shrunk). */
  fontSize: number;
  /** The text drawn (with … when it had to be cut). */
  text: string;
  /** Where it was drawn (uncalibrated page coordinates). */
  x: number;
  y: number;
  width: number;
}

/** A baseline that centres CJK ink (≈ 0.88 em above to 0.12 em below the baseline) on a band's middle. */
export function centredBaseline(top: number, height: number, fontSize: number): number {
  return top + height / 2 + 0.38 * fontSize;
}

/**
 * Where a left-aligned, unshrunk field's text lands on the page: the top-left of its line box as
 * `pdftotext -bbox` reports it (xMin, yMin), with the calibration applied.
 */
export function fieldTop(
  field: TextField,
  font: Pick<LoadedFont, 'ascent'>,
  calibration?: CalibrationOffset,
): { x: number; y: number } {
  const c = calibration ?? NO_CALIBRATION;
  return { x: field.x + mm(c.dxMm), y: field.baseline - font.ascent * field.fontSize + mm(c.dyMm) };
}

/** `YYYY年MM月DD日 HH:mm–HH:mm` in the given zone; the end's date is repeated only when it differs. */
export function formatSessionTime(startsAt: string, endsAt: string, timeZone = DEFAULT_TIME_ZONE): string {
  const parts = (iso: string) => {
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) throw new PrintingError('BAD_INPUT', `时间格式有误：${iso}`);
    const p = siteTimeParts(d, timeZone);
    return { date: `${p.year}年${p.month}月${p.day}日`, time: `${p.hour}:${p.minute}` };
  };
  const a = parts(startsAt);
  const b = parts(endsAt);
  return a.date === b.date ? `${a.date} ${a.time}–${b.time}` : `${a.date} ${a.time} – ${b.date} ${b.time}`;
}

/** The date part only: `YYYY年MM月DD日`. */
export function formatDate(iso: string, timeZone = DEFAULT_TIME_ZONE): string {
  return formatSessionTime(iso, iso, timeZone).split(' ')[0] ?? '';
}

/** True for the JPEG or PNG signature (the formats pdfkit can embed). */
export function isJpegOrPng(bytes: Uint8Array): boolean {
  const jpeg = bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  const png =
    bytes.length > 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((b, i) => bytes[i] === b);
  return jpeg || png;
}

/** The dark modules of a QR code, row by row (errorCorrectionLevel M, no quiet zone). */
export function qrMatrix(text: string): boolean[][] {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const rows: boolean[][] = [];
  for (let r = 0; r < modules.size; r++) {
    const row: boolean[] = [];
    for (let c = 0; c < modules.size; c++) row.push(modules.get(r, c) === 1);
    rows.push(row);
  }
  return rows;
}

const FONT = 'cjk';

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A pdfkit document at an exact paper size with the calibration applied to every page. */
export class Composer {
  readonly doc: PDFKit.PDFDocument;
  readonly paper: PaperSize;
  readonly font: LoadedFont;
  readonly width: number;
  readonly height: number;
  private readonly offset: { dx: number; dy: number };
  private readonly title: string;
  private pages = 0;
  private readonly chunks: Buffer[] = [];
  private readonly done: Promise<void>;

  constructor(paper: PaperSize, options: RenderOptions, title: string) {
    this.paper = paper;
    this.font = options.font;
    this.title = title;
    const { width, height } = paperPt(paper);
    this.width = width;
    this.height = height;
    const c = options.calibration ?? NO_CALIBRATION;
    this.offset = { dx: mm(c.dxMm), dy: mm(c.dyMm) };
    this.doc = new PDFDocument({
      size: [width, height],
      margin: 0,
      autoFirstPage: false,
      pdfVersion: '1.7',
      lang: 'zh-CN',
      displayTitle: true,
      info: {
        Title: title,
        Author: '职业技能等级认定考点系统',
        Creator: '职业技能等级认定考点系统',
        CreationDate: options.creationDate ?? new Date(),
      },
    });
    this.done = new Promise((resolve, reject) => {
      this.doc.on('data', (chunk: Buffer) => this.chunks.push(chunk));
      this.doc.on('end', () => resolve());
      this.doc.on('error', (err: Error) => reject(err));
    });
    const f = options.font;
    const data = toBuffer(f.data);
    if (f.postscriptName) this.doc.registerFont(FONT, data, f.postscriptName);
    else this.doc.registerFont(FONT, data);
  }

  get pageCount(): number {
    return this.pages;
  }

  /** Start a page (the first one too) and apply the calibration offset to everything on it. */
  addPage(): void {
    this.doc.addPage({ size: [this.width, this.height], margin: 0 });
    this.pages += 1;
    if (this.offset.dx !== 0 || this.offset.dy !== 0) this.doc.translate(this.offset.dx, this.offset.dy);
    this.doc.font(FONT).fillColor('black').strokeColor('black').lineWidth(0.5).undash();
  }

  /** Width of `text` at `size`, pt. */
  measure(text: string, size: number): number {
    return this.doc.font(FONT).fontSize(size).widthOfString(text);
  }

  /** Line-box height at `size` (ascent − descent), pt. */
  lineHeight(size: number): number {
    return (this.font.ascent - this.font.descent) * size;
  }

  /** One line of text in a field: shrunk to fit, then cut with …; always on the field's baseline. */
  text(value: string, field: TextField, opts: { bold?: boolean; color?: string } = {}): TextResult {
    const text = value.replace(/\s+/g, ' ').trim();
    let size = field.fontSize;
    while (size > field.minFontSize && this.measure(text, size) > field.width) size -= 0.5;
    size = Math.max(size, field.minFontSize);
    let shown = text;
    if (this.measure(shown, size) > field.width) {
      while (shown.length > 0 && this.measure(`${shown}…`, size) > field.width) shown = shown.slice(0, -1);
      shown = `${shown}…`;
    }
    const w = this.measure(shown, size);
    const x =
      field.align === 'left'
        ? field.x
        : field.align === 'center'
          ? field.x + (field.width - w) / 2
          : field.x + field.width - w;
    const y = field.baseline - this.font.ascent * size;
    if (shown !== '') this.drawText(shown, x, y, size, opts);
    return { fontSize: size, text: shown, x, y, width: w };
  }

  /** Single-line text on a baseline, starting at x (no fitting). */
  textAt(text: string, x: number, baseline: number, size: number, opts: { bold?: boolean } = {}): void {
    this.drawText(text, x, baseline - this.font.ascent * size, size, opts);
  }

  /** Raw single-line text at (x, y) = top-left of its line box. */
  drawText(
    text: string,
    x: number,
    y: number,
    size: number,
    opts: { bold?: boolean; color?: string } = {},
  ): void {
    const d = this.doc
      .font(FONT)
      .fontSize(size)
      .fillColor(opts.color ?? 'black');
    if (opts.bold) {
      d.save()
        .lineWidth(size * 0.03)
        .strokeColor(opts.color ?? 'black');
      d.text(text, x, y, { lineBreak: false, fill: true, stroke: true });
      d.restore();
    } else {
      d.text(text, x, y, { lineBreak: false });
    }
  }

  /**
   * Wrapped text inside a box, shrunk (down to 75 %) until it fits; whatever still does not fit is cut
   * with …. No page breaks. Returns the size used.
   */
  paragraph(text: string, box: Box, size: number, lineGap = 0): number {
    const d = this.doc.font(FONT);
    let s = size;
    const fits = (v: number) =>
      d.fontSize(v).heightOfString(text, { width: box.width, lineGap: (lineGap * v) / size }) <= box.height;
    while (s > size * 0.75 && !fits(s)) s -= 0.25;
    d.fontSize(s)
      .fillColor('black')
      .text(text, box.x, box.y, {
        width: box.width,
        height: box.height,
        lineGap: (lineGap * s) / size,
        ellipsis: true,
      });
    return s;
  }

  rect(box: Box, opts: { lineWidth?: number; dash?: number } = {}): void {
    const d = this.doc.save().lineWidth(opts.lineWidth ?? 0.5);
    if (opts.dash) d.dash(opts.dash, { space: opts.dash });
    d.rect(box.x, box.y, box.width, box.height).stroke();
    d.restore();
  }

  line(
    x1: number,
    y1: number,
    x2: number,
    y2: number,
    opts: { lineWidth?: number; dash?: number } = {},
  ): void {
    const d = this.doc.save().lineWidth(opts.lineWidth ?? 0.5);
    if (opts.dash) d.dash(opts.dash, { space: opts.dash });
    d.moveTo(x1, y1).lineTo(x2, y2).stroke();
    d.restore();
  }

  /** A JPEG/PNG fitted (aspect kept) and centred in the box. Throws PHOTO_INVALID naming `whose`. */
  image(bytes: Uint8Array, box: Box, whose: string): void {
    if (!isJpegOrPng(bytes)) {
      throw new PrintingError('PHOTO_INVALID', `${whose}的照片不是 JPEG 或 PNG 图片，无法打印`);
    }
    try {
      this.doc.image(toBuffer(bytes), box.x, box.y, {
        fit: [box.width, box.height],
        align: 'center',
        valign: 'center',
      });
    } catch (err) {
      throw new PrintingError(
        'PHOTO_INVALID',
        `${whose}的照片无法读取（${err instanceof Error ? err.message : String(err)}）`,
        { cause: err },
      );
    }
  }

  /** A QR code filling the square box (the caller keeps ≥ 4 modules of white around it). */
  qr(text: string, box: Box): void {
    const m = qrMatrix(text);
    const n = m.length;
    const side = Math.min(box.width, box.height);
    const unit = side / n;
    const d = this.doc.save().fillColor('black');
    m.forEach((row, r) => {
      let c = 0;
      while (c < n) {
        if (!row[c]) {
          c += 1;
          continue;
        }
        const start = c;
        while (c < n && row[c]) c += 1;
        // A hair of overlap between rows so renderers show no seams.
        d.rect(box.x + start * unit, box.y + r * unit, (c - start) * unit, unit + 0.01);
      }
    });
    d.fill();
    d.restore();
  }

  /** Finish the document and collect its bytes. */
  async finish(): Promise<RenderedPdf> {
    this.doc.end();
    await this.done;
    return { bytes: Buffer.concat(this.chunks), paper: this.paper, pageCount: this.pages, title: this.title };
  }
}
