// The core's key-value store over a Memento (workspace state: conversations belong to a workspace).
import type * as vscode from 'vscode';
import type { KeyValueStore } from '../core/ports';

export class MementoStore implements KeyValueStore {
  constructor(private readonly memento: vscode.Memento) {}

  get<T>(key: string): T | undefined {
    return this.memento.get<T>(key);
  }

  async set(key: string, value: unknown): Promise<void> {
    await this.memento.update(key, value);
  }
}
