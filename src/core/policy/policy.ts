// The policy the agent consults: built from settings by `createPolicy`, rebuilt on every settings change.
import type { ObservedEntries } from '../ports';
import type { CommandDecision, FileOperation, PathDecision } from './decision';

export interface Limits {
  maxToolCallsPerTurn: number;
  /** Longest user message. */
  maxInputChars: number;
  /** Longest tool result sent to the model (longer is truncated with a visible marker). */
  maxToolOutputChars: number;
  commandTimeoutSeconds: number;
  /** Identical calls (same tool and arguments) allowed per turn before the turn stops as a loop. */
  maxRepeatedCalls: number;
}

/** A setting that was ignored or invalid: always reported, never silently dropped. */
export interface SettingProblem {
  key: string;
  scope: 'user' | 'workspace' | 'workspaceFolder';
  message: string;
}

/** VS Code's `inspect()` result for one key, which is also what the CLI builds from settings files. */
export interface ScopedSetting {
  defaultValue?: unknown;
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

/** Keys without the `warden.` prefix, e.g. `permissions.read`. */
export type SettingsSnapshot = Readonly<Record<string, ScopedSetting | undefined>>;

/** The policy's file-system view is a port: it lives with the others in ../ports. */
export type { PolicyEnvironment } from '../ports';

export interface Policy {
  readonly limits: Limits;
  readonly problems: readonly SettingProblem[];
  /** `path` is absolute, `~`-relative or relative to the first workspace folder. */
  decidePath(op: FileOperation, path: string): PathDecision;
  /**
   * Many paths at once (a command's change set), each decided as `decidePath` would, with the file system
   * asked about each folder once for the batch rather than once per path below it. `observed`: the host's
   * lstat of some of these paths, just taken, used instead of asking again (see fileSystemSnapshot).
   */
  decidePaths(op: FileOperation, paths: readonly string[], observed?: ObservedEntries): PathDecision[];
  /**
   * Reading a file the user named in user settings (`warden.instructions.files`): allowed outside the workspace
   * too, except where a built-in secret denial or a deny glob matches; inside, the ordinary read decision.
   */
  decideUserFile(path: string): PathDecision;
  /** Needs the bash grammar loaded (see `loadBashGrammar`); before that every command is `ask`. */
  decideCommand(command: string, cwd: string): CommandDecision;
  /** The "Always allow" entry an asked command is offered (e.g. `git status`), or none where naming the command
   *  would allow more than this line (wrappers, package runners, expanded names). */
  alwaysAllowEntry(decision: CommandDecision): string | undefined;
  /**
   * Whether reading this existing workspace file (absolute) is denied: by name, or for a symlink by where
   * it leads. Used to list the denied files that commands reading whole directories are checked against.
   */
  isDeniedFile(path: string, isSymlink: boolean): boolean;
  /** True when a write the path policy allowed may skip the approval card. Never for protected files. */
  autoApprovesWrite(decision: PathDecision): boolean;
  /** Removes secret-shaped values before text reaches the model or a log. */
  redact(text: string): string;
}

/** One glob or command entry together with the settings scope it came from. */
export interface RuleEntry {
  value: string;
  source: import('./decision').DecisionSource;
}

/** Settings after the merge: workspace values can only narrow what user settings allow. */
export interface EffectiveSettings {
  read: RuleEntry[];
  write: RuleEntry[];
  /** Built-in secret/.git denials are not listed here; the path policy always applies them. */
  deny: RuleEntry[];
  commandAllow: RuleEntry[];
  commandDeny: RuleEntry[];
  autoApproveWrites: RuleEntry[];
  limits: Limits;
  /** warden.model.*: the endpoint of the default profile. */
  model: import('../model/types').ModelEndpointConfig;
  mcp: McpSettings;
  /** `warden.sandbox.*`: the mode (a workspace only narrows it) and the domains commands may reach (user only). */
  sandbox: { mode: import('../sandbox/sandboxSpec').SandboxMode; allowedDomains: string[] };
  /** The user's model profiles, never empty; the first is used where the workspace chose none. */
  modelProfiles: import('../model/profiles').ModelProfile[];
  /** `warden.instructions.files`, user settings only: the user's own instruction files. */
  instructionFiles: string[];
  problems: SettingProblem[];
}

/** `warden.mcp.*` after the merge. */
export interface McpSettings {
  /** The user's own servers (`warden.mcp.servers` in user settings). */
  servers: import('../mcp/serverConfig').McpServerDefinition[];
  /** Servers a workspace value defines: repository definitions, started only after the user approves each. */
  workspaceServers: import('../mcp/serverConfig').McpServerDefinition[];
  /** User settings only. */
  autoApprove: import('../mcp/autoApprove').AutoApproveEntry[];
}
