/**
 * Plain data in, PDF bytes out: the input types of the printed documents (准考证, 座位标签, 签到表,
 * 校准页), the printer targets and the per-printer settings. The lead maps database rows onto these;
 * nothing here knows about the database.
 *
 * Units: paper sizes and calibration offsets are in millimetres; template positions are in PDF points
 * (1 pt = 1/72 in = 25.4/72 mm), measured from the top-left corner of the page.
 */

/** A paper size in millimetres (the page is composed at exactly this size). */
export interface PaperSize {
  widthMm: number;
  heightMm: number;
}

/**
 * Per-printer calibration: every element of every page is moved by this much. Positive dx moves right,
 * positive dy moves down. Measured on a calibration page as `expected − measured` (devices.md §5.4).
 */
export interface CalibrationOffset {
  dxMm: number;
  dyMm: number;
}

/** The CJK font a document is composed with (see fonts.ts: findCjkFont → loadCjkFont). */
export interface LoadedFont {
  /** Where the font was read from (shown in errors and diagnostics). */
  path: string;
  /** The font file's bytes (a .ttf/.otf, or a whole .ttc collection). */
  data: Uint8Array;
  /** The postscript name of the face to use inside a .ttc collection; null for a single-face file. */
  postscriptName: string | null;
  /** hhea ascender / unitsPerEm (e.g. 1.16 for Noto Sans CJK): the baseline is this × size below a line's top. */
  ascent: number;
  /** hhea descender / unitsPerEm, negative (e.g. −0.288). */
  descent: number;
}

/** Options every document renderer takes. */
export interface RenderOptions {
  font: LoadedFont;
  /** The target printer's calibration; default none. */
  calibration?: CalibrationOffset;
  /** Fixes the PDF's creation date (reproducible bytes); default now. */
  creationDate?: Date;
  /**
   * Time zone used to print session times (the ISO strings carry their own offset); default
   * 'Asia/Shanghai'.
   */
  timeZone?: string;
}

/** A composed PDF. */
export interface RenderedPdf {
  bytes: Uint8Array;
  /** The exact page size every page of `bytes` has. */
  paper: PaperSize;
  pageCount: number;
  /** A suggested job title / file name (Chinese, no path characters). */
  title: string;
}

// ---- 准考证 ------------------------------------------------------------------------------------

/** One exam session (场次) on a candidate's admission ticket. */
export interface TicketSession {
  /** 考试科目 / 场次, e.g. 理论知识考试. */
  subject: string;
  /** ISO 8601 with offset, e.g. 2026-12-05T09:00:00+08:00. */
  startsAt: string;
  endsAt: string;
  /** 考场 name, e.g. 第01考场 (location appended when given: 第01考场（实训楼 201）). */
  room: string;
  roomLocation?: string | null;
  /** 座号; null when seats are not assigned yet (printed as a blank). */
  seatNo: number | null;
}

export interface AdmissionTicketData {
  /** 准考证号: printed, and encoded as the QR code. */
  ticketNo: string;
  name: string;
  gender: '男' | '女' | null;
  /** Document type name as printed (居民身份证, 护照 …); default 居民身份证. */
  idTypeName?: string | null;
  /** The full identity number; masked on the ticket unless `showFullIdNumber` (see admission-ticket.ts). */
  idNumber: string;
  /** 职业（工种）, e.g. 砌筑工 or 电工（维修电工）. */
  occupation: string;
  /** Level text as printed, e.g. 四级/中级工 (shared/domain/levels.ts LEVEL_NAMES). */
  levelText: string;
  /** At least one; at most the template's `maxSessions` (A4: 4, A5: 3). */
  sessions: TicketSession[];
  /** JPEG or PNG bytes; null → a box with 照片 (paste a photo). */
  photo: Uint8Array | null;
}

export interface AdmissionTicketBatch {
  /** 评价机构 / organisation name (as filed). */
  organisationName: string;
  /** 考点 name. */
  siteName: string;
  /** 考点地址, printed under the sessions when given. */
  siteAddress?: string | null;
  /** 认定批次 name, printed under the title when given. */
  sittingName?: string | null;
  /** 考生须知; default: defaultTicketNotes(). */
  notes?: string[];
  /** One page per ticket, in this order. */
  tickets: AdmissionTicketData[];
}

export type AdmissionTicketPaper = 'A4' | 'A5';

export interface AdmissionTicketOptions extends RenderOptions {
  /** 'A4' (portrait, default) or 'A5' (landscape). */
  paper?: AdmissionTicketPaper;
  /** Print the whole ID number (only where the province's rule requires it); default masked. */
  showFullIdNumber?: boolean;
}

// ---- 座位标签 ----------------------------------------------------------------------------------

export interface SeatLabelData {
  roomName: string;
  seatNo: number;
  name: string;
  ticketNo: string;
  /** Optional second line under the room, e.g. the session 理论知识考试 12月05日 09:00. */
  caption?: string | null;
}

