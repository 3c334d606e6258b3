import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { objectSchema, validateAgainst } from '../../../src/core/tools/argumentSchema';

const schema = objectSchema(
  {
    path: { type: 'string', minLength: 1, maxLength: 10 },
    count: { type: 'integer', minimum: 1, maximum: 5 },
    flag: { type: 'boolean' },
    list: {
      type: 'array',
      maxItems: 2,
      minItems: 1,
      items: objectSchema({ a: { type: 'string', maxLength: 3 } }, ['a']),
    },
  },
  ['path'],
);

describe('validateAgainst: arguments are checked strictly against the schema the model sees', () => {
  test('a valid object passes unchanged', () => {
    const value = { path: 'a.ts', count: 2, flag: true, list: [{ a: 'x' }] };
    assert.deepEqual(validateAgainst(schema, value), { ok: true, value });
  });

  const cases: [string, unknown, RegExp][] = [
    ['not an object', 'a.ts', /arguments: expected an object/],
    ['an array', [], /arguments: expected an object/],
    ['null', null, /arguments: expected an object/],
    ['a missing required field', {}, /path: required/],
    ['an extra property', { path: 'a', extra: 1 }, /extra: unknown property/],
    ['a wrong type', { path: 5 }, /path: expected a string/],
    ['an empty required string', { path: '' }, /path: must not be empty/],
    ['a string over its size', { path: 'x'.repeat(11) }, /path: longer than 10 characters/],
    ['a fractional integer', { path: 'a', count: 1.5 }, /count: expected an integer/],
    ['an integer out of range', { path: 'a', count: 6 }, /count: must be between 1 and 5/],
    ['a string boolean', { path: 'a', flag: 'true' }, /flag: expected true or false/],
    ['too many items', { path: 'a', list: [{ a: 'x' }, { a: 'y' }, { a: 'z' }] }, /list: more than 2 items/],
    ['too few items', { path: 'a', list: [] }, /list: needs at least 1 item/],
    ['a nested extra property', { path: 'a', list: [{ a: 'x', b: 1 }] }, /list\[0\]\.b: unknown property/],
    ['a nested wrong type', { path: 'a', list: [{ a: 7 }] }, /list\[0\]\.a: expected a string/],
  ];
  for (const [name, value, expected] of cases) {
    test(`rejects ${name}`, () => {
      const result = validateAgainst(schema, value);
      assert.equal(result.ok, false);
      assert.match(result.ok ? '' : result.errors.join('\n'), expected);
    });
  }

  test('the JSON schema forbids additional properties at every level', () => {
    assert.equal(schema.additionalProperties, false);
    const list = schema.properties.list;
    assert.equal(list.type === 'array' && list.items.type === 'object' && list.items.additionalProperties, false);
  });
});
