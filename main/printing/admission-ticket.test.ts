/**
 * 准考证: exact page size, the name and ticket number at the template's positions (pdftotext -bbox,
 * ±0.5 pt), subset-embedded fonts, extractable Chinese, the masked ID number, the calibration offset
 * moving everything by exactly 2 mm, the QR code's modules, photos and placeholders, input errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  compareImages,
  fonts,
  pageSizes,
  renderPage,
  tempDir,
  text,
  words,
  writePdf,
  type Word,
} from '../../test/support/cups-pdf-inspect';
import { PHOTO_PNG, SAMPLE_TICKET, sampleBatch } from '../../test/fixtures/printing/sample-data';
import { ADMISSION_TICKET_TEMPLATES, renderAdmissionTickets, TICKET_TITLE } from './admission-ticket';
import { PrintingError } from './errors';
import { findCjkFont } from './fonts';
import { fieldTop, mm, paperPt, qrMatrix } from './layout';
import type { AdmissionTicketData, LoadedFont } from './types';

const SUITE = { timeout: 120_000 }; // generous: rendering and poppler on a slow CI machine

let font: LoadedFont;
const tmp = tempDir();

beforeAll(async () => {
  font = await findCjkFont();
});
afterAll(() => tmp.cleanup());

function word(list: Word[], value: string, page = 1): Word {
  const w = list.find((x) => x.text === value && x.page === page);
  if (!w) {
    throw new Error(`"${value}" not found on page ${page}; words: ${list.map((x) => x.text).join(' ')}`);
  }
  return w;
}

async function ticketFile(
  name: string,
  opts: Parameters<typeof renderAdmissionTickets>[1],
  tickets = [SAMPLE_TICKET],
) {
  const pdf = await renderAdmissionTickets(sampleBatch(tickets), opts);
  return { pdf, file: writePdf(tmp.dir, name, pdf.bytes) };
}

describe('admission ticket (准考证)', SUITE, () => {
  for (const paper of ['A4', 'A5'] as const) {
    it(`${paper}: exact page size, name and ticket number at the template positions (±0.5 pt)`, async () => {
      const { pdf, file } = await ticketFile(`ticket-${paper}.pdf`, { font, paper });
      const t = ADMISSION_TICKET_TEMPLATES[paper];
      const expected = paperPt(t.paper);
      expect(pdf.pageCount).toBe(1);
      const [size] = pageSizes(file);
      expect(size?.width).toBeCloseTo(expected.width, 2);
      expect(size?.height).toBeCloseTo(expected.height, 2);
      if (paper === 'A4') expect([size?.width, size?.height]).toEqual([595.276, 841.89]);
      else expect([size?.width, size?.height]).toEqual([595.276, 419.528]);

      const list = words(file);
      for (const [value, field] of [
        [SAMPLE_TICKET.name, t.fields.name],
        [SAMPLE_TICKET.ticketNo, t.fields.ticketNo],
      ] as const) {
        const w = word(list, value);
        const at = fieldTop(field, font);
        expect(Math.abs(w.xMin - at.x)).toBeLessThanOrEqual(0.5);
        expect(Math.abs(w.yMin - at.y)).toBeLessThanOrEqual(0.5);
        expect(w.xMax).toBeLessThanOrEqual(field.x + field.width + 0.5);
      }
    });
  }

  it('embeds every font as a subset with a Unicode map, and the Chinese text is extractable', async () => {
    const { file } = await ticketFile('ticket-text.pdf', { font });
    const rows = fonts(file);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r, r.name).toMatchObject({ embedded: true, subset: true, unicode: true });
      expect(r.name).toMatch(/^[A-Z]{6}\+/);
    }
    const s = text(file);
    for (const expected of [
      TICKET_TITLE,
      '某某市职业技能鉴定指导中心',
      '2026 年第 4 批职业技能等级认定',
      '准考证号',
      '张三丰',
      '男',
      '砌筑工',
      '四级/中级工',
      '理论知识考试',
      '2026年12月05日 09:00–10:30',
      '第01考场（教学楼 201）',
      '操作技能考核',
      '2026年12月05日 13:30–16:30',
      '考点地址：某某市建设路 88 号',
      '考生须知',
      '开考 15 分钟后不得入场',
    ]) {
      expect(s).toContain(expected);
    }
  });

  it('masks the ID number (1101**********002X) unless showFullIdNumber', async () => {
    const masked = text((await ticketFile('ticket-masked.pdf', { font })).file);
    expect(masked).toContain('1101**********002X');
    expect(masked).not.toContain(SAMPLE_TICKET.idNumber);
    const full = text((await ticketFile('ticket-full.pdf', { font, showFullIdNumber: true })).file);
    expect(full).toContain(SAMPLE_TICKET.idNumber);
  });

  it('a calibration offset of +2 mm moves every position by 5.67 pt and keeps the page size', async () => {
    const base = await ticketFile('ticket-cal0.pdf', { font });
    const moved = await ticketFile('ticket-cal2.pdf', { font, calibration: { dxMm: 2, dyMm: 2 } });
    expect(pageSizes(moved.file)).toEqual(pageSizes(base.file));
    const a = words(base.file);
    const b = words(moved.file);
    expect(b.length).toBe(a.length);
    expect(mm(2)).toBeCloseTo(5.67, 2);
    for (const value of [SAMPLE_TICKET.name, SAMPLE_TICKET.ticketNo, TICKET_TITLE, '考生须知']) {
      const wa = word(a, value);
      const wb = word(b, value);
      expect(wb.xMin - wa.xMin).toBeCloseTo(mm(2), 2);
      expect(wb.yMin - wa.yMin).toBeCloseTo(mm(2), 2);
    }
    const t = ADMISSION_TICKET_TEMPLATES.A4;
    const at = fieldTop(t.fields.name, font, { dxMm: 2, dyMm: 2 });
    const w = word(b, SAMPLE_TICKET.name);
    expect(Math.abs(w.xMin - at.x)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(w.yMin - at.y)).toBeLessThanOrEqual(0.5);

    // Negative offsets move the other way (up and left).
    const back = await ticketFile('ticket-calneg.pdf', { font, calibration: { dxMm: -1.5, dyMm: -0.5 } });
    const wn = word(words(back.file), SAMPLE_TICKET.name);
    expect(wn.xMin - word(a, SAMPLE_TICKET.name).xMin).toBeCloseTo(-mm(1.5), 2);
    expect(wn.yMin - word(a, SAMPLE_TICKET.name).yMin).toBeCloseTo(-mm(0.5), 2);
  });

  it('draws the QR code of the ticket number as vector modules at the template position', async () => {
    const { file } = await ticketFile('ticket-qr.pdf', { font });
    const dpi = 150;
    const png = renderPage(file, dpi);
    const qr = ADMISSION_TICKET_TEMPLATES.A4.qr;
    const matrix = qrMatrix(SAMPLE_TICKET.ticketNo);
    const n = matrix.length;
    const unit = qr.width / n;
    expect(unit * (dpi / 72)).toBeGreaterThan(4); // modules large enough to sample
    let wrong = 0;
    matrix.forEach((row, r) =>
      row.forEach((dark, c) => {
        const px = Math.round((qr.x + (c + 0.5) * unit) * (dpi / 72));
        const py = Math.round((qr.y + (r + 0.5) * unit) * (dpi / 72));
        const i = (py * png.width + px) * 4;
        const isDark = (png.data[i] ?? 255) < 128;
        if (isDark !== dark) wrong += 1;
      }),
    );
    expect(wrong).toBe(0);
    // The quiet zone (4 modules) around the symbol is white.
    const ring = 3.5 * unit;
    for (const [x, y] of [
      [qr.x - ring, qr.y + qr.height / 2],
      [qr.x + qr.width + ring, qr.y + qr.height / 2],
      [qr.x + qr.width / 2, qr.y - ring],
      [qr.x + qr.width / 2, qr.y + qr.height + ring],
    ] as const) {
      const i = (Math.round(y * (dpi / 72)) * png.width + Math.round(x * (dpi / 72))) * 4;
      expect(png.data[i]).toBeGreaterThan(200);
    }
  });

  it('prints a JPEG or PNG photo in the photo box, and a 照片 box without one', async () => {
    const t = ADMISSION_TICKET_TEMPLATES.A4;
    const jpeg = (await ticketFile('ticket-jpeg.pdf', { font })).file;
    const png = (await ticketFile('ticket-png.pdf', { font }, [{ ...SAMPLE_TICKET, photo: PHOTO_PNG }])).file;
    const none = (await ticketFile('ticket-nophoto.pdf', { font }, [{ ...SAMPLE_TICKET, photo: null }])).file;

    // The photo's centre pixel is the silhouette's face colour, not white, with either format.
    const dpi = 72;
    const centre = (f: string) => {
      const img = renderPage(f, dpi);
      const x = Math.round(t.photo.x + t.photo.width / 2);
      const y = Math.round(t.photo.y + t.photo.height * 0.4);
      const i = (y * img.width + x) * 4;
      return [img.data[i], img.data[i + 1], img.data[i + 2]];
    };
    for (const f of [jpeg, png]) {
      const [r, g, b] = centre(f);
      expect(r).toBeGreaterThan(180);
      expect(b).toBeLessThan(190); // skin tone: red high, blue lower
      expect((r ?? 0) - (b ?? 0)).toBeGreaterThan(40);
      expect(g).toBeDefined();
    }
    expect(compareImages(renderPage(jpeg, 50), renderPage(png, 50)).fraction).toBeLessThan(0.002);

    const w = words(none).find((x) => x.text === '照片');
    expect(w).toBeDefined();
    expect(w!.xMin).toBeGreaterThan(t.photo.x);
    expect(w!.xMax).toBeLessThan(t.photo.x + t.photo.width);
    expect(w!.yMin).toBeGreaterThan(t.photo.y);
    expect(w!.yMax).toBeLessThan(t.photo.y + t.photo.height);
  });

  it('a batch gives one page per candidate, in order', async () => {
    const tickets: AdmissionTicketData[] = ['李四', '王五', '赵六'].map((name, i) => ({
      ...SAMPLE_TICKET,
      name,
      ticketNo: `20261105010000${i + 1}`,
    }));
    const { pdf, file } = await ticketFile('ticket-batch.pdf', { font }, tickets);
    expect(pdf.pageCount).toBe(3);
    expect(pdf.title).toBe('准考证-2026 年第 4 批职业技能等级认定-3份');
    expect(pageSizes(file)).toHaveLength(3);
    const list = words(file);
    tickets.forEach((t, i) => {
      expect(word(list, t.name, i + 1)).toBeDefined();
      expect(word(list, t.ticketNo, i + 1)).toBeDefined();
    });
  });

  it('shrinks a long name to fit its field', async () => {
    const long = '阿卜杜热合曼·买买提艾力·阿不都克力木·吐尔逊';
    const { file } = await ticketFile('ticket-long.pdf', { font }, [{ ...SAMPLE_TICKET, name: long }]);
    const field = ADMISSION_TICKET_TEMPLATES.A4.fields.name;
    const w = words(file).filter((x) => x.yMin > field.baseline - 30 && x.yMax < field.baseline + 10);
    const right = Math.max(...w.map((x) => x.xMax));
    expect(right).toBeLessThanOrEqual(field.x + field.width + 0.5);
    expect(text(file)).toContain(long);
  });

  it('refuses input it cannot lay out, naming the candidate', async () => {
    const bad = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    await expect(
      renderAdmissionTickets(sampleBatch([{ ...SAMPLE_TICKET, photo: bad }]), { font }),
    ).rejects.toMatchObject({ code: 'PHOTO_INVALID', message: expect.stringContaining('张三丰') as unknown });
    const corrupt = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
    await expect(
      renderAdmissionTickets(sampleBatch([{ ...SAMPLE_TICKET, photo: corrupt }]), { font }),
    ).rejects.toBeInstanceOf(PrintingError);

    const four = [...SAMPLE_TICKET.sessions, ...SAMPLE_TICKET.sessions];
    await expect(
      renderAdmissionTickets(sampleBatch([{ ...SAMPLE_TICKET, sessions: four }]), { font, paper: 'A5' }),
    ).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('请改用 A4') as unknown });
    await expect(renderAdmissionTickets(sampleBatch([]), { font })).rejects.toMatchObject({
      code: 'BAD_INPUT',
    });
    await expect(
      renderAdmissionTickets(sampleBatch([{ ...SAMPLE_TICKET, ticketNo: ' ' }]), { font }),
    ).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });
});
