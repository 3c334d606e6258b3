// Before a call is planned: is there such a tool, may it act in this mode and trust state, and are its
// arguments JSON that fits the tool's schema? A call that fails is answered without running, and the
// model is told exactly why.
import type { ToolCall } from '../model/types';
import type { Decision } from '../policy/decision';
import type { ToolOutcome } from '../tools/plan';
import type { AnyTool } from '../tools/tool';
import { isToolAvailable, type Mode, type ToolRegistry } from '../tools/toolRegistry';

export type CheckedCall =
  | { ok: true; tool: AnyTool; args: unknown; title: string }
  /** `title`: what the call would have done, when its arguments say (a refusal reads "npm test", not the tool). */
  | { ok: false; outcome: ToolOutcome; title?: string };

export function builtInDeny(rule: string, reason: string): Decision {
  return { decision: 'deny', rule, source: 'built-in', reason };
}

function invalid(text: string, decision: Decision, outcome: string): CheckedCall {
  return { ok: false, outcome: { status: 'error', text, decision, approvedBy: 'none', outcome, detail: outcome } };
}

export function checkCall(call: ToolCall, tools: ToolRegistry, mode: Mode, trusted: boolean): CheckedCall {
  const tool = tools.find(call.name);
  if (tool === undefined) {
    const offered = tools.offered(mode, trusted).map((t) => t.name);
    return invalid(
      `Unknown tool "${call.name}". Available tools: ${offered.join(', ') || 'none'}.`,
      builtInDeny('unknown-tool', `There is no tool named "${call.name}".`),
      'unknown tool',
    );
  }
  if (!isToolAvailable(tool, mode, trusted)) {
    const decision = !trusted
      ? builtInDeny(
          'workspace-untrusted',
          'This workspace is not trusted, so Warden cannot read, edit or run anything.',
        )
      : builtInDeny('ask-mode', 'Ask mode: Warden may read and explain, but not edit files or run commands.');
    const title = titleOf(tool, call);
    return {
      ok: false,
      ...(title === undefined ? {} : { title }),
      outcome: {
        status: 'denied',
        decision,
        approvedBy: 'none',
        outcome: 'denied',
        showDecision: true,
        detail: decision.reason,
        text:
          `Refused: ${decision.reason} (rule "${decision.rule}"). Do not try to do it another way; describe ` +
          `the change instead.`,
      },
    };
  }
  let args: unknown;
  try {
    args = JSON.parse(call.arguments === '' ? '{}' : call.arguments);
  } catch (error) {
    return invalid(
      `The arguments for ${call.name} are not valid JSON ` +
        `(${error instanceof Error ? error.message : String(error)}). Send a JSON object.`,
      builtInDeny('invalid-arguments', 'The arguments were not valid JSON.'),
      'invalid arguments',
    );
  }
  const validation = tool.validate(args);
  if (!validation.ok)
    return invalid(
      `Invalid arguments for ${call.name}: ${validation.errors.join('; ')}.`,
      builtInDeny('invalid-arguments', validation.errors.join('; ')),
      'invalid arguments',
    );
  return { ok: true, tool, args: validation.value, title: tool.title(validation.value) };
}

/** The title the call would have had, or undefined when its arguments do not make one. */
function titleOf(tool: AnyTool, call: ToolCall): string | undefined {
  try {
    const validation = tool.validate(JSON.parse(call.arguments === '' ? '{}' : call.arguments));
    return validation.ok ? tool.title(validation.value) : undefined;
  } catch {
    return undefined;
  }
}
