/**
 * main/printing: exact-size PDFs (准考证, 座位标签, 签到表, 校准页) composed with pdfkit and a CJK font,
 * and printing them without scaling (CUPS, Windows via SumatraPDF, or a folder). See README.md.
 */
export * from './types';
export { PrintingError, type PrintingErrorCode } from './errors';
export { cjkFontCandidates, findCjkFont, readFontFaces, type FontCandidate, type FoundFont } from './fonts';
export {
  ADMISSION_TICKET_TEMPLATES,
  DEFAULT_TICKET_RULES,
  defaultTicketNotes,
  renderAdmissionTickets,
  TICKET_TITLE,
  type AdmissionTicketTemplate,
  type TicketRules,
} from './admission-ticket';
export { renderSeatLabels, seatLabelFields, seatLabelGrid } from './seat-labels';
export {
  renderSignInSheet,
  renderSignInSheets,
  SIGN_IN_SHEET_TEMPLATE,
  signInPageCount,
  type SignInSheetTemplate,
} from './sign-in-sheet';
export { CALIBRATION_MARK_MM, calibrationFromMeasurement, renderCalibrationPage } from './calibration-page';
export {
  fieldTop,
  formatSessionTime,
  mm,
  PAPER,
  paperPt,
  PT_PER_MM,
  type Box,
  type TextField,
} from './layout';
export {
  cupsPageSize,
  cupsQueueState,
  listPrinters,
  printPdf,
  type CommandRunner,
  type PrinterSystemOptions,
} from './printers';
export {
  calibrationFor,
  DEFAULT_PRINTING_SETTINGS,
  defaultPrinterFor,
  fontForSettings,
  printingSettingsSchema,
  withProfile,
} from './settings';
