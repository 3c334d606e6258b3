// Estimates for servers that report no usage: the real tokenizer (cl100k_base), what is counted, and the lazy
// loader that keeps the tokenizer out of activation.
import { after, before, describe, test } from 'node:test';
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
import cl100kRanks from 'gpt-tokenizer/bpeRanks/cl100k_base';
import { countTokens as packageCountTokens } from 'gpt-tokenizer/encoding/cl100k_base';
import { createTokenCounter, RANKS_FILE, readPackedRanks } from '../../../src/node/gptTokenizer';
import { lazyTokenCounter } from '../../../src/node/tokenizerLoader';

describe('token estimates: the tokenizer', () => {
  const counter = createTokenCounter(cl100kRanks);

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

describe('token estimates: the packed rank table shipped in the VSIX', () => {
  const dir = mkdtempSync(join(tmpdir(), 'warden-ranks-'));
  const file = join(dir, RANKS_FILE);
  // The packer is the build's own (esbuild.mjs), an ES module.
  let packRanks: (ranks: readonly (string | readonly number[])[]) => Buffer;
  before(async () => {
    ({ packRanks } = await import('../../../scripts/lib/packedAssets.mjs'));
    writeFileSync(file, packRanks(cl100kRanks));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('reads back exactly the table gpt-tokenizer ships for cl100k_base', () => {
    assert.deepEqual(readPackedRanks(file), cl100kRanks);
  });

  test('counts what gpt-tokenizer counts with its own table', () => {
    const counter = createTokenCounter(readPackedRanks(file));
    const texts = ['hello world', 'fn main() {\n    println!("héllo, 世界");\n}\n', '  \t\n\u{1F600} ÿ€\u0000'];
    for (const text of texts) assert.equal(counter.count(text), packageCountTokens(text), JSON.stringify(text));
  });

  test('a damaged or foreign file is refused, so the loader makes no estimate', () => {
    const damaged = join(dir, 'damaged.br');
    writeFileSync(damaged, Buffer.from('not brotli'));
    assert.throws(() => readPackedRanks(damaged));
    const foreign = join(dir, 'foreign.br');
    writeFileSync(foreign, packRanks(['a', 'b']));
    assert.throws(() => readPackedRanks(foreign), /no rank table/);
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
