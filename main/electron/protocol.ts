import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { APP_HOST, APP_SCHEME, parseUrl } from './origin';

/**
 * The app:// protocol: serves the built renderer (out/renderer) to our windows.
 *
 * Registered as a privileged, standard, secure scheme (registerAppScheme, before 'ready') so that the page
 * has a real origin (app://renderer), fetch works, and the strict Content-Security-Policy below applies.
 * Requests are confined to the renderer folder: anything that resolves outside it is refused.
 */

/** CSP for every response. Mantine writes inline styles, hence 'unsafe-inline' for style-src only. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob: mediastream:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The privilege block for protocol.registerSchemesAsPrivileged. */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true },
} as const;

const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
  '.pdf': 'application/pdf',
};

function securityHeaders(contentType: string): Headers {
  return new Headers({
    'Content-Type': contentType,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-cache',
  });
}

function refuse(status: number, text: string): Response {
  return new Response(text, { status, headers: securityHeaders('text/plain; charset=utf-8') });
}

/**
 * Map a request URL to a file inside rootDir, or undefined when the request must be refused
 * (wrong scheme or host, malformed escapes, NUL bytes, or a path that leaves rootDir — including
 * encoded forms such as ..%2F..%2Fetc%2Fpasswd or ..%5C on Windows).
 */
export function resolveRendererFile(rootDir: string, rawUrl: string): string | undefined {
  const url = parseUrl(rawUrl);
  const onOurHost = url?.protocol === `${APP_SCHEME}:` && url.hostname === APP_HOST && url.port === '';
  if (!url || !onOurHost) return undefined;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return undefined;
  }
  if (pathname.includes('\0')) return undefined;
  if (pathname === '' || pathname === '/') pathname = '/index.html';
  const root = path.resolve(rootDir);
  // Treat both separators alike, so a decoded backslash cannot smuggle a step up on Windows.
  const segments = pathname.split(/[\\/]+/).filter((s) => s !== '');
  if (segments.some((s) => s === '..' || s === '.')) return undefined;
  const file = path.resolve(root, ...segments);
  const relative = path.relative(root, file);
  if (
    relative === '' ||
    relative === '..' ||
    relative.startsWith(`..${path.sep}`) ||
    path.isAbsolute(relative)
  ) {
    return undefined;
  }
  return file;
}

async function readIfFile(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/**
 * The handler for protocol.handle('app', …). Only GET and HEAD; every response carries the CSP.
 * No fallback to index.html: the renderer routes with the URL hash, so every real request names a file.
 */
export function createRendererProtocolHandler(rootDir: string): (request: Request) => Promise<Response> {
  const root = path.resolve(rootDir);
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, 'Method Not Allowed');
    const file = resolveRendererFile(root, request.url);
    if (!file) return refuse(403, 'Forbidden');
    const body = await readIfFile(file);
    if (!body) return refuse(404, 'Not Found');
    const type = MIME_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: securityHeaders(type),
    });
  };
}
