// Tool arguments come from the model, so they are checked strictly against the same JSON Schema the model
// is shown: a small subset (object, string, integer, boolean, array) that both describes and validates.

export type ArgumentSchema =
  | { type: 'string'; description?: string; minLength?: number; maxLength: number }
  | { type: 'integer'; description?: string; minimum: number; maximum: number }
  | { type: 'boolean'; description?: string }
  | { type: 'array'; description?: string; items: ArgumentSchema; minItems?: number; maxItems: number }
  | ObjectSchema;

export interface ObjectSchema {
  type: 'object';
  description?: string;
  properties: Record<string, ArgumentSchema>;
  required: readonly string[];
  additionalProperties: false;
}

export type Validation<T> = { ok: true; value: T } | { ok: false; errors: string[] };

export function objectSchema(
  properties: Record<string, ArgumentSchema>,
  required: readonly string[],
  description?: string,
): ObjectSchema {
  return {
    type: 'object',
    ...(description === undefined ? {} : { description }),
    properties,
    required,
    additionalProperties: false,
  };
}

const MAX_ERRORS = 10;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function check(schema: ArgumentSchema, value: unknown, at: string, errors: string[]): void {
  if (errors.length >= MAX_ERRORS) return;
  const where = at === '' ? 'arguments' : at;
  switch (schema.type) {
    case 'string':
      if (typeof value !== 'string') errors.push(`${where}: expected a string`);
      else if (value.length > schema.maxLength) errors.push(`${where}: longer than ${schema.maxLength} characters`);
      else if (schema.minLength !== undefined && value.length < schema.minLength)
        errors.push(`${where}: must not be empty`);
      return;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) errors.push(`${where}: expected an integer`);
      else if (value < schema.minimum || value > schema.maximum)
        errors.push(`${where}: must be between ${schema.minimum} and ${schema.maximum}`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') errors.push(`${where}: expected true or false`);
      return;
    case 'array':
      if (!Array.isArray(value)) {
        errors.push(`${where}: expected an array`);
        return;
      }
      if (value.length > schema.maxItems) {
        errors.push(`${where}: more than ${schema.maxItems} items`);
        return;
      }
      if (schema.minItems !== undefined && value.length < schema.minItems) {
        errors.push(`${where}: needs at least ${schema.minItems} item(s)`);
        return;
      }
      value.forEach((item, i) => check(schema.items, item, `${where}[${i}]`, errors));
      return;
    case 'object': {
      if (!isPlainObject(value)) {
        errors.push(`${where}: expected an object`);
        return;
      }
      for (const key of Object.keys(value)) {
        if (!Object.hasOwn(schema.properties, key))
          errors.push(
            `${at === '' ? '' : `${at}.`}${key}: unknown property (allowed: ` +
              `${Object.keys(schema.properties).join(', ')})`,
          );
      }
      for (const key of schema.required) {
        if (value[key] === undefined) errors.push(`${at === '' ? '' : `${at}.`}${key}: required`);
      }
      for (const [key, child] of Object.entries(schema.properties)) {
        if (value[key] !== undefined) check(child, value[key], at === '' ? key : `${at}.${key}`, errors);
      }
      return;
    }
  }
}

/** Checks `value` against `schema`; the caller's type parameter must match the schema. */
export function validateAgainst<T>(schema: ObjectSchema, value: unknown): Validation<T> {
  const errors: string[] = [];
  check(schema, value, '', errors);
  return errors.length === 0 ? { ok: true, value: value as T } : { ok: false, errors };
}
