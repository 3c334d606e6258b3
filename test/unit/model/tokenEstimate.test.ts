// Estimates for servers that report no usage: the real tokenizer (cl100k_base), what is counted, and the lazy
// loader that keeps the tokenizer out of activation.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  estimateUsage,
  framingTokens,
  replyText,
  requestText,
  type TokenCounter,
} from '../../../src/core/model/tokenEstimate';
import { createTokenCounter } from '../../../src/node/gptTokenizer';
import { lazyTokenCounter } from '../../../src/node/tokenizerLoader';

describe('token estimates: the tokenizer', () => {
  const counter = createTokenCounter();

  // Reference counts from OpenAI's tiktoken cookbook for cl100k_base.
  const known: Array<[string, number]> = [
    ['', 0],
    ['hello world', 2],
    ['tiktoken is great!', 6],
  ];
  for (const [text, tokens] of known) {
    test(`${JSON.stringify(text)} is ${tokens} tokens in cl100k_base`, () => {
      assert.equal(counter.count(text), tokens);
    });
  }

  test('a special token in file text or model output is counted as plain text, never refused', () => {
    // As the special token it would be 1; as text it is several ordinary tokens.
    assert.ok(counter.count('<|endoftext|>') > 1);
  });
});

describe('token estimates: what is counted', () => {
  const chars: TokenCounter = { encoding: 'chars', count: (text) => text.length };

  test('the request text holds contents, earlier tool calls and the tool schemas', () => {
    const text = requestText(
      [
        { role: 'user', content: 'read a' },
        { role: 'assistant', content: null, toolCalls: [{ id: 'c1', name: 'read_file', arguments: '{"path":"a"}' }] },
        { role: 'tool', content: 'A', toolCallId: 'c1' },
      ],
      [{ name: 'read_file', description: 'd', parameters: {} }],
    );
    assert.equal(
      text,
      ['read a', 'read_file', '{"path":"a"}', 'A', '[{"name":"read_file","description":"d","parameters":{}}]'].join(
        '\n',
      ),
    );
  });

  test('each message adds framing tokens, and the reply its priming', () => {
    assert.equal(framingTokens(0), 3);
    assert.equal(framingTokens(2), 11);
  });

  test('the reply text holds the text and the calls the model made', () => {
    assert.equal(replyText('', [{ id: 'c', name: 'list_files', arguments: '{}' }]), 'list_files\n{}');
  });

  test('an estimate has no cached or reasoning tokens and says it is an estimate', () => {
    assert.deepEqual(
      estimateUsage(chars, { messages: [{ role: 'user', content: 'abcd' }] }, { text: 'xy', toolCalls: [] }),
      { inputTokens: 4 + 7, cachedInputTokens: 0, outputTokens: 2, reasoningTokens: 0, source: 'estimated' },
    );
  });
});

describe('token estimates: loading the tokenizer lazily', () => {
  function moduleFile(body: string): { path: string; dispose(): void } {
    const dir = mkdtempSync(join(tmpdir(), 'warden-tokenizer-'));
    const path = join(dir, 'tokenizer.js');
    writeFileSync(path, body);
    return { path, dispose: () => rmSync(dir, { recursive: true, force: true }) };
  }

  test('nothing is loaded until the first estimate, and the module is loaded once', async () => {
    const file = moduleFile(
      'globalThis.__wardenTokenizerLoads = (globalThis.__wardenTokenizerLoads ?? 0) + 1;\n' +
        "exports.createTokenCounter = () => ({ encoding: 'test', count: (t) => t.length });\n",
    );
    try {
      const load = lazyTokenCounter(file.path);
      const loads = () => (globalThis as { __wardenTokenizerLoads?: number }).__wardenTokenizerLoads ?? 0;
      assert.equal(loads(), 0);
      const first = await load();
      const second = await load();
      assert.equal(loads(), 1);
      assert.equal(first, second);
      assert.equal(first.count('abc'), 3);
    } finally {
      file.dispose();
    }
  });

  test('a missing bundle rejects (no estimate) and is tried again on the next call', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-tokenizer-'));
    const path = join(dir, 'tokenizer.js');
    try {
      const load = lazyTokenCounter(path);
      await assert.rejects(load());
      writeFileSync(path, "exports.createTokenCounter = () => ({ encoding: 'late', count: () => 1 });\n");
      assert.equal((await load()).encoding, 'late');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
