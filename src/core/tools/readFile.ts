// read_file: numbered lines of a file (the unsaved editor buffer when there is one), paged so a large file
// never floods the context; the footer tells the model how to read on.
import { LINE_NUMBER_SEPARATOR, lineNumberWidth, numberedLine } from '../edits/lineNumbers';
import { objectSchema, validateAgainst } from './argumentSchema';
import { readPlan, type FailedPlan, type ReadPlan, type RefusedPlan, type ToolOutput } from './plan';
import { decideReadPath, PATH_MAX_LENGTH, type Tool, type ToolContext } from './tool';

export interface ReadFileArgs {
  path: string;
  start_line?: number;
  end_line?: number;
}

/** Lines per call; a page also stops early when it would exceed the output budget. */
export const READ_PAGE_LINES = 400;
const MAX_LINE = 10_000_000;
const LONG_LINE_CHARS = 2_000;

const schema = objectSchema(
  {
    path: {
      type: 'string',
      minLength: 1,
      maxLength: PATH_MAX_LENGTH,
      description: 'File path, relative to the first workspace folder or absolute.',
    },
    start_line: {
      type: 'integer',
      minimum: 1,
      maximum: MAX_LINE,
      description: 'First line to read (1-based). Default 1.',
    },
    end_line: {
      type: 'integer',
      minimum: 1,
      maximum: MAX_LINE,
      description: `Last line to read (inclusive). At most ${READ_PAGE_LINES} lines are returned per call.`,
    },
  },
  ['path'],
);

/** `   12│text` (lineNumbers.ts): the number is right-aligned so copied text after `│` is the exact line. */
export function numberLines(
  lines: readonly string[],
  firstLine: number,
  budgetChars: number,
): { text: string; lastLine: number } {
  const width = lineNumberWidth(firstLine + lines.length - 1);
  const out: string[] = [];
  let used = 0;
  let lastLine = firstLine - 1;
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i];
    if (line.length > LONG_LINE_CHARS)
      line = `${line.slice(0, LONG_LINE_CHARS)} … [line truncated: ${line.length} characters]`;
    const numbered = numberedLine(firstLine + i, width, line);
    if (out.length > 0 && used + numbered.length + 1 > budgetChars) break;
    out.push(numbered);
    used += numbered.length + 1;
    lastLine = firstLine + i;
  }
  return { text: out.join('\n'), lastLine };
}

export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
}

/** One page of a file, as read_file returns it (mentions attach files the same way). */
export async function readPage(
  args: ReadFileArgs,
  resolved: string,
  shown: string,
  ctx: ToolContext,
): Promise<ToolOutput> {
  const snapshot = await ctx.workspace.readText(resolved);
  if (snapshot === undefined) {
    const stat = await ctx.workspace.stat(resolved);
    if (stat?.type === 'directory')
      return {
        ok: false,
        text: `${shown} is a directory; use list_files to see its contents.`,
        detail: 'is a directory',
      };
    return {
      ok: false,
      text: `File not found: ${shown}. Use list_files or search_files to find the right path.`,
      detail: 'not found',
    };
  }
  if (snapshot.text.includes('\u0000'))
    return { ok: false, text: `${shown} looks like a binary file; its content is not shown.`, detail: 'binary file' };
  const lines = splitLines(snapshot.text);
  const total = lines.length;
  const source = snapshot.fromDirtyBuffer ? ' (unsaved editor content)' : '';
  if (total === 0) return { ok: true, text: `${shown}${source}: the file is empty.`, detail: 'empty file' };
  const start = args.start_line ?? 1;
  if (start > total)
    return {
      ok: false,
      text: `start_line ${start} is past the end of ${shown} (${total} lines).`,
      detail: 'past the end',
    };
  const requestedEnd = Math.min(args.end_line ?? total, total);
  if (requestedEnd < start)
    return { ok: false, text: `end_line ${requestedEnd} is before start_line ${start}.`, detail: 'invalid range' };
  const end = Math.min(requestedEnd, start + READ_PAGE_LINES - 1);
  const budget = Math.max(500, ctx.policy.limits.maxToolOutputChars - 400);
  const page = numberLines(lines.slice(start - 1, end), start, budget);
  const header = `${shown}${source} · lines ${start}–${page.lastLine} of ${total}`;
  const parts = [header, page.text];
  if (page.lastLine < requestedEnd || (args.end_line === undefined && page.lastLine < total)) {
    parts.push(
      `[Showing lines ${start}–${page.lastLine} of ${total}. To read on, call read_file with start_line: ` +
        `${page.lastLine + 1}.]`,
    );
  }
  return { ok: true, text: parts.join('\n'), detail: `lines ${start}–${page.lastLine} of ${total}` };
}

export const readFileTool: Tool<ReadFileArgs, ReadPlan | RefusedPlan | FailedPlan> = {
  name: 'read_file',
  effect: 'read',
  prompt: { hint: 'numbered lines, paged' },
  spec: {
    name: 'read_file',
    description:
      `Read a text file. Each line is shown as its number, right-aligned, then "${LINE_NUMBER_SEPARATOR}" ` +
      `(U+2502), then the line exactly: "  12${LINE_NUMBER_SEPARATOR}text". The prefix is not part of the file: ` +
      `quote only the text after "${LINE_NUMBER_SEPARATOR}". At most ${READ_PAGE_LINES} lines per call: ` +
      'the footer says how to read the next page. Shows unsaved editor changes when the file is open.',
    parameters: schema as unknown as Record<string, unknown>,
  },
  validate: (args) => {
    const result = validateAgainst<ReadFileArgs>(schema, args);
    if (result.ok && result.value.end_line !== undefined && result.value.end_line < (result.value.start_line ?? 1)) {
      return { ok: false, errors: ['end_line: must not be before start_line'] };
    }
    return result;
  },
  title: (args) => `Read ${args.path}${args.start_line !== undefined ? ` from line ${args.start_line}` : ''}`,
  async plan(args, ctx) {
    const title = readFileTool.title(args);
    const decided = decideReadPath(ctx, args.path, title, `reading ${args.path}`);
    if (!decided.ok) return decided.plan;
    const shown = decided.decision.relative ?? decided.resolved;
    return readPlan(title, decided.decision, () => readPage(args, decided.resolved, shown, ctx));
  },
};
