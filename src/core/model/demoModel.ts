// The Demo model: a scripted model that runs in-process, reaches no network, and shows what Warden is for on
// one guided task — it reads a file, proposes an edit (a diff card), proposes a command (a command card) and
// explains Undo Last Turn. Shared with the test fixtures, so `npm start --demo` and the tests play the same script.
import { LINE_NUMBER_SEPARATOR } from '../edits/lineNumbers';
import type { ModelClient } from '../ports';
import type { ModelProfile } from './profiles';
import type { ChatMessage, ModelRequest, ModelStreamEvent, TokenUsage, ToolCall } from './types';

export const DEMO_PROFILE_ID = 'warden-demo';
/** The guided task the walkthrough and the first reply suggest (the sample workspace has this file). */
export const DEMO_TASK = 'Add a doc comment to src/cart.ts';
/** The command the demo proposes once the edit is answered: harmless, and it asks for approval. */
export const DEMO_COMMAND = 'npm test';

/** A profile that never leaves the extension: the model client factory plays the script for it. */
export const DEMO_PROFILE: ModelProfile = Object.freeze({
  id: DEMO_PROFILE_ID,
  label: 'Demo model (scripted, offline)',
  provider: 'openai-compatible',
  // Never contacted: the factory answers this profile in-process. A loopback URL keeps every label honest.
  baseUrl: 'http://127.0.0.1/warden-demo',
  model: 'warden-demo',
  azureApiVersion: '',
  contextWindow: 32_000,
  maxOutputTokens: 2_000,
  apiKeyRef: DEMO_PROFILE_ID,
});

export function isDemoProfile(profile: Pick<ModelProfile, 'id'>): boolean {
  return profile.id === DEMO_PROFILE_ID;
}

/** One reply of the script: text, and the tool calls it makes. */
export interface DemoReply {
  text: string;
  toolCalls: ToolCall[];
}

