// Ownership without ceremony: whatever a class registers is disposed with it, newest first.
import type * as vscode from 'vscode';

export class Disposable implements vscode.Disposable {
  private readonly owned: vscode.Disposable[] = [];
  private disposed = false;

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Takes ownership of `value`; registering on a disposed owner disposes `value` at once. */
  register<T extends vscode.Disposable>(value: T): T {
    if (this.disposed) value.dispose();
    else this.owned.push(value);
    return value;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    // One failing dispose must not leave the rest (processes, listeners) alive.
    for (const value of this.owned.splice(0).reverse()) {
      try {
        value.dispose();
      } catch (error) {
        console.error('[warden] dispose failed', error);
      }
    }
  }
}
