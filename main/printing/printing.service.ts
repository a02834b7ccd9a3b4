/**
 * What makes printing reachable: the printing settings (stored as JSON under SETTING_KEYS.printing),
 * 准考证号 generation, and the documents built from the database (准考证 per sitting, 座位标签 and 签到表
 * per session) — previewed as a PDF or printed on a printer. The PDF composition and the printers are
 * in this folder's other modules; this file maps rows onto their input types.
 */
import type { Knex } from 'knex';
import {
  DOCUMENT_KINDS,
  type PdfPreview,
  type PrintDocument,
  type PrintOutcome,
  type PrintingSettingsData,
} from '../../shared/contract/printing';
import type { Sitting } from '../../shared/contract/sittings';
import { ID_TYPE_NAMES, type IdType } from '../../shared/domain/id-types';
import { COMPONENT_NAMES, LEVEL_NAMES, type Level } from '../../shared/domain/levels';
import { appendAudit, type Actor } from '../audit/chain';
import { appError } from '../base/errors';
import type { OrgService } from '../org/org.service';
import type { PhotosService } from '../photos/photos.service';
import type { SessionsService } from '../sessions/sessions.service';
import type { CheckinService } from '../checkin/checkin.service';
import type { SittingsService } from '../sittings/sittings.service';
import { SETTING_KEYS } from '../system/settings';
import { renderAdmissionTickets } from './admission-ticket';
import { calibrationFromMeasurement, renderCalibrationPage } from './calibration-page';
import { PrintingError } from './errors';
import { formatSessionTime, PAPER } from './layout';
import { listPrinters, printPdf, type PrinterSystemOptions } from './printers';
import { renderSeatLabels } from './seat-labels';
import {
  calibrationFor,
  DEFAULT_PRINTING_SETTINGS,
  defaultPrinterFor,
  fontForSettings,
  printingSettingsSchema,
  sameTarget,
  withProfile,
} from './settings';
import { renderSignInSheets } from './sign-in-sheet';
import type {
  AdmissionTicketData,
  CalibrationOffset,
  LoadedFont,
  DocumentKind,
  PrinterListing,
  PrinterTarget,
  PrintingSettings,
  RenderedPdf,
  SeatLabelData,
  SignInSheetData,
  TicketSession,
} from './types';
import type { Kernel } from '../base/kernel';

export interface PrintingServiceOptions {
  /** The printing environment besides the settings (tests inject a command runner or a platform). */
  environment?: () => PrinterSystemOptions;
}

interface CandidateRow {
  id: number;
  name: string;
  gender: string | null;
  id_type: string;
  id_number: string;
  applied_level: number;
  admission_ticket_no: string | null;
  photo_id: number | null;
}

interface SeatRow {
  candidate_id: number;
  session_id: number;
  room_id: number;
  room_name: string;
  room_location: string;
  seat_no: number;
}

/** PrintingError → the error every client understands, with its Chinese message. */
export function toAppError(err: unknown): unknown {
  if (!(err instanceof PrintingError)) return err;
  switch (err.code) {
    case 'PRINTER_NOT_FOUND':
      return appError('NOT_FOUND', err.message, { field: 'printer' });
    case 'BAD_INPUT':
    case 'PHOTO_INVALID':
      return appError('BAD_REQUEST', err.message);
    case 'PRINTER_DISABLED':
    case 'PRINTER_REJECTING':
    case 'PRINTING_UNAVAILABLE':
    case 'FONT_NOT_FOUND':
      return appError('CONFLICT', err.message);
    case 'JOB_FAILED':
      return appError('INTERNAL_SERVER_ERROR', err.message);
  }
}

async function mapped<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw toAppError(err);
  }
}

/** Every candidate on a printed document needs a 准考证号: else BAD_REQUEST naming how many (and a few). */
function requireTicketNumbers(
  rows: ReadonlyArray<{ name: string; admission_ticket_no: string | null }>,
): void {
  const withoutNo = rows.filter((r) => !r.admission_ticket_no?.trim());
  if (withoutNo.length > 0) {
    throw appError(
      'BAD_REQUEST',
      `有 ${withoutNo.length} 名考生还没有准考证号（如${withoutNo
        .slice(0, 3)
        .map((c) => c.name)
        .join('、')}），请先生成准考证号`,
    );
  }
}

