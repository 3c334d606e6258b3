// Lint enforces the layers: core is pure, shared imports nothing, the webview talks only through shared.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltinsWithEffects = [
  'fs',
  'node:fs',
  'fs/promises',
  'node:fs/promises',
  'child_process',
  'node:child_process',
];

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
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...['vscode', ...nodeBuiltinsWithEffects].map((name) => ({
              name,
              message: 'src/core is pure: side effects go through a port in src/core/ports.ts.',
            })),
          ],
          patterns: [
            {
              group: ['**/vscode/**', '**/webview/**'],
              message: 'src/core must not import the VS Code adapters or the webview.',
            },
          ],
        },
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
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['*', '!./*'], message: 'src/shared imports nothing.' }] },
      ],
    },
  },
  {
    files: ['src/webview/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'The webview talks to the host only through src/shared/protocol.ts.' }],
          patterns: [
            {
              group: ['**/core/**', '**/vscode/**', 'node:*'],
              message: 'The webview imports only src/shared and browser libraries.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['test/unit/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'Unit tests run without VS Code.' }],
          patterns: [{ group: ['**/src/vscode/**'], message: 'Unit tests never import the VS Code adapters.' }],
        },
      ],
    },
  },
  { files: ['**/*.mjs', '**/*.cjs', '**/*.js'], languageOptions: { globals: { ...globals.node } } },
);
