// The extension's entry (dist/extension.js): loads the extension itself, dist/warden.js, through V8's code cache
// (src/node/codeCache.ts) kept in the extension's global storage, and hands over to it.
import { join } from 'node:path';
import type * as vscode from 'vscode';
import { CODE_CACHE_FOLDER, loadWithCodeCache, type CodeCacheLoad, type CodeCacheState } from './node/codeCache';

interface Extension {
  activate(context: vscode.ExtensionContext): unknown;
  deactivate?(): unknown;
}

/** On the extension's API as `codeCache`: whether this start used the cache, and when a new one is written. */
export interface CodeCacheReport {
  state: CodeCacheState;
  file: string | undefined;
  timings: CodeCacheLoad['timings'];
  /** Settles once the cache this start wrote is on disk (at once when it used one). */
  saved: Promise<void>;
}

let loaded: CodeCacheLoad | undefined;

export function activate(context: vscode.ExtensionContext): unknown {
  const cacheDir = join(context.globalStorageUri.fsPath, CODE_CACHE_FOLDER);
  loaded = loadWithCodeCache(join(__dirname, 'warden.js'), cacheDir, require);
  const load = loaded;
  const saving = load.saveAfterStartUp();
  context.subscriptions.push(saving);
  const api = (load.exports as unknown as Extension).activate(context);
  if (typeof api === 'object' && api !== null) {
    const report: CodeCacheReport = { state: load.cache, file: load.file, timings: load.timings, saved: saving.saved };
    Object.defineProperty(api, 'codeCache', { value: report });
  }
  return api;
}

export function deactivate(): unknown {
  return (loaded?.exports as unknown as Extension | undefined)?.deactivate?.();
}
