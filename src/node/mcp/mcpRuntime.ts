// The entry of the lazily loaded MCP bundle (`dist/mcp.js`): everything that pulls in the SDK, its
// dependencies and the schema validator. Only `loadMcpRuntime` loads it, on the first turn that needs
// tools, so activation never pays for it. Import only types from here elsewhere.
import type { McpServerConnection } from '../../core/mcp/mcpTypes';
import type { McpLaunch } from '../../core/mcp/serverLaunch';
import type { JsonSchemaCompiler } from '../../core/mcp/toolSchema';
import { McpClientConnection, type ConnectionOptions } from './mcpClientConnection';
import { schemaCompiler } from './schemaCompiler';

export type { ConnectionOptions };

export interface McpRuntime {
  /** A connection that starts the server on its first `tools()` call. */
  connect(launch: McpLaunch, options: ConnectionOptions): McpServerConnection;
  schemaCompiler: JsonSchemaCompiler;
}

export const runtime: McpRuntime = {
  connect: (launch, options) => new McpClientConnection(launch, options),
  schemaCompiler,
};
