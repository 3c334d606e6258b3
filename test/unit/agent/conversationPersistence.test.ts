import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  boundConversation,
  CONVERSATION_KEY,
  loadConversation,
  MAX_SAVED_CONVERSATION_CHARS,
  MAX_SAVED_ITEMS,
  MAX_SAVED_UNDO_CHARS,
  repairConversation,
  toSaved,
} from '../../../src/core/agent/conversationPersistence';
import type { ChatMessage } from '../../../src/core/model/types';
import type { TranscriptEntry } from '../../../src/core/agent/transcript';
import { MemoryStore } from '../fakes/recorders';

const call = (id: string) => ({ id, name: 'read_file', arguments: '{}' });

describe('conversation persistence', () => {
  test('repair answers tool calls left open (the window closed mid-turn)', () => {
    const repaired = repairConversation([
      { role: 'user', content: 'q' },
      { role: 'assistant', content: null, toolCalls: [call('a'), call('b')] },
      { role: 'tool', toolCallId: 'a', content: 'A' },
    ]);
    assert.deepEqual(
      repaired.map((m) => [m.role, m.toolCallId ?? '', m.content]),
      [
        ['user', '', 'q'],
        ['assistant', '', null],
        ['tool', 'a', 'A'],
        ['tool', 'b', 'Not run: the window was closed during the turn.'],
      ],
    );
  });

  test('repair drops tool results that answer no call', () => {
    const repaired = repairConversation([
      { role: 'user', content: 'q' },
      { role: 'tool', toolCallId: 'x', content: 'orphan' },
    ]);
    assert.deepEqual(repaired, [{ role: 'user', content: 'q' }]);
  });

  test('saving keeps the last items only', () => {
    const items: TranscriptEntry[] = Array.from({ length: MAX_SAVED_ITEMS + 50 }, (_, i) => ({
      kind: 'user',
      id: `u${i}`,
      text: `m${i}`,
    }));
    const saved = toSaved({ items, conversation: [], mode: 'agent', running: false, lastTurnChanges: [] });
    assert.equal(saved.items.length, MAX_SAVED_ITEMS);
    assert.equal(saved.items[0].id, 'u50');
  });

  test('undo data is saved only while small', () => {
    const small = { path: '/ws/a', before: 'a', after: 'b' };
    const huge = { path: '/ws/b', before: 'x'.repeat(MAX_SAVED_UNDO_CHARS), after: 'y' };
    const state = { items: [], conversation: [], mode: 'agent' as const, running: false };
    assert.deepEqual(toSaved({ ...state, lastTurnChanges: [small] }).lastTurnChanges, [small]);
    assert.equal(toSaved({ ...state, lastTurnChanges: [small, huge] }).lastTurnChanges, undefined);
  });

  test('a conversation over the size bound keeps the newest exchanges, cut at a user message', () => {
    const big = 'x'.repeat(MAX_SAVED_CONVERSATION_CHARS / 2);
    const messages: ChatMessage[] = [
      { role: 'user', content: big },
      { role: 'assistant', content: big },
      { role: 'user', content: 'recent' },
      { role: 'assistant', content: 'ok' },
    ];
    assert.deepEqual(boundConversation(messages), messages.slice(2));
  });

  test('loading ignores malformed entries and rejects unknown versions', () => {
    const store = new MemoryStore();
    void store.set(CONVERSATION_KEY, {
      version: 1,
      mode: 'ask',
      running: false,
      items: [{ kind: 'user', id: 'a', text: 'ok' }, { kind: 'bogus' }],
      conversation: [{ role: 'user', content: 'hi' }, { role: 'system', content: 'injected' }, 5],
    });
    const loaded = loadConversation(store);
    assert.deepEqual(loaded?.items, [{ kind: 'user', id: 'a', text: 'ok' }]);
    assert.deepEqual(loaded?.conversation, [{ role: 'user', content: 'hi' }]);
    assert.equal(loaded?.mode, 'ask');
    void store.set(CONVERSATION_KEY, { version: 2 });
    assert.equal(loadConversation(store), undefined);
  });

  test('a turn running when the window closed is settled: stream incomplete, tools and approvals cancelled', () => {
    const store = new MemoryStore();
    void store.set(CONVERSATION_KEY, {
      version: 1,
      mode: 'agent',
      running: true,
      conversation: [],
      items: [
        { kind: 'assistant', id: 'a', text: 'half', streaming: true },
        { kind: 'tool', id: 't', tool: 'run_command', title: 'npm test', status: 'running' },
        {
          kind: 'approval',
          id: 'r',
          request: {
            id: 'r',
            kind: 'write',
            items: [
              {
                id: 'i',
                kind: 'file',
                title: 'a.ts',
                status: 'pending',
                decision: { decision: 'allow', rule: '**', source: 'default', reason: 'x' },
              },
            ],
          },
        },
      ],
    });
    const loaded = loadConversation(store)!;
    assert.ok(loaded.interrupted);
    assert.deepEqual(loaded.items[0], { kind: 'assistant', id: 'a', text: 'half', streaming: false, incomplete: true });
    assert.equal(loaded.items[1].kind === 'tool' && loaded.items[1].status, 'cancelled');
    assert.equal(loaded.items[2].kind === 'approval' && loaded.items[2].request.items[0].status, 'cancelled');
  });
});
