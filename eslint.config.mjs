// Lint enforces the layers, banning by default: src/core imports only what is named below, src/node and
// src/cli never reach VS Code, src/shared imports nothing, the webview talks only through src/shared.
// test/unit/lint/layers.test.ts proves each zone still fails on what it forbids.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/** The npm packages src/core may import (with their subpaths). */
const CORE_PACKAGES = ['minimatch', 'diff', 'openai', 'web-tree-sitter', 'jsonc-parser'];
/** Node built-ins src/core may import, and only these pure functions of them. */
const CORE_PURE_HELPERS = { 'node:path': ['posix'], 'node:crypto': ['createHash'] };
/** The browser libraries the webview bundles. */
const WEBVIEW_PACKAGES = ['dompurify', 'marked'];
/** Folder depths below src/core that get their own relative-import allowance (deeper files get the least). */
const CORE_MAX_DEPTH = 5;

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const packages = (names) => names.map((name) => `${escape(name)}(?:/.*)?`).join('|');

/** After a relative specifier's leading part, no `..` segment: `./../../vscode/x` does not sneak out. */
const NO_CLIMB_AFTER = '(?!(?:.*/)?\\.\\.(?:/|$))';

/** The import specifiers src/core allows in a file `depth` folders below it (relative ones stay in core). */
function coreAllowedSpecifier(depth) {
  const climb = depth === 0 ? '\\./' : `(?:\\./|(?:\\.\\./){1,${depth}})`;
  const inCore = `${climb}${NO_CLIMB_AFTER}`;
  const helpers = Object.keys(CORE_PURE_HELPERS).map(escape).join('|');
  return `^(?:${inCore}|(?:${packages(CORE_PACKAGES)})$|(?:${helpers})$)`;
}

function coreImports(depth) {
  return {
    files: [`src/core/${'*/'.repeat(depth)}*.ts`],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: Object.entries(CORE_PURE_HELPERS).map(([name, allowImportNames]) => ({
            name,
            allowImportNames,
            message: `src/core may use only ${allowImportNames.join(', ')} of ${name}: it is pure.`,
          })),
          patterns: [
            {
              regex: `^(?!${coreAllowedSpecifier(depth).slice(1)})`,
              message:
                'src/core imports only src/core, the packages named in eslint.config.mjs and pure helpers; ' +
                'side effects go through a port in src/core/ports.ts.',
            },
          ],
        },
      ],
    },
  };
}

const PURITY = 'src/core is pure: the host reaches it only through a port in src/core/ports.ts.';

/** Names that would reach the process, the module system or the network from core. */
const CORE_FORBIDDEN_GLOBALS = [
  'process',
  'require',
  'module',
  'exports',
  '__dirname',
  '__filename',
  'global',
  'Buffer',
  'fetch',
  'XMLHttpRequest',
  'WebSocket',
  'globalThis',
];

/** Imports of VS Code, its adapters or the webview, from anywhere below src/. */
const vscodeAndAdapters = (message, extraFolders = []) => ({
  paths: [{ name: 'vscode', message }],
  patterns: [{ regex: `^\\.{1,2}/(?:.*/)?(?:${['vscode', 'webview', ...extraFolders].join('|')})(?:/|$)`, message }],
});

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'test-results/**', '.vscode-test/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      // Prettier wraps code at 120; this catches what it cannot (long strings and comments).
      'max-len': ['error', { code: 120, ignoreUrls: true, ignoreRegExpLiterals: true, ignorePattern: 'String\\.raw`' }],
    },
  },
  // src/core: an allow-list of imports, per folder depth (relative imports may not climb out of core).
  ...Array.from({ length: CORE_MAX_DEPTH + 1 }, (_, depth) => coreImports(depth)),
  {
    files: [`src/core/${'*/'.repeat(CORE_MAX_DEPTH + 1)}**/*.ts`],
    rules: coreImports(0).rules,
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', ...CORE_FORBIDDEN_GLOBALS.map((name) => ({ name, message: PURITY }))],
      'no-restricted-syntax': [
        'error',
        { selector: 'ImportExpression', message: `${PURITY} Core loads nothing dynamically.` },
        { selector: "CallExpression[callee.name='require']", message: PURITY },
      ],
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
    },
  },
  {
    files: ['src/node/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        vscodeAndAdapters('src/node is shared by the extension and policy-cli: it never imports VS Code.', ['cli']),
      ],
    },
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        vscodeAndAdapters('policy-cli runs without VS Code: it reaches the host through src/node.'),
      ],
    },
  },
  {
    files: ['src/node/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'src/node is shared by the extension and the CLI: no vscode.' }],
          patterns: [
            {
              group: ['**/vscode/**', '**/webview/**'],
              message: 'src/node must not import the adapters or the webview.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ regex: `^(?!\\./${NO_CLIMB_AFTER})`, message: 'src/shared imports nothing.' }] },
      ],
    },
  },
  {
    files: ['src/webview/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^(?!(?:\\./|\\.\\./shared/)${NO_CLIMB_AFTER}|(?:${packages(WEBVIEW_PACKAGES)})$)`,
              message:
                'The webview imports only src/shared and the browser libraries named in eslint.config.mjs; ' +
                'it talks to the host through src/shared/protocol.ts.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['test/unit/**/*.ts', 'test/node/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'Unit tests run without VS Code.' }],
          patterns: [{ regex: '(?:^|/)src/vscode(?:/|$)', message: 'Unit tests never import the VS Code adapters.' }],
        },
      ],
    },
  },
  { files: ['**/*.mjs', '**/*.cjs', '**/*.js'], languageOptions: { globals: { ...globals.node } } },
);
