// A message sent while another operation on the conversation is still under way (New Task saving to history,
// a past conversation being read, a checkpoint being restored…) is never lost: it lands in the conversation
// the user sees, and the model is sent what the transcript shows, or it comes back to the composer (a turn was
// already running). Every port
// here answers after a timer, so an operation really is between its awaits when the message arrives.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FileChange } from '../../../src/core/edits/fileChange';
import type { ApplyResult, ConversationSummary, FileSnapshot } from '../../../src/core/ports';
import { MemoryArchive, MemorySnapshots } from '../fakes/memoryHistory';
import { MemoryWorkspace } from '../fakes/memoryWorkspace';
import { MemoryStore } from '../fakes/recorders';
import { call, reply, type ScriptStep } from '../fakes/scriptedModel';
import { Harness } from '../fakes/sessionHarness';

const later = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 2));
/** One macrotask: what separates two messages from the chat view. */
const nextMessage = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

class SlowStore extends MemoryStore {
  override async set(key: string, value: unknown): Promise<void> {
    await later();
    return super.set(key, value);
  }
}

class SlowArchive extends MemoryArchive {
  override async read(id: string) {
    await later();
    return super.read(id);
  }
  override async write(summary: ConversationSummary, conversation: unknown): Promise<void> {
    await later();
    return super.write(summary, conversation);
  }
  override async remove(id: string): Promise<void> {
    await later();
    return super.remove(id);
  }
}

class SlowSnapshots extends MemorySnapshots {
  override async put(hash: string, text: string): Promise<void> {
    await later();
    return super.put(hash, text);
  }
  override async get(hash: string): Promise<string | undefined> {
    await later();
    return super.get(hash);
  }
}

class SlowWorkspace extends MemoryWorkspace {
  override async readText(path: string): Promise<FileSnapshot | undefined> {
    await later();
    return super.readText(path);
  }
  override async applyChange(change: FileChange): Promise<ApplyResult> {
    await later();
    return super.applyChange(change);
  }
}

const edit = (path: string, old_text: string, new_text: string) =>
  call('edit_file', { path, edits: [{ old_text, new_text }] });
const userTexts = (h: Harness): string[] => h.itemsOf('user').map((u) => u.text);
const isNote = (content: string): boolean => content.startsWith('(Note from Warden');

interface Case {
  name: string;
  /** The model's answers, for the set-up and for what follows. */
  steps: ScriptStep[];
  setup(h: Harness): Promise<void>;
  operation(h: Harness): Promise<unknown>;
  /** The user messages of the transcript once both are done, the late one included when it was sent. */
  users: string[];
  /** A note the operation leaves for the model, which must come before the late message. */
  note?: RegExp;
}

const LATE = 'right after';

