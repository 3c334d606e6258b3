// The host side of @-mentions and editor context: suggestions for the composer (the file index, the special
// mentions), the active editor's context line, and the sources mentions and instruction files read besides
// files — the selection, the Warden terminal's last output, git, the user's instruction files.
import * as vscode from 'vscode';
import { pathMention, SPECIAL_MENTION_DESCRIPTIONS, SPECIAL_MENTIONS } from '../core/context/mentionSyntax';
import type { Policy } from '../core/policy/policy';
import type {
  ContextSourcesPort,
  EditorSelectionInfo,
  GitResult,
  Logger,
  TerminalOutputInfo,
  WorkspaceFolderInfo,
} from '../core/ports';
import { gitChangedFiles, gitDiff } from '../node/gitDiff';
import { WorkspaceFileIndex } from '../node/workspaceFileIndex';
import type { EditorContextView, MentionSuggestionView } from '../shared/protocol';
import { Disposable } from './disposable';

export interface MentionHostDeps {
  folders(): readonly WorkspaceFolderInfo[];
  listFiles(folder: string, signal: AbortSignal): Promise<{ paths: string[]; truncated: boolean }>;
  policy(): Policy;
  /** `warden.instructions.files` after the merge (user scope only). */
  userInstructionFiles(): readonly string[];
  lastTerminalOutput(): TerminalOutputInfo | undefined;
  /** Settings or folders changed. */
  onDidChangePolicy: vscode.Event<void>;
  /** Workspace Trust: an untrusted workspace is neither listed nor shown as context. */
  isTrusted(): boolean;
  logger: Logger;
}

export const MAX_SUGGESTIONS = 30;
/** Bursts of file events (a checkout, `npm install`) cost one re-listing, after they settle. */
const REINDEX_DELAY_MS = 1_000;
/** The longest file list a mention index holds. */
export const MAX_INDEXED_FILES = 500_000;

