// The Demo model through a real session: on the guided task it reads the file, proposes an edit (a write card),
// proposes a command (a command card) and explains undo — and Undo Last Turn then puts the file back.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createDemoModelClient, demoReply, DEMO_COMMAND, DEMO_TASK } from '../../../src/core/model/demoModel';
import { abs } from '../fakes/memoryWorkspace';
import { Harness } from '../fakes/sessionHarness';

const CART = [
  'export interface CartItem {',
  '  unitPrice: number;',
  '}',
  '',
  'export function cartTotal(items: CartItem[]): number {',
  '  return items.reduce((sum, item) => sum + item.unitPrice, 0);',
  '}',
  '',
].join('\n');

describe('the Demo model', () => {
  test('the guided task shows a diff card, then a command card, then explains undo', async () => {
    const demo = createDemoModelClient();
    const h = new Harness({
      files: { 'src/cart.ts': CART },
      createModelClient: () => demo,
      policy: { writeAsk: ['src/**'] },
    });
    await h.session.send(DEMO_TASK);
    const cards = h.approvalRequests();
    assert.deepEqual(
      cards.map((card) => card.kind),
      ['write', 'command'],
    );
    assert.equal(cards[1].items[0].title, DEMO_COMMAND);
    assert.equal(
      h.workspace.text(abs('src/cart.ts')),
      CART.replace(
        'export function cartTotal',
        '/** cartTotal: documented by the Warden demo. */\nexport function cartTotal',
      ),
    );
    const last = h.itemsOf('assistant').at(-1)?.text ?? '';
    assert.match(last, /Undo Last Turn/);
    assert.ok(
      h.emitted('modelUsage').every((event) => event.usage.usage.source === 'estimated'),
      'marked estimates',
    );

    const undone = await h.session.undoLastTurn();
    assert.equal(undone.ok, true);
    assert.equal(h.workspace.text(abs('src/cart.ts')), CART);
  });

  test('without a file named it greets, says it is the Demo model and suggests the guided task', () => {
    const reply = demoReply([{ role: 'user', content: 'hello' }], ['read_file']);
    assert.deepEqual(reply.toolCalls, []);
    assert.match(reply.text, /Demo model/);
    assert.match(reply.text, new RegExp(DEMO_TASK.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')));
  });

  test('a file that cannot be read ends the script with the reason', () => {
    const reply = demoReply(
      [
        { role: 'user', content: 'document missing.ts' },
        {
          role: 'assistant',
          content: null,
          toolCalls: [{ id: 'c1', name: 'read_file', arguments: '{"path":"missing.ts"}' }],
        },
        { role: 'tool', toolCallId: 'c1', content: 'Error: missing.ts does not exist.' },
      ],
      ['read_file', 'edit_file', 'run_command'],
    );
    assert.deepEqual(reply.toolCalls, []);
    assert.match(reply.text, /could not read `missing\.ts` \(Error: missing\.ts does not exist\.\)/);
  });
});
