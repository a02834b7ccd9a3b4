/** A minimal structured logger: one line of JSON per event on stderr (the host's log). */
function write(level: 'info' | 'warn' | 'error', msg: string, extra?: unknown): void {
  const line: Record<string, unknown> = { t: new Date().toISOString(), level, msg };
  if (extra instanceof Error) line.error = { name: extra.name, message: extra.message, stack: extra.stack };
  else if (extra !== undefined) line.extra = extra;
  process.stderr.write(JSON.stringify(line) + '\n');
}

export const logger = {
  info: (msg: string, extra?: unknown) => write('info', msg, extra),
  warn: (msg: string, extra?: unknown) => write('warn', msg, extra),
  error: (msg: string, extra?: unknown) => write('error', msg, extra),
};
