/**
 * Layout helpers and the calibration page: units, session times in the site's time zone, the QR
 * matrix, the calibration arithmetic (offset = current + expected − measured) and the crosshair landing
 * where the offset says.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageSizes, renderPage, tempDir, text, writePdf } from '../../test/support/cups-pdf-inspect';
import { PHOTO_JPEG, PHOTO_PNG } from '../../test/fixtures/printing/sample-data';
import { CALIBRATION_MARK_MM, calibrationFromMeasurement, renderCalibrationPage } from './calibration-page';
import { findCjkFont } from './fonts';
import { formatDate, formatSessionTime, isJpegOrPng, mm, PAPER, paperPt, qrMatrix } from './layout';
import type { LoadedFont } from './types';

const SUITE = { timeout: 120_000 }; // generous: rendering and poppler on a slow CI machine

let font: LoadedFont;
const tmp = tempDir();
beforeAll(async () => {
  font = await findCjkFont();
});
afterAll(() => tmp.cleanup());

describe('layout helpers', () => {
  it('converts millimetres to points; paper sizes are exact', () => {
    expect(mm(25.4)).toBe(72);
    expect(paperPt(PAPER.A4).width).toBeCloseTo(595.2756, 4);
    expect(paperPt(PAPER.A4).height).toBeCloseTo(841.8898, 4);
    expect(paperPt(PAPER.A5_LANDSCAPE)).toEqual({ width: paperPt(PAPER.A4).width, height: mm(148) });
  });

  it('formats session times in the site time zone, whatever the offset of the input', () => {
    expect(formatSessionTime('2026-12-05T09:00:00+08:00', '2026-12-05T10:30:00+08:00')).toBe(
      '2026年12月05日 09:00–10:30',
    );
    expect(formatSessionTime('2026-12-05T01:00:00Z', '2026-12-05T02:30:00Z')).toBe(
      '2026年12月05日 09:00–10:30',
    );
    expect(formatSessionTime('2026-12-05T22:00:00+08:00', '2026-12-06T01:00:00+08:00')).toBe(
      '2026年12月05日 22:00 – 2026年12月06日 01:00',
    );
    expect(formatSessionTime('2026-12-05T09:00:00+08:00', '2026-12-05T10:00:00+08:00', 'UTC')).toBe(
      '2026年12月05日 01:00–02:00',
    );
    expect(formatDate('2026-12-31T23:30:00Z')).toBe('2027年01月01日');
    expect(() => formatSessionTime('tomorrow', '2026-12-05T10:00:00+08:00')).toThrow('时间格式有误');
  });

  it('recognises JPEG and PNG signatures only', () => {
    expect(isJpegOrPng(PHOTO_JPEG)).toBe(true);
    expect(isJpegOrPng(PHOTO_PNG)).toBe(true);
    expect(isJpegOrPng(new TextEncoder().encode('GIF89a-----'))).toBe(false);
  });

  it('builds the QR module matrix (version 1, 21 × 21, finder patterns in three corners)', () => {
    const m = qrMatrix('202611050100012');
    expect(m).toHaveLength(21);
    for (const [r, c] of [
      [0, 0],
      [0, 14],
      [14, 0],
    ] as const) {
      // 7 × 7 finder: dark ring, light ring, dark 3 × 3 centre.
      expect(m[r]?.slice(c, c + 7)).toEqual([true, true, true, true, true, true, true]);
      expect(m[r + 1]?.slice(c, c + 7)).toEqual([true, false, false, false, false, false, true]);
      expect(m[r + 3]?.slice(c, c + 7)).toEqual([true, false, true, true, true, false, true]);
    }
  });
});

describe('calibration page (校准页)', SUITE, () => {
  it('new offset = current + expected − measured', () => {
    expect(calibrationFromMeasurement({ dxMm: 0, dyMm: 0 }, { leftMm: 21.2, topMm: 19.5 })).toEqual({
      dxMm: -1.2,
      dyMm: 0.5,
    });
    expect(calibrationFromMeasurement({ dxMm: -1.2, dyMm: 0.5 }, { leftMm: 20.1, topMm: 20 })).toEqual({
      dxMm: -1.3,
      dyMm: 0.5,
    });
  });

  it('is the paper size given, and its crosshair lands 20 mm + offset from the edges', async () => {
    const paper = { widthMm: 260, heightMm: 185 };
    const pdf = await renderCalibrationPage(
      { paper, printerName: '证书打印机' },
      { font, calibration: { dxMm: 3, dyMm: -2 } },
    );
    const file = writePdf(tmp.dir, 'calibration.pdf', pdf.bytes);
    const [size] = pageSizes(file);
    expect(size?.width).toBeCloseTo(mm(260), 2);
    expect(size?.height).toBeCloseTo(mm(185), 2);
    const s = text(file, 1, 'raw');
    expect(s).toContain('证书打印机');
    expect(s).toContain('当前偏移：水平 3 mm，垂直 -2 mm');

    // Rendered at 254 dpi (10 px per mm): the vertical arm of the top-left crosshair is at x = 23 mm,
    // the horizontal arm at y = 18 mm.
    const png = renderPage(file, 254);
    const dark = (x: number, y: number) => (png.data[(y * png.width + x) * 4] ?? 255) < 160;
    const column = (xMm: number) =>
      [-1, 0, 1].some((d) => dark(Math.round(xMm * 10) + d, (CALIBRATION_MARK_MM - 2 - 6) * 10));
    const row = (yMm: number) =>
      [-1, 0, 1].some((d) => dark((CALIBRATION_MARK_MM + 3 - 6) * 10, Math.round(yMm * 10) + d));
    expect(column(CALIBRATION_MARK_MM + 3)).toBe(true);
    expect(column(CALIBRATION_MARK_MM)).toBe(false);
    expect(row(CALIBRATION_MARK_MM - 2)).toBe(true);
    expect(row(CALIBRATION_MARK_MM)).toBe(false);
  });
});
