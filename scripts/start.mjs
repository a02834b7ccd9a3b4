#!/usr/bin/env node
// `npm start`: the desktop application where an Electron binary exists; everywhere else the headless
// site host with demo data, opened at http://127.0.0.1:8080 (extra arguments go to the host).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

function electronBinary() {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) return process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const pathTxt = path.join('node_modules', 'electron', 'path.txt');
  if (!fs.existsSync(pathTxt)) return null;
  const exe = path.join('node_modules', 'electron', 'dist', fs.readFileSync(pathTxt, 'utf8').trim());
  return fs.existsSync(exe) ? exe : null;
}

const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

const electron = electronBinary();
if (electron) {
  run('npx', ['electron-vite', 'build']);
  run(electron, ['.']);
} else {
  process.stdout.write('未找到 Electron 可执行文件：以无界面考点主机方式启动（浏览器访问）。\n');
  run('npm', ['run', '-s', 'serve', '--', ...process.argv.slice(2)]);
}
