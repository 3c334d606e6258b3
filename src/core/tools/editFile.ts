// edit_file: exact search/replace blocks applied independently; every block's result goes back to the model,
// and if at least one applied, the edited file is proposed (previewed, approved, then written).
import { summarizeEdit } from '../edits/changeSummary';
import { applyEditBlocks } from '../edits/editEngine';
import { describeNormalisations } from '../edits/recoveryReport';
import type { BlockResult, EditBlock } from '../edits/fileChange';
import { objectSchema, validateAgainst } from './argumentSchema';
import { failedPlan, type FailedPlan, type RefusedPlan } from './plan';
import { decideWritePath, displayPath, PATH_MAX_LENGTH, type Tool } from './tool';
import { writePlan, type WritePlan } from './writePlan';

export interface EditFileArgs {
  path: string;
  edits: EditBlock[];
}

export const MAX_EDIT_BLOCKS = 50;
const MAX_BLOCK_CHARS = 200_000;

const schema = objectSchema(
  {
    path: {
      type: 'string',
      minLength: 1,
      maxLength: PATH_MAX_LENGTH,
      description: 'File to edit, relative to the first workspace folder or absolute.',
    },
    edits: {
      type: 'array',
      minItems: 1,
      maxItems: MAX_EDIT_BLOCKS,
      description: 'Replacements, each applied on its own.',
      items: objectSchema(
        {
          old_text: {
            type: 'string',
            maxLength: MAX_BLOCK_CHARS,
            description: 'Exact current text (copied from read_file without the line numbers), unique in the file.',
          },
          new_text: {
            type: 'string',
            maxLength: MAX_BLOCK_CHARS,
            description: 'Replacement text, complete: never "..." or "rest unchanged".',
          },
        },
        ['old_text', 'new_text'],
      ),
    },
  },
  ['path', 'edits'],
);

export function describeBlockResults(results: readonly BlockResult[]): string {
  return results
    .map((r) => {
      if (!r.ok) return `Edit ${r.index + 1}: not applied (${r.kind}): ${r.message}`;
      const where = r.startLine === r.endLine ? `line ${r.startLine}` : `lines ${r.startLine}-${r.endLine}`;
      if (r.normalised.length === 0) return `Edit ${r.index + 1}: applied at ${where}.`;
      const moved =
        r.quotedLine !== undefined
          ? ` Its line numbers started at ${r.quotedLine}: the file has changed since you read it.`
          : '';
      return (
        `Edit ${r.index + 1}: applied at ${where}, matched only after ${describeNormalisations(r.normalised)}; ` +
        `the rest of the file is unchanged. Copy old_text exactly next time.${moved}`
      );
    })
    .join('\n');
}

export const editFileTool: Tool<EditFileArgs, WritePlan | RefusedPlan | FailedPlan> = {
  name: 'edit_file',
  effect: 'write',
  prompt: {
    guidance:
      'Read before you edit. For edit_file, copy old_text exactly from read_file output, without the "  12│" ' +
      'line-number prefix, with enough lines to be unique. Never write placeholders like "... rest unchanged"; ' +
      'every edit and write is complete.',
  },
  spec: {
    name: 'edit_file',
    description:
      'Edit an existing file with search/replace blocks. old_text must be copied exactly from read_file output ' +
      '(without the line-number prefix) ' +
      'and match exactly one place. Each block applies on its own; results per block are returned. The user ' +
      'previews and may reject the change.',
    parameters: schema as unknown as Record<string, unknown>,
  },
  validate: (args) => validateAgainst<EditFileArgs>(schema, args),
  title: (args) => `Edit ${args.path}`,
  async plan(args, ctx) {
    const title = editFileTool.title(args);
    const target = decideWritePath(ctx, args.path, title);
    if (!target.ok) return target.plan;
    const { decision, resolved } = target;
    const shown = displayPath(decision);
    const snapshot = await ctx.workspace.readText(resolved);
    if (snapshot === undefined) {
      return failedPlan({
        title,
        decision,
        message: `${shown} does not exist. Use write_file to create a new file.`,
        detail: 'not found',
      });
    }
    const outcome = applyEditBlocks(snapshot.text, args.edits, { path: resolved });
    const report = describeBlockResults(outcome.results);
    const applied = outcome.results.filter((r) => r.ok).length;
    if (!outcome.changed) {
      const why = applied > 0 ? 'the edits leave the file unchanged' : 'no edit block applied';
      return failedPlan({
        title,
        decision,
        message:
          `Nothing changed in ${shown}: ${why}.\n${report}\nRe-read the file with read_file and copy ` +
          `old_text exactly.`,
        detail: `${applied} of ${args.edits.length} edits applied`,
      });
    }
    return writePlan({
      title,
      decision,
      change: { path: resolved, before: snapshot.text, after: outcome.content },
      summary: summarizeEdit(outcome.edited),
      displayPath: shown,
      isNew: false,
      note:
        applied < args.edits.length
          ? `${applied} of ${args.edits.length} edits applied; the others were not:\n${report}`
          : report,
    });
  },
};
