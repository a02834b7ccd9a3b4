/**
 * Printing through a real CUPS: a private cupsd with a cups-pdf queue (test/support/cups.ts).
 * - The composed 准考证 (A5 landscape and A4) and a 3-page 签到表 come out of cups-pdf at the same page
 *   size (pdfinfo) and look the same (pdftoppm at 50 dpi + pixelmatch; Ghostscript re-distils the PDF,
 *   so text is not compared — toolchain.md pitfall 9). A diff image goes to test-results/printing/.
 * - CUPS_SERVER is honoured (from the environment and from the option).
 * - Unknown printer, stopped queue (cupsdisable), rejecting queue (cupsreject), unreachable scheduler →
 *   the clear Chinese errors, and no job is left in the queue.
 * Without cups/cups-pdf this FAILS saying what to install, unless EXAM_SITE_SKIP_CUPS=1 (reported as
 * skipped by name).
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cupsSkipReason, startPrivateCups, type PdfQueue, type PrivateCups } from '../../test/support/cups';
import {
  compareImages,
  pageSizes,
  renderPage,
  saveDiff,
  tempDir,
  writePdf,
} from '../../test/support/cups-pdf-inspect';
import { SAMPLE_TICKET, sampleBatch, sampleSignInSheet } from '../../test/fixtures/printing/sample-data';
import { renderAdmissionTickets } from './admission-ticket';
import { PrintingError } from './errors';
import { findCjkFont } from './fonts';
import { listPrinters, printPdf } from './printers';
import { renderSignInSheet } from './sign-in-sheet';
import type { LoadedFont, RenderedPdf } from './types';

const skip = cupsSkipReason();
/** Share of pixels allowed to differ at 50 dpi (Ghostscript's re-distilled glyphs anti-alias a little differently). */
const MAX_DIFF_FRACTION = 0.01;

