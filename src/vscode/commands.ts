// The Warden commands of the manifest. Each is a thin call into the session or the key store.
import * as vscode from 'vscode';
import type { Mode } from '../core/tools/toolRegistry';
import { CHAT_VIEW_ID, type ChatView } from './chatView';
import type { ApiKeyStore } from './secrets';
import type { SessionHost } from './sessionHost';

export function registerCommands(sessions: SessionHost, chatView: ChatView, apiKeys: ApiKeyStore): vscode.Disposable[] {
  const register = (id: string, run: () => unknown) => vscode.commands.registerCommand(id, run);
  return [
    register('warden.openChat', async () => {
      await vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`);
      chatView.post({ type: 'focusInput' });
    }),
    register('warden.newTask', () => sessions.session.newTask()),
    register('warden.stop', () => sessions.existing?.stop()),
    register('warden.setApiKey', () => apiKeys.promptAndStore()),
    register('warden.clearApiKey', () => apiKeys.clearWithMessage()),
    register('warden.undoLastTurn', async () => {
      const result = await sessions.session.undoLastTurn();
      if (result.ok) {
        const files = result.restored.length === 1 ? '1 file' : `${result.restored.length} files`;
        void vscode.window.showInformationMessage(`Warden: undid the last turn (${files} restored).`);
      } else {
        void vscode.window.showWarningMessage(`Warden: ${result.message}`);
      }
    }),
    register('warden.summariseConversation', () => sessions.session.summariseConversation()),
    register('warden.switchMode', async () => {
      const current = sessions.session.mode;
      const items: (vscode.QuickPickItem & { mode: Mode })[] = [
        {
          label: 'Agent',
          mode: 'agent',
          description: 'Reads, proposes edits and runs commands — every step checked by your policy',
        },
        { label: 'Ask', mode: 'ask', description: 'Answers and reads files; never writes or runs anything' },
      ];
      for (const item of items) if (item.mode === current) item.detail = 'Current mode';
      const picked = await vscode.window.showQuickPick(items, {
        title: 'Warden: Switch Mode',
        placeHolder: 'How may Warden act?',
      });
      if (picked !== undefined) sessions.session.setMode(picked.mode);
    }),
  ];
}
