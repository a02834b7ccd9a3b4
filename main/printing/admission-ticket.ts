/**
 * 准考证 (domain.md §7.1 step 6, §7.2, §7.4): one page per candidate.
 *
 * Paper: **A4 portrait by default**, A5 landscape as an option. A4 because every site printer holds
 * A4, while A5 needs the tray changed (a wrong paper size is exactly when drivers start scaling,
 * devices.md §8 pitfall 8), and A4 leaves the 考生须知 legible. Sites with A5 stock choose 'A5'.
 *
 * Identity number: **masked** (first 4 and last 4 kept, 1101**********002X, as everywhere else in the
 * app, domain.md §10.5). The ticket travels with the candidate and lies open on the desk; the proctor
 * checks the person against the ID card itself, and name + ticket number + the visible digits tie the
 * ticket to the card. `showFullIdNumber` prints the whole number where a province's rule requires it.
 *
 * QR code: the admission ticket number, error correction M, vector modules; scanned at check-in.
 * Photo: JPEG/PNG bytes fitted into the photo box; without one, an empty box saying 照片 (paste one).
 */
import { maskIdNumber } from '../../shared/domain/id-types';
import { PrintingError } from './errors';
import type { Box, TextField } from './layout';
import { centredBaseline, Composer, formatSessionTime, mm, PAPER } from './layout';
import type {
  AdmissionTicketBatch,
  AdmissionTicketData,
  AdmissionTicketOptions,
  AdmissionTicketPaper,
  PaperSize,
  RenderedPdf,
} from './types';

export const TICKET_TITLE = '职业技能等级认定准考证';

/** The rules the default 考生须知 quote (domain.md §7.2 defaults; per-session values in the app). */
export interface TicketRules {
  /** Enter the room this many minutes before the start (default 15). */
  entryMinutesBefore: number;
  /** No entry this many minutes after the start (default 15). */
  lateEntryCutoffMinutes: number;
  /** No hand-in before this many minutes after the start (default 30). */
  earliestSubmitMinutes: number;
}

export const DEFAULT_TICKET_RULES: TicketRules = {
  entryMinutesBefore: 15,
  lateEntryCutoffMinutes: 15,
  earliestSubmitMinutes: 30,
};

/** The default 考生须知 (domain.md §7.2, §7.3). */
export function defaultTicketNotes(rules: TicketRules = DEFAULT_TICKET_RULES): string[] {
  return [
    `考生须携带本准考证和有效身份证件，于开考前 ${rules.entryMinutesBefore} 分钟凭证进入考场，按座号入座，并将两证放在桌面左上角以备核验。`,
    `开考 ${rules.lateEntryCutoffMinutes} 分钟后不得入场；开考 ${rules.earliestSubmitMinutes} 分钟后方可交卷离场。`,
    '除规定的文具外，严禁携带手机、智能手表等通讯工具、电子存储设备及书籍资料进入考场。',
    '人证不符者取消考核资格；替考、作弊等违纪行为按有关规定严肃处理。',
    '考生应自觉遵守考场纪律，服从考务人员的安排和管理。',
    '本准考证须妥善保管，不得涂改、转借。',
  ];
}

/** One row of the sessions table. */
export interface SessionRowFields {
  subject: TextField;
  time: TextField;
  room: TextField;
  seat: TextField;
}

/** Everything on the ticket, in points from the page's top-left corner (before calibration). */
export interface AdmissionTicketTemplate {
  paper: PaperSize;
  /** Rows in the sessions table. */
  maxSessions: number;
  fields: {
    organisation: TextField;
    title: TextField;
    sitting: TextField;
    ticketNo: TextField;
    name: TextField;
    gender: TextField;
    idNumber: TextField;
    occupation: TextField;
    level: TextField;
    address: TextField;
  };
  /** The info table (labels | values | photo column). */
  infoTable: Box & { rowHeight: number; labelWidth: number; photoColumnWidth: number; labelSize: number };
  photo: Box;
  /** The QR code's modules (a quiet zone of ≥ 4 modules around it is kept free). */
  qr: Box;
  sessionsTable: Box & {
    headerHeight: number;
    rowHeight: number;
    columnWidths: number[];
    headerSize: number;
  };
  sessionRows: SessionRowFields[];
  /** 考生须知: heading baseline, then the notes' box. */
  notesHeading: TextField;
  notes: Box & { fontSize: number; lineGap: number };
}

