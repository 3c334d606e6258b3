// Recording fakes of the context sources (editor, terminal, git) and the real policy, for the context tests.
import type { ContextSourcesPort, EditorSelectionInfo, GitResult, TerminalOutputInfo } from '../../../src/core/ports';
export { bashParser, realPolicy } from '../fakes/realPolicy';

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
