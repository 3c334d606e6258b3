// The extension under test, activated: what every integration suite starts from.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { WardenApi } from '../../src/extension';

export async function warden(): Promise<WardenApi> {
  const extension = vscode.extensions.getExtension<WardenApi>('warden-dev.warden');
  assert.ok(extension, 'warden-dev.warden is loaded');
  return extension.activate();
}
