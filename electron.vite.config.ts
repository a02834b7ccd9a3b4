/**
 * electron-vite 6 build of the desktop app:
 *   main     main/electron/main.ts     → out/main/index.js     (ESM, like the package; deps stay external)
 *   preload  main/electron/preload.ts  → out/preload/index.cjs (one CommonJS file: a sandboxed preload can
 *                                                               require nothing but 'electron')
 *   renderer renderer/index.html       → out/renderer/         (served to the window as app://renderer/)
 *
 * The renderer section reuses renderer/vite.config.ts (the config the headless host's build uses), so both
 * builds produce the same out/renderer. `electron-vite dev` is not supported on purpose: the window only
 * ever loads app://renderer, never an http dev server. Run `electron-vite build`, then start Electron.
 */
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import rendererConfig from './renderer/vite.config';

const root = import.meta.dirname;

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      rolldownOptions: {
        input: { index: resolve(root, 'main/electron/main.ts') },
      },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      // Bundle everything the preload imports: the sandbox has no require() for node_modules.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(root, 'main/electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    ...rendererConfig,
    root: resolve(root, 'renderer'),
    base: './',
    build: {
      ...rendererConfig.build,
      outDir: resolve(root, 'out/renderer'),
      emptyOutDir: true,
      rolldownOptions: {
        ...rendererConfig.build?.rolldownOptions,
        input: { index: resolve(root, 'renderer/index.html') },
      },
    },
  },
});
