import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AUDIT_STRING_CHARS, auditArguments } from '../../../src/core/agent/auditArguments';

const redact = (text: string) => text.replace(/sk-\w+/g, '[REDACTED]');

describe('audit arguments', () => {
  test('secrets are redacted in every string, at any depth', () => {
    assert.deepEqual(
      auditArguments(JSON.stringify({ path: 'a', edits: [{ old_text: 'k=sk-123', new_text: 'k=sk-456' }] }), redact),
      {
        path: 'a',
        edits: [{ old_text: 'k=[REDACTED]', new_text: 'k=[REDACTED]' }],
      },
    );
  });

  test('long strings (whole file contents) are shortened with the count of what was left out', () => {
    const args = auditArguments(JSON.stringify({ content: 'x'.repeat(AUDIT_STRING_CHARS + 10) }), redact) as {
      content: string;
    };
    assert.ok(args.content.endsWith('… [10 more characters]'));
  });

  test('arguments that are not JSON are kept as redacted text', () => {
    assert.equal(auditArguments('{"path": sk-999', redact), '{"path": [REDACTED]');
  });
});
