/**
 * Printing settings: a zod schema (for storing them and for the contract), the defaults, and the
 * look-ups the print path needs (default printer per document, calibration per printer, the font).
 */
import type { z } from 'zod';
import {
  calibrationSchema,
  printerProfileSchema,
  printingSettingsSchema as sharedSettingsSchema,
} from '../../shared/contract/printing';
import { findCjkFont, type FoundFont } from './fonts';
import type {
  CalibrationOffset,
  DocumentKind,
  PrinterProfile,
  PrinterTarget,
  PrintingSettings,
} from './types';

/** The schemas are shared with the contract (shared/contract/printing.ts); they must describe PrintingSettings. */
export const printingSettingsSchema = sharedSettingsSchema satisfies z.ZodType<PrintingSettings>;
export { calibrationSchema, printerProfileSchema };

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