describe.skipIf(skip !== null)(
  `printing through CUPS (private cupsd + cups-pdf)${skip ? ` — ${skip}` : ''}`,
  { timeout: 180_000 }, // generous: a CUPS job is ≈1 s here, but CI machines vary
  () => {
    let cups: PrivateCups | undefined;
    let queue: PdfQueue;
    let font: LoadedFont;
    // Created in beforeAll: a skipped suite must not leave a temp folder behind.
    let tmp: ReturnType<typeof tempDir> | undefined;
    const dir = () => tmp!.dir;

    beforeAll(async () => {
      tmp = tempDir();
      cups = await startPrivateCups();
      queue = cups.addPdfQueue();
      font = await findCjkFont();
    }, 60_000);

    afterAll(async () => {
      await cups?.stop();
      tmp?.cleanup();
    }, 30_000);

    /** Print, wait for cups-pdf's file, and compare page sizes and 50-dpi renderings with the composed PDF. */
    async function printAndCompare(name: string, pdf: RenderedPdf, opts: { cupsServer?: string } = {}) {
      const composed = writePdf(dir(), `${name}.pdf`, pdf.bytes);
      const result = await printPdf({ kind: 'cups', name: queue.name }, { pdf }, opts);
      expect(result.printer).toEqual({ kind: 'cups', name: queue.name });
      expect(result.jobId).toMatch(new RegExp(`^${queue.name}-\\d+$`));
      const printed = await queue.waitForOutput(result.jobId!, 150_000);

      const want = pageSizes(composed);
      const got = pageSizes(printed);
      expect(got).toHaveLength(pdf.pageCount);
      got.forEach((s, i) => {
        expect(Math.abs(s.width - (want[i]?.width ?? 0))).toBeLessThan(0.05);
        expect(Math.abs(s.height - (want[i]?.height ?? 0))).toBeLessThan(0.05);
      });
      for (let page = 1; page <= pdf.pageCount; page++) {
        const expected = renderPage(composed, 50, page);
        const actual = renderPage(printed, 50, page);
        const diff = compareImages(expected, actual, 0.1);
        if (diff.fraction >= MAX_DIFF_FRACTION) {
          const file = saveDiff(`${name}-p${page}`, diff, { expected, actual });
          expect.fail(
            `${name} page ${page}: ${diff.differing} of ${diff.width * diff.height} pixels differ ` +
              `(${(diff.fraction * 100).toFixed(2)} %); diff image: ${file}`,
          );
        }
      }
      return { printed, result };
    }

    it('lists the queue as ready through CUPS_SERVER (set by the private cupsd)', async () => {
      expect(process.env.CUPS_SERVER).toBe(cups!.server);
      const listing = await listPrinters({ platform: 'linux' });
      expect(listing.warnings).toEqual([]);
      expect(listing.printers.find((p) => p.target.name === queue.name)).toMatchObject({
        target: { kind: 'cups', name: queue.name },
        status: 'ready',
        statusMessage: null,
      });
    });

    it('an A5 landscape admission ticket comes out at the same size and looks the same', async () => {
      const pdf = await renderAdmissionTickets(sampleBatch(), { font, paper: 'A5' });
      const { printed } = await printAndCompare('cups-ticket-a5', pdf);
      expect(path.dirname(printed)).toBe(queue.outDir);
      expect(pageSizes(printed)[0]).toMatchObject({ width: 595.28, height: 419.53 });
    });

    it('an A4 ticket with a calibration offset, CUPS_SERVER given as an option', async () => {
      const pdf = await renderAdmissionTickets(sampleBatch([{ ...SAMPLE_TICKET, photo: null }]), {
        font,
        calibration: { dxMm: 1.5, dyMm: -1 },
      });
      await printAndCompare('cups-ticket-a4', pdf, { cupsServer: cups!.server });
    });

    it('a 3-page sign-in sheet: every page A4, all pages the same as composed', async () => {
      const pdf = await renderSignInSheet(sampleSignInSheet(70), { font });
      expect(pdf.pageCount).toBe(3);
      await printAndCompare('cups-sign-in', pdf);
    });

    it('an unknown printer → PRINTER_NOT_FOUND naming it and quoting CUPS', async () => {
      const pdf = await renderAdmissionTickets(sampleBatch(), { font });
      const err = await printPdf({ kind: 'cups', name: 'NO_SUCH_QUEUE' }, { pdf }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PrintingError);
      expect(err).toMatchObject({ code: 'PRINTER_NOT_FOUND', printer: 'NO_SUCH_QUEUE' });
      expect((err as Error).message).toMatch(/^找不到打印机「NO_SUCH_QUEUE」。CUPS：lpstat: .+/);
    });

    it('a stopped queue (cupsdisable) → PRINTER_DISABLED with the reason, and no job is queued', async () => {
      const pdf = await renderAdmissionTickets(sampleBatch(), { font });
      cups!.admin('cupsdisable', ['-r', '卡纸，请检查', queue.name]);
      try {
        const err = await printPdf({ kind: 'cups', name: queue.name }, { pdf }).catch((e: unknown) => e);
        expect(err).toMatchObject({ code: 'PRINTER_DISABLED', printer: queue.name, detail: '卡纸，请检查' });
        expect((err as Error).message).toBe(
          `打印机「${queue.name}」已停用（暂停或脱机），未发送打印任务。CUPS：卡纸，请检查`,
        );
        expect(cups!.admin('lpstat', ['-o', queue.name]).trim()).toBe('');
        const listed = (await listPrinters()).printers.find((p) => p.target.name === queue.name);
        expect(listed).toMatchObject({ status: 'disabled', statusMessage: '卡纸，请检查' });
      } finally {
        cups!.admin('cupsenable', [queue.name]);
      }
    });

    it('a queue that rejects jobs (cupsreject) → PRINTER_REJECTING with the reason, and no job is queued', async () => {
      const pdf = await renderAdmissionTickets(sampleBatch(), { font });
      cups!.admin('cupsreject', ['-r', 'closed for maintenance', queue.name]);
      try {
        const err = await printPdf({ kind: 'cups', name: queue.name }, { pdf }).catch((e: unknown) => e);
        expect(err).toMatchObject({ code: 'PRINTER_REJECTING', printer: queue.name });
        expect((err as Error).message).toBe(
          `打印机「${queue.name}」目前不接受打印任务，未发送打印任务。CUPS：closed for maintenance`,
        );
        expect(cups!.admin('lpstat', ['-o', queue.name]).trim()).toBe('');
        const listed = (await listPrinters()).printers.find((p) => p.target.name === queue.name);
        expect(listed).toMatchObject({ status: 'rejecting', statusMessage: 'closed for maintenance' });
      } finally {
        cups!.admin('cupsaccept', [queue.name]);
      }
    });

    it('an unreachable scheduler → PRINTING_UNAVAILABLE; listing it is a warning, not a failure', async () => {
      const pdf = await renderAdmissionTickets(sampleBatch(), { font });
      const server = path.join(dir(), 'no-such.sock');
      const err = await printPdf({ kind: 'cups', name: queue.name }, { pdf }, { cupsServer: server }).catch(
        (e: unknown) => e,
      );
      expect(err).toMatchObject({ code: 'PRINTING_UNAVAILABLE' });
      expect((err as Error).message).toContain(`无法连接打印服务 CUPS（CUPS_SERVER=${server}）`);
      const listing = await listPrinters({ cupsServer: server, folders: [dir()] });
      expect(listing.printers.map((p) => p.target.kind)).toEqual(['folder']);
      expect(listing.warnings[0]).toContain('无法连接打印服务 CUPS');
    });
  },
);
