// Reads every warden.* setting *by scope* (inspect()), so the merge can tell a user value from a value a
// repository put in .vscode/settings.json: workspace values may only narrow what the user allowed.
import * as vscode from 'vscode';
import type { Logger, UserSettingsPort } from '../core/ports';
import type { EffectiveSettings, ScopedSetting, SettingProblem, SettingsSnapshot } from '../core/policy/policy';
import { parseAutoApproveEntry } from '../core/mcp/autoApprove';
import { mergeSettings } from '../core/policy/settingsMerge';
import { Disposable } from './disposable';

const SECTION = 'warden';
const COMMAND_ALLOW_KEY = 'commands.allow';
const MCP_AUTO_APPROVE_KEY = 'mcp.autoApprove';

/**
 * In a multi-root workspace each folder can have its own value: lists are joined and numbers take the
 * smallest, i.e. the most restrictive reading; the merge then applies its only-narrow rules to the result.
 */
export function combineFolderValues(values: readonly unknown[]): unknown {
  const present = values.filter((value) => value !== undefined);
  if (present.length <= 1) return present[0];
  if (present.every(Array.isArray)) return present.flat();
  if (present.every((value) => typeof value === 'number')) return Math.min(...present);
  return present[0];
}

export function describeProblem(problem: SettingProblem): string {
  const scope =
    problem.scope === 'user'
      ? 'user settings'
      : problem.scope === 'workspace'
        ? 'workspace settings'
        : 'folder settings';
  const key = problem.key.startsWith('warden.') ? problem.key : `warden.${problem.key}`;
  return `${key} (${scope}): ${problem.message}`;
}

export class SettingsReader extends Disposable implements UserSettingsPort {
  private cached: EffectiveSettings | undefined;
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  /** A warden.* setting changed (in any scope), or `invalidate()` was called. */
  readonly onDidChange = this.changed.event;

  /** `keys` without the `warden.` prefix: every setting the manifest contributes. */
  constructor(
    private readonly keys: readonly string[],
    private readonly logger: Logger,
  ) {
    super();
    this.register(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(SECTION)) this.invalidate();
      }),
    );
  }

  /** Forget the merged settings (also called when workspace folders change: folder values differ). */
  invalidate(): void {
    this.cached = undefined;
    this.changed.fire();
  }

  snapshot(): SettingsSnapshot {
    const config = vscode.workspace.getConfiguration(SECTION);
    const folders = vscode.workspace.workspaceFolders ?? [];
    // Only a multi-root workspace has folder settings distinct from the workspace's own.
    const folderConfigs =
      folders.length > 1 ? folders.map((folder) => vscode.workspace.getConfiguration(SECTION, folder.uri)) : [];
    const snapshot: Record<string, ScopedSetting> = {};
    for (const key of this.keys) {
      const inspected = config.inspect(key);
      snapshot[key] = {
        defaultValue: inspected?.defaultValue,
        globalValue: inspected?.globalValue,
        workspaceValue: inspected?.workspaceValue,
        workspaceFolderValue: combineFolderValues(
          folderConfigs.map((folderConfig) => folderConfig.inspect(key)?.workspaceFolderValue),
        ),
      };
    }
    return snapshot;
  }

  /** The merged settings, computed once per change; every problem is logged when it is computed. */
  effective(): EffectiveSettings {
    if (this.cached === undefined) {
      this.cached = mergeSettings(this.snapshot());
      for (const problem of this.cached.problems)
        this.logger.warn(`Setting ignored or invalid — ${describeProblem(problem)}`);
    }
    return this.cached;
  }

  /** After a modal confirmation, adds `entry` to warden.commands.allow in the user's settings — never the ' +
    'workspace's. */
  async addCommandAllowEntry(entry: string): Promise<boolean> {
    const clean = entry.trim();
    if (clean === '' || clean.length > 500 || /[\r\n\0]/.test(clean)) return false;
    const config = vscode.workspace.getConfiguration(SECTION);
    const current = config.inspect<unknown>(COMMAND_ALLOW_KEY)?.globalValue;
    const list = Array.isArray(current) ? current.filter((item): item is string => typeof item === 'string') : [];
    if (list.includes(clean)) return true;
    const choice = await vscode.window.showWarningMessage(
      `Always allow "${clean}" without asking? This adds it to warden.commands.allow in your user settings.`,
      { modal: true, detail: 'Risky options, redirections and environment assignments are still checked every time.' },
      'Always Allow',
    );
    if (choice !== 'Always Allow') return false;
    await config.update(COMMAND_ALLOW_KEY, [...list, clean], vscode.ConfigurationTarget.Global);
    this.logger.info(`Added "${clean}" to warden.commands.allow (user settings).`);
    return true;
  }

  /** After a modal confirmation, adds `entry` (`<server>__<tool>`) to warden.mcp.autoApprove in the user's
   *  settings. The approved call waits for this answer. */
  async addMcpAutoApproveEntry(entry: string): Promise<boolean> {
    const parsed = parseAutoApproveEntry(entry);
    if (!parsed.ok || parsed.entry.tool === '*') return false;
    const clean = parsed.entry.value;
    const config = vscode.workspace.getConfiguration(SECTION);
    const current = config.inspect<unknown>(MCP_AUTO_APPROVE_KEY)?.globalValue;
    const list = Array.isArray(current) ? current.filter((item): item is string => typeof item === 'string') : [];
    if (list.includes(clean)) return true;
    const choice = await vscode.window.showWarningMessage(
      `Always allow the MCP tool "${parsed.entry.tool}" of the server "${parsed.entry.server}" without asking? ` +
        `This adds "${clean}" to warden.mcp.autoApprove in your user settings.`,
      {
        modal: true,
        detail:
          'Its calls will run without a card (still logged). If the server changes its tools, they are withheld ' +
          'until you review the change.',
      },
      'Always Allow',
    );
    if (choice !== 'Always Allow') return false;
    await config.update(MCP_AUTO_APPROVE_KEY, [...list, clean], vscode.ConfigurationTarget.Global);
    this.logger.info(`Added "${clean}" to warden.mcp.autoApprove (user settings).`);
    return true;
  }
}
