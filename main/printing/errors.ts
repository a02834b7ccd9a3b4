/**
 * The one error type of main/printing. `message` is Chinese and complete (it names the printer, folder
 * or font and quotes the system's own message); `code` is for the caller's logic and tests.
 */
export type PrintingErrorCode =
  | 'FONT_NOT_FOUND' // no usable CJK font
  | 'BAD_INPUT' // the document data cannot be laid out (e.g. too many sessions on a ticket)
  | 'PHOTO_INVALID' // a candidate photo that is not a readable JPEG/PNG
  | 'PRINTER_NOT_FOUND' // unknown printer name
  | 'PRINTER_DISABLED' // CUPS queue stopped/paused, Windows printer offline
  | 'PRINTER_REJECTING' // CUPS queue not accepting jobs
  | 'PRINTING_UNAVAILABLE' // no way to print here (CUPS not running, SumatraPDF not configured …)
  | 'JOB_FAILED'; // the system refused or failed the job, or the folder could not be written

export class PrintingError extends Error {
  override name = 'PrintingError';
  readonly code: PrintingErrorCode;
  /** The printer (or folder) concerned, when there is one. */
  readonly printer: string | null;
  /** The system's own message (CUPS/lp/SumatraPDF/OS), when there is one. */
  readonly detail: string | null;

  constructor(
    code: PrintingErrorCode,
    message: string,
    opts: { printer?: string | null; detail?: string | null; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.code = code;
    this.printer = opts.printer ?? null;
    this.detail = opts.detail ?? null;
  }
}
