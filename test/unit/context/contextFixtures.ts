// The real policy (createPolicy over merged user settings and the bash grammar) over an in-memory
// workspace, and recording fakes of the context sources (editor, terminal, git), for the context tests.
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { loadBashGrammar, type BashParser } from '../../../src/core/policy/bashGrammar';
import { createPolicy } from '../../../src/core/policy/createPolicy';
import type { Policy, SettingsSnapshot } from '../../../src/core/policy/policy';
import { mergeSettings } from '../../../src/core/policy/settingsMerge';
import type { ContextSourcesPort, EditorSelectionInfo, GitResult, TerminalOutputInfo } from '../../../src/core/ports';
import { MemoryWorkspace, ROOT } from '../fakes/memoryWorkspace';

let parser: BashParser | undefined;

export async function bashParser(): Promise<BashParser> {
  parser ??= await loadBashGrammar({
    treeSitter: readFileSync(require.resolve('web-tree-sitter/tree-sitter.wasm')),
    bash: readFileSync(require.resolve('tree-sitter-bash/tree-sitter-bash.wasm')),
  });
  return parser;
}

/** A path exists when it is a file of the workspace or has files below it. */
export function realPolicy(workspace: MemoryWorkspace, user: Record<string, unknown> = {}, bash?: BashParser): Policy {
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
    },
    bash,
  );
}

export class FakeSources implements ContextSourcesPort {
  selectionInfo: EditorSelectionInfo | undefined;
  terminal: TerminalOutputInfo | undefined;
  changed: GitResult<string[]> = { ok: true, value: [] };
  /** The files each gitDiff call was asked for. */
  readonly diffCalls: string[][] = [];
  userFiles: string[] = [];

  selection(): EditorSelectionInfo | undefined {
    return this.selectionInfo;
  }

  lastTerminalOutput(): TerminalOutputInfo | undefined {
    return this.terminal;
  }

  async gitChangedFiles(): Promise<GitResult<string[]>> {
    return this.changed;
  }

  async gitDiff(_folder: string, files: readonly string[]): Promise<GitResult<string>> {
    this.diffCalls.push([...files]);
    return { ok: true, value: files.map((file) => `diff --git a/${file} b/${file}\n+changed ${file}`).join('\n') };
  }

  userInstructionFiles(): readonly string[] {
    return this.userFiles;
  }
}

export const NEVER = new AbortController().signal;