const CASES: Case[] = [
  {
    name: 'New Task',
    steps: [reply('first answer'), reply('late answer')],
    setup: async (h) => h.session.send('first'),
    operation: (h) => h.session.newTask(),
    users: [LATE],
  },
  {
    name: 'opening a past conversation from History',
    steps: [reply('old answer'), reply('first answer'), reply('late answer')],
    setup: async (h) => {
      await h.session.send('old task');
      await h.session.newTask();
      await h.session.send('first');
    },
    operation: async (h) => {
      const old = (await h.session.listHistory()).conversations.find((c) => c.title === 'old task')!;
      return h.session.openConversation(old.id);
    },
    users: ['old task', LATE],
  },
  {
    name: 'deleting the open conversation',
    steps: [reply('first answer'), reply('late answer')],
    setup: async (h) => h.session.send('first'),
    operation: async (h) => h.session.deleteConversation((await h.session.listHistory()).current),
    users: [LATE],
  },
  {
    name: 'Restore Checkpoint, dropping the message and what follows',
    steps: [
      reply(edit('a.txt', 'a', 'A')),
      reply('first done'),
      reply(edit('a.txt', 'A', 'AA')),
      reply('second done'),
      reply('late answer'),
    ],
    setup: async (h) => {
      await h.session.send('first');
      await h.session.send('second');
    },
    operation: (h) => h.session.restoreCheckpoint(h.itemsOf('user')[1].id, { truncate: true, overwriteChanged: false }),
    users: ['first', LATE],
  },
  {
    name: 'Restore Checkpoint, keeping the conversation',
    steps: [reply(edit('a.txt', 'a', 'A')), reply('first done'), reply('late answer')],
    setup: async (h) => h.session.send('first'),
    operation: (h) =>
      h.session.restoreCheckpoint(h.itemsOf('user')[0].id, { truncate: false, overwriteChanged: false }),
    users: ['first', LATE],
    note: /restored these files/,
  },
  {
    name: 'Undo Last Turn',
    steps: [reply(edit('a.txt', 'a', 'A')), reply('first done'), reply('late answer')],
    setup: async (h) => h.session.send('first'),
    operation: (h) => h.session.undoLastTurn(),
    users: ['first', LATE],
    note: /undid your file changes/,
  },
  {
    name: 'editing and resending a message',
    steps: [reply('first answer'), reply('edited answer'), reply('late answer')],
    setup: async (h) => h.session.send('first'),
    operation: (h) => h.session.resend(h.itemsOf('user')[0].id, 'first, edited'),
    users: ['first, edited', LATE],
  },
];

describe('ChatSession: a message sent while an operation on the conversation is under way', () => {
  for (const c of CASES) {
    test(`${c.name}: the message is sent in the conversation shown, or handed back`, async () => {
      const archive = new SlowArchive();
      const h = new Harness({
        steps: c.steps,
        store: new SlowStore(),
        workspace: new SlowWorkspace({ 'a.txt': 'a\n' }),
        ports: { history: archive, snapshots: new SlowSnapshots() },
      });
      await c.setup(h);
      const requestsBefore = h.model.requests.length;
      const operation = c.operation(h);
      await nextMessage();
      await Promise.all([operation, h.session.send(LATE)]);

      // Handed back only when a turn was running: then it is in no conversation.
      if (h.emitted('inputReturned').some((e) => e.draft === LATE)) {
        assert.match(h.notices().join('\n'), /still working/);
        assert.deepEqual(
          userTexts(h),
          c.users.filter((text) => text !== LATE),
          'the transcript',
        );
        return;
      }
      assert.deepEqual(userTexts(h), c.users, 'the transcript');
      // The model is sent exactly the user messages the transcript shows, the late one last.
      const request = h.model.requests.at(-1)!;
      assert.ok(h.model.requests.length > requestsBefore, 'the late message reached the model');
      const sent = request.messages.filter((m) => m.role === 'user').map((m) => m.content ?? '');
      assert.deepEqual(
        sent.filter((content) => !isNote(content)),
        c.users,
        'what the model is sent',
      );
      if (c.note !== undefined) {
        const noteAt = sent.findIndex((content) => isNote(content) && c.note!.test(content));
        assert.ok(noteAt !== -1 && noteAt < sent.indexOf(LATE), 'the note comes before the late message');
      }
      // The conversation the operation put away does not hold the late message either.
      for (const { text } of archive.files.values())
        if (!text.includes('late answer')) assert.ok(!text.includes(LATE), 'a stored conversation took it');
    });
  }

  test('New Task right after a message: the message stays with the conversation it was sent in', async () => {
    const archive = new SlowArchive();
    const h = new Harness({
      steps: [reply('first answer')],
      store: new SlowStore(),
      ports: { history: archive },
    });
    const sending = h.session.send('first');
    await nextMessage();
    await Promise.all([sending, h.session.newTask()]);
    assert.deepEqual(userTexts(h), []);
    const [kept] = (await h.session.listHistory()).conversations;
    assert.equal(kept?.title, 'first', 'the message went to history with its conversation');
  });
});
