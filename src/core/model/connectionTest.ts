// "Warden: Test Model Connection": one tiny request that offers one tool, timed, then what the server says about
// the context window. The agent cannot work without tool calls, so whether the model makes one is reported too.
import { describeModelError, type ModelErrorDescription } from './errorMessages';
import type { ModelProfile } from './profiles';
import type { ModelClient } from '../ports';
import { ModelError, type ModelRequest, type TokenUsage, type ToolSpec } from './types';

export const PROBE_TOOL: ToolSpec = {
  name: 'report_ready',
  description: 'Tells Warden that the connection works. Call it with ready set to true.',
  parameters: {
    type: 'object',
    properties: { ready: { type: 'boolean' } },
    required: ['ready'],
    additionalProperties: false,
  },
};

/** Enough for a tool call; a reasoning model needs room to think before it makes one. */
export const PROBE_OUTPUT_TOKENS = 64;
export const PROBE_OUTPUT_TOKENS_REASONING = 2048;

export type ToolCallingResult =
  | 'supported' // the model called the offered tool
  | 'not_called' // it answered with text instead
  | 'refused' // the server refused a request with tools
  | 'unknown'; // the request failed, or the reply was cut before a call

export interface ContextProbe {
  /** The context the server really gives, when it says. */
  contextWindow?: number;
  /** Where it came from, for the report: e.g. "Ollama", "VS Code". */
  source: string;
  warning?: string;
  supportsTools?: boolean;
}

export interface ConnectionTestDeps {
  client: ModelClient;
  profile: ModelProfile;
  now(): number;
  signal: AbortSignal;
  /** Asks the server about the context window after the request (an Ollama model is loaded by then). */
  probeContext?(signal: AbortSignal): Promise<ContextProbe | undefined>;
}

export interface ConnectionReport {
  ok: boolean;
  profileId: string;
  label: string;
  /** Until the first streamed event: what a user waits before anything appears. */
  firstEventMs?: number;
  totalMs?: number;
  toolCalling: ToolCallingResult;
  context: { tokens: number; source: string };
  usage?: TokenUsage;
  error?: ModelErrorDescription & { kind: ModelError['kind'] };
  warnings: string[];
  /** One paragraph for a notification. */
  summary: string;
}

export async function testModelConnection(deps: ConnectionTestDeps): Promise<ConnectionReport> {
  const { profile } = deps;
  const started = deps.now();
  const warnings: string[] = [];
  let firstEventMs: number | undefined;
  let usage: TokenUsage | undefined;
  let toolCalling = 'unknown' as ToolCallingResult; // set inside attempt(); the cast stops narrowing
  let failure: ModelError | undefined;

  const attempt = async (withTools: boolean): Promise<void> => {
    let called = false;
    let finishReason = '';
    for await (const event of deps.client.stream(probeRequest(profile, withTools, deps.signal))) {
      firstEventMs ??= deps.now() - started;
      if (event.type === 'tool_call' && event.call.name === PROBE_TOOL.name) called = true;
      if (event.type === 'done') {
        finishReason = event.finishReason;
        usage = event.usage;
      }
    }
    if (!withTools) return;
    if (called) toolCalling = 'supported';
    else if (finishReason === 'length') {
      warnings.push('The reply reached the output limit of the test before the model called the tool.');
    } else toolCalling = 'not_called';
  };

  try {
    await attempt(true);
  } catch (error) {
    failure = asModelError(error);
    // A server or model without tool support refuses the whole request; whether it works without tools tells a
    // broken connection from a model the agent cannot use.
    if (failure.kind === 'bad_request' && /tool/i.test(failure.message)) {
      toolCalling = 'refused';
      try {
        await attempt(false);
        failure = undefined;
      } catch (retryError) {
        failure = asModelError(retryError);
      }
    }
  }
  const totalMs = deps.now() - started;

  let context = { tokens: profile.contextWindow, source: 'the profile' };
  if (failure === undefined && deps.probeContext !== undefined) {
    try {
      const probe = await deps.probeContext(deps.signal);
      if (probe?.contextWindow !== undefined) context = { tokens: probe.contextWindow, source: probe.source };
      if (probe?.warning !== undefined) warnings.push(probe.warning);
      if (probe?.supportsTools === false && toolCalling !== 'supported')
        warnings.push(`${probe.source} reports that ${profile.model} does not support tool calls.`);
    } catch (error) {
      warnings.push(`Could not ask the server about the context window (${asModelError(error).message}).`);
    }
  }
  if (failure === undefined && context.source !== 'the profile' && context.tokens < profile.contextWindow) {
    const already = warnings.some((warning) => warning.includes(String(context.tokens)));
    if (!already)
      warnings.push(
        `${context.source} gives ${context.tokens} tokens of context, but the profile plans with ` +
          `${profile.contextWindow}: set contextWindow to ${context.tokens}.`,
      );
  }
  if (toolCalling === 'refused')
    warnings.unshift(`The server refused a request with tools: Warden's agent cannot work with ${profile.model}.`);
  if (toolCalling === 'not_called')
    warnings.push(`${profile.model} answered without calling the offered tool; it may not support tool calls.`);

  const error =
    failure === undefined
      ? undefined
      : {
          kind: failure.kind,
          ...describeModelError(failure, {
            provider: profile.provider,
            model: profile.model,
            baseUrl: profile.baseUrl,
            profileId: profile.id,
          }),
        };
  const report: ConnectionReport = {
    ok: failure === undefined,
    profileId: profile.id,
    label: profile.label,
    ...(firstEventMs === undefined ? {} : { firstEventMs }),
    totalMs,
    toolCalling,
    context,
    ...(usage === undefined ? {} : { usage }),
    ...(error === undefined ? {} : { error }),
    warnings,
    summary: '',
  };
  report.summary = summarize(report);
  return report;
}

function probeRequest(profile: ModelProfile, withTools: boolean, signal: AbortSignal): ModelRequest {
  return {
    messages: [
      {
        role: 'system',
        content: withTools
          ? 'You are checking a connection. Call the tool report_ready with {"ready": true} and write nothing else.'
          : 'You are checking a connection. Reply with the single word: ready',
      },
      { role: 'user', content: withTools ? 'Call report_ready now.' : 'Are you there?' },
    ],
    ...(withTools ? { tools: [PROBE_TOOL] } : {}),
    maxOutputTokens: profile.reasoningEffort === undefined ? PROBE_OUTPUT_TOKENS : PROBE_OUTPUT_TOKENS_REASONING,
    signal,
  };
}

const TOOL_CALLING_TEXT: Record<ToolCallingResult, string> = {
  supported: 'works',
  not_called: 'the model did not call the test tool',
  refused: 'refused by the server',
  unknown: 'not known',
};

export function summarize(report: ConnectionReport): string {
  if (!report.ok && report.error !== undefined) return `${report.label}: the test request failed. ${report.error.text}`;
  const timing =
    report.firstEventMs === undefined
      ? ''
      : ` in ${Math.round(report.firstEventMs)} ms (first reply; ${Math.round(report.totalMs ?? 0)} ms in all)`;
  const lines = [
    `${report.label}: connected${timing}.`,
    `Tool calling: ${TOOL_CALLING_TEXT[report.toolCalling]}.`,
    `Context window: ${report.context.tokens} tokens (from ${report.context.source}).`,
    ...report.warnings,
  ];
  return lines.join(' ');
}

function asModelError(error: unknown): ModelError {
  if (error instanceof ModelError) return error;
  return new ModelError('unknown', error instanceof Error ? error.message : String(error));
}