const FILE_PATTERN = /(?:^|[\s`'"])((?:[\w.-]+\/)*[\w-]+\.[A-Za-z0-9]{1,8})(?=$|[\s`'".,;:!?)])/;
const FUNCTION_PATTERN = /^(?:export\s+)?(?:async\s+)?function\s+(\w+)|^(?:export\s+)?(?:const|let)\s+(\w+)\s*=/;

/** What the demo says next, from the conversation so far (the last user message and what followed it). */
export function demoReply(messages: readonly ChatMessage[], offeredTools: readonly string[]): DemoReply {
  let userAt = -1;
  for (let i = messages.length - 1; i >= 0; i--)
    if (messages[i].role === 'user') {
      userAt = i;
      break;
    }
  const userText = userAt >= 0 ? (messages[userAt].content ?? '') : '';
  const after = messages.slice(userAt + 1);
  const calls = after.flatMap((message) => message.toolCalls ?? []);
  const results = new Map(after.filter((m) => m.role === 'tool').map((m) => [m.toolCallId, m.content ?? '']));
  const file = FILE_PATTERN.exec(userText)?.[1];
  const can = (tool: string) => offeredTools.includes(tool);

  if (calls.length === 0) {
    if (file === undefined || !can('read_file')) return { text: greeting(can('read_file')), toolCalls: [] };
    return say(
      `I am the **Demo model**, playing a script. First I read \`${file}\`.`,
      call('read_file', { path: file }),
    );
  }
  const last = calls[calls.length - 1];
  const lastResult = results.get(last.id) ?? '';
  switch (last.name) {
    case 'read_file': {
      const path = argument(last, 'path');
      const edit = proposedEdit(lastResult);
      if (edit === undefined || !can('edit_file'))
        return say(`I could not read \`${path}\` (${firstLine(lastResult)}), so the demo stops here.`);
      return say(
        `Now I propose an edit: a doc comment above \`${edit.name}\`. Warden shows it as a **diff card** — nothing ` +
          'changes until you approve it.',
        call('edit_file', { path, edits: [{ old_text: edit.oldText, new_text: edit.newText }] }),
      );
    }
    case 'edit_file':
      if (!can('run_command')) return say(finalWords(lastResult));
      return say(
        `${/reject|not applied|denied/i.test(lastResult) ? 'You kept the file as it was. ' : ''}Next I propose a ` +
          `command, \`${DEMO_COMMAND}\`. Warden parses it and shows a **command card** with its decision first.`,
        call('run_command', { command: DEMO_COMMAND }),
      );
    default:
      return say(finalWords(results.get(calls.find((c) => c.name === 'edit_file')?.id ?? '') ?? ''));
  }
}

function greeting(canRead: boolean): string {
  return [
    '**Hello from the Demo model.** I am a script running inside Warden: nothing leaves your machine, and my ' +
      'answers are canned.',
    '',
    canRead
      ? `Try the guided task: **${DEMO_TASK}**. I will read the file, propose an edit (a diff card you approve), ` +
        'propose a command (a command card), and show you how to undo.'
      : 'Switch the mode to **Agent** and try the guided task: ' + `**${DEMO_TASK}**.`,
    '',
    'For real answers, choose your own model in the **Model** picker above (or run **Warden: Add Model Profile**).',
  ].join('\n');
}

function finalWords(editResult: string): string {
  const applied = editResult !== '' && !/reject|not applied|denied|cancel/i.test(editResult);
  return [
    'That is the whole demo. What you saw:',
    '',
    '- a **diff card**: every write is a proposal you approve, file by file;',
    '- a **command card**: each part of a command is judged by your policy before anything runs;',
    applied
      ? '- **Undo**: run **Warden: Undo Last Turn** (the ↶ button in the chat’s title bar) and the file is ' +
        'back as it was.'
      : '- **Undo**: when a turn changed files, **Warden: Undo Last Turn** (↶ in the title bar) puts them back.',
    '',
    'Choose a real model in the **Model** picker to work on your own code.',
  ].join('\n');
}

/** A doc comment above the first function (or, failing that, the first line) of a read_file result. */
function proposedEdit(readResult: string): { name: string; oldText: string; newText: string } | undefined {
  const lines = readResult
    .split('\n')
    .filter((line) => line.includes(LINE_NUMBER_SEPARATOR))
    .map((line) => line.slice(line.indexOf(LINE_NUMBER_SEPARATOR) + 1));
  if (lines.length === 0) return undefined;
  for (const line of lines) {
    const match = FUNCTION_PATTERN.exec(line);
    const name = match?.[1] ?? match?.[2];
    if (name !== undefined)
      return { name, oldText: line, newText: `/** ${name}: documented by the Warden demo. */\n${line}` };
  }
  const first = lines.find((line) => line.trim() !== '');
  if (first === undefined) return undefined;
  return { name: 'the first line', oldText: first, newText: `// Edited by the Warden demo.\n${first}` };
}

function firstLine(text: string): string {
  return (text.split('\n')[0] ?? '').slice(0, 200);
}

function argument(toolCall: ToolCall, name: string): string {
  try {
    const value = (JSON.parse(toolCall.arguments) as Record<string, unknown>)[name];
    return typeof value === 'string' ? value : '';
  } catch {
    return '';
  }
}

let demoCallCounter = 0;
function call(name: string, args: Record<string, unknown>): ToolCall {
  return { id: `demo_${++demoCallCounter}`, name, arguments: JSON.stringify(args) };
}

function say(text: string, ...toolCalls: ToolCall[]): DemoReply {
  return { text, toolCalls };
}

/** Rough token counts (4 characters a token), reported as estimates: the demo has no tokenizer and no bill. */
function demoUsage(request: ModelRequest, reply: DemoReply): TokenUsage {
  const input = request.messages.reduce((sum, m) => sum + (m.content?.length ?? 0), 0);
  const output = reply.text.length + reply.toolCalls.reduce((sum, c) => sum + c.arguments.length, 0);
  return {
    inputTokens: Math.ceil(input / 4),
    cachedInputTokens: 0,
    outputTokens: Math.ceil(output / 4),
    reasoningTokens: 0,
    source: 'estimated',
  };
}

/** The Demo model as a ModelClient: streams the script's reply in a few pieces, then its calls. */
export function createDemoModelClient(): ModelClient {
  return {
    async *stream(request: ModelRequest): AsyncGenerator<ModelStreamEvent> {
      const reply = demoReply(
        request.messages,
        (request.tools ?? []).map((tool) => tool.name),
      );
      for (const piece of reply.text.match(/[\s\S]{1,40}/g) ?? []) {
        if (request.signal.aborted) return;
        yield { type: 'text', text: piece };
      }
      for (const [index, toolCall] of reply.toolCalls.entries()) {
        yield { type: 'tool_call_started', index, id: toolCall.id, name: toolCall.name };
        yield { type: 'tool_call', call: toolCall };
      }
      yield {
        type: 'done',
        finishReason: reply.toolCalls.length > 0 ? 'tool_calls' : 'stop',
        usage: demoUsage(request, reply),
      };
    },
  };
}
