// ESLint flat config. The layering rule below is how the import direction is enforced:
// renderer → shared, main → shared, shared imports neither, and 'electron' only under main/electron/.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const nodeBuiltins = [
  'node:*',
  'fs',
  'path',
  'os',
  'crypto',
  'child_process',
  'http',
  'net',
  'stream',
  'url',
  'worker_threads',
];

// What every main/ folder outside main/electron/ may not import; some folders add a rule of their own.
const mainNoElectron = [{ name: 'electron', message: "'electron' is imported only under main/electron/." }];
const mainPatterns = [
  { group: ['**/renderer/**'], message: 'main/ never imports renderer/.' },
  { group: ['electron/*', 'electron-updater'], message: 'Electron modules live under main/electron/.' },
];
const mainImports = (...extra) => ['error', { paths: mainNoElectron, patterns: [...mainPatterns, ...extra] }];

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'out/**',
      'dist/**',
      'coverage/**',
      'test-results/**',
      'playwright-report/**',
      '.tmp/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['eslint.config.js', 'scripts/*.mjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
      globals: { ...globals.node },
    },
    rules: {
      curly: ['error', 'multi-line'],
      'no-console': ['error', { allow: ['warn', 'error'] }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  // ---- layering -------------------------------------------------------------------------------
  {
    files: ['shared/**/*.ts', 'shared/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron', ...nodeBuiltins.filter((n) => !n.includes('*'))],
          patterns: [
            {
              group: ['**/main/**', '**/renderer/**'],
              message: 'shared/ imports neither main/ nor renderer/.',
            },
            { group: ['node:*'], message: 'shared/ is pure TypeScript: no Node modules.' },
            { group: ['react', 'react-dom', '@mantine/*'], message: 'shared/ has no UI code.' },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    ignores: ['renderer/vite.config.ts'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron', ...nodeBuiltins.filter((n) => !n.includes('*'))],
          patterns: [
            {
              group: ['**/main/**'],
              message: 'renderer/ talks to main/ only through the contract in shared/.',
            },
            { group: ['node:*'], message: 'renderer/ runs in a sandboxed browser: no Node modules.' },
          ],
        },
      ],
    },
  },
  {
    files: ['main/**/*.ts'],
    ignores: ['main/electron/**'],
    rules: { 'no-restricted-imports': mainImports() },
  },
  // The composition root (main/core/: openCore, services, seed) imports every feature; only the shells
  // (main/host/, main/electron/) and the RPC layer may import it, so imports never run feature → root.
  {
    files: ['main/**/*.ts'],
    ignores: ['main/core/**', 'main/host/**', 'main/electron/**', 'main/rpc/**'],
    rules: {
      'no-restricted-imports': mainImports({
        group: ['**/core', '**/core/*', '!@mantine/core'],
        message:
          'main/core/ is the composition root: only main/host/, main/electron/ and main/rpc/ import it. Take what you need from main/base/ or the feature.',
      }),
    },
  },
  // main/base/ is the bottom layer (errors, logger, clock, kernel, events): it imports nothing from main/.
  {
    files: ['main/base/**/*.ts'],
    rules: {
      'no-restricted-imports': mainImports({
        // '../x' from main/base/ is main/x; '../../shared/…' and '../../package.json' are allowed.
        regex: '^\\.\\./(?!\\.\\./)',
        message: 'main/base/ imports nothing from main/: it is the layer every feature stands on.',
      }),
    },
  },
  {
    files: ['main/electron/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/renderer/**'], message: 'main/ never imports renderer/.' }] },
      ],
    },
  },
  {
    files: ['test/**/*.ts', '**/*.test.ts', '**/*.test.tsx'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
