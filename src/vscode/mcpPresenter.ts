// The MCP status as the webview protocol says it: the servers and their states for the header, and the
// repository servers awaiting approval with exactly what would start.
import type { McpStatusView } from '../shared/protocol';
import type { McpStatus } from './mcpHost';

export function mcpStatusView(status: McpStatus): McpStatusView {
  return {
    servers: status.servers.map((server) => ({
      name: server.name,
      state: server.state,
      ...(server.message === undefined ? {} : { message: server.message }),
      ...(server.toolCount === undefined ? {} : { toolCount: server.toolCount }),
    })),
    awaiting: status.awaiting.map((server) => ({
      key: server.key,
      hash: server.hash,
      name: server.view.name,
      source: server.source,
      type: server.view.type,
      target: server.view.target,
      ...(server.view.cwd === undefined ? {} : { cwd: server.view.cwd }),
      environment: [...server.view.environment],
      headers: [...server.view.headers],
      warnings: [...server.view.warnings],
      changed: server.changed,
      dismissed: server.dismissed,
    })),
    trusted: status.trusted,
  };
}
