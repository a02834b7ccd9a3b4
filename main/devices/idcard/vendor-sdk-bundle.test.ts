/**
 * The helper as the installer ships it (scripts/stage-idcard-helper.mjs → resources/idcard-helper): the
 * esbuild bundle run by a plain node with koffi beside it — no tsx, no sources. Here it runs on this
 * machine's Node against the fake vendor library; the Windows runtime (node-win-x86) and koffi's ia32 part
 * are only fetched for the installer and cannot run here.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ANY_OS_ENV } from './helper/serve';
import { helperEnv, packagedHelperLaunch, VendorSdkReader } from './vendor-sdk-driver';
import { SYNTHETIC_SAM_ID, syntheticCardText } from '../../../test/fixtures/idcard-helper/synthetic-card';
import { buildFakeDll, cCompiler } from '../../../test/fixtures/idcard-helper/compiler';

const CC = cCompiler();
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const dirs: string[] = [];
const tmp = (): string => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'idcard-bundle-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

it('the installed app starts the helper from resources/idcard-helper with the 32-bit node.exe', () => {
  const launch = packagedHelperLaunch(path.join('C:', 'Program Files', 'exam-site', 'resources'));
  expect(launch.command).toBe(
    path.join('C:', 'Program Files', 'exam-site', 'resources', 'idcard-helper', 'node-win-x86', 'node.exe'),
  );
  expect(launch.args).toEqual([
    path.join('C:', 'Program Files', 'exam-site', 'resources', 'idcard-helper', 'helper-main.mjs'),
  ]);
});

describe.skipIf(CC === null)(
  'the staged helper bundle (needs a C compiler for the fake vendor library)',
  () => {
    it('reads a card through the bundle and the koffi copied beside it, with no sources around', async () => {
      const out = tmp();
      execFileSync(
        process.execPath,
        [path.join(ROOT, 'scripts/stage-idcard-helper.mjs'), '--out', out, '--bundle-only'],
        {
          stdio: 'pipe',
        },
      );
      expect(fs.existsSync(path.join(out, 'helper-main.mjs'))).toBe(true);
      expect(fs.existsSync(path.join(out, 'node_modules/koffi/package.json'))).toBe(true);

      const lib = path.join(tmp(), 'fake-sdtapi.so');
      buildFakeDll(CC!, 'fake-sdtapi', lib);
      const textFile = path.join(tmp(), 'card.bin');
      fs.writeFileSync(textFile, syntheticCardText());

      const reader = new VendorSdkReader({
        flavour: 'sdtapi',
        dll: lib,
        helper: {
          // The bundle is copied away from the repository so nothing can be resolved from the sources.
          command: process.execPath,
          args: [path.join(out, 'helper-main.mjs')],
          env: { ...helperEnv(), [ANY_OS_ENV]: '1', FAKE_SDT_TEXT: textFile },
          cwd: tmp(),
        },
        timeouts: { helloMs: 60_000, openMs: 30_000, readMs: 30_000, queryMs: 30_000, closeMs: 5_000 },
      });
      try {
        await reader.open();
        expect(reader.status()).toEqual({ state: 'ready', samId: SYNTHETIC_SAM_ID });
        expect(reader.diagnostics().hello).toMatchObject({ flavour: 'sdtapi', dllPath: lib });
        const card = await reader.read();
        expect(card).toMatchObject({ name: '张三', idNumber: '11010519491231002X', validUntil: 'long-term' });
      } finally {
        await reader.close();
      }
    });
  },
);
