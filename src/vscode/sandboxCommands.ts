// "Warden: Show Sandbox Status": what the sandbox enforces on this machine, what it does not, and when it
// cannot start, why and the fix. Probes again first, so installing bubblewrap shows at once.
import * as vscode from 'vscode';
import type { CommandSandbox } from './commandSandbox';

export function registerSandboxCommands(sandbox: CommandSandbox): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('warden.showSandboxStatus', async () => {
      await sandbox.refresh();
      const content = await sandbox.report();
      const document = await vscode.workspace.openTextDocument({ content, language: 'markdown' });
      await vscode.window.showTextDocument(document, { preview: true });
    }),
  ];
}