interface Spec {
  paper: PaperSize;
  left: number;
  right: number;
  org: [baseline: number, size: number];
  title: [baseline: number, size: number];
  sitting: [baseline: number, size: number];
  qr: [x: number, y: number, side: number];
  info: {
    top: number;
    rowH: number;
    labelW: number;
    photoColW: number;
    labelSize: number;
    valueSize: number;
  };
  photo: [w: number, h: number];
  sessions: { top: number; headerH: number; rowH: number; max: number; widths: number[]; size: number };
  address: [baseline: number, size: number];
  notes: {
    headingBaseline: number;
    headingSize: number;
    top: number;
    bottom: number;
    size: number;
    gap: number;
  };
}

/** Specs in millimetres; built into point templates below. */
const SPECS: Record<AdmissionTicketPaper, Spec> = {
  A4: {
    paper: PAPER.A4,
    left: 20,
    right: 190,
    org: [20, 12],
    title: [31, 22],
    sitting: [38.5, 11],
    qr: [165, 11, 24],
    info: { top: 46, rowH: 11, labelW: 28, photoColW: 42, labelSize: 11, valueSize: 13 },
    photo: [32, 42],
    sessions: { top: 119, headerH: 9, rowH: 10, max: 4, widths: [44, 60, 48, 18], size: 11 },
    address: [175, 10.5],
    notes: { headingBaseline: 188, headingSize: 13, top: 192, bottom: 282, size: 10.5, gap: 4 },
  },
  A5: {
    paper: PAPER.A5_LANDSCAPE,
    left: 10,
    right: 200,
    org: [11, 10],
    title: [19.5, 18],
    sitting: [25.5, 9],
    qr: [177, 5.5, 19],
    info: { top: 29, rowH: 7.5, labelW: 24, photoColW: 32, labelSize: 9.5, valueSize: 11 },
    photo: [25, 33],
    sessions: { top: 77, headerH: 6, rowH: 6.5, max: 3, widths: [50, 68, 54, 18], size: 9.5 },
    address: [107, 8.5],
    notes: { headingBaseline: 113.5, headingSize: 9.5, top: 115.5, bottom: 145, size: 7.5, gap: 0.8 },
  },
};

function field(
  xMm: number,
  baselinePt: number,
  widthMm: number,
  fontSize: number,
  align: TextField['align'] = 'left',
): TextField {
  return {
    x: mm(xMm),
    baseline: baselinePt,
    width: mm(widthMm),
    fontSize,
    minFontSize: Math.min(fontSize, Math.max(6, fontSize * 0.6)),
    align,
  };
}

const PAD = 2.5; // mm of padding inside table cells

