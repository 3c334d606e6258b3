// Where history and checkpoints live: the extension's storage for this workspace (a window without a folder
// uses the global storage). The number of conversations kept is a user setting, read at every write: a
// repository's settings must never be able to delete the user's history, so only the user's value counts.
import { join } from 'node:path';
import * as vscode from 'vscode';
import { ConversationArchive, DEFAULT_ARCHIVE_LIMITS } from '../node/conversationArchive';
import { SnapshotStore } from '../node/snapshotStore';

const MAX_CONVERSATIONS = 1_000;

function maxConversations(): number {
  const value = vscode.workspace.getConfiguration('warden').inspect<unknown>('history.maxConversations')?.globalValue;
  if (typeof value !== 'number' || !Number.isFinite(value)) return DEFAULT_ARCHIVE_LIMITS.maxConversations;
  return Math.min(MAX_CONVERSATIONS, Math.max(1, Math.floor(value)));
}

export function historyStores(storagePath: string): { history: ConversationArchive; snapshots: SnapshotStore } {
  return {
    history: new ConversationArchive(join(storagePath, 'history'), () => ({
      ...DEFAULT_ARCHIVE_LIMITS,
      maxConversations: maxConversations(),
    })),
    snapshots: new SnapshotStore(join(storagePath, 'checkpoints')),
  };
}
