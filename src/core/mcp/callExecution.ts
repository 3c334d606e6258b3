// Runs an approved MCP call through its server's connection and turns every outcome — a result, a tool
// error, a timeout, a crash mid-call, Stop — into text for the model and a short line for the transcript.
import type { McpCallFailure, McpServerConnection } from './mcpTypes';
import { resultToText } from './toolResult';

export interface McpCallOutput {
  ok: boolean;
  /** For the model (capped; the loop redacts it). */
  text: string;
  /** One short line for the transcript and the audit outcome. */
  detail: string;
  /** Content summarised instead of shown (images, binary resources). */
  notes: string[];
  failure?: McpCallFailure['kind'];
}

export interface McpCallRequest {
  server: string;
  tool: string;
  args: Record<string, unknown>;
}

export interface McpCallLimits {
  signal: AbortSignal;
  timeoutMs: number;
  maxOutputChars: number;
}

function failureText(request: McpCallRequest, failure: McpCallFailure, timeoutMs: number): string {
  const what = `MCP tool "${request.tool}" of server "${request.server}"`;
  switch (failure.kind) {
    case 'timeout':
      return `${what} did not answer within ${Math.round(timeoutMs / 1000)} s; the call was abandoned.`;
    case 'cancelled':
      return `${what} was cancelled: the user pressed Stop.`;
    case 'disconnected':
      return (
        `The server "${request.server}" stopped during the call (${failure.message}). Its tools are unavailable ` +
        'until it is restarted; do not retry the call now.'
      );
    case 'protocol':
      return `${what} failed: ${failure.message}`;
    case 'not-connected':
      return `The server "${request.server}" is not running (${failure.message}).`;
  }
}

export async function executeMcpCall(
  connection: McpServerConnection,
  request: McpCallRequest,
  limits: McpCallLimits,
): Promise<McpCallOutput> {
  const outcome = await connection.callTool(request.tool, request.args, {
    signal: limits.signal,
    timeoutMs: limits.timeoutMs,
  });
  if (!outcome.ok) {
    const text = failureText(request, outcome.failure, limits.timeoutMs);
    return { ok: false, text, detail: outcome.failure.kind, notes: [], failure: outcome.failure.kind };
  }
  const converted = resultToText(outcome.result, limits.maxOutputChars);
  const detail = outcome.result.isError
    ? 'tool error'
    : converted.notes.length > 0
      ? `${converted.notes.length} item(s) summarised`
      : 'done';
  return { ok: !outcome.result.isError, text: converted.text, detail, notes: converted.notes };
}
