// Warden as VS Code itself sees it: installed under its id, activates, registers every contributed
// command, contributes the chat view, and keeps the model endpoint a user-only setting.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { WardenApi } from '../../src/extension';
import type { CodeCacheReport } from '../../src/extensionLoader';
import { waitFor } from './scriptedModel';

const extensionId = 'warden-dev.warden';
const commandIds = [
  'warden.openChat',
  'warden.newTask',
  'warden.stop',
  'warden.setApiKey',
  'warden.clearApiKey',
  'warden.testModelConnection',
  'warden.selectModel',
  'warden.addModelProfile',
  'warden.undoLastTurn',
  'warden.summariseConversation',
  'warden.switchMode',
  'warden.checkCommand',
  'warden.checkPath',
  'warden.verifyAuditLog',
  'warden.openAuditLog',
  'warden.listMcpServers',
  'warden.addMcpServer',
  'warden.setMcpSecret',
  'warden.reviewMcpTools',
  'warden.addSelectionToChat',
  'warden.explainSelection',
  'warden.fixProblemsInFile',
  'warden.showSandboxStatus',
  'warden.acceptProposalChange',
  'warden.rejectProposalChange',
];

interface Manifest {
  contributes: {
    commands: { command: string }[];
    views: Record<string, { id: string; type?: string }[]>;
    viewsContainers: { activitybar: { id: string }[] };
    configuration: { properties: Record<string, { scope?: string }> };
  };
}

describe('Warden in a real VS Code extension host', () => {
  let extension: vscode.Extension<WardenApi>;
  let manifest: Manifest;

  before(async () => {
    const found = vscode.extensions.getExtension<WardenApi>(extensionId);
    assert.ok(found, `${extensionId} is loaded`);
    extension = found;
    manifest = extension.packageJSON as Manifest;
    await extension.activate();
  });

  it('is active after activate()', () => {
    assert.equal(extension.isActive, true);
  });

  it('runs dist/warden.js through the code cache: none in a new profile, one written after start-up', async () => {
    const report = (extension.exports as unknown as { codeCache?: CodeCacheReport }).codeCache;
    assert.ok(report, 'the API reports the code cache');
    assert.equal(report.state, 'absent');
    const file = report.file;
    assert.ok(file && file.includes(`${path.sep}code-cache${path.sep}warden-`), file);
    assert.ok(report.timings.compileMs > 0 && report.timings.evaluateMs > 0);
    await report.saved;
    assert.ok(fs.statSync(file).size > 10_000, 'the cache holds compiled code');
  });

  it('contributes exactly the commands these tests know', () => {
    assert.deepEqual(manifest.contributes.commands.map((c) => c.command).sort(), [...commandIds].sort());
  });

  it('registers every contributed command', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const id of commandIds) assert.ok(registered.has(id), `${id} is registered`);
  });

  it('contributes the chat as a webview view in its own activity bar container', () => {
    assert.ok(manifest.contributes.viewsContainers.activitybar.some((c) => c.id === 'warden'));
    const chat = manifest.contributes.views.warden?.find((view) => view.id === 'warden.chat');
    assert.equal(chat?.type, 'webview');
  });

  it('declares every warden.model.* setting application-scoped, so a workspace cannot redirect the API key', () => {
    const modelSettings = Object.entries(manifest.contributes.configuration.properties).filter(([key]) =>
      key.startsWith('warden.model.'),
    );
    assert.ok(modelSettings.length > 0);
    for (const [key, schema] of modelSettings) assert.equal(schema.scope, 'application', key);
  });

  it('declares warden.models application-scoped too: a workspace may choose a profile, never define one', () => {
    assert.equal(manifest.contributes.configuration.properties['warden.models']?.scope, 'application');
  });

  it('opens the chat with warden.openChat: the view shows, its page loads, and the composer takes focus', async () => {
    const api = extension.exports;
    const mark = api.chatView.postedCount;
    const focusRequests = () => api.chatView.messagesSince(mark).filter((m) => m.type === 'focusInput').length;
    await vscode.commands.executeCommand('warden.openChat');
    await waitFor(() => api.chatView.view?.visible === true, 'the chat view to be visible');
    await waitFor(() => api.chatView.readyCount > 0, 'the page to load and say ready');
    assert.equal(focusRequests(), 1, 'the page was asked to focus the composer');
  });

  it('sees the model endpoint the harness put in user settings', function () {
    const modelUrl = process.env.WARDEN_TEST_MODEL_URL;
    if (!modelUrl) this.skip();
    const model = vscode.workspace.getConfiguration('warden.model');
    assert.equal(model.get('provider'), 'openai-compatible');
    assert.equal(model.get('baseUrl'), modelUrl);
  });
});