export class PrintingService {
  private get knex(): Knex {
    return this.kernel.knex;
  }

  constructor(
    private readonly kernel: Kernel,
    private readonly deps: {
      sittings: SittingsService;
      sessions: SessionsService;
      checkin: Pick<CheckinService, 'seated'>;
      org: OrgService;
      photos: PhotosService;
    },
    private readonly opts: PrintingServiceOptions = {},
  ) {}

  // ---- settings ------------------------------------------------------------------------------

  async settings(q: Knex | Knex.Transaction = this.knex): Promise<PrintingSettings> {
    const row = await q('settings')
      .where({ key: SETTING_KEYS.printing })
      .first<{ value: string } | undefined>('value');
    if (!row) return DEFAULT_PRINTING_SETTINGS;
    let json: unknown;
    try {
      json = JSON.parse(row.value);
    } catch {
      return DEFAULT_PRINTING_SETTINGS;
    }
    const parsed = printingSettingsSchema.safeParse(json);
    return parsed.success ? parsed.data : DEFAULT_PRINTING_SETTINGS;
  }

  /** Replace the settings (one transaction, audited printing.settings). */
  async updateSettings(actor: Actor, input: PrintingSettingsData): Promise<PrintingSettings> {
    const parsed = printingSettingsSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.map(String).join('.') ?? '';
      throw appError('BAD_REQUEST', `打印设置有误${field ? `（${field}）` : ''}：${issue?.message ?? ''}`, {
        field,
      });
    }
    const next: PrintingSettings = {
      ...parsed.data,
      folders: [...new Set(parsed.data.folders)],
    };
    await this.kernel.transaction((trx) => this.store(trx, actor, 'printing.settings', next));
    return next;
  }

  private async store(
    trx: Knex.Transaction,
    actor: Actor,
    action: string,
    next: PrintingSettings,
  ): Promise<void> {
    const before = await this.settings(trx);
    const value = JSON.stringify(next);
    const exists = await trx('settings')
      .where({ key: SETTING_KEYS.printing })
      .first<{ key: string } | undefined>('key');
    if (exists) await trx('settings').where({ key: SETTING_KEYS.printing }).update({ value });
    else await trx('settings').insert({ key: SETTING_KEYS.printing, value });
    await appendAudit(trx, {
      actor,
      action,
      entity: 'setting',
      entityId: SETTING_KEYS.printing,
      before,
      after: next,
    });
  }

  private environment(settings: PrintingSettings): PrinterSystemOptions {
    return {
      cupsServer: process.env.CUPS_SERVER ?? null,
      sumatraPdfPath: settings.sumatraPdfPath,
      folders: settings.folders,
      ...this.opts.environment?.(),
    };
  }

  async printers(): Promise<PrinterListing> {
    const settings = await this.settings();
    return listPrinters(this.environment(settings));
  }

  // ---- calibration ---------------------------------------------------------------------------

  async printCalibration(actor: Actor, printer: PrinterTarget): Promise<PrintOutcome> {
    return mapped(async () => {
      const settings = await this.settings();
      const font = await fontForSettings(settings);
      const pdf = await renderCalibrationPage(
        { paper: PAPER.A4, printerName: printer.name },
        { font, calibration: calibrationFor(settings, printer) },
      );
      return this.send(actor, settings, 'calibration-page', printer, pdf, 1, 1);
    });
  }

  /** The measured position of the 校准页's top-left crosshair → the printer's new offset (audited). */
  async saveCalibration(
    actor: Actor,
    input: { printer: PrinterTarget; leftMm: number; topMm: number },
  ): Promise<PrintingSettings> {
    return this.kernel.transaction(async (trx) => {
      const settings = await this.settings(trx);
      const current = calibrationFor(settings, input.printer);
      const calibration = calibrationFromMeasurement(current, input);
      const limit = 20;
      if (Math.abs(calibration.dxMm) > limit || Math.abs(calibration.dyMm) > limit) {
        throw appError(
          'BAD_REQUEST',
          `算出的偏移量（右 ${calibration.dxMm} mm，下 ${calibration.dyMm} mm）超过 ±20 mm，请重新测量十字中心到纸边的距离`,
          { field: Math.abs(calibration.dxMm) > limit ? 'leftMm' : 'topMm' },
        );
      }
      const old = settings.profiles.find((p) => sameTarget(p.target, input.printer));
      const next = withProfile(settings, {
        target: { kind: input.printer.kind, name: input.printer.name },
        calibration,
        note: old?.note ?? null,
        calibratedAt: this.kernel.nowIso(),
      });
      await this.store(trx, actor, 'printing.calibrate', next);
      return next;
    });
  }

  // ---- documents -----------------------------------------------------------------------------

  async preview(document: PrintDocument): Promise<PdfPreview> {
    return mapped(async () => {
      const settings = await this.settings();
      const { pdf, count } = await this.render(settings, document, undefined);
      return {
        title: pdf.title,
        pageCount: pdf.pageCount,
        count,
        dataBase64: Buffer.from(pdf.bytes).toString('base64'),
      };
    });
  }

  async print(
    actor: Actor,
    input: { document: PrintDocument; printer?: PrinterTarget | null; copies?: number },
  ): Promise<PrintOutcome> {
    return mapped(async () => {
      const settings = await this.settings();
      const printer = this.targetFor(settings, input.document.kind, input.printer);
      const { pdf, count } = await this.render(settings, input.document, printer);
      return this.send(actor, settings, input.document.kind, printer, pdf, count, input.copies ?? 1);
    });
  }

  // ---- for other features: compose your own document, print it here ----------------------------

  /**
   * What a feature needs to compose a document of `kind` for the printer it will go to: the printer
   * (given, or the kind's default; null when neither — a preview), its calibration, the CJK font and the
   * site's time zone. Compose the PDF with main/printing/layout.ts at the exact paper size, then call
   * printComposed.
   */
  async composeContext(
    kind: DocumentKind,
    printer?: PrinterTarget | null,
  ): Promise<{
    printer: PrinterTarget | null;
    calibration: CalibrationOffset | undefined;
    font: LoadedFont;
    timeZone: string;
  }> {
    return mapped(async () => {
      const settings = await this.settings();
      const target = printer ?? defaultPrinterFor(settings, kind);
      return {
        printer: target,
        calibration: target ? calibrationFor(settings, target) : undefined,
        font: await fontForSettings(settings),
        timeZone: this.kernel.timeZone,
      };
    });
  }

  /**
   * Print a PDF another feature composed (score record, room log, publication list, certificate) on
   * `printer`, or on the default printer of its kind, with the `printing.print` audit entry. `count` is
   * how many people or items it covers, as the audit entry records it.
   */
  async printComposed(
    actor: Actor,
    input: {
      kind: DocumentKind;
      pdf: RenderedPdf;
      count: number;
      printer?: PrinterTarget | null;
      copies?: number;
    },
  ): Promise<PrintOutcome> {
    return mapped(async () => {
      const settings = await this.settings();
      const printer = this.targetFor(settings, input.kind, input.printer);
      return this.send(actor, settings, input.kind, printer, input.pdf, input.count, input.copies ?? 1);
    });
  }

  /** The printer a job goes to: the chosen one, else the kind's default; a clear refusal when neither. */
  private targetFor(
    settings: PrintingSettings,
    kind: DocumentKind,
    chosen?: PrinterTarget | null,
  ): PrinterTarget {
    const printer = chosen ?? defaultPrinterFor(settings, kind);
    if (!printer) {
      throw appError(
        'BAD_REQUEST',
        `请选择打印机，或在「打印设置」中为${DOCUMENT_KINDS[kind].name}设置默认打印机`,
        { field: 'printer' },
      );
    }
    this.checkFolder(settings, printer);
    return printer;
  }

  /** A folder printer must be one the administrator configured (no writing anywhere on the host). */
  private checkFolder(settings: PrintingSettings, printer: PrinterTarget): void {
    if (printer.kind === 'folder' && !settings.folders.includes(printer.name)) {
      throw new PrintingError(
        'PRINTER_NOT_FOUND',
        `打印机「${printer.name}」不存在（文件夹打印机需先在「打印设置」中添加）`,
        { printer: printer.name },
      );
    }
  }

  private async send(
    actor: Actor,
    settings: PrintingSettings,
    kind: DocumentKind,
    printer: PrinterTarget,
    pdf: RenderedPdf,
    count: number,
    copies: number,
  ): Promise<PrintOutcome> {
    this.checkFolder(settings, printer);
    const result = await printPdf(printer, { pdf, copies }, this.environment(settings));
    await this.kernel.transaction((trx) =>
      appendAudit(trx, {
        actor,
        action: 'printing.print',
        entity: 'printer',
        entityId: `${printer.kind}:${printer.name}`.slice(0, 40),
        after: {
          document: kind,
          title: pdf.title,
          count,
          pages: pdf.pageCount,
          copies,
          printer,
          jobId: result.jobId,
          file: result.file,
        },
      }),
    );
    return {
      printer: result.printer,
      jobId: result.jobId,
      file: result.file,
      title: pdf.title,
      pageCount: pdf.pageCount,
      count,
    };
  }

  private async render(
    settings: PrintingSettings,
    document: PrintDocument,
    printer: PrinterTarget | undefined,
  ): Promise<{ pdf: RenderedPdf; count: number }> {
    const calibration = printer ? calibrationFor(settings, printer) : undefined;
    switch (document.kind) {
      case 'admission-ticket': {
        const batch = await this.ticketBatch(document.sittingId, document.candidateIds);
        const font = await fontForSettings(settings);
        const pdf = await renderAdmissionTickets(batch, {
          font,
          calibration,
          paper: settings.admissionTicketPaper,
          showFullIdNumber: settings.showFullIdNumberOnTicket,
          timeZone: this.kernel.timeZone,
        });
        return { pdf, count: batch.tickets.length };
      }
      case 'seat-labels': {
        const labels = await this.seatLabels(document.sessionId, document.roomId);
        const font = await fontForSettings(settings);
        return { pdf: await renderSeatLabels(labels, { font, calibration }), count: labels.length };
      }
      case 'sign-in-sheet': {
        const rooms = await this.signInSheets(document.sessionId, document.roomId);
        const font = await fontForSettings(settings);
        return {
          pdf: await renderSignInSheets(rooms, { font, calibration, timeZone: this.kernel.timeZone }),
          count: rooms.reduce((n, r) => n + r.candidates.length, 0),
        };
      }
    }
  }

  private async orgNames(): Promise<{
    organisationName: string;
    siteName: string;
    siteAddress: string | null;
  }> {
    const org = await this.deps.org.get();
    if (!org) throw appError('BAD_REQUEST', '请先在「机构设置」中填写评价机构和考点信息');
    return { organisationName: org.name, siteName: org.siteName, siteAddress: org.address || null };
  }

  private static occupationText(sitting: Sitting): string {
    return sitting.trade ? `${sitting.occupationName}（${sitting.trade}）` : sitting.occupationName;
  }

  /** The data of the sitting's 准考证 (approved and pending candidates, or the chosen ones). */
  async ticketBatch(sittingId: number, candidateIds?: number[]) {
    const sitting = await this.deps.sittings.get(sittingId);
    const org = await this.orgNames();
    let query = this.knex('candidates')
      .where({ sitting_id: sittingId })
      .whereIn('review_status', ['approved', 'pending']);
    if (candidateIds) query = query.whereIn('id', candidateIds);
    const candidates = await query
      .orderBy('admission_ticket_no')
      .orderBy('id')
      .select<CandidateRow[]>(
        'id',
        'name',
        'gender',
        'id_type',
        'id_number',
        'applied_level',
        'admission_ticket_no',
        'photo_id',
      );
    if (candidateIds) {
      const found = new Set(candidates.map((c) => Number(c.id)));
      const missing = candidateIds.filter((id) => !found.has(id));
      if (missing.length > 0) {
        throw appError(
          'BAD_REQUEST',
          `考生 ${missing.join('、')} 不在本批次或未通过资格审核，不能打印准考证`,
          { field: 'document.candidateIds' },
        );
      }
    }
    if (candidates.length === 0) throw appError('BAD_REQUEST', '本批次没有可打印准考证的考生');
    requireTicketNumbers(candidates);
    const sessions = await this.deps.sessions.list(sittingId);
    if (sessions.length === 0) {
      throw appError('BAD_REQUEST', '本批次还没有考试场次，请先在「场次与座位」新建场次');
    }
    const seats = await this.knex('seat_assignments as a')
      .join('rooms as r', 'r.id', 'a.room_id')
      .join('exam_sessions as s', 's.id', 'a.session_id')
      .where('s.sitting_id', sittingId)
      .select<SeatRow[]>(
        'a.candidate_id',
        'a.session_id',
        'a.room_id',
        'r.name as room_name',
        'r.location as room_location',
        'a.seat_no',
      );
    const seatOf = new Map(seats.map((s) => [`${Number(s.session_id)}:${Number(s.candidate_id)}`, s]));
    const tickets: AdmissionTicketData[] = [];
    for (const c of candidates) {
      const level = Number(c.applied_level) as Level;
      const components = sitting.components[String(level)] ?? [];
      const mine: TicketSession[] = sessions
        .filter((s) => components.includes(s.component))
        .map((s) => {
          const seat = seatOf.get(`${s.id}:${Number(c.id)}`);
          return {
            subject: s.name,
            startsAt: s.startsAt,
            endsAt: s.endsAt,
            room: seat?.room_name ?? '待安排',
            roomLocation: seat?.room_location || null,
            seatNo: seat ? Number(seat.seat_no) : null,
          };
        });
      if (mine.length === 0) {
        throw appError(
          'BAD_REQUEST',
          `考生「${c.name}」（${LEVEL_NAMES[level] ?? level}）没有对应的考试场次，请先在「场次与座位」新建场次`,
        );
      }
      tickets.push({
        ticketNo: c.admission_ticket_no ?? '',
        name: c.name,
        gender: c.gender === '男' || c.gender === '女' ? c.gender : null,
        idTypeName: ID_TYPE_NAMES[c.id_type as IdType] ?? null,
        idNumber: c.id_number,
        occupation: PrintingService.occupationText(sitting),
        levelText: LEVEL_NAMES[level] ?? String(level),
        sessions: mine,
        photo: await this.deps.photos.bytes(c.photo_id === null ? null : Number(c.photo_id)),
      });
    }
    return { ...org, sittingName: sitting.name, tickets };
  }

  private async seatedRows(sessionId: number, roomId: number | undefined) {
    const session = await this.deps.sessions.get(sessionId);
    const rows = await this.deps.checkin.seated(sessionId, roomId);
    if (rows.length === 0) {
      throw appError(
        'BAD_REQUEST',
        roomId === undefined
          ? `场次「${session.name}」还没有安排座位，请先随机安排座位`
          : `场次「${session.name}」在所选考场没有安排考生`,
      );
    }
    requireTicketNumbers(rows.map((r) => ({ name: r.name, admission_ticket_no: r.admissionTicketNo })));
    return { session, rows };
  }

  async seatLabels(sessionId: number, roomId?: number): Promise<SeatLabelData[]> {
    const { session, rows } = await this.seatedRows(sessionId, roomId);
    const caption = `${session.name} ${formatSessionTime(session.startsAt, session.endsAt, this.kernel.timeZone)}`;
    return rows.map((r) => ({
      roomName: r.roomName,
      seatNo: r.seatNo,
      name: r.name,
      ticketNo: r.admissionTicketNo ?? '',
      caption,
    }));
  }

  async signInSheets(sessionId: number, roomId?: number): Promise<SignInSheetData[]> {
    const { session, rows } = await this.seatedRows(sessionId, roomId);
    const sitting = await this.deps.sittings.get(session.sittingId);
    const org = await this.orgNames();
    const levels = [...new Set(rows.map((r) => r.appliedLevel as Level))].sort((a, b) => b - a);
    const sheets = new Map<number, SignInSheetData>();
    for (const r of rows) {
      const id = r.roomId;
      let sheet = sheets.get(id);
      if (!sheet) {
        sheet = {
          organisationName: org.organisationName,
          siteName: org.siteName,
          sittingName: sitting.name,
          sessionName: session.name || COMPONENT_NAMES[session.component],
          occupation: PrintingService.occupationText(sitting),
          levelText: levels.map((l) => LEVEL_NAMES[l]).join('、'),
          roomName: r.roomName,
          roomLocation: r.roomLocation,
          startsAt: session.startsAt,
          endsAt: session.endsAt,
          candidates: [],
        };
        sheets.set(id, sheet);
      }
      sheet.candidates.push({
        seatNo: r.seatNo,
        ticketNo: r.admissionTicketNo ?? '',
        name: r.name,
        idNumber: r.idNumber,
      });
    }
    return [...sheets.values()];
  }
}
