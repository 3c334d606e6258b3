// Holds the current Policy: compiled from the merged settings and the workspace folders at most once per
// change, and recompiled when the bash grammar arrives. The grammar loads lazily (never during activation);
// until it is there every command decision is `ask`, which is safe.
import { brotliDecompressSync } from 'node:zlib';
import * as vscode from 'vscode';
import type { Logger } from '../core/ports';
import type { BashParser, loadBashGrammar } from '../core/policy/bashGrammar';
import type * as PolicyModule from '../core/policy/policyModule';
import type { EffectiveSettings, Policy, PolicyEnvironment } from '../core/policy/policy';
import { nodePolicyEnvironment } from '../node/policyEnvironment';
import { DeniedFileIndex } from './deniedFileIndex';
import { Disposable } from './disposable';
import { describeProblem, type SettingsReader } from './settingsReader';
import type { WorkspacePaths } from './workspacePaths';

/** Reads the grammar files the build packs into dist/ (brotli, see esbuild.mjs); `glue` loads web-tree-sitter's
 *  bundle (dist/grammar.js). */
export async function loadBundledGrammar(
  extensionUri: vscode.Uri,
  glue: () => typeof loadBashGrammar,
): Promise<BashParser> {
  const read = async (name: string) =>
    brotliDecompressSync(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUri, 'dist', `${name}.br`)));
  const [treeSitter, bash] = await Promise.all([read('tree-sitter.wasm'), read('tree-sitter-bash.wasm')]);
  return glue()({ treeSitter, bash });
}

export class PolicyHost extends Disposable {
  private compiled: Policy | undefined;
  private parser: BashParser | undefined;
  private grammar: Promise<void> | undefined;
  private grammarError: string | undefined;
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  /** Existing denied files, for commands that read whole directories. */
  readonly deniedFiles: DeniedFileIndex;
  /** The policy was rebuilt (settings, folders or grammar changed): warnings and labels may differ. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly settings: SettingsReader,
    private readonly paths: WorkspacePaths,
    private readonly loadGrammar: () => Promise<BashParser>,
    private readonly logger: Logger,
    /** The policy compiler and explanations, bundled apart (dist/policy.js): loaded on first use. */
    private readonly policyModule: () => typeof PolicyModule,
  ) {
    super();
    this.deniedFiles = this.register(
      new DeniedFileIndex(
        () => this.paths.folders().map((folder) => folder.path),
        () => this.policy(),
        logger,
      ),
    );
    this.register(
      settings.onDidChange(() => {
        this.deniedFiles.invalidate();
        this.invalidate();
      }),
    );
    // Folders feed both the settings (folder values) and the environment: one chain, one rebuild.
    this.register(paths.onDidChangeFolders(() => settings.invalidate()));
  }

  private invalidate(): void {
    this.compiled = undefined;
    this.changed.fire();
  }

  /** The current policy. The first call starts loading the bash grammar. */
  policy(): Policy {
    void this.ensureGrammar();
    this.compiled ??= this.policyModule().createPolicy(
      this.settings.effective(),
      this.environment(),
      this.parser,
      this.grammarError,
    );
    return this.compiled;
  }

  /** How a decision came about, for the Inspect panel. */
  explainers(): Pick<typeof PolicyModule, 'explainCommand' | 'explainPath' | 'explainRule' | 'RULE_LIST_SETTINGS'> {
    return this.policyModule();
  }

  effectiveSettings(): EffectiveSettings {
    return this.settings.effective();
  }

  warnings(): string[] {
    return this.settings.effective().problems.map(describeProblem);
  }

  get grammarLoaded(): boolean {
    return this.parser !== undefined;
  }

  /** Before a turn decides commands: the grammar is loaded and the denied files are listed. */
  async prepare(): Promise<void> {
    await Promise.all([this.ensureGrammar(), this.deniedFiles.ready()]);
  }

  /** Loads the grammar once; resolves when it is in the policy (or failed, which leaves commands at `ask`). */
  ensureGrammar(): Promise<void> {
    this.grammar ??= this.loadGrammar().then(
      (parser) => {
        this.parser = parser;
        this.logger.debug('Bash grammar loaded: command decisions are now parsed.');
        this.invalidate();
      },
      (error: unknown) => {
        this.grammarError = error instanceof Error ? error.message : String(error);
        this.logger.error(`Could not load the bash grammar, so every command is refused: ${this.grammarError}`);
        this.invalidate();
      },
    );
    return this.grammar;
  }

  /** The same Node host environment policy-cli builds; the denied-file lists come from the watched index. */
  environment(): PolicyEnvironment {
    return nodePolicyEnvironment(
      this.paths.folders().map((folder) => folder.path),
      {
        deniedFiles: () => this.deniedFiles.files(),
        trackedDeniedFiles: () => this.deniedFiles.trackedFiles(),
        deniedIdentities: () => this.deniedFiles.deniedIdentities(),
      },
    );
  }
}
