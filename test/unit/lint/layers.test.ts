// The layer rules of eslint.config.mjs, run as `npm run lint` runs them, on small sources at virtual paths:
// each zone must still fail on what it forbids and pass what it allows, so the rules cannot silently rot.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ESLint } from 'eslint';

/** Either form of the import rule counts (the TypeScript one also sees `import x = require()`). */
const IMPORTS = 'no-restricted-imports';
const GLOBALS = 'no-restricted-globals';
const SYNTAX = 'no-restricted-syntax';

let eslint: ESLint;

before(() => {
  eslint = new ESLint({ cwd: join(__dirname, '../../..') });
});

/** The rule ids ESLint reports for `code` at `filePath` (a parse error fails the test instead). */
async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  const fatal = result.messages.find((message) => message.fatal);
  assert.equal(fatal, undefined, fatal?.message);
  return result.messages.map((message) => message.ruleId ?? '');
}

interface Row {
  name: string;
  file: string;
  code: string;
  rule?: string;
}

/** A source whose only content is the import, its names re-exported so nothing is unused. */
const importing = (names: string, from: string): string => `import { ${names} } from '${from}';\nexport { ${names} };`;

const forbidden: readonly Row[] = [
  // src/core: an allow-list of imports, no process, no dynamic loading.
  { name: 'core imports node:net', file: 'src/core/policy/x.ts', code: importing('connect', 'node:net') },
  {
    name: 'core imports os',
    file: 'src/core/x.ts',
    code: "import * as os from 'os';\nexport const home = os.homedir();",
  },
  { name: 'core imports node:http', file: 'src/core/agent/x.ts', code: importing('request', 'node:http') },
  { name: 'core imports node:fs', file: 'src/core/edits/x.ts', code: importing('readFileSync', 'node:fs') },
  { name: 'core imports vscode', file: 'src/core/tools/x.ts', code: importing('Uri', 'vscode') },
  {
    name: 'core imports a type from vscode',
    file: 'src/core/x.ts',
    code: "import type { Uri } from 'vscode';\nexport type U = Uri;",
  },
  {
    name: 'core uses import-equals for fs',
    file: 'src/core/x.ts',
    code: "import fs = require('node:fs');\nexport { fs };",
  },
  { name: 'core imports an unnamed npm package', file: 'src/core/x.ts', code: importing('parse', 'yaml') },
  { name: 'core imports join from node:path', file: 'src/core/x.ts', code: importing('join', 'node:path') },
  {
    name: 'core imports randomBytes from node:crypto',
    file: 'src/core/x.ts',
    code: importing('randomBytes', 'node:crypto'),
  },
  {
    name: 'core imports src/node',
    file: 'src/core/policy/x.ts',
    code: importing('hostPlatform', '../../node/fileSystemView'),
  },
  {
    name: 'core imports the webview protocol',
    file: 'src/core/agent/x.ts',
    code: importing('TranscriptItem', '../../shared/protocol'),
  },
  {
    name: 'core imports an adapter',
    file: 'src/core/policy/x.ts',
    code: importing('Disposable', '../../vscode/disposable'),
  },
  {
    name: 'core sneaks out with ./..',
    file: 'src/core/policy/x.ts',
    code: importing('Disposable', './../../vscode/disposable'),
  },
  {
    name: 'core climbs out through a core folder',
    file: 'src/core/policy/x.ts',
    code: importing('main', '../agent/../../cli/policyCli'),
  },
  {
    name: 'core reads process.env',
    file: 'src/core/model/x.ts',
    code: 'export const key = process.env.OPENAI_API_KEY;',
    rule: GLOBALS,
  },
  {
    name: 'core reads process.platform',
    file: 'src/core/x.ts',
    code: 'export const platform = process.platform;',
    rule: GLOBALS,
  },
  {
    name: 'core reaches process through globalThis',
    file: 'src/core/x.ts',
    code: 'export const env = globalThis.process.env;',
    rule: GLOBALS,
  },
  {
    name: 'core imports a built-in dynamically',
    file: 'src/core/x.ts',
    code: "export const load = () => import('node:child_process');",
    rule: SYNTAX,
  },
  {
    name: 'core requires a built-in',
    file: 'src/core/x.ts',
    code: "export const fs = require('node:fs');",
    rule: SYNTAX,
  },
  // src/node and src/cli never reach VS Code.
  { name: 'node imports vscode', file: 'src/node/x.ts', code: importing('workspace', 'vscode') },
  { name: 'node imports an adapter', file: 'src/node/x.ts', code: importing('PolicyHost', '../vscode/policyHost') },
  { name: 'node imports the webview', file: 'src/node/x.ts', code: importing('renderMarkdown', '../webview/markdown') },
  {
    name: 'node climbs to an adapter through core',
    file: 'src/node/x.ts',
    code: importing('PolicyHost', '../core/../vscode/policyHost'),
  },
  { name: 'cli imports vscode', file: 'src/cli/x.ts', code: importing('workspace', 'vscode') },
  {
    name: 'cli imports an adapter',
    file: 'src/cli/x.ts',
    code: importing('WorkspacePaths', '../vscode/workspacePaths'),
  },
  // src/shared imports nothing; the webview only src/shared and its browser libraries.
  {
    name: 'shared imports core',
    file: 'src/shared/x.ts',
    code: importing('createPolicy', '../core/policy/createPolicy'),
  },
  {
    name: 'webview imports core',
    file: 'src/webview/x.ts',
    code: importing('redactSecrets', '../core/policy/redaction'),
  },
  {
    name: 'webview climbs out through shared',
    file: 'src/webview/x.ts',
    code: importing('Policy', '../shared/../core/policy/policy'),
  },
  {
    name: 'shared sneaks out with ./..',
    file: 'src/shared/x.ts',
    code: importing('Policy', './../core/policy/policy'),
  },
  { name: 'webview imports node:fs', file: 'src/webview/x.ts', code: importing('readFileSync', 'node:fs') },
  // Unit tests run without VS Code.
  {
    name: 'a unit test imports an adapter',
    file: 'test/unit/x.test.ts',
    code: importing('PolicyHost', '../../src/vscode/policyHost'),
  },
  { name: 'a unit test imports vscode', file: 'test/unit/x.test.ts', code: importing('workspace', 'vscode') },
];

