/**
 * 校准页 (devices.md §5.4 step 4): crosshairs 20 mm from the paper's edges at the four corners, and a
 * millimetre ruler. The operator prints it on the printer (at 100 %, no scaling), measures the distance
 * from the top-left crosshair's centre to the paper's left and top edges, and enters both; the new
 * offset is `current + (expected − measured)` (calibrationFromMeasurement). Reprint to confirm: the
 * page is composed with the current offset like every other document.
 */
import type { Box } from './layout';
import { Composer, mm } from './layout';
import type { CalibrationOffset, CalibrationPageData, RenderedPdf, RenderOptions } from './types';

const SP = '\u3000';

/** The crosshairs' distance from the paper's edges. */
export const CALIBRATION_MARK_MM = 20;

/**
 * The new offset after measuring a calibration page printed with `current`: where the top-left
 * crosshair's centre actually landed, in mm from the paper's left and top edges.
 */
export function calibrationFromMeasurement(
  current: CalibrationOffset,
  measured: { leftMm: number; topMm: number },
): CalibrationOffset {
  const round = (v: number) => Math.round(v * 100) / 100;
  return {
    dxMm: round(current.dxMm + CALIBRATION_MARK_MM - measured.leftMm),
    dyMm: round(current.dyMm + CALIBRATION_MARK_MM - measured.topMm),
  };
}

function crosshair(c: Composer, x: number, y: number): void {
  const arm = mm(8);
  c.line(x - arm, y, x + arm, y, { lineWidth: 0.25 });
  c.line(x, y - arm, x, y + arm, { lineWidth: 0.25 });
  c.doc.save().lineWidth(0.25).circle(x, y, mm(3)).stroke().restore();
}

export async function renderCalibrationPage(
  data: CalibrationPageData,
  options: RenderOptions,
): Promise<RenderedPdf> {
  const { widthMm, heightMm } = data.paper;
  const c = new Composer(data.paper, options, `校准页-${data.printerName}`);
  c.addPage();
  const m = CALIBRATION_MARK_MM;
  for (const [x, y] of [
    [m, m],
    [widthMm - m, m],
    [m, heightMm - m],
    [widthMm - m, heightMm - m],
  ] as const) {
    crosshair(c, mm(x), mm(y));
  }
  c.textAt(`十字中心：距左边 ${m} mm，距上边 ${m} mm`, mm(m + 10), mm(m - 1.5), 8);

  // Ruler along the top-left crosshair's row and column: a tick every mm, longer every 5 and 10.
  const tick = (len: number) => mm(len === 10 ? 4 : len === 5 ? 2.5 : 1.5);
  for (let v = 0; v <= widthMm - 2 * m; v++) {
    const x = mm(m + v);
    c.line(x, mm(m + 12), x, mm(m + 12) + tick(v % 10 === 0 ? 10 : v % 5 === 0 ? 5 : 1), { lineWidth: 0.2 });
    if (v % 10 === 0 && v > 10) c.textAt(String(v + m), x - mm(1.5), mm(m + 19), 6);
  }
  for (let v = 0; v <= heightMm - 2 * m; v++) {
    const y = mm(m + v);
    c.line(mm(m + 12), y, mm(m + 12) + tick(v % 10 === 0 ? 10 : v % 5 === 0 ? 5 : 1), y, { lineWidth: 0.2 });
  }

  const offset = options.calibration ?? { dxMm: 0, dyMm: 0 };
  const box: Box = { x: mm(m + 22), y: mm(m + 22), width: mm(widthMm - 2 * m - 30), height: mm(60) };
  c.paragraph(
    [
      `打印机校准页${SP}${data.printerName}`,
      `纸张 ${widthMm} × ${heightMm} mm${SP}当前偏移：水平 ${offset.dxMm} mm，垂直 ${offset.dyMm} mm`,
      '打印时请选择「实际大小 / 不缩放」。',
      `用直尺量出左上角十字中心到纸张左边缘、上边缘的距离，填入校准设置（应为 ${m} mm）；`,
      '系统按「应为 − 实测」调整偏移。调整后请重新打印本页确认，误差应在 0.5 mm 以内。',
    ].join('\n'),
    box,
    10,
    4,
  );
  return c.finish();
}
