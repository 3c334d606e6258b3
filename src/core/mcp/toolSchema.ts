// An MCP tool's input schema comes from the server, so it is reviewed before the tool is offered: only
// JSON Schema keywords Warden can check (or that are mere annotations) are accepted, and anything else
// fails closed — the tool is withheld with the reason. The model's arguments are then validated against
// the reviewed schema by a real validator (`@cfworker/json-schema`, an interpreter: a server's schema is
// never turned into code), loaded lazily with the MCP client and handed in as a `JsonSchemaCompiler`.

export type JsonSchema = Record<string, unknown>;

export interface SchemaCheck {
  valid: boolean;
  /** Readable messages, at most a handful. */
  errors: string[];
}

/** Compiles a reviewed schema once; the check it returns is called for every call of the tool. */
export interface JsonSchemaCompiler {
  compile(schema: JsonSchema): (value: unknown) => SchemaCheck;
}

export type SchemaReview = { ok: true; schema: JsonSchema } | { ok: false; reason: string };

const MAX_SCHEMA_CHARS = 64_000;
const MAX_DEPTH = 24;

/** Keywords whose value is one subschema. */
const SCHEMA_KEYWORDS = new Set(['items', 'additionalProperties', 'additionalItems', 'not', 'if', 'then', 'else']);
/** …a list of subschemas. */
const SCHEMA_LIST_KEYWORDS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
/** …a map of name → subschema. */
const SCHEMA_MAP_KEYWORDS = new Set(['properties', '$defs', 'definitions', 'dependentSchemas']);
/** Validation keywords with plain values, and annotations that change nothing. */
const VALUE_KEYWORDS = new Set([
  'type',
  'enum',
  'const',
  'required',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'format',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  'dependentRequired',
  '$ref',
  '$schema',
  '$comment',
  'title',
  'description',
  'default',
  'examples',
  'deprecated',
  'readOnly',
  'writeOnly',
  'nullable',
  'contentEncoding',
  'contentMediaType',
  // Shown to the model, not enforced by Warden (see `forValidation`): the server checks its own input.
  'pattern',
]);

const SCHEMA_DIALECTS = [
  'http://json-schema.org/draft-07/schema',
  'https://json-schema.org/draft/2019-09/schema',
  'https://json-schema.org/draft/2020-12/schema',
];

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class Reviewer {
  problem: string | undefined;

  fail(at: string, message: string): void {
    this.problem ??= `${at === '' ? 'the schema' : at}: ${message}`;
  }

  schema(value: unknown, at: string, depth: number): void {
    if (this.problem !== undefined) return;
    if (typeof value === 'boolean') return;
    if (!isPlainObject(value)) return this.fail(at, 'a subschema must be an object or a boolean');
    if (depth > MAX_DEPTH) return this.fail(at, `nested deeper than ${MAX_DEPTH} levels`);
    for (const [key, child] of Object.entries(value)) {
      const where = `${at}/${key}`;
      if (key.startsWith('x-')) continue; // vendor annotations
      if (SCHEMA_KEYWORDS.has(key)) {
        // Draft-07 `items` may be a list (tuple validation).
        if (key === 'items' && Array.isArray(child))
          child.forEach((c, i) => this.schema(c, `${where}/${i}`, depth + 1));
        else this.schema(child, where, depth + 1);
      } else if (SCHEMA_LIST_KEYWORDS.has(key)) {
        if (!Array.isArray(child)) return this.fail(where, 'must be a list of subschemas');
        child.forEach((c, i) => this.schema(c, `${where}/${i}`, depth + 1));
      } else if (SCHEMA_MAP_KEYWORDS.has(key)) {
        if (!isPlainObject(child)) return this.fail(where, 'must be an object of subschemas');
        for (const [name, c] of Object.entries(child)) this.schema(c, `${where}/${name}`, depth + 1);
      } else if (key === '$ref') {
        // Only references inside this schema: a remote `$ref` would fetch, and an unresolvable one cannot be checked.
        if (typeof child !== 'string' || !/^#(\/|$)/.test(child))
          return this.fail(where, 'only local references (`#/…`) are supported');
      } else if (key === '$schema') {
        if (typeof child !== 'string' || !SCHEMA_DIALECTS.some((d) => child.replace(/#$/, '') === d))
          return this.fail(where, `the dialect ${JSON.stringify(child)} is not supported`);
      } else if (key === 'type') {
        const types = Array.isArray(child) ? child : [child];
        const known = ['object', 'array', 'string', 'number', 'integer', 'boolean', 'null'];
        if (types.length === 0 || !types.every((t) => typeof t === 'string' && known.includes(t)))
          return this.fail(where, 'an unknown type');
      } else if (key === 'pattern') {
        if (typeof child !== 'string') return this.fail(where, 'must be a string');
      } else if (!VALUE_KEYWORDS.has(key)) {
        return this.fail(where, `the keyword \`${key}\` is not supported, so its arguments could not be checked`);
      }
    }
  }
}

/**
 * Whether a tool's input schema can be offered, and the schema as the model sees it. MCP requires an
 * object schema at the root; its size and depth are bounded.
 */
export function reviewInputSchema(schema: unknown): SchemaReview {
  try {
    if (!isPlainObject(schema)) return { ok: false, reason: 'the input schema is not an object' };
    if (schema.type !== 'object') return { ok: false, reason: 'the input schema must have `"type": "object"`' };
    const size = JSON.stringify(schema).length;
    if (size > MAX_SCHEMA_CHARS)
      return { ok: false, reason: `the input schema is larger than ${MAX_SCHEMA_CHARS} characters` };
    const reviewer = new Reviewer();
    reviewer.schema(schema, '', 0);
    if (reviewer.problem !== undefined) return { ok: false, reason: reviewer.problem };
    return { ok: true, schema: JSON.parse(JSON.stringify(schema)) as JsonSchema };
  } catch (error) {
    return { ok: false, reason: `the input schema could not be read (${String(error)})` };
  }
}

/**
 * The reviewed schema without `pattern`: Warden does not run a server's regular expressions on the
 * model's text (a catastrophic pattern would hang the extension host); the server checks them itself.
 */
export function forValidation(schema: unknown, depth = 0): unknown {
  if (Array.isArray(schema)) return schema.map((item) => forValidation(item, depth));
  if (!isPlainObject(schema) || depth > MAX_DEPTH + 2) return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'pattern' && typeof value === 'string') continue;
    if (SCHEMA_KEYWORDS.has(key) || SCHEMA_LIST_KEYWORDS.has(key)) out[key] = forValidation(value, depth + 1);
    else if (SCHEMA_MAP_KEYWORDS.has(key) && isPlainObject(value))
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, forValidation(v, depth + 1)]));
    else out[key] = value;
  }
  return out;
}

export type ArgumentCheck = { ok: true; args: Record<string, unknown> } | { ok: false; errors: string[] };

/** Checks the model's arguments; a validator that throws refuses the call (fail closed). */
export function checkArguments(check: (value: unknown) => SchemaCheck, args: unknown): ArgumentCheck {
  if (!isPlainObject(args)) return { ok: false, errors: ['arguments: expected a JSON object'] };
  try {
    const result = check(args);
    if (result.valid) return { ok: true, args };
    return { ok: false, errors: result.errors.length > 0 ? result.errors : ['arguments: do not match the schema'] };
  } catch (error) {
    return { ok: false, errors: [`the arguments could not be checked (${String(error)})`] };
  }
}