const allowed: readonly Row[] = [
  {
    name: 'core imports core files, its named packages and the pure helpers',
    file: 'src/core/edits/x.ts',
    code: [
      "import { posix } from 'node:path';",
      "import { createHash } from 'node:crypto';",
      "import { minimatch } from 'minimatch';",
      "import { diffLines } from 'diff';",
      "import type { Stream } from 'openai/streaming';",
      "import type { Policy } from '../policy/policy';",
      "import { summarize } from './changeSummary';",
      'export type S = Stream<Policy>;',
      'export const used = [posix, createHash, minimatch, diffLines, summarize];',
    ].join('\n'),
  },
  {
    name: 'a core file at the top imports a core folder',
    file: 'src/core/x.ts',
    code: importing('createPolicy', './policy/createPolicy'),
  },
  { name: 'node imports Node built-ins', file: 'src/node/x.ts', code: importing('readFileSync', 'node:fs') },
  { name: 'node imports core', file: 'src/node/x.ts', code: importing('createPolicy', '../core/policy/createPolicy') },
  { name: 'cli imports Node built-ins', file: 'src/cli/x.ts', code: importing('spawnSync', 'node:child_process') },
  {
    name: 'cli imports src/node',
    file: 'src/cli/x.ts',
    code: importing('nodePolicyEnvironment', '../node/policyEnvironment'),
  },
  {
    name: 'the webview imports src/shared',
    file: 'src/webview/x.ts',
    code: importing('isHostMessage', '../shared/protocol'),
  },
  { name: 'the webview imports its browser libraries', file: 'src/webview/x.ts', code: importing('marked', 'marked') },
  {
    name: 'a unit test imports src/node',
    file: 'test/unit/x.test.ts',
    code: importing('hostPlatform', '../../src/node/fileSystemView'),
  },
];

describe('the layer rules', () => {
  for (const row of forbidden) {
    test(`fail when ${row.name}`, async () => {
      const ids = await ruleIds(row.code, row.file);
      const rule = row.rule ?? IMPORTS;
      const fired = ids.some((id) => id === rule || id === `@typescript-eslint/${rule}`);
      assert.ok(fired, `expected ${rule}, got ${JSON.stringify(ids)}`);
    });
  }

  for (const row of allowed) {
    test(`pass when ${row.name}`, async () => {
      assert.deepEqual(await ruleIds(row.code, row.file), []);
    });
  }
});
