// The plan of one MCP tool call: it presents itself as an approval card (server, tool, the description the
// model was given, the arguments, the server's read-only claim) unless the user allowed the tool, and carries
// itself out through its server's connection with the turn's signal (Stop cancels the call) and a timeout.
import type { Approver } from '../audit/auditRecord';
import { MCP_RULES } from './callDecision';
import { autoApproveValue, parseAutoApproveEntry } from './autoApprove';
import { executeMcpCall } from './callExecution';
import type { McpServerConnection } from './mcpTypes';
import type { McpCallPlan } from './toolCatalog';
import { hasHiddenCharacters, visibleText } from '../policy/visibleText';
import {
  cancelledOutcome,
  decisionSummary,
  rejectedOutcome,
  type PlanRun,
  type ToolOutcome,
  type ToolPlan,
} from '../tools/plan';

export type McpCall = Extract<McpCallPlan, { kind: 'call' }>;

export interface McpToolPlan extends ToolPlan {
  kind: 'mcp';
  server: string;
  tool: string;
  args: Record<string, unknown>;
}

/**
 * How long one call may run: the command timeout (`warden.limits.commandTimeoutSeconds`). A tool call is work
 * the agent started outside the editor, like a command; one limit for both is one thing to tune, the model
 * cannot raise it, and a workspace may only lower it.
 */
export function mcpCallTimeoutMs(limits: { commandTimeoutSeconds: number }): number {
  return limits.commandTimeoutSeconds * 1000;
}

/**
 * The `warden.mcp.autoApprove` entry "Always allow this tool" writes, offered only where such an entry takes
 * effect (Agent mode's default ask) and reads back as exactly this one tool — never for a tool named `*`,
 * whose entry would allow every tool of the server.
 */
export function alwaysAllowOffer(server: string, tool: string): string | undefined {
  const value = autoApproveValue(server, tool);
  const parsed = parseAutoApproveEntry(value);
  // What the card shows must be what is written: no entry whose name hides a character.
  if (hasHiddenCharacters(value)) return undefined;
  if (!parsed.ok || parsed.entry.tool === '*' || parsed.entry.server !== server || parsed.entry.tool !== tool)
    return undefined;
  return value;
}

export function mcpToolPlan(
  call: McpCall,
  connection: (server: string) => McpServerConnection | undefined,
): McpToolPlan {
  const { decision, server, tool, args, card } = call;
  const mcp = { server, tool };
  const plan: McpToolPlan = {
    kind: 'mcp',
    title: call.title,
    decision,
    server,
    tool,
    args,
    approval({ newId }) {
      if (decision.decision === 'allow') return undefined;
      const offer = decision.rule === MCP_RULES.defaultAsk ? alwaysAllowOffer(server, tool) : undefined;
      return {
        kind: 'mcp',
        items: [
          {
            id: newId(),
            kind: 'mcp',
            title: visibleText(`${server} › ${tool}`),
            status: 'pending',
            decision: decisionSummary(decision),
            mcp: {
              server: visibleText(card.server),
              tool: visibleText(card.tool),
              description: visibleText(card.description),
              arguments: visibleText(card.argumentsText),
              readOnly: card.readOnlyHint,
            },
          },
        ],
        ...(offer === undefined ? {} : { alwaysAllowEntry: offer }),
      };
    },
    async execute(run: PlanRun): Promise<ToolOutcome> {
      let approvedBy: Approver = 'auto-approve';
      if (run.answers !== undefined) {
        const answer = run.answers[0];
        if (answer === undefined || answer.status === 'cancelled') return { ...cancelledOutcome(decision), mcp };
        if (answer.status === 'rejected')
          return {
            ...rejectedOutcome(decision, 'Rejected by the user: the MCP tool was not called.', answer.reason),
            mcp,
          };
        approvedBy = 'user';
      }
      const target = connection(server);
      if (target === undefined)
        return {
          status: 'error',
          text: `The MCP server "${server}" is not running, so "${tool}" was not called.`,
          detail: 'server not running',
          decision,
          approvedBy,
          outcome: 'not run: server not running',
          mcp,
        };
      const limits = run.policy().limits;
      const output = await executeMcpCall(
        target,
        { server, tool, args },
        { signal: run.signal, timeoutMs: mcpCallTimeoutMs(limits), maxOutputChars: limits.maxToolOutputChars },
      );
      const cancelled = output.failure === 'cancelled';
      const detail = output.notes.length > 0 ? `${output.detail}: ${output.notes.join(' ')}` : output.detail;
      return {
        status: cancelled ? 'cancelled' : output.ok ? 'ok' : 'error',
        text: output.text,
        detail,
        decision,
        approvedBy,
        outcome: cancelled ? 'cancelled' : output.ok ? 'ok' : `error: ${output.failure ?? output.detail}`,
        mcp,
      };
    },
    stopped: () => ({ ...cancelledOutcome(decision), mcp }),
  };
  return plan;
}
