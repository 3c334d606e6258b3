// The extension and dist/policy-cli.js decide alike: the symlink parity table (test/fixtures/policyParity.ts)
// is built inside the open workspace, decided by the extension's live policy, then by the built CLI given
// the same settings (as VS Code reports them by scope), and every decision must match field for field.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { WardenApi } from '../../src/extension';
import {
  buildParityTree,
  PARITY_COMMANDS_ALLOWED,
  parityCases,
  trackParityFiles,
  type ParityPlaces,
} from '../fixtures/policyParity';
import { runPolicyCli, writeSettingsFiles } from './policyCliRun';

type Json = Record<string, unknown>;

describe('policy parity between the extension and policy-cli', function () {
  let api: WardenApi;
  let extension: vscode.Extension<WardenApi>;
  let places: ParityPlaces;
  let scratch: string;
  const config = () => vscode.workspace.getConfiguration('warden');

  before(async () => {
    const found = vscode.extensions.getExtension<WardenApi>('warden-dev.warden');
    assert.ok(found, 'warden-dev.warden is loaded');
    extension = found;
    api = await extension.activate();
    const root = api.workspace.folders()[0]?.path;
    assert.ok(root, 'a workspace folder is open');
    scratch = mkdtempSync(path.join(tmpdir(), 'warden-parity-'));
    places = { root, dir: path.join(root, 'warden-parity'), outside: path.join(scratch, 'outside') };
    buildParityTree(places);
    trackParityFiles(places);

    const changed = new Promise<void>((resolve) => {
      const listener = api.policyHost.onDidChange(() => {
        listener.dispose();
        resolve();
      });
    });
    await config().update('commands.allow', PARITY_COMMANDS_ALLOWED, vscode.ConfigurationTarget.Global);
    await changed;
    // List the denied files afresh (the tree and the repository are new), and load the grammar.
    api.policyHost.deniedFiles.invalidate();
    await api.policyHost.prepare();
  });

  after(async () => {
    await config().update('commands.allow', undefined, vscode.ConfigurationTarget.Global);
    rmSync(places.dir, { recursive: true, force: true });
    rmSync(path.join(places.root, '.git'), { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  });

  it('decides every row of the symlink table as the table says, and exactly as policy-cli does', () => {
    const cases = parityCases(places);
    const policy = api.policy();
    const fromExtension = cases.map(
      ({ request }) =>
        JSON.parse(
          JSON.stringify(
            'command' in request
              ? policy.decideCommand(request.command, request.cwd)
              : policy.decidePath(request.op, request.path),
          ),
        ) as Json,
    );
    const stdout = runPolicyCli(
      extension,
      ['--root', places.root, ...writeSettingsFiles(extension, scratch), '--jsonl'],
      cases.map((row) => JSON.stringify(row.request)).join('\n'),
    );
    const fromCli = stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Json);

    const wrong = (decisions: Json[]) =>
      cases
        .map((row, i) => ({ name: row.name, expected: row.expected, got: decisions[i]?.decision }))
        .filter((row) => row.got !== row.expected);
    assert.deepEqual(wrong(fromExtension), [], 'the extension');
    assert.deepEqual(wrong(fromCli), [], 'policy-cli');
    assert.equal(fromCli.length, cases.length);
    cases.forEach((row, i) => assert.deepEqual(fromCli[i], fromExtension[i], row.name));
  });
});
