// Runs the built dist/policy-cli.js from inside the extension host, with the settings VS Code holds written
// as the settings files the CLI reads: so a test can compare the CLI's answer with the extension's.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

type Json = Record<string, unknown>;

/** Every warden.* value VS Code holds, by scope, written as the settings files policy-cli reads. */
export function writeSettingsFiles(extension: vscode.Extension<unknown>, folder: string): string[] {
  const manifest = extension.packageJSON as { contributes: { configuration: { properties: Record<string, unknown> } } };
  const config = vscode.workspace.getConfiguration('warden');
  const user: Json = {};
  const workspace: Json = {};
  for (const key of Object.keys(manifest.contributes.configuration.properties)) {
    const inspected = config.inspect(key.slice('warden.'.length));
    if (inspected?.globalValue !== undefined) user[key] = inspected.globalValue;
    if (inspected?.workspaceValue !== undefined) workspace[key] = inspected.workspaceValue;
  }
  const userFile = path.join(folder, 'user.json');
  const workspaceFile = path.join(folder, 'workspace.json');
  writeFileSync(userFile, JSON.stringify(user));
  writeFileSync(workspaceFile, JSON.stringify(workspace));
  return ['--settings', userFile, '--workspace-settings', workspaceFile];
}

/** `node dist/policy-cli.js ARGS` with the extension host's Node; stdout. */
export function runPolicyCli(extension: vscode.Extension<unknown>, args: readonly string[], input?: string): string {
  const cli = path.join(extension.extensionPath, 'dist', 'policy-cli.js');
  return execFileSync(process.execPath, [cli, ...args], {
    input,
    encoding: 'utf8',
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
}
