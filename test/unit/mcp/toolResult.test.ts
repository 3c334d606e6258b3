import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { McpCallResult } from '../../../src/core/mcp/mcpTypes';
import { resultToText } from '../../../src/core/mcp/toolResult';

const result = (content: McpCallResult['content'], extra: Partial<McpCallResult> = {}): McpCallResult => ({
  content,
  isError: false,
  ...extra,
});

describe('tool results as text for the model', () => {
  test('text blocks are kept, one after another', () => {
    const out = resultToText(
      result([
        { type: 'text', text: 'a' },
        { type: 'text', text: 'b' },
      ]),
      1000,
    );
    assert.deepEqual(out, { text: 'a\nb', notes: [], truncated: false });
  });

  test('an image is replaced by a note with its type and size, never dropped silently', () => {
    const out = resultToText(result([{ type: 'image', mimeType: 'image/png', data: 'A'.repeat(4000) }]), 1000);
    assert.equal(out.text, '[image (image/png, 2.9 KB) not shown to the model]');
    assert.deepEqual(out.notes, [out.text]);
  });

  test('audio is summarised like an image', () => {
    const out = resultToText(result([{ type: 'audio', mimeType: 'audio/wav', data: 'AAAA' }]), 1000);
    assert.equal(out.text, '[audio (audio/wav, 3 bytes) not shown to the model]');
  });

  test('an embedded text resource is shown with its address; a binary one is summarised', () => {
    const out = resultToText(
      result([
        { type: 'resource', resource: { uri: 'file:///a.txt', mimeType: 'text/plain', text: 'hello' } },
        { type: 'resource', resource: { uri: 'file:///b.bin', blob: 'AAEC' } },
      ]),
      1000,
    );
    assert.equal(
      out.text,
      '[resource file:///a.txt (text/plain)]\nhello\n[resource file:///b.bin: 3 bytes binary, not shown]',
    );
    assert.equal(out.notes.length, 1);
  });

  test('a resource link is described with its name and type', () => {
    const out = resultToText(
      result([{ type: 'resource_link', uri: 'file:///big.log', name: 'big.log', mimeType: 'text/plain' }]),
      1000,
    );
    assert.equal(out.text, '[resource link: file:///big.log (big.log, text/plain)]');
  });

  test('content of a kind Warden does not know is reported, not dropped', () => {
    const out = resultToText(result([{ type: 'unknown', kind: 'hologram' }]), 1000);
    assert.equal(out.text, '[content of type "hologram" not shown: Warden cannot read it]');
    assert.deepEqual(out.notes, [out.text]);
  });

  test('structured content stands in when there is no content', () => {
    const out = resultToText(result([], { structuredContent: { count: 2 } }), 1000);
    assert.equal(out.text, '{\n  "count": 2\n}');
  });

  test('an empty result says so', () => {
    assert.equal(resultToText(result([]), 1000).text, '(the tool returned no content)');
  });

  test('a tool error is labelled as one', () => {
    const out = resultToText(result([{ type: 'text', text: 'no such repo' }], { isError: true }), 1000);
    assert.equal(out.text, 'The tool reported an error:\nno such repo');
  });

  test('a long result is capped with a visible marker', () => {
    const out = resultToText(result([{ type: 'text', text: 'x'.repeat(10_000) }]), 600);
    assert.ok(out.truncated);
    assert.ok(out.text.length <= 600);
    assert.match(out.text, /truncated: [\d,]+ more characters/);
  });
});
