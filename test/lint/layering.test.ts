import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

/**
 * The import direction is enforced by ESLint, not by memory: renderer → shared, main → shared,
 * shared imports neither, and 'electron' only under main/electron/. These cases lint real code
 * through the project's own eslint.config.js.
 */
const eslint = new ESLint({
  cwd: process.cwd(),
  // The snippets are not files of the TypeScript project, so lint them without type information;
  // the layering rules themselves come unchanged from eslint.config.js.
  overrideConfig: [
    { languageOptions: { parserOptions: { projectService: false, project: null } } },
    tseslint.configs.disableTypeChecked,
  ],
});

async function layeringErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import layering', () => {
  it('refuses renderer code that imports from main/', async () => {
    const errors = await layeringErrors(
      'renderer/features/roster/bad.ts',
      "import { openCore } from '../../../main/core';\nexport const x = openCore;\n",
    );
    expect(errors.join('\n')).toContain('renderer/ talks to main/ only through the contract');
  });

  it('refuses Node modules and electron in the renderer', async () => {
    const errors = await layeringErrors(
      'renderer/features/roster/bad.ts',
      "import fs from 'node:fs';\nimport { ipcRenderer } from 'electron';\nexport const x = [fs, ipcRenderer];\n",
    );
    expect(errors).toHaveLength(2);
  });

  it('refuses electron in the core, outside main/electron/', async () => {
    const errors = await layeringErrors(
      'main/roster/bad.ts',
      "import { app } from 'electron';\nexport const x = app;\n",
    );
    expect(errors.join('\n')).toContain("'electron' is imported only under main/electron/");
  });

  it('refuses Node, main/ and UI imports in shared/', async () => {
    const errors = await layeringErrors(
      'shared/domain/bad.ts',
      "import os from 'node:os';\nimport { logger } from '../../main/base/logger';\nimport { Button } from '@mantine/core';\nexport const x = [os, logger, Button];\n",
    );
    expect(errors).toHaveLength(3);
  });

  it('refuses a feature that imports the composition root (main/core/)', async () => {
    const errors = await layeringErrors(
      'main/checkin/bad.ts',
      "import type { Services } from '../core/services';\nimport { openCore } from '../core';\nexport const x: Services | typeof openCore = openCore;\n",
    );
    expect(errors).toHaveLength(2);
    expect(errors[0]).toContain('main/core/ is the composition root');
  });

  it('refuses main/base/ importing anything else of main/', async () => {
    const errors = await layeringErrors(
      'main/base/bad.ts',
      "import { appendAudit } from '../audit/chain';\nexport const x = appendAudit;\n",
    );
    expect(errors.join('\n')).toContain('main/base/ imports nothing from main/');
  });

  it('allows the directions the design allows', async () => {
    expect(
      await layeringErrors(
        'renderer/features/roster/ok.ts',
        "import { contract } from '../../../shared/contract';\nexport const x = contract;\n",
      ),
    ).toEqual([]);
    expect(
      await layeringErrors('main/electron/ok.ts', "import { app } from 'electron';\nexport const x = app;\n"),
    ).toEqual([]);
    // The shells and the RPC layer build on the composition root; features build on main/base/.
    for (const file of ['main/host/ok.ts', 'main/electron/ok2.ts', 'main/rpc/ok.ts']) {
      expect(
        await layeringErrors(file, "import { openCore } from '../core';\nexport const x = openCore;\n"),
      ).toEqual([]);
    }
    expect(
      await layeringErrors(
        'main/checkin/ok.ts',
        "import { appError } from '../base/errors';\nimport { maskIdNumber } from '../../shared/domain/id-types';\nexport const x = [appError, maskIdNumber];\n",
      ),
    ).toEqual([]);
    expect(
      await layeringErrors(
        'main/base/ok.ts',
        "import type { SiteEvent } from '../../shared/contract/events';\nimport { systemClock } from './clock';\nexport type E = SiteEvent;\nexport const c = systemClock;\n",
      ),
    ).toEqual([]);
  });
});