export class MentionHost extends Disposable implements ContextSourcesPort {
  readonly index: WorkspaceFileIndex;
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  /** The editor context changed: the chat view sends the new one. */
  readonly onDidChangeEditorContext = this.changed.event;
  private watcher: vscode.FileSystemWatcher | undefined;
  private reindexTimer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: MentionHostDeps) {
    super();
    this.index = new WorkspaceFileIndex({
      folders: deps.folders,
      listFiles: deps.listFiles,
      policy: deps.policy,
      logger: deps.logger,
    });
    this.register(
      deps.onDidChangePolicy(() => {
        this.index.invalidate();
        this.changed.fire();
      }),
    );
    this.register(vscode.window.onDidChangeActiveTextEditor(() => this.changed.fire()));
    this.register(vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire()));
    this.register(
      vscode.window.onDidChangeTextEditorSelection((event) => {
        if (event.textEditor === vscode.window.activeTextEditor) this.changed.fire();
      }),
    );
    this.register({
      dispose: () => {
        this.watcher?.dispose();
        if (this.reindexTimer !== undefined) clearTimeout(this.reindexTimer);
      },
    });
  }

  /** The Mentions list for what follows `@`: matching special mentions first, then files and folders. */
  async suggest(query: string): Promise<MentionSuggestionView[]> {
    this.watchFiles();
    const lower = query.toLowerCase();
    const specials: MentionSuggestionView[] = SPECIAL_MENTIONS.filter((name) => name.startsWith(lower)).map((name) => ({
      kind: 'special',
      label: `@${name}`,
      detail: SPECIAL_MENTION_DESCRIPTIONS[name],
      insert: `@${name}`,
    }));
    let files: MentionSuggestionView[] = [];
    // Restricted Mode reads nothing of the workspace, its file names included.
    if (!this.deps.isTrusted()) return specials;
    try {
      files = (await this.index.search(query, MAX_SUGGESTIONS)).map((hit) => ({
        kind: hit.kind,
        label: hit.path.slice(hit.path.lastIndexOf('/') + 1) + (hit.kind === 'folder' ? '/' : ''),
        detail: hit.path,
        insert: pathMention(hit.path),
      }));
    } catch (error) {
      this.deps.logger.warn(`Mentions: the workspace files could not be listed: ${errorText(error)}`);
    }
    return [...specials, ...files].slice(0, MAX_SUGGESTIONS);
  }

  /** The active editor's file and selection, when it is a workspace file the read policy allows. */
  editorContext(): EditorContextView | undefined {
    const editor = vscode.window.activeTextEditor;
    if (editor === undefined || editor.document.uri.scheme !== 'file') return undefined;
    const relative = this.readableRelative(editor.document.uri.fsPath);
    if (relative === undefined) return undefined;
    const selection = editor.selection;
    if (selection.isEmpty) return { path: relative };
    const range = selectedLines(selection);
    return { path: relative, startLine: range.start, endLine: range.end };
  }

  /** `@path#Lstart-end` for the active editor's selection (the whole line when nothing is selected). */
  selectionMention(): string | undefined {
    const editor = vscode.window.activeTextEditor;
    if (editor === undefined || editor.document.uri.scheme !== 'file') return undefined;
    const relative = this.readableRelative(editor.document.uri.fsPath);
    if (relative === undefined) return undefined;
    return pathMention(relative, selectedLines(editor.selection));
  }

  /** `@path` of the active editor's file, when it may be read. */
  fileMention(): { mention: string; path: string } | undefined {
    const editor = vscode.window.activeTextEditor;
    if (editor === undefined || editor.document.uri.scheme !== 'file') return undefined;
    const relative = this.readableRelative(editor.document.uri.fsPath);
    return relative === undefined ? undefined : { mention: pathMention(relative), path: relative };
  }

  // ---- ContextSourcesPort ----------------------------------------------------------------------------

  selection(): EditorSelectionInfo | undefined {
    const editor = vscode.window.activeTextEditor;
    if (editor === undefined || editor.document.uri.scheme !== 'file' || editor.selection.isEmpty) return undefined;
    const range = selectedLines(editor.selection);
    return {
      path: editor.document.uri.fsPath,
      startLine: range.start,
      endLine: range.end,
      text: editor.document.getText(editor.selection),
    };
  }

  lastTerminalOutput(): TerminalOutputInfo | undefined {
    return this.deps.lastTerminalOutput();
  }

  gitChangedFiles(folder: string, signal: AbortSignal): Promise<GitResult<string[]>> {
    return gitChangedFiles(folder, signal);
  }

  gitDiff(folder: string, files: readonly string[], signal: AbortSignal): Promise<GitResult<string>> {
    return gitDiff(folder, files, signal);
  }

  userInstructionFiles(): readonly string[] {
    return this.deps.userInstructionFiles();
  }

  // ---- internals --------------------------------------------------------------------------------------

  private readableRelative(path: string): string | undefined {
    if (!this.deps.isTrusted()) return undefined;
    try {
      const decision = this.deps.policy().decidePath('read', path);
      if (decision.decision !== 'allow' || decision.relative === undefined) return undefined;
      const folders = this.deps.folders();
      if (folders.length > 1) {
        const folder = folders.find((f) => f.path === decision.folder);
        if (folder !== undefined) return `${folder.name}/${decision.relative}`;
      }
      return decision.relative;
    } catch {
      return undefined;
    }
  }

  /** Created and deleted files change the suggestions: list again once a burst of changes settles. */
  private watchFiles(): void {
    if (this.watcher !== undefined || this.isDisposed) return;
    this.watcher = vscode.workspace.createFileSystemWatcher('**/*', false, true, false);
    const later = (): void => {
      if (this.reindexTimer !== undefined) clearTimeout(this.reindexTimer);
      this.reindexTimer = setTimeout(() => {
        this.reindexTimer = undefined;
        this.index.invalidate();
      }, REINDEX_DELAY_MS);
    };
    this.watcher.onDidCreate(later);
    this.watcher.onDidDelete(later);
  }
}

/** 1-based lines; a selection ending at column 0 of a line does not include that line. */
function selectedLines(selection: vscode.Selection): { start: number; end: number } {
  const start = selection.start.line + 1;
  let end = selection.end.line + 1;
  if (!selection.isEmpty && selection.end.character === 0 && end > start) end--;
  return { start, end };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
