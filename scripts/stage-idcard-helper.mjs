#!/usr/bin/env node
/**
 * Stage the ID card helper for the Windows installer (main/devices/idcard/helper/README.md, way A):
 *
 *   <out>/helper-main.mjs                          the helper bundled with esbuild (koffi left outside)
 *   <out>/node_modules/koffi/                      koffi as installed here
 *   <out>/node_modules/@koromix/koffi-win32-ia32/  koffi's 32-bit Windows native part (npm pack)
 *   <out>/node-win-x86/node.exe                    32-bit Node 22 (npm pack node-win-x86)
 *
 * electron-builder.yml ships <out> as resources/idcard-helper (outside app.asar: a plain node.exe cannot
 * read asar), and packagedHelperLaunch(process.resourcesPath) starts it. The two Windows packages are
 * fetched with the ordinary npm client from the registry; their versions are pinned below.
 *
 * Usage: node scripts/stage-idcard-helper.mjs [--out DIR] [--bundle-only]
 *   --bundle-only  only the bundle, koffi and koffi's native part for this machine (what the tests run
 *                  with plain node here).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** 32-bit Node for the helper: Electron ≥ 44 has no ia32 build and Node ≥ 23 no 32-bit Windows build. */
export const WINDOWS_RUNTIME = 'node-win-x86@22.23.2';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function koffiVersion() {
  return JSON.parse(fs.readFileSync(path.join(root, 'node_modules/koffi/package.json'), 'utf8')).version;
}

/** Bundle the helper into `out`/helper-main.mjs and copy koffi beside it. */
export async function bundleHelper(out) {
  fs.mkdirSync(out, { recursive: true });
  await build({
    entryPoints: [path.join(root, 'main/devices/idcard/helper/helper-main.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    external: ['koffi'],
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    // iconv-lite is CommonJS and require()s node built-ins: give the ESM bundle a require.
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
    outfile: path.join(out, 'helper-main.mjs'),
  });
  const koffiOut = path.join(out, 'node_modules/koffi');
  fs.rmSync(koffiOut, { recursive: true, force: true });
  fs.cpSync(path.join(root, 'node_modules/koffi'), koffiOut, {
    recursive: true,
    // The bundled Node-API headers and the docs are only for building koffi from source.
    filter: (src) => !/[\\/]koffi[\\/](vendor|doc)([\\/]|$)/.test(src),
  });
  return path.join(out, 'helper-main.mjs');
}

/** npm pack `spec` into a scratch folder and unpack its `package/` folder into `dest`. */
function fetchPackage(spec, dest) {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'exam-site-stage-'));
  try {
    const name = execFileSync('npm', ['pack', spec, '--silent'], { cwd: scratch, encoding: 'utf8' })
      .trim()
      .split('\n')
      .pop();
    execFileSync('tar', ['xzf', name], { cwd: scratch });
    fs.rmSync(dest, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.cpSync(path.join(scratch, 'package'), dest, { recursive: true });
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

export async function stage({ out, bundleOnly }) {
  const bundle = await bundleHelper(out);
  if (bundleOnly) {
    const host = `@koromix/koffi-${process.platform}-${process.arch}`;
    fs.cpSync(path.join(root, 'node_modules', host), path.join(out, 'node_modules', host), {
      recursive: true,
    });
    return { bundle };
  }
  fetchPackage(
    `@koromix/koffi-win32-ia32@${koffiVersion()}`,
    path.join(out, 'node_modules/@koromix/koffi-win32-ia32'),
  );
  const runtime = path.join(out, 'node-win-x86');
  const unpacked = path.join(out, '.node-win-x86-package');
  fetchPackage(WINDOWS_RUNTIME, unpacked);
  fs.mkdirSync(runtime, { recursive: true });
  fs.renameSync(path.join(unpacked, 'bin/node.exe'), path.join(runtime, 'node.exe'));
  fs.rmSync(unpacked, { recursive: true, force: true });
  for (const required of [
    'helper-main.mjs',
    'node-win-x86/node.exe',
    'node_modules/koffi/package.json',
    'node_modules/@koromix/koffi-win32-ia32/win32_ia32/koffi.node',
  ]) {
    if (!fs.existsSync(path.join(out, required))) throw new Error(`staging incomplete: ${required} missing`);
  }
  return { bundle };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const outAt = args.indexOf('--out');
  const out = path.resolve(
    outAt >= 0 && args[outAt + 1] ? args[outAt + 1] : path.join(root, '.tmp/idcard-helper'),
  );
  const bundleOnly = args.includes('--bundle-only');
  stage({ out, bundleOnly }).then(
    () => process.stdout.write(`ID card helper staged in ${out}${bundleOnly ? ' (bundle only)' : ''}\n`),
    (e) => {
      console.error(`staging the ID card helper failed: ${e instanceof Error ? e.message : String(e)}`);
      process.exit(1);
    },
  );
}
