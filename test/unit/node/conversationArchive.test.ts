// The history store: one file per conversation, replaced atomically, a cap on how many are kept, and a
// corrupt file named and skipped without costing the others.
import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConversationSummary } from '../../../src/core/ports';
import { ConversationArchive } from '../../../src/node/conversationArchive';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'warden-history-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const summary = (id: string, updated: number, title = `Task ${id}`): ConversationSummary => ({
  id,
  title,
  created: updated - 10,
  updated,
  messages: 1,
});

describe('conversation archive', () => {
  test('a written conversation is listed by its summary and read back whole', async () => {
    const archive = new ConversationArchive(dir);
    await archive.write(summary('a1', 100, 'Fix the cart'), { version: 1, items: [{ text: 'x\ny' }] });
    const listed = await archive.list();
    assert.deepEqual(listed.conversations, [summary('a1', 100, 'Fix the cart')]);
    assert.deepEqual(listed.problems, []);
    assert.deepEqual(await archive.read('a1'), { ok: true, value: { version: 1, items: [{ text: 'x\ny' }] } });
  });

  test('the list is newest first', async () => {
    const archive = new ConversationArchive(dir);
    await archive.write(summary('old', 1), {});
    await archive.write(summary('new', 3), {});
    await archive.write(summary('mid', 2), {});
    assert.deepEqual(
      (await archive.list()).conversations.map((c) => c.id),
      ['new', 'mid', 'old'],
    );
  });

  test('a rewrite replaces the file through a temporary file and leaves no temporary file behind', async () => {
    const archive = new ConversationArchive(dir);
    await archive.write(summary('a1', 1), { n: 1 });
    await archive.write(summary('a1', 2), { n: 2 });
    assert.deepEqual(readdirSync(dir), ['a1.json']);
    assert.deepEqual(await archive.read('a1'), { ok: true, value: { n: 2 } });
  });

  test('a write that fails keeps the old file as it was', async () => {
    const archive = new ConversationArchive(dir, () => ({ maxConversations: 10, maxFileBytes: 200 }));
    await archive.write(summary('a1', 1), { n: 1 });
    const before = readFileSync(join(dir, 'a1.json'), 'utf8');
    await assert.rejects(archive.write(summary('a1', 2), { text: 'x'.repeat(500) }), /too large/);
    assert.equal(readFileSync(join(dir, 'a1.json'), 'utf8'), before);
    assert.deepEqual(readdirSync(dir), ['a1.json']);
  });

  test('beyond the cap the least recently written conversations are pruned', async () => {
    const archive = new ConversationArchive(dir, () => ({ maxConversations: 2, maxFileBytes: 1_000_000 }));
    await archive.write(summary('c1', 1), {});
    await archive.write(summary('c2', 2), {});
    utimesSync(join(dir, 'c1.json'), new Date(1_000), new Date(1_000));
    utimesSync(join(dir, 'c2.json'), new Date(2_000), new Date(2_000));
    await archive.write(summary('c3', 3), {});
    assert.deepEqual(readdirSync(dir).sort(), ['c2.json', 'c3.json']);
  });

  test('a corrupt file is named and skipped; the others are still listed and readable', async () => {
    const archive = new ConversationArchive(dir);
    await archive.write(summary('good', 1), { ok: true });
    writeFileSync(join(dir, 'broken.json'), '{"id": "broken", "tit');
    writeFileSync(join(dir, 'half.json'), `${JSON.stringify(summary('half', 2))}\n{"version": 1, "ite`);
    const listed = await archive.list();
    assert.deepEqual(
      listed.conversations.map((c) => c.id),
      ['half', 'good'],
    );
    assert.equal(listed.problems.length, 1);
    assert.match(listed.problems[0], /broken\.json/);
    const half = await archive.read('half');
    assert.equal(half.ok, false);
    assert.match(half.ok ? '' : half.message, /corrupt/);
    assert.ok(readdirSync(dir).includes('half.json'), 'a corrupt file is left for the user');
    assert.deepEqual(await archive.read('good'), { ok: true, value: { ok: true } });
  });

  test('a summary whose id does not match its file name is not taken', async () => {
    writeFileSync(join(dir, 'x.json'), `${JSON.stringify(summary('other', 1))}\n{}`);
    const listed = await new ConversationArchive(dir).list();
    assert.deepEqual(listed.conversations, []);
    assert.equal(listed.problems.length, 1);
  });

  test('ids that could name another file are refused', async () => {
    const archive = new ConversationArchive(dir);
    for (const id of ['../x', 'a/b', '', '.', 'a.json', 'x'.repeat(81)]) {
      const read = await archive.read(id);
      assert.equal(read.ok, false, id);
      await assert.rejects(archive.write(summary(id, 1), {}), /Invalid conversation id/, id);
    }
  });

  test('a missing history folder is an empty history', async () => {
    const archive = new ConversationArchive(join(dir, 'not-yet'));
    assert.deepEqual(await archive.list(), { conversations: [], problems: [] });
    assert.equal((await archive.read('nope')).ok, false);
  });

  test('remove deletes one conversation and ignores a missing one', async () => {
    const archive = new ConversationArchive(dir);
    await archive.write(summary('a1', 1), {});
    await archive.write(summary('a2', 2), {});
    await archive.remove('a1');
    await archive.remove('a1');
    assert.deepEqual(readdirSync(dir), ['a2.json']);
  });
});
