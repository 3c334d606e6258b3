// The JSON Schema validator for MCP tool arguments: `@cfworker/json-schema`, which interprets a schema
// rather than generating code from it (a server's schema is untrusted input). Lives in the lazily loaded
// MCP bundle with the SDK; the core reaches it through `JsonSchemaCompiler`.
import { Validator, type Schema, type SchemaDraft } from '@cfworker/json-schema';
import type { JsonSchema, JsonSchemaCompiler, SchemaCheck } from '../../core/mcp/toolSchema';

const MAX_ERRORS = 5;

function draftOf(schema: JsonSchema): SchemaDraft {
  const dialect = typeof schema.$schema === 'string' ? schema.$schema : '';
  if (dialect.includes('draft-07')) return '7';
  if (dialect.includes('2019-09')) return '2019-09';
  return '2020-12';
}

function where(instanceLocation: string): string {
  const path = instanceLocation.replace(/^#\/?/, '').split('/').filter(Boolean).join('.');
  return path === '' ? 'arguments' : path;
}

export const schemaCompiler: JsonSchemaCompiler = {
  compile(schema: JsonSchema): (value: unknown) => SchemaCheck {
    const validator = new Validator(schema as Schema, draftOf(schema), false);
    return (value) => {
      const result = validator.validate(value);
      if (result.valid) return { valid: true, errors: [] };
      // The innermost messages say what is wrong; the outer ones only that a subschema failed.
      const specific = result.errors.filter((e) => !/^(properties|allOf|items|prefixItems|\$ref)$/.test(e.keyword));
      const chosen = (specific.length > 0 ? specific : result.errors).slice(0, MAX_ERRORS);
      return { valid: false, errors: [...new Set(chosen.map((e) => `${where(e.instanceLocation)}: ${e.error}`))] };
    };
  },
};
