// write_file: creates a file or replaces it whole. An overwrite is previewed like any edit, keeps the file's
// line endings and byte-order mark (so only the lines that really change show as changed), and one that
// leaves an omission placeholder ("// ... rest unchanged") is refused: it would silently delete code.
import { summarizeChange } from '../edits/changeSummary';
import { findPlaceholder } from '../edits/placeholders';
import { detectFormat, restoreFormat } from '../edits/textFormat';
import { objectSchema, validateAgainst } from './argumentSchema';
import { failedPlan, readPlan, type FailedPlan, type ReadPlan, type RefusedPlan } from './plan';
import { decideWritePath, displayPath, PATH_MAX_LENGTH, type Tool } from './tool';
import { writePlan, type WritePlan } from './writePlan';

export interface WriteFileArgs {
  path: string;
  content: string;
}

export const MAX_WRITE_CHARS = 1_000_000;

const schema = objectSchema(
  {
    path: {
      type: 'string',
      minLength: 1,
      maxLength: PATH_MAX_LENGTH,
      description: 'File to create or replace, relative to the first workspace folder or absolute.',
    },
    content: { type: 'string', maxLength: MAX_WRITE_CHARS, description: 'The complete file content.' },
  },
  ['path', 'content'],
);

export const writeFileTool: Tool<WriteFileArgs, WritePlan | ReadPlan | RefusedPlan | FailedPlan> = {
  name: 'write_file',
  effect: 'write',
  spec: {
    name: 'write_file',
    description:
      'Create a new file, or replace an existing file with complete new content (prefer edit_file for changes to ' +
      'existing files). ' +
      'Never leave placeholders such as "... rest of the code unchanged". The user previews and may reject the change.',
    parameters: schema as unknown as Record<string, unknown>,
  },
  validate: (args) => validateAgainst<WriteFileArgs>(schema, args),
  title: (args) => `Write ${args.path}`,
  async plan(args, ctx) {
    const title = writeFileTool.title(args);
    const target = decideWritePath(ctx, args.path, title);
    if (!target.ok) return target.plan;
    const { decision, resolved } = target;
    const shown = displayPath(decision);
    const stat = await ctx.workspace.stat(resolved);
    if (stat?.type === 'directory')
      return failedPlan({ title, decision, message: `${shown} is a directory.`, detail: 'is a directory' });
    const existing = stat === undefined ? undefined : await ctx.workspace.readText(resolved);
    if (existing !== undefined) {
      const placeholder = findPlaceholder(args.content, existing.text, { path: resolved });
      if (placeholder !== undefined) {
        return failedPlan({
          title,
          decision,
          detail: 'placeholder in content',
          message:
            `Not written: the new content of ${shown} contains an omission placeholder ` +
            `(${JSON.stringify(placeholder)}), ` +
            'which would delete the code it stands for. Write the complete file, or use edit_file for a partial ' +
            'change.',
        });
      }
    }
    const before = existing?.text;
    const after = before === undefined ? args.content : inFormatOf(before, args.content);
    if (before === after) {
      return readPlan(title, decision, async () => ({
        ok: true,
        text: `${shown} already has exactly this content; nothing to change.`,
        detail: 'unchanged',
      }));
    }
    return writePlan({
      title: existing === undefined ? `Create ${args.path}` : title,
      decision,
      change: { path: resolved, before, after },
      summary: summarizeChange(before ?? '', after),
      displayPath: shown,
      isNew: existing === undefined,
    });
  },
};

/**
 * The new content with the old file's line endings and byte-order mark. Whether it ends in a line break is
 * the model's choice: only the encoding of line breaks is the file's.
 */
function inFormatOf(before: string, content: string): string {
  const last = content.charCodeAt(content.length - 1);
  return restoreFormat(content, { ...detectFormat(before), finalNewline: last === 10 || last === 13 });
}
