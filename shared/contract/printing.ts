/**
 * Printing (devices.md §5): the printers the site host sees, the printing settings (default printer per
 * document, calibration per printer, paper, font), 准考证号 generation, and the documents (准考证, 座位标签,
 * 签到表) either previewed (the PDF comes back) or printed on a printer. Everything is for the exam
 * administrator: the documents carry personal data.
 *
 * The settings schema lives here (shared by the contract and main/printing/settings.ts).
 */
import { z } from 'zod';
import { base } from './base';

export const printerKindSchema = z.enum(['cups', 'windows', 'folder']);

export const printerTargetSchema = z.object({
  kind: printerKindSchema,
  name: z.string().trim().min(1, '请选择打印机'),
});
export type PrinterTargetInput = z.infer<typeof printerTargetSchema>;

/** ±20 mm is far more than any printer's feed error (≈1 mm); more means a wrong measurement. */
const offsetMm = z.number().min(-20, '偏移量不能超过 ±20 mm').max(20, '偏移量不能超过 ±20 mm');

export const calibrationSchema = z.object({ dxMm: offsetMm, dyMm: offsetMm });

export const printerProfileSchema = z.object({
  target: printerTargetSchema,
  calibration: calibrationSchema,
  note: z.string().max(200).nullable().optional(),
  calibratedAt: z.string().nullable().optional(),
});

/**
 * The one list of printed documents: each kind gets a default printer and a calibration on 打印设置, and
 * its prints are audited under its name. A feature that prints (score records, room logs, publication
 * lists, certificates) adds its kind here, composes its own PDF in its own folder, and prints it through
 * the printing service (PrintingService.printComposed).
 */
export const DOCUMENT_KINDS = {
  'admission-ticket': { name: '准考证', checkedOnExamDay: true },
  'seat-labels': { name: '座位标签', checkedOnExamDay: true },
  'sign-in-sheet': { name: '签到表', checkedOnExamDay: true },
  'calibration-page': { name: '校准页', checkedOnExamDay: false },
} as const satisfies Record<string, { name: string; checkedOnExamDay: boolean }>;
export type DocumentKindName = keyof typeof DOCUMENT_KINDS;
export const DOCUMENT_KIND_NAMES = Object.keys(DOCUMENT_KINDS) as [DocumentKindName, ...DocumentKindName[]];
export const documentKindSchema = z.enum(DOCUMENT_KIND_NAMES);

export const printingSettingsSchema = z.object({
  fontPath: z.string().trim().min(1).nullable(),
  fontPostscriptName: z.string().trim().min(1).nullable(),
  sumatraPdfPath: z.string().trim().min(1).nullable(),
  admissionTicketPaper: z.enum(['A4', 'A5']),
  showFullIdNumberOnTicket: z.boolean(),
  folders: z.array(z.string().trim().min(1, '文件夹路径不能为空')),
  profiles: z.array(printerProfileSchema),
  /** The default printer of each document kind. */
  defaults: z.partialRecord(documentKindSchema, printerTargetSchema),
});
export type PrintingSettingsData = z.infer<typeof printingSettingsSchema>;

export const printerInfoSchema = z.object({
  target: printerTargetSchema,
  displayName: z.string(),
  isDefault: z.boolean(),
  status: z.enum(['ready', 'busy', 'disabled', 'rejecting', 'offline', 'unknown']),
  statusMessage: z.string().nullable(),
  location: z.string().nullable(),
});
export type PrinterInfoData = z.infer<typeof printerInfoSchema>;

/** Which document, for whom. */
export const printDocumentSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('admission-ticket'),
    sittingId: z.number().int(),
    /** Only these candidates (of the sitting); default all approved or pending candidates. */
    candidateIds: z.array(z.number().int()).min(1, '请选择考生').optional(),
  }),
  z.object({
    kind: z.literal('seat-labels'),
    sessionId: z.number().int(),
    /** Only this room; default every room of the session. */
    roomId: z.number().int().optional(),
  }),
  z.object({
    kind: z.literal('sign-in-sheet'),
    sessionId: z.number().int(),
    roomId: z.number().int().optional(),
  }),
]);
export type PrintDocument = z.infer<typeof printDocumentSchema>;

export const pdfPreviewSchema = z.object({
  title: z.string(),
  pageCount: z.number().int(),
  /** How many tickets / labels / candidates the document holds. */
  count: z.number().int(),
  dataBase64: z.string(),
});
export type PdfPreview = z.infer<typeof pdfPreviewSchema>;

export const printOutcomeSchema = z.object({
  printer: printerTargetSchema,
  /** CUPS request id; null for Windows and folder printers. */
  jobId: z.string().nullable(),
  /** The file a folder printer wrote; null otherwise. */
  file: z.string().nullable(),
  title: z.string(),
  pageCount: z.number().int(),
  count: z.number().int(),
});
export type PrintOutcome = z.infer<typeof printOutcomeSchema>;

const measuredMm = z
  .number({ message: '请填写测量值（毫米）' })
  .min(0, '测量值应在 0–60 mm 之间')
  .max(60, '测量值应在 0–60 mm 之间');

const admin = { access: ['exam_admin'] } as const;

export const printingContract = {
  /** The system's printers (CUPS / Windows) and the configured folders; problems listing come as warnings. */
  printers: base
    .meta(admin)
    .output(z.object({ printers: z.array(printerInfoSchema), warnings: z.array(z.string()) })),
  settings: base.meta(admin).output(printingSettingsSchema),
  /** Replace the printing settings (audited printing.settings). */
  updateSettings: base.meta(admin).input(printingSettingsSchema).output(printingSettingsSchema),
  /** Print a 校准页 on a printer with its current calibration. */
  printCalibration: base
    .meta(admin)
    .input(z.object({ printer: printerTargetSchema }))
    .output(printOutcomeSchema),
  /** Save what was measured on the 校准页: the printer's new offset (audited printing.calibrate). */
  saveCalibration: base
    .meta(admin)
    .input(z.object({ printer: printerTargetSchema, leftMm: measuredMm, topMm: measuredMm }))
    .output(printingSettingsSchema),
  /** The document as a PDF (for 预览). */
  preview: base
    .meta(admin)
    .input(z.object({ document: printDocumentSchema }))
    .output(pdfPreviewSchema),
  /** Print the document on `printer`, or on the document type's default printer (audited printing.print). */
  print: base
    .meta(admin)
    .input(
      z.object({
        document: printDocumentSchema,
        printer: printerTargetSchema.nullable().optional(),
        copies: z.number().int().min(1).max(99).optional(),
      }),
    )
    .output(printOutcomeSchema),
};
