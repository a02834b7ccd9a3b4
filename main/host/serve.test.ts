import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'exam-site-serve-'));
  dirs.push(d);
  return d;
}

/** Start `npm run serve`'s program as the README does (minus the renderer build) and collect its output. */
function serve(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(path.join('node_modules', '.bin', 'tsx'), ['main/host/serve.ts', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DATABASE_URL: '', EXAM_SITE_CLOCK: '', ...env },
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const started = new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const m = /考点系统已启动：(http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearInterval(timer);
        resolve(m[1]);
      }
    }, 50);
    child.once('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`exited ${code}: ${out}`));
    });
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, started, exited, output: () => out };
}

describe('the headless site host', () => {
  it('serves on 127.0.0.1 only by default, and Ctrl-C shuts it down cleanly with the data intact', async () => {
    const dir = tmp();
    const renderer = path.join(dir, 'renderer');
    fs.mkdirSync(renderer);
    fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>考点</title>');
    const data = path.join(dir, 'data');
    const host = serve(['--data', data, '--port', '0', '--renderer', renderer, '--backup-minutes', '0']);
    const url = await host.started;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(host.output()).toContain('仅本机可访问；局域网使用请加 --host 0.0.0.0');
    const page = await fetch(url);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('考点');
    const status = await fetch(`${url}/rpc/auth/status`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(((await status.json()) as { json: { needsSetup: boolean; demo: boolean } }).json).toMatchObject({
      needsSetup: true,
      demo: true,
    });
    host.child.kill('SIGINT');
    expect(await host.exited).toBe(0);
    expect(host.output()).toContain('已停止。');
    // The database was closed cleanly: no WAL left to replay.
    const wal = path.join(data, 'exam-site.sqlite-wal');
    expect(!fs.existsSync(wal) || fs.statSync(wal).size === 0).toBe(true);
  });

  it('runs on the clock given by --clock or EXAM_SITE_CLOCK, and refuses one it cannot read', async () => {
    const dir = tmp();
    const renderer = path.join(dir, 'renderer');
    fs.mkdirSync(renderer);
    fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>考点</title>');
    const base = ['--data', path.join(dir, 'data'), '--port', '0', '--renderer', renderer];
    const bad = serve(base, { EXAM_SITE_CLOCK: 'yesterday' });
    await expect(bad.started).rejects.toThrow('EXAM_SITE_CLOCK 无法识别：yesterday');
    expect(await bad.exited).toBe(2);

    const host = serve([...base, '--backup-minutes', '0', '--clock', 'fixed:2026-12-08T00:50:00Z']);
    await host.started;
    expect(host.output()).toContain(
      '时钟：fixed:2026-12-08T00:50:00Z（非系统时钟，当前 2026-12-08T00:50:00.000Z）',
    );
    host.child.kill('SIGINT');
    expect(await host.exited).toBe(0);
  });

  it('refuses to start without a built UI and says how to build it', async () => {
    const dir = tmp();
    const host = serve([
      '--data',
      path.join(dir, 'data'),
      '--port',
      '0',
      '--renderer',
      path.join(dir, 'nothing'),
    ]);
    await expect(host.started).rejects.toThrow(/npm run build:renderer/);
    expect(await host.exited).not.toBe(0);
  });
});
