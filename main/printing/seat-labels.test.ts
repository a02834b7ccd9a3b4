/**
 * 座位标签: labels fill an A4 grid row by row over as many pages as needed, each label's texts inside
 * its own cell; grid options are validated.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageSizes, tempDir, words, writePdf } from '../../test/support/cups-pdf-inspect';
import { sampleSeatLabels } from '../../test/fixtures/printing/sample-data';
import { findCjkFont } from './fonts';
import { renderSeatLabels, seatLabelGrid } from './seat-labels';
import type { LoadedFont } from './types';

const SUITE = { timeout: 120_000 }; // generous: rendering and poppler on a slow CI machine

let font: LoadedFont;
const tmp = tempDir();

beforeAll(async () => {
  font = await findCjkFont();
});
afterAll(() => tmp.cleanup());

describe('seat labels (座位标签)', SUITE, () => {
  it('2 × 5 per A4 page: 13 labels → 2 pages, every label inside its cell', async () => {
    const labels = sampleSeatLabels(13);
    const pdf = await renderSeatLabels(labels, { font });
    const file = writePdf(tmp.dir, 'labels.pdf', pdf.bytes);
    expect(pdf.pageCount).toBe(2);
    expect(pdf.title).toBe('座位标签-第01考场-13张');
    for (const s of pageSizes(file)) expect([s.width, s.height]).toEqual([595.276, 841.89]);
    const grid = seatLabelGrid();
    expect(grid.cells).toHaveLength(10);
    const list = words(file);
    labels.forEach((label, i) => {
      const page = Math.floor(i / 10) + 1;
      const cell = grid.cells[i % 10]!;
      const inside = list.filter(
        (w) =>
          w.page === page &&
          w.xMin >= cell.x &&
          w.xMax <= cell.x + cell.width &&
          w.yMin >= cell.y &&
          w.yMax <= cell.y + cell.height,
      );
      const texts = inside.map((w) => w.text);
      expect(texts).toContain(String(label.seatNo));
      expect(texts).toContain(label.name);
      expect(texts).toContain('第01考场');
      expect(texts.join(' ')).toContain(label.ticketNo);
    });
  });

  it('denser grids shrink the text to the cell; bad grids are refused', async () => {
    const labels = sampleSeatLabels(24);
    const pdf = await renderSeatLabels(labels, { font, columns: 3, rows: 8, marginMm: 5 });
    const file = writePdf(tmp.dir, 'labels-dense.pdf', pdf.bytes);
    expect(pdf.pageCount).toBe(1);
    const grid = seatLabelGrid({ columns: 3, rows: 8, marginMm: 5 });
    const list = words(file);
    for (const w of list) {
      const inCell = grid.cells.some(
        (c) =>
          w.xMin >= c.x - 0.5 &&
          w.xMax <= c.x + c.width + 0.5 &&
          w.yMin >= c.y - 0.5 &&
          w.yMax <= c.y + c.height + 0.5,
      );
      expect(inCell, `${w.text} at ${w.xMin},${w.yMin}`).toBe(true);
    }
    expect(() => seatLabelGrid({ columns: 0 })).toThrow(/1–6/);
    expect(() => seatLabelGrid({ rows: 13 })).toThrow(/1–12/);
    await expect(renderSeatLabels([], { font })).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });
});
