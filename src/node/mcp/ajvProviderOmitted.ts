// Stands in for the MCP SDK's ajv validator in dist/mcp.js (esbuild.mjs): the client is always given the
// @cfworker/json-schema validator, so this one is never built. If the SDK ever did, it fails loudly, not silently.
export class AjvJsonSchemaValidator {
  constructor() {
    throw new Error('ajv is not bundled with Warden: give the MCP client a jsonSchemaValidator');
  }
}
