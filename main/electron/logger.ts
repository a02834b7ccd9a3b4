import { appendFile } from 'node:fs/promises';

/**
 * A small logger for the Electron shell. ESLint forbids console.log; info goes to stdout, warnings and
 * errors to stderr, and everything is also appended to a log file once one is set (userData/data/logs).
 * The shape ({ info, warn, error, debug }) is what electron-updater accepts as its logger.
 */
export interface Logger {
  info(message: unknown, ...details: unknown[]): void;
  warn(message: unknown, ...details: unknown[]): void;
  error(message: unknown, ...details: unknown[]): void;
  debug(message: unknown, ...details: unknown[]): void;
}

type Level = 'debug' | 'info' | 'warn' | 'error';

let logFile: string | undefined;
/** Appends run one after another, so lines keep their order in the file. */
let pending: Promise<void> = Promise.resolve();

/** Also append log lines to this file (undefined stops it). */
export function setLogFile(file: string | undefined): void {
  logFile = file;
}

function describe(detail: unknown): string {
  if (detail instanceof Error) return detail.stack ?? `${detail.name}: ${detail.message}`;
  if (typeof detail === 'string') return detail;
  try {
    return JSON.stringify(detail);
  } catch {
    return String(detail);
  }
}

function write(level: Level, scope: string, message: unknown, details: unknown[]): void {
  if (level === 'debug' && process.env.EXAM_SITE_DEBUG !== '1') return;
  const line = [
    new Date().toISOString(),
    level.toUpperCase(),
    `[${scope}]`,
    describe(message),
    ...details.map(describe),
  ].join(' ');
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else {
    try {
      process.stdout.write(`${line}\n`);
    } catch {
      // A GUI process on Windows may have no usable stdout; the log file still gets the line.
    }
  }
  const file = logFile;
  if (file) {
    pending = pending
      .then(() => appendFile(file, `${line}\n`, 'utf8'))
      .catch(() => {
        // Never let logging take the app down (disk full, folder removed…).
      });
  }
}

export function createLogger(scope: string): Logger {
  return {
    info: (message, ...details) => write('info', scope, message, details),
    warn: (message, ...details) => write('warn', scope, message, details),
    error: (message, ...details) => write('error', scope, message, details),
    debug: (message, ...details) => write('debug', scope, message, details),
  };
}
