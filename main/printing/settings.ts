/**
 * Printing settings: a zod schema (for storing them and for the contract), the defaults, and the
 * look-ups the print path needs (default printer per document, calibration per printer, the font).
 */
import { z } from 'zod';
import { findCjkFont, type FoundFont } from './fonts';
import type {
  CalibrationOffset,
  DocumentKind,
  PrinterProfile,
  PrinterTarget,
  PrintingSettings,
} from './types';

const targetSchema = z.object({
  kind: z.enum(['cups', 'windows', 'folder']),
  name: z.string().trim().min(1, '请选择打印机'),
});

/** ±20 mm is far more than any printer's feed error (≈1 mm); more means a wrong measurement. */
const offsetMm = z.number().min(-20, '偏移量不能超过 ±20 mm').max(20, '偏移量不能超过 ±20 mm');

export const calibrationSchema = z.object({ dxMm: offsetMm, dyMm: offsetMm });

export const printerProfileSchema = z.object({
  target: targetSchema,
  calibration: calibrationSchema,
  note: z.string().max(200).nullable().optional(),
  calibratedAt: z.string().nullable().optional(),
});

export const printingSettingsSchema = z.object({
  fontPath: z.string().trim().min(1).nullable(),
  fontPostscriptName: z.string().trim().min(1).nullable(),
  sumatraPdfPath: z.string().trim().min(1).nullable(),
  admissionTicketPaper: z.enum(['A4', 'A5']),
  showFullIdNumberOnTicket: z.boolean(),
  folders: z.array(z.string().trim().min(1)),
  profiles: z.array(printerProfileSchema),
  defaults: z.object({
    'admission-ticket': targetSchema.optional(),
    'seat-labels': targetSchema.optional(),
    'sign-in-sheet': targetSchema.optional(),
    'calibration-page': targetSchema.optional(),
  }),
}) satisfies z.ZodType<PrintingSettings>;

export const DEFAULT_PRINTING_SETTINGS: PrintingSettings = {
  fontPath: null,
  fontPostscriptName: null,
  sumatraPdfPath: null,
  admissionTicketPaper: 'A4',
  showFullIdNumberOnTicket: false,
  folders: [],
  profiles: [],
  defaults: {},
};

export function sameTarget(a: PrinterTarget, b: PrinterTarget): boolean {
  return a.kind === b.kind && a.name === b.name;
}

/** The calibration stored for a printer; none when it was never calibrated. */
export function calibrationFor(settings: PrintingSettings, target: PrinterTarget): CalibrationOffset {
  return settings.profiles.find((p) => sameTarget(p.target, target))?.calibration ?? { dxMm: 0, dyMm: 0 };
}

/** The printer chosen for a document type, or null. */
export function defaultPrinterFor(settings: PrintingSettings, kind: DocumentKind): PrinterTarget | null {
  return settings.defaults[kind] ?? null;
}

/** Settings with one printer's profile added or replaced (immutably). */
export function withProfile(settings: PrintingSettings, profile: PrinterProfile): PrintingSettings {
  return {
    ...settings,
    profiles: [...settings.profiles.filter((p) => !sameTarget(p.target, profile.target)), profile],
  };
}

/** The CJK font for these settings (configured first, then the platform's). */
export function fontForSettings(
  settings: Pick<PrintingSettings, 'fontPath' | 'fontPostscriptName'>,
): Promise<FoundFont> {
  return findCjkFont({
    configuredPath: settings.fontPath,
    configuredPostscriptName: settings.fontPostscriptName,
  });
}
