import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import '../propertySeed';
import {
  canonicalJson,
  checkInputLength,
  RepeatedCallDetector,
  ToolCallBudget,
  truncateForModel,
} from '../../../src/core/policy/limits';

describe('truncateForModel', () => {
  test('text within the limit is returned unchanged', () => {
    assert.deepEqual(truncateForModel('hello', 5), { text: 'hello', truncated: false });
  });

  test('longer text keeps its head and tail around a visible marker with the exact count cut', () => {
    const text = 'HEAD' + 'x'.repeat(20_000) + 'TAIL';
    const { text: out, truncated } = truncateForModel(text, 1000);
    assert.equal(truncated, true);
    assert.ok(out.startsWith('HEAD'));
    assert.ok(out.endsWith('TAIL'));
    const omitted = Number(/…\[truncated: ([\d,]+) more characters\]…/.exec(out)![1].replace(/,/g, ''));
    assert.equal(
      out.length - out.match(/\n…\[truncated: [\d,]+ more characters\]…\n/)![0].length + omitted,
      text.length,
    );
  });

  test('large counts are grouped with commas', () => {
    assert.match(truncateForModel('y'.repeat(1_234_567), 100).text, /\[truncated: 1,234,[0-9]{3} more characters\]/);
  });

  test('the result never exceeds the limit (when the limit can hold the marker)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 5000 }), fc.integer({ min: 60, max: 6000 }), (text, max) => {
        const out = truncateForModel(text, max);
        assert.ok(out.text.length <= max);
        assert.equal(out.truncated, text.length > max);
      }),
    );
  });

  test('a surrogate pair is never split at either cut', () => {
    fc.assert(
      fc.property(fc.integer({ min: 60, max: 400 }), (max) => {
        const { text } = truncateForModel('\ud83d\ude00'.repeat(500), max);
        assert.ok(
          !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text),
          'no lone surrogate',
        );
      }),
    );
  });

  test('a limit smaller than the marker still shows the marker, never silent cut text', () => {
    const { text, truncated } = truncateForModel('z'.repeat(500), 5);
    assert.equal(truncated, true);
    assert.match(text, /^\n…\[truncated: 500 more characters\]…\n$/);
  });
});

describe('checkInputLength', () => {
  test('a message at the limit is accepted', () =>
    assert.deepEqual(checkInputLength('a'.repeat(100), { maxInputChars: 100 }), { ok: true }));
  test('a longer message is refused with its length and the setting to change', () => {
    const result = checkInputLength('a'.repeat(50_001), { maxInputChars: 50_000 });
    assert.equal(result.ok, false);
    assert.ok(!result.ok && result.length === 50_001 && result.max === 50_000);
    assert.ok(
      !result.ok && result.message.includes('50,001') && result.message.includes('warden.limits.maxInputChars'),
    );
  });
});

describe('ToolCallBudget', () => {
  test('allows exactly the configured number of calls per turn, then refuses', () => {
    const budget = new ToolCallBudget(3);
    assert.deepEqual(
      [budget.take(), budget.take(), budget.take()].map((r) => r.ok),
      [true, true, true],
    );
    const refused = budget.take();
    assert.equal(refused.ok, false);
    assert.ok(!refused.ok && refused.message.includes('warden.limits.maxToolCallsPerTurn'));
    assert.equal(budget.used, 3);
  });

  test('reports the calls remaining', () => {
    const budget = new ToolCallBudget(2);
    assert.deepEqual(budget.take(), { ok: true, used: 1, remaining: 1 });
  });

  test('reset starts a new turn', () => {
    const budget = new ToolCallBudget(1);
    budget.take();
    budget.reset();
    assert.equal(budget.take().ok, true);
  });
});

describe('RepeatedCallDetector', () => {
  test('an identical call is flagged once it exceeds the allowed repeats', () => {
    const detector = new RepeatedCallDetector(3);
    const results = [1, 2, 3, 4].map(() => detector.record('read_file', '{"path":"a.ts"}'));
    assert.deepEqual(results, [
      { repeated: false, count: 1 },
      { repeated: false, count: 2 },
      { repeated: false, count: 3 },
      { repeated: true, count: 4 },
    ]);
  });

  test('argument key order and whitespace do not make a call different', () => {
    const detector = new RepeatedCallDetector(2);
    detector.record('search', '{"query":"x","limit":5,"opts":{"b":1,"a":2}}');
    detector.record('search', '{ "opts": { "a": 2, "b": 1 }, "limit": 5, "query": "x" }');
    assert.equal(detector.record('search', '{"limit":5,"query":"x","opts":{"a":2,"b":1}}').repeated, true);
  });

  test('different arguments or a different tool are counted separately', () => {
    const detector = new RepeatedCallDetector(2);
    detector.record('read_file', '{"path":"a.ts"}');
    detector.record('read_file', '{"path":"a.ts"}');
    assert.equal(detector.record('read_file', '{"path":"b.ts"}').count, 1);
    assert.equal(detector.record('list_files', '{"path":"a.ts"}').count, 1);
    assert.deepEqual(canonicalJson(['a', { b: 1 }]) === canonicalJson(['a', { b: 2 }]), false);
  });

  test('arguments that are not JSON are compared as text', () => {
    const detector = new RepeatedCallDetector(2);
    detector.record('x', '{oops');
    assert.equal(detector.record('x', ' {oops ').count, 2);
    assert.equal(detector.record('x', '{oops!').count, 1);
  });

  test('reset forgets the previous turn', () => {
    const detector = new RepeatedCallDetector(2);
    detector.record('x', '{}');
    detector.record('x', '{}');
    detector.reset();
    assert.equal(detector.record('x', '{}').count, 1);
  });
});