function build(s: Spec): AdmissionTicketTemplate {
  const width = s.right - s.left;
  const info = s.info;
  const valueX = s.left + info.labelW + PAD;
  const valueW = width - info.labelW - info.photoColW - 2 * PAD;
  const rowBaseline = (i: number, size: number) =>
    centredBaseline(mm(info.top + i * info.rowH), mm(info.rowH), size);
  const value = (i: number, size = info.valueSize) => field(valueX, rowBaseline(i, size), valueW, size);
  const photoColX = s.right - info.photoColW;
  const infoH = 6 * info.rowH;

  const ses = s.sessions;
  const colX = ses.widths.map((_, i) => s.left + ses.widths.slice(0, i).reduce((a, b) => a + b, 0));
  const sessionRows: SessionRowFields[] = [];
  for (let r = 0; r < ses.max; r++) {
    const b = centredBaseline(mm(ses.top + ses.headerH + r * ses.rowH), mm(ses.rowH), ses.size);
    const cell = (c: number, align: TextField['align'] = 'left') =>
      field((colX[c] ?? 0) + PAD / 2, b, (ses.widths[c] ?? 0) - PAD, ses.size, align);
    sessionRows.push({ subject: cell(0), time: cell(1), room: cell(2), seat: cell(3, 'center') });
  }

  return {
    paper: s.paper,
    maxSessions: ses.max,
    fields: {
      organisation: field(s.left + 30, mm(s.org[0]), width - 60, s.org[1], 'center'),
      title: field(s.left + 30, mm(s.title[0]), width - 60, s.title[1], 'center'),
      sitting: field(s.left + 30, mm(s.sitting[0]), width - 60, s.sitting[1], 'center'),
      ticketNo: value(0, info.valueSize + 1),
      name: value(1, info.valueSize + 1),
      gender: value(2),
      idNumber: value(3),
      occupation: value(4),
      level: value(5),
      address: field(s.left, mm(s.address[0]), width, s.address[1]),
    },
    infoTable: {
      x: mm(s.left),
      y: mm(info.top),
      width: mm(width),
      height: mm(infoH),
      rowHeight: mm(info.rowH),
      labelWidth: mm(info.labelW),
      photoColumnWidth: mm(info.photoColW),
      labelSize: info.labelSize,
    },
    photo: {
      x: mm(photoColX + (info.photoColW - s.photo[0]) / 2),
      y: mm(info.top + (infoH - s.photo[1]) / 2),
      width: mm(s.photo[0]),
      height: mm(s.photo[1]),
    },
    qr: { x: mm(s.qr[0]), y: mm(s.qr[1]), width: mm(s.qr[2]), height: mm(s.qr[2]) },
    sessionsTable: {
      x: mm(s.left),
      y: mm(ses.top),
      width: mm(width),
      height: mm(ses.headerH + ses.max * ses.rowH),
      headerHeight: mm(ses.headerH),
      rowHeight: mm(ses.rowH),
      columnWidths: ses.widths.map(mm),
      headerSize: ses.size,
    },
    sessionRows,
    notesHeading: field(s.left, mm(s.notes.headingBaseline), width, s.notes.headingSize),
    notes: {
      x: mm(s.left),
      y: mm(s.notes.top),
      width: mm(width),
      height: mm(s.notes.bottom - s.notes.top),
      fontSize: s.notes.size,
      lineGap: s.notes.gap,
    },
  };
}

/** The two templates, in points (see the header comment of layout.ts for what a position means). */
export const ADMISSION_TICKET_TEMPLATES: Record<AdmissionTicketPaper, AdmissionTicketTemplate> = {
  A4: build(SPECS.A4),
  A5: build(SPECS.A5),
};

const INFO_LABELS = ['准考证号', '姓　　名', '性　　别', '证件号码', '职业（工种）', '等　　级'];
const SESSION_HEADERS = ['考试科目', '考试时间', '考场', '座号'];

function requireText(value: string, what: string, whose: string): void {
  if (value.trim() === '') throw new PrintingError('BAD_INPUT', `${whose}的${what}为空，无法打印准考证`);
}

