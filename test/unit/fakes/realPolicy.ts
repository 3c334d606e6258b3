// The real policy (createPolicy over merged user settings and the tree-sitter bash grammar) over an in-memory
// workspace: tests that need the decisions the extension actually makes.
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { loadBashGrammar, type BashParser } from '../../../src/core/policy/bashGrammar';
import { createPolicy } from '../../../src/core/policy/createPolicy';
import type { Policy, PolicyEnvironment, SettingsSnapshot } from '../../../src/core/policy/policy';
import { mergeSettings } from '../../../src/core/policy/settingsMerge';
import { MemoryWorkspace, ROOT } from './memoryWorkspace';

let parser: BashParser | undefined;

export async function bashParser(): Promise<BashParser> {
  parser ??= await loadBashGrammar({
    treeSitter: readFileSync(require.resolve('web-tree-sitter/tree-sitter.wasm')),
    bash: readFileSync(require.resolve('tree-sitter-bash/tree-sitter-bash.wasm')),
  });
  return parser;
}

/** A path exists when it is a file of the workspace or has files below it; `env` adds to the environment. */
export function realPolicy(
  workspace: MemoryWorkspace,
  user: Record<string, unknown> = {},
  bash?: BashParser,
  env: Partial<PolicyEnvironment> = {},
): Policy {
  const snapshot: SettingsSnapshot = Object.fromEntries(
    Object.entries(user).map(([key, value]) => [key, { globalValue: value }]),
  );
  return createPolicy(
    mergeSettings(snapshot),
    {
      workspaceFolders: [ROOT],
      homeDir: '/home/u',
      caseInsensitive: false,
      platform: 'posix',
      realpath: (path) => {
        const normal = posix.normalize(path);
        if (normal === '/' || normal === '/home' || normal === '/home/u' || normal === ROOT) return normal;
        return [...workspace.files.keys()].some((file) => file === normal || file.startsWith(`${normal}/`))
          ? normal
          : undefined;
      },
      ...env,
    },
    bash,
  );
}
