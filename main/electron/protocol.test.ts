import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, createRendererProtocolHandler, resolveRendererFile } from './protocol';

const SECRET = 'TOP-SECRET-OUTSIDE-THE-RENDERER';
const base = mkdtempSync(path.join(tmpdir(), 'exam-site-protocol-'));
const root = path.join(base, 'out', 'renderer');
let handler: (request: Request) => Promise<Response>;

beforeAll(() => {
  mkdirSync(path.join(root, 'assets'), { recursive: true });
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>职业技能等级认定考点系统</title>');
  writeFileSync(path.join(root, 'assets', 'app.js'), 'console.warn("hi")');
  writeFileSync(path.join(base, 'secret.txt'), SECRET);
  writeFileSync(path.join(base, 'out', 'secret.txt'), SECRET);
  mkdirSync(path.join(base, 'out', 'renderer-evil'), { recursive: true });
  writeFileSync(path.join(base, 'out', 'renderer-evil', 'x.txt'), SECRET);
  handler = createRendererProtocolHandler(root);
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

function get(url: string, method = 'GET'): Promise<Response> {
  return handler(new Request(url, { method }));
}

describe('app:// protocol handler', () => {
  it('serves index.html with a strict Content-Security-Policy', async () => {
    const response = await get('app://renderer/index.html');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await response.text()).toContain('职业技能等级认定考点系统');
    const csp = response.headers.get('content-security-policy');
    expect(csp).toBe(CONTENT_SECURITY_POLICY);
    for (const directive of [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data: blob:",
      "media-src 'self' blob: mediastream:",
      "connect-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
    ]) {
      expect(csp!.split('; ')).toContain(directive);
    }
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('serves / as index.html and assets with their MIME type', async () => {
    expect(await (await get('app://renderer/')).text()).toContain('<title>');
    const js = await get('app://renderer/assets/app.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it.each([
    'app://renderer/../../secret.txt',
    'app://renderer/../../etc/passwd',
    'app://renderer/..%2F..%2Fsecret.txt',
    'app://renderer/%2e%2e/%2e%2e/secret.txt',
    'app://renderer/%2e%2e%2f%2e%2e%2fsecret.txt',
    'app://renderer/assets/..%2F..%2F..%2Fsecret.txt',
    'app://renderer/..%5C..%5Csecret.txt',
    'app://renderer/%2E%2E%5C%2E%2E%5Csecret.txt',
    'app://renderer/..%2F..%2Frenderer-evil%2Fx.txt',
    `app://renderer/${encodeURIComponent(path.join(base, 'secret.txt'))}`,
    'app://renderer/index.html%00.js',
  ])('refuses path traversal: %s', async (url) => {
    const response = await get(url);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(await response.text()).not.toContain(SECRET);
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it('refuses other hosts and malformed escapes', async () => {
    expect((await get('app://other/index.html')).status).toBe(403);
    expect((await get('app://renderer/%E0%A4%A')).status).toBe(403);
    // Encoded separators survive URL parsing; the handler itself must catch them.
    expect((await get('app://renderer/..%2F..%2Fsecret.txt')).status).toBe(403);
    expect((await get('app://renderer/..%5C..%5Csecret.txt')).status).toBe(403);
  });

  it('refuses methods other than GET and HEAD', async () => {
    expect((await get('app://renderer/index.html', 'POST')).status).toBe(405);
    const head = await get('app://renderer/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('answers 404 for a missing file (the renderer routes with the hash, no fallback)', async () => {
    expect((await get('app://renderer/assets/missing.js')).status).toBe(404);
    expect((await get('app://renderer/roster/2026')).status).toBe(404);
    expect((await get('app://renderer/assets')).status).toBe(404);
  });
});

describe('resolveRendererFile', () => {
  it('keeps every resolved path inside the root', () => {
    expect(resolveRendererFile(root, 'app://renderer/assets/app.js')).toBe(
      path.join(root, 'assets', 'app.js'),
    );
    expect(resolveRendererFile(root, 'app://renderer/..%2Fsecret.txt')).toBeUndefined();
    expect(resolveRendererFile(root, 'https://renderer/index.html')).toBeUndefined();
  });
});
