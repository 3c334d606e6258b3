import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkArguments, forValidation, reviewInputSchema } from '../../../src/core/mcp/toolSchema';
import { schemaCompiler } from '../../../src/node/mcp/schemaCompiler';

// What common server frameworks emit: zod-to-json-schema (TypeScript SDK), pydantic (Python SDK).
const zodStyle = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  properties: {
    owner: { type: 'string', minLength: 1 },
    labels: { type: 'array', items: { type: 'string' }, maxItems: 5 },
    state: { type: 'string', enum: ['open', 'closed'], default: 'open' },
    limit: { type: 'integer', exclusiveMinimum: 0, maximum: 100 },
  },
  required: ['owner'],
  additionalProperties: false,
};
const pydanticStyle = {
  type: 'object',
  title: 'searchArguments',
  $defs: {
    Filter: {
      type: 'object',
      properties: {
        field: { type: 'string', title: 'Field' },
        value: { anyOf: [{ type: 'string' }, { type: 'null' }] },
      },
      required: ['field'],
    },
  },
  properties: { query: { type: 'string' }, filter: { $ref: '#/$defs/Filter' } },
  required: ['query'],
};

describe('reviewing a server-provided input schema', () => {
  test('schemas from the common server frameworks are accepted as they are', () => {
    for (const schema of [zodStyle, pydanticStyle, { type: 'object' }, { type: 'object', properties: {} }]) {
      const review = reviewInputSchema(schema);
      assert.ok(review.ok, JSON.stringify(review));
      assert.deepEqual(review.schema, schema);
    }
  });

  const refused: Array<[string, unknown, RegExp]> = [
    ['not an object', 'string', /not an object/],
    ['a root that is not an object schema', { type: 'string' }, /"type": "object"/],
    [
      'a remote $ref',
      { type: 'object', properties: { a: { $ref: 'https://evil.example/s.json' } } },
      /local references/,
    ],
    ['patternProperties', { type: 'object', patternProperties: { '^a': { type: 'string' } } }, /`patternProperties`/],
    ['$dynamicRef', { type: 'object', properties: { a: { $dynamicRef: '#meta' } } }, /`\$dynamicRef`/],
    [
      'an unknown keyword',
      { type: 'object', properties: { a: { type: 'string', mustBeFunny: true } } },
      /`mustBeFunny`/,
    ],
    ['an unknown dialect', { type: 'object', $schema: 'https://example.com/my-dialect' }, /dialect/],
    ['an unknown type', { type: 'object', properties: { a: { type: 'file' } } }, /unknown type/],
    ['a subschema that is a string', { type: 'object', properties: { a: 'string' } }, /object or a boolean/],
  ];
  for (const [what, schema, reason] of refused) {
    test(`${what} is withheld with the reason`, () => {
      const review = reviewInputSchema(schema);
      assert.equal(review.ok, false);
      assert.match((review as { reason: string }).reason, reason);
    });
  }

  test('a schema nested deeper than the limit is withheld', () => {
    let schema: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 40; i++) schema = { type: 'object', properties: { a: schema } };
    const review = reviewInputSchema(schema);
    assert.equal(review.ok, false);
    assert.match((review as { reason: string }).reason, /deeper than/);
  });

  test('a schema larger than the limit is withheld', () => {
    const properties = Object.fromEntries(
      Array.from({ length: 2000 }, (_, i) => [`p${i}`, { type: 'string', description: 'x'.repeat(40) }]),
    );
    assert.equal(reviewInputSchema({ type: 'object', properties }).ok, false);
  });

  test('vendor annotations (x-…) and property names that look like keywords are accepted', () => {
    const schema = {
      type: 'object',
      'x-internal': 1,
      properties: { type: { type: 'string' }, $ref: { type: 'string' } },
    };
    assert.ok(reviewInputSchema(schema).ok);
  });
});

describe('validating the model’s arguments', () => {
  const check = schemaCompiler.compile(forValidation(zodStyle) as Record<string, unknown>);

  test('arguments that fit the schema pass unchanged', () => {
    const args = { owner: 'me', labels: ['bug'], limit: 10 };
    assert.deepEqual(checkArguments(check, args), { ok: true, args });
  });

  const wrong: Array<[string, unknown, RegExp]> = [
    ['a missing required property', {}, /owner/],
    ['a wrong type', { owner: 3 }, /owner/],
    ['a property the schema does not allow', { owner: 'me', extra: 1 }, /extra/],
    ['a value outside the enum', { owner: 'me', state: 'merged' }, /state/],
    ['too many items', { owner: 'me', labels: ['a', 'b', 'c', 'd', 'e', 'f'] }, /labels/],
    ['a number at the exclusive bound', { owner: 'me', limit: 0 }, /limit/],
    ['not an object', ['owner'], /expected a JSON object/],
  ];
  for (const [what, args, message] of wrong) {
    test(`${what} is refused with a message naming the property`, () => {
      const result = checkArguments(check, args);
      assert.equal(result.ok, false);
      assert.match((result as { errors: string[] }).errors.join('; '), message);
    });
  }

  test('references into $defs are followed', () => {
    const pydanticCheck = schemaCompiler.compile(pydanticStyle);
    assert.ok(checkArguments(pydanticCheck, { query: 'q', filter: { field: 'a', value: null } }).ok);
    assert.equal(checkArguments(pydanticCheck, { query: 'q', filter: { value: 'x' } }).ok, false);
  });

  test('a pattern is shown to the model but not run by Warden (the server checks it)', () => {
    const schema = { type: 'object', properties: { id: { type: 'string', pattern: '^(a+)+$' } } };
    const review = reviewInputSchema(schema);
    assert.ok(review.ok);
    assert.equal((review.schema.properties as { id: { pattern: string } }).id.pattern, '^(a+)+$');
    const patternless = schemaCompiler.compile(forValidation(review.schema) as Record<string, unknown>);
    // A catastrophic pattern on a long input would hang a validator that ran it.
    assert.ok(checkArguments(patternless, { id: `${'a'.repeat(40)}!` }).ok);
  });

  test('a validator that throws refuses the call', () => {
    const result = checkArguments(() => {
      throw new Error('boom');
    }, {});
    assert.equal(result.ok, false);
    assert.match((result as { errors: string[] }).errors[0], /could not be checked \(Error: boom\)/);
  });
});