export interface SeatLabelOptions extends RenderOptions {
  /** Labels across (default 2) and down (default 5) an A4 portrait sheet. */
  columns?: number;
  rows?: number;
  /** Sheet margin on every side, mm (default 10; most printers cannot print the outer 4–5 mm). */
  marginMm?: number;
  /** Dashed cutting lines around every label (default true). */
  cutLines?: boolean;
}

// ---- 签到表 ------------------------------------------------------------------------------------

export interface SignInCandidate {
  seatNo: number | null;
  ticketNo: string;
  name: string;
  /** Full number; always printed masked. */
  idNumber: string;
  /** Pre-filled 备注 (e.g. 补考); usually empty. */
  remark?: string | null;
}

/** One room of one session. */
export interface SignInSheetData {
  organisationName: string;
  siteName: string;
  /** 认定批次. */
  sittingName: string;
  /** 场次, e.g. 理论知识考试. */
  sessionName: string;
  /** 职业（工种）/ 等级 line, optional. */
  occupation?: string | null;
  levelText?: string | null;
  roomName: string;
  roomLocation?: string | null;
  startsAt: string;
  endsAt: string;
  /** Printed in seat order (no seat → last, by ticket number). */
  candidates: SignInCandidate[];
}

// ---- 校准页 ------------------------------------------------------------------------------------

export interface CalibrationPageData {
  paper: PaperSize;
  /** Printed on the page so the sheet can be matched to its printer. */
  printerName: string;
}

// ---- printers ----------------------------------------------------------------------------------

/** The documents a default printer can be chosen for: the one list in shared/contract/printing.ts. */
export type { DocumentKindName as DocumentKind } from '../../shared/contract/printing';
import type { DocumentKindName as DocumentKind } from '../../shared/contract/printing';

/**
 * Where a job goes. `cups`: a CUPS queue (Linux/macOS); `windows`: a Windows printer (system name),
 * printed through SumatraPDF; `folder`: the PDF is written into `name` (a folder path), always available.
 */
export interface PrinterTarget {
  kind: 'cups' | 'windows' | 'folder';
  name: string;
}

export type PrinterStatus = 'ready' | 'busy' | 'disabled' | 'rejecting' | 'offline' | 'unknown';

export interface PrinterInfo {
  target: PrinterTarget;
  /** What to show (CUPS description or the Windows name; the folder path). */
  displayName: string;
  isDefault: boolean;
  status: PrinterStatus;
  /** Why it is not ready, in the system's words (CUPS reason, Windows status), or null. */
  statusMessage: string | null;
  location: string | null;
}

export interface PrinterListing {
  printers: PrinterInfo[];
  /** Problems listing a source (e.g. 打印服务未运行), in Chinese; the other sources are still listed. */
  warnings: string[];
}

export interface PrintJob {
  pdf: RenderedPdf;
  /** Job title / file name; default pdf.title. */
  title?: string;
  /** Default 1. */
  copies?: number;
}

export interface PrintResult {
  printer: PrinterTarget;
  /** CUPS request id (e.g. PDF-12); null for Windows and folder printers. */
  jobId: string | null;
  /** The file written by a folder printer; null otherwise. */
  file: string | null;
}

/** What printers.ts needs from the environment; everything optional. */
export interface PrintingEnvironment {
  /** Default process.platform. */
  platform?: NodeJS.Platform;
  /** A private cupsd (socket path or host:port); default the CUPS_SERVER environment variable. */
  cupsServer?: string | null;
  /** SumatraPDF.exe, needed to print on Windows. */
  sumatraPdfPath?: string | null;
  /** Folder printers to list. */
  folders?: string[];
}

// ---- settings ----------------------------------------------------------------------------------

/** One printer's profile (devices.md §5.4 step 5). */
export interface PrinterProfile {
  target: PrinterTarget;
  calibration: CalibrationOffset;
  /** Tray / paper form notes for the operator, free text. */
  note?: string | null;
  /** ISO date-time of the last calibration, or null. */
  calibratedAt?: string | null;
}

export interface PrintingSettings {
  /** A font file chosen by the administrator (bundled or installed); null → platform defaults. */
  fontPath: string | null;
  /** Face inside a .ttc (e.g. NotoSansCJKsc-Regular); null → picked automatically. */
  fontPostscriptName: string | null;
  /** SumatraPDF.exe (Windows printing); null → Windows printers cannot print. */
  sumatraPdfPath: string | null;
  admissionTicketPaper: AdmissionTicketPaper;
  /** Show the whole ID number on admission tickets (only where the province's rule requires it). */
  showFullIdNumberOnTicket: boolean;
  /** Folder printers offered besides the system's printers. */
  folders: string[];
  profiles: PrinterProfile[];
  /** The printer to use per document type. */
  defaults: Partial<Record<DocumentKind, PrinterTarget>>;
}