function drawTicket(
  c: Composer,
  t: AdmissionTicketTemplate,
  batch: AdmissionTicketBatch,
  ticket: AdmissionTicketData,
  notes: string[],
  options: AdmissionTicketOptions,
): void {
  const whose = `考生「${ticket.name}」（准考证号 ${ticket.ticketNo}）`;
  const f = t.fields;
  c.addPage();

  // Header
  c.text(batch.organisationName, f.organisation);
  c.text(TICKET_TITLE, f.title, { bold: true });
  if (batch.sittingName) c.text(batch.sittingName, f.sitting);
  c.qr(ticket.ticketNo, t.qr);

  // Info table
  const it = t.infoTable;
  c.rect(it, { lineWidth: 0.8 });
  const valuesRight = it.x + it.width - it.photoColumnWidth;
  c.line(it.x + it.labelWidth, it.y, it.x + it.labelWidth, it.y + it.height);
  c.line(valuesRight, it.y, valuesRight, it.y + it.height);
  INFO_LABELS.forEach((label, i) => {
    const top = it.y + i * it.rowHeight;
    if (i > 0) c.line(it.x, top, valuesRight, top);
    c.text(label, {
      x: it.x,
      baseline: centredBaseline(top, it.rowHeight, it.labelSize),
      width: it.labelWidth,
      fontSize: it.labelSize,
      minFontSize: it.labelSize * 0.7,
      align: 'center',
    });
  });
  const idType = ticket.idTypeName?.trim();
  const idNumber = options.showFullIdNumber ? ticket.idNumber : maskIdNumber(ticket.idNumber);
  c.text(ticket.ticketNo, f.ticketNo);
  c.text(ticket.name, f.name);
  c.text(ticket.gender ?? '', f.gender);
  c.text(idType && idType !== '居民身份证' ? `${idNumber}（${idType}）` : idNumber, f.idNumber);
  c.text(ticket.occupation, f.occupation);
  c.text(ticket.levelText, f.level);

  // Photo
  if (ticket.photo && ticket.photo.byteLength > 0) {
    c.image(ticket.photo, t.photo, whose);
  } else {
    c.rect(t.photo, { lineWidth: 0.5, dash: 2 });
    const size = it.labelSize;
    c.text('照片', {
      x: t.photo.x,
      baseline: centredBaseline(t.photo.y, t.photo.height, size),
      width: t.photo.width,
      fontSize: size,
      minFontSize: size,
      align: 'center',
    });
  }

  // Sessions table
  const st = t.sessionsTable;
  c.rect(st, { lineWidth: 0.8 });
  let x = st.x;
  st.columnWidths.forEach((w, i) => {
    if (i > 0) c.line(x, st.y, x, st.y + st.height);
    c.text(
      SESSION_HEADERS[i] ?? '',
      {
        x,
        baseline: centredBaseline(st.y, st.headerHeight, st.headerSize),
        width: w,
        fontSize: st.headerSize,
        minFontSize: st.headerSize,
        align: 'center',
      },
      { bold: true },
    );
    x += w;
  });
  for (let r = 0; r < t.maxSessions; r++) {
    const top = st.y + st.headerHeight + r * st.rowHeight;
    c.line(st.x, top, st.x + st.width, top);
  }
  ticket.sessions.forEach((s, r) => {
    const row = t.sessionRows[r];
    if (!row) return;
    const room = s.roomLocation?.trim() ? `${s.room}（${s.roomLocation.trim()}）` : s.room;
    c.text(s.subject, row.subject);
    c.text(formatSessionTime(s.startsAt, s.endsAt, options.timeZone), row.time);
    c.text(room, row.room);
    c.text(s.seatNo === null ? '' : String(s.seatNo), row.seat);
  });
  if (batch.siteAddress?.trim()) c.text(`考点地址：${batch.siteAddress.trim()}`, f.address);

  // 考生须知
  c.text('考生须知', t.notesHeading, { bold: true });
  c.paragraph(notes.map((n, i) => `${i + 1}. ${n}`).join('\n'), t.notes, t.notes.fontSize, t.notes.lineGap);
}

/** 准考证 for a batch of candidates: one page each, at the template's exact paper size. */
export async function renderAdmissionTickets(
  batch: AdmissionTicketBatch,
  options: AdmissionTicketOptions,
): Promise<RenderedPdf> {
  const paper = options.paper ?? 'A4';
  const t = ADMISSION_TICKET_TEMPLATES[paper];
  if (batch.tickets.length === 0) throw new PrintingError('BAD_INPUT', '没有要打印的准考证');
  for (const ticket of batch.tickets) {
    const whose = `考生「${ticket.name}」`;
    requireText(ticket.name, '姓名', '有一位考生');
    requireText(ticket.ticketNo, '准考证号', whose);
    if (ticket.sessions.length > t.maxSessions) {
      throw new PrintingError(
        'BAD_INPUT',
        `${whose}有 ${ticket.sessions.length} 个考试场次，${paper} 准考证最多印 ${t.maxSessions} 个${paper === 'A5' ? '，请改用 A4' : ''}`,
      );
    }
  }
  const first = batch.tickets[0];
  const title =
    batch.tickets.length === 1 && first
      ? `准考证-${first.name}-${first.ticketNo}`
      : `准考证-${batch.sittingName?.trim() || batch.siteName}-${batch.tickets.length}份`;
  const c = new Composer(t.paper, options, title);
  const notes = batch.notes ?? defaultTicketNotes();
  for (const ticket of batch.tickets) drawTicket(c, t, batch, ticket, notes, options);
  return c.finish();
}
