// The editor's Warden commands (context menu and palette): add the selection to the composer as a mention,
// explain it, or fix the active file's problems. Each names the file and lines as a mention, so the content
// is attached on send through the read policy like any other mention.
import * as vscode from 'vscode';
import { CHAT_VIEW_ID, type ChatView } from './chatView';
import type { MentionHost } from './mentionHost';
import type { SessionHost } from './sessionHost';

const NOT_READABLE = 'Warden: the active editor is not a workspace file Warden may read.';

export function registerMentionCommands(
  sessions: SessionHost,
  chatView: ChatView,
  mentions: MentionHost,
): vscode.Disposable[] {
  const openChat = async () => {
    await vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`);
  };
  return [
    vscode.commands.registerCommand('warden.addSelectionToChat', async () => {
      const mention = mentions.selectionMention();
      if (mention === undefined) return void vscode.window.showWarningMessage(NOT_READABLE);
      await openChat();
      chatView.post({ type: 'insertMention', text: mention });
    }),
    vscode.commands.registerCommand('warden.explainSelection', async () => {
      const mention = mentions.selectionMention();
      if (mention === undefined) return void vscode.window.showWarningMessage(NOT_READABLE);
      await openChat();
      await sessions.session.send(`Explain ${mention}`);
    }),
    vscode.commands.registerCommand('warden.fixProblemsInFile', async () => {
      const file = mentions.fileMention();
      if (file === undefined) return void vscode.window.showWarningMessage(NOT_READABLE);
      await openChat();
      await sessions.session.send(`Fix the problems in ${file.mention}: @problems:${file.path}`);
    }),
  ];
}
