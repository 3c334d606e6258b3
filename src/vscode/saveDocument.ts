// Saving a document while another save of it may be under way.
//
// VS Code refuses a save that arrives while a save of the same file runs its save participants ("refusing to
// save() recursively from save participant"): `save()` resolves false at once, and the save under way then
// writes the buffer as it is by then, ours included. Auto save does this all day in the browser, where
// `files.autoSave` defaults to afterDelay.
import * as vscode from 'vscode';

/** How long a refused save waits for the save under way; a real failure (conflict, write error) costs this much. */
export const SAVE_UNDER_WAY_WAIT_MS = 5_000;

/** Resolves 'saved' when `document` is next saved, or 'timeout' after `waitMs`. */
function nextSave(
  document: vscode.TextDocument,
  waitMs: number,
): { saved: Promise<'saved' | 'timeout'>; stop(): void } {
  const key = document.uri.toString();
  let stop = (): void => undefined;
  const saved = new Promise<'saved' | 'timeout'>((resolve) => {
    const timer = setTimeout(() => resolve('timeout'), waitMs);
    const listener = vscode.workspace.onDidSaveTextDocument((saved) => {
      if (saved.uri.toString() === key) resolve('saved');
    });
    stop = () => {
      clearTimeout(timer);
      listener.dispose();
    };
  });
  return { saved: saved.finally(stop), stop };
}

/**
 * Saves `document`; true once it is saved. A refused save waits for the save under way, and tries once more if the
 * buffer changed after that save took it. A save that fails for good returns false: VS Code has told the user why.
 */
export async function saveDocument(document: vscode.TextDocument, waitMs = SAVE_UNDER_WAY_WAIT_MS): Promise<boolean> {
  if (!document.isDirty) return true;
  // Listen before saving: the save under way may finish before save() answers.
  const next = nextSave(document, waitMs);
  try {
    if ((await document.save()) || !document.isDirty) return true;
    const outcome = await next.saved;
    if (!document.isDirty) return true;
    // No save came: this one failed for good, and trying again would only repeat VS Code's error.
    return outcome === 'saved' ? await document.save() : false;
  } catch {
    return false; // closed meanwhile
  } finally {
    next.stop();
  }
}
