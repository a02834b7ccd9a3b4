import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface RunningHost {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

/**
 * Start `main/host/serve.ts` (what `npm run serve` runs) on a fresh data folder and a free port, and wait
 * for its "started" line. The renderer must have been built (npm run test:e2e does it).
 */
export async function startHost(
  opts: { demo?: boolean; env?: NodeJS.ProcessEnv; listen?: string } = {},
): Promise<RunningHost> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'exam-site-e2e-'));
  const args = ['tsx', 'main/host/serve.ts', '--data', dataDir, '--port', '0', '--backup-minutes', '0'];
  if (opts.demo === false) args.push('--no-demo');
  if (opts.listen) args.push('--host', opts.listen);
  const child: ChildProcess = spawn(path.join('node_modules', '.bin', 'tsx'), args.slice(1), {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...opts.env, DATABASE_URL: '' },
  });
  let log = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`host did not start in 60 s:\n${log}`)), 60_000);
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      const m = /考点系统已启动：(http:\/\/\S+)/.exec(log);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => (log += c.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`host exited with ${code}:\n${log}`));
    });
  });
  return {
    url,
    dataDir,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGINT');
        await exited;
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
