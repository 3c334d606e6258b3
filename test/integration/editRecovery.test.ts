// An edit whose quote carries read_file's line-number prefixes, end to end in the real extension host: the scripted
// model reads a file, copies its numbered lines into edit_file's old_text and new_text, the user approves, and the
// real file holds exactly the intended change (CRLF line endings, tabs and a non-breaking space untouched).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { WardenApi } from '../../src/extension';
import type { TranscriptEntry } from '../../src/core/agent/transcript';
import { scriptedModel, waitFor } from './scriptedModel';

type Requests = { body?: { messages?: { role: string; content: unknown }[] } }[];
const toolResults = (requests: Requests, index: number): string[] =>
  (requests[index]?.body?.messages ?? []).filter((m) => m.role === 'tool').map((m) => String(m.content));

describe('Warden edits with a quote copied from read_file', function () {
  const server = scriptedModel();
  let api: WardenApi;
  let target: vscode.Uri;

  before(async function () {
    if (!server) this.skip();
    const extension = vscode.extensions.getExtension<WardenApi>('warden-dev.warden');
    assert.ok(extension, 'warden-dev.warden is loaded');
    api = await extension.activate();
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder);
    target = vscode.Uri.joinPath(folder, 'warden-edit-recovery.py');
  });

  beforeEach(async () => {
    await server?.reset();
    await api.session.newTask();
  });

  afterEach(async () => {
    await vscode.workspace.fs.delete(target).then(undefined, () => undefined);
  });

  it("lands byte-correct when old_text and new_text carry read_file's line-number prefixes", async () => {
    const original =
      'def area(w, h):\r\n\t"""Width\u00a0×\u00a0height."""\r\n\treturn w * h\r\n\r\n\r\nprint(area(2, 3))\r\n';
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(original));
    const numbered = '   2│\t"""Width\u00a0×\u00a0height."""\n   3│\treturn w * h';
    await server!.enqueue(
      { toolCalls: [{ name: 'read_file', arguments: { path: 'warden-edit-recovery.py' } }] },
      {
        toolCalls: [
          {
            name: 'edit_file',
            arguments: {
              path: 'warden-edit-recovery.py',
              edits: [{ old_text: numbered, new_text: numbered.replace('return w * h', 'return round(w * h, 2)') }],
            },
          },
        ],
      },
      { reply: 'Rounded the area.' },
    );

    const sending = api.session.send('round the area');
    const approval = await waitFor(
      () =>
        api.session
          .state()
          .items.find((item): item is Extract<TranscriptEntry, { kind: 'approval' }> => item.kind === 'approval'),
      'the approval card',
    );
    await api.chatView.receive({
      type: 'approve',
      requestId: approval.request.id,
      itemId: approval.request.items[0].id,
    });
    await sending;

    assert.equal(
      new TextDecoder().decode(await vscode.workspace.fs.readFile(target)),
      original.replace('\treturn w * h\r\n', '\treturn round(w * h, 2)\r\n'),
    );
    const requests = (await server!.requests()) as Requests;
    // The quote is what read_file showed the model, prefixes included…
    assert.ok(
      toolResults(requests, 1).some((result) => result.includes(numbered)),
      "old_text was copied from read_file's output",
    );
    // …and the model is told what had to be removed to find it.
    assert.ok(
      toolResults(requests, 2).some((result) => result.includes('matched only after removing line-number prefixes')),
      `the edit result says what was normalised: ${toolResults(requests, 2).join('\n')}`,
    );
  });
});
