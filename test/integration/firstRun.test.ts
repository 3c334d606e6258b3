// First run in the real extension host: the walkthrough is registered with steps whose buttons run Warden's own
// commands and whose pages ship, and the Demo model (no key, no network) plays the guided task on the sample
// workspace: a diff card, a command card, and an undo that restores the file.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TranscriptEntry } from '../../src/core/agent/transcript';
import { DEMO_COMMAND, DEMO_PROFILE_ID, DEMO_TASK } from '../../src/core/model/demoModel';
import { DEFAULT_PROFILE_ID } from '../../src/core/model/profiles';
import type { WardenApi } from '../../src/extension';
import { scriptedModel, waitFor } from './scriptedModel';

interface Walkthrough {
  id: string;
  steps: Array<{ id: string; description: string; media: { markdown?: string }; completionEvents?: string[] }>;
}

async function warden(): Promise<vscode.Extension<WardenApi>> {
  const extension = vscode.extensions.getExtension<WardenApi>('warden-dev.warden');
  assert.ok(extension, 'warden-dev.warden is loaded');
  await extension.activate();
  return extension;
}

type Approval = Extract<TranscriptEntry, { kind: 'approval' }>;
const pendingCard = (api: WardenApi): Approval | undefined =>
  api.session
    .state()
    .items.filter((item): item is Approval => item.kind === 'approval')
    .find((item) => item.request.items.some((i) => i.status === 'pending'));

describe('first run', function () {
  this.timeout(120_000);
  let extension: vscode.Extension<WardenApi>;
  let api: WardenApi;

  before(async () => {
    extension = await warden();
    api = extension.exports;
  });

  it('contributes a walkthrough whose buttons run registered Warden commands and whose pages ship', async () => {
    const manifest = extension.packageJSON as { contributes: { walkthroughs: Walkthrough[] } };
    const [walkthrough] = manifest.contributes.walkthroughs;
    assert.equal(walkthrough.id, 'warden.gettingStarted');
    const registered = new Set(await vscode.commands.getCommands(true));
    const linked = walkthrough.steps.flatMap((step) =>
      [...step.description.matchAll(/\(command:([\w.]+)/g)].map((match) => match[1]),
    );
    assert.deepEqual(
      [...new Set(linked)].sort(),
      [
        'warden.addModelProfile',
        'warden.openChat',
        'warden.selectModel',
        'warden.setApiKey',
        'warden.testModelConnection',
      ].sort(),
    );
    for (const command of linked) assert.ok(registered.has(command), `${command} is registered`);
    for (const step of walkthrough.steps) {
      const page = step.media.markdown;
      assert.ok(page && existsSync(path.join(extension.extensionPath, page)), `${step.id}: ${page} exists`);
    }
    // VS Code knows it: opening it by id does not throw.
    await vscode.commands.executeCommand(
      'workbench.action.openWalkthrough',
      'warden-dev.warden#warden.gettingStarted',
      false,
    );
  });

  it('the Demo model plays the guided task: a diff card, a command card, and undo restores the file', async () => {
    const model = scriptedModel();
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(folder);
    const cart = path.join(folder, 'src/cart.ts');
    const before = readFileSync(cart, 'utf8');
    await model?.reset();
    await api.session.newTask();
    assert.equal(await vscode.commands.executeCommand('warden.selectModel', DEMO_PROFILE_ID), true);
    try {
      assert.equal(api.modelProfiles.current().label, 'Demo model (scripted, offline)');
      const sent = api.session.send(DEMO_TASK);

      const writeCard = await waitFor(() => pendingCard(api), 'the diff card');
      assert.equal(writeCard.request.kind, 'write');
      assert.equal(writeCard.request.items[0].title, 'src/cart.ts');
      await api.session.answerApproval(writeCard.request.id, writeCard.request.items[0].id, { status: 'approved' });

      const commandCard = await waitFor(
        () => pendingCard(api)?.request.kind === 'command' && pendingCard(api),
        'the command card',
      );
      assert.equal(commandCard.request.items[0].title, DEMO_COMMAND);
      await api.session.answerApproval(commandCard.request.id, commandCard.request.items[0].id, {
        status: 'rejected',
      });
      await sent;

      const last = api.session
        .state()
        .items.filter((item) => item.kind === 'assistant')
        .at(-1);
      assert.match(last?.kind === 'assistant' ? last.text : '', /Undo Last Turn/);
      assert.match(readFileSync(cart, 'utf8'), /documented by the Warden demo/);
      assert.equal((await model?.requests())?.length ?? 0, 0, 'the scripted server was never asked');
      assert.ok(api.session.state().usage?.conversation.estimatedCalls, 'its usage is marked as an estimate');

      const undone = await api.session.undoLastTurn();
      assert.equal(undone.ok, true);
      assert.equal(readFileSync(cart, 'utf8'), before);
    } finally {
      await api.modelProfiles.select(DEFAULT_PROFILE_ID);
    }
  });
});
