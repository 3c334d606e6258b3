// The decision for one MCP tool call, as data like every other decision. MCP tools ask by default: a
// server's own hints (`readOnlyHint`) are claims, not guarantees, so they decide only which tools Ask mode
// may offer — and even there each call is asked.
import type { Decision } from '../policy/decision';
import { matchAutoApprove, type AutoApproveEntry } from './autoApprove';
import type { McpToolInfo } from './mcpTypes';

export type McpMode = 'agent' | 'ask';

const SETTING = 'warden.mcp.autoApprove';

export interface McpCallContext {
  mode: McpMode;
  trusted: boolean;
  autoApprove: readonly AutoApproveEntry[];
}

export const MCP_RULES = {
  untrusted: 'workspace-untrusted',
  askMode: 'ask-mode',
  askModeReadOnly: 'mcp-ask-mode-read-only',
  defaultAsk: 'mcp-tool-call',
  pinChanged: 'mcp-tool-pin',
  unknownTool: 'unknown-tool',
  unsupportedSchema: 'mcp-unsupported-schema',
  invalidArguments: 'invalid-arguments',
} as const;

/** Whether Ask mode may offer this tool: only what the server marks read-only. */
export function isReadOnlyTool(tool: McpToolInfo): boolean {
  return tool.annotations?.readOnlyHint === true;
}

export function offeredInMode(tool: McpToolInfo, mode: McpMode): boolean {
  return mode === 'agent' || isReadOnlyTool(tool);
}

export function decideMcpCall(server: string, tool: McpToolInfo, ctx: McpCallContext): Decision {
  if (!ctx.trusted)
    return {
      decision: 'deny',
      rule: MCP_RULES.untrusted,
      source: 'built-in',
      reason: 'This workspace is not trusted, so Warden cannot run tools.',
    };
  if (ctx.mode === 'ask') {
    if (!isReadOnlyTool(tool))
      return {
        decision: 'deny',
        rule: MCP_RULES.askMode,
        source: 'built-in',
        reason: 'Ask mode offers only MCP tools their server marks read-only.',
      };
    return {
      decision: 'ask',
      rule: MCP_RULES.askModeReadOnly,
      source: 'built-in',
      reason: 'Ask mode: the server marks this tool read-only, which it cannot prove, so Warden asks.',
    };
  }
  const entry = matchAutoApprove(ctx.autoApprove, server, tool.name);
  if (entry !== undefined)
    return {
      decision: 'allow',
      rule: `mcp.autoApprove: ${entry.value}`,
      source: entry.source,
      reason: `You allowed ${entry.tool === '*' ? `every tool of "${server}"` : 'this tool'} in ${SETTING}.`,
    };
  return {
    decision: 'ask',
    rule: MCP_RULES.defaultAsk,
    source: 'built-in',
    reason: 'MCP tools ask before each call unless you allowed them in warden.mcp.autoApprove.',
  };
}
