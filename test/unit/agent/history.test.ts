// Conversation history in the session: New Task keeps the conversation, History lists and reopens it, and a
// stored file that is not a conversation is reported without touching the open one.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { conversationTitle } from '../../../src/core/agent/conversationHistory';
import { MemoryArchive } from '../fakes/memoryHistory';
import { MemoryStore } from '../fakes/recorders';
import { reply } from '../fakes/scriptedModel';
import { Harness } from '../fakes/sessionHarness';

function harness(archive = new MemoryArchive(), steps = [reply('first answer'), reply('second answer')]) {
  return { archive, h: new Harness({ steps, ports: { history: archive } }) };
}

describe('ChatSession: conversation history', () => {
  test('New Task keeps the conversation in history, titled by its first request', async () => {
    const { archive, h } = harness();
    await h.session.send('Fix the cart total\nit is off by one');
    await h.session.newTask();
    assert.deepEqual(h.items(), []);
    const listing = await h.session.listHistory();
    assert.equal(listing.conversations.length, 1);
    assert.equal(listing.conversations[0].title, 'Fix the cart total');
    assert.equal(listing.conversations[0].messages, 1);
    assert.notEqual(listing.current, listing.conversations[0].id, 'the new task is another conversation');
    assert.ok(archive.writes > 0);
  });

  test('an empty conversation is not kept: New Task on a fresh chat leaves no entry', async () => {
    const { h } = harness();
    await h.session.newTask();
    await h.session.newTask();
    assert.deepEqual((await h.session.listHistory()).conversations, []);
  });

  test('opening a past conversation restores its transcript, and the model continues it', async () => {
    const { h } = harness(new MemoryArchive(), [reply('first answer'), reply('other answer'), reply('continued')]);
    await h.session.send('first task');
    await h.session.newTask();
    await h.session.send('other task');
    const current = (await h.session.listHistory()).current;
    assert.equal(await h.session.openConversation(current), false, 'the open conversation is not reopened');
    const target = (await h.session.listHistory()).conversations.find((c) => c.title === 'first task')!;
    assert.equal(await h.session.openConversation(target.id), true);
    assert.deepEqual(
      h.items().map((i) => [i.kind, 'text' in i ? i.text : '']),
      [
        ['user', 'first task'],
        ['assistant', 'first answer'],
      ],
    );
    assert.ok(h.emitted('stateChanged').length > 0, 'views redraw');
    await h.session.send('go on');
    const last = h.model.requests.at(-1)!;
    assert.deepEqual(
      last.messages.slice(1).map((m) => [m.role, m.content]),
      [
        ['user', 'first task'],
        ['assistant', 'first answer'],
        ['user', 'go on'],
      ],
    );
    // The other conversation was kept when this one was opened.
    const titles = (await h.session.listHistory()).conversations.map((c) => c.title).sort();
    assert.deepEqual(titles, ['first task', 'other task']);
  });

  test('the open conversation survives a reload with its id, so it is not duplicated in history', async () => {
    const archive = new MemoryArchive();
    const store = new MemoryStore();
    const first = new Harness({ store, steps: [reply('a')], ports: { history: archive } });
    await first.session.send('task');
    const id = (await first.session.listHistory()).current;
    const reloaded = new Harness({ store, steps: [reply('b')], ports: { history: archive } });
    assert.equal((await reloaded.session.listHistory()).current, id);
    await reloaded.session.send('more');
    assert.equal(archive.files.size, 1);
  });

  test('a stored file that is not a conversation is reported; the open conversation stays', async () => {
    const { archive, h } = harness();
    await h.session.send('keep me');
    archive.files.set('broken', {
      summary: { id: 'broken', title: 'Broken', created: 1, updated: 1, messages: 1 },
      text: '{"version": 7}',
    });
    assert.equal(await h.session.openConversation('broken'), false);
    assert.ok(
      h.notices().some((n) => /Could not open that conversation: its file is not a saved conversation/.test(n)),
    );
    assert.deepEqual(
      h.itemsOf('user').map((u) => u.text),
      ['keep me'],
    );
  });

  test('ids that are not conversation ids are ignored', async () => {
    const { h } = harness();
    assert.equal(await h.session.openConversation('../../etc/passwd'), false);
  });

  test('deleting a past conversation removes it; deleting the open one starts afresh without keeping it', async () => {
    const { archive, h } = harness();
    await h.session.send('first task');
    await h.session.newTask();
    await h.session.send('second task');
    const listing = await h.session.listHistory();
    const past = listing.conversations.find((c) => c.title === 'first task')!;
    await h.session.deleteConversation(past.id);
    assert.equal(archive.files.has(past.id), false);
    await h.session.deleteConversation(listing.current);
    assert.deepEqual(h.items(), []);
    assert.deepEqual((await h.session.listHistory()).conversations, []);
  });

  test('a title is the first line of the first request, shortened', () => {
    assert.equal(conversationTitle([]), 'Untitled conversation');
    assert.equal(conversationTitle([{ kind: 'user', id: 'u', text: '  hello   world \nmore' }]), 'hello world');
    const long = conversationTitle([{ kind: 'user', id: 'u', text: 'x'.repeat(200) }]);
    assert.equal(long.length, 80);
    assert.ok(long.endsWith('…'));
  });
});
