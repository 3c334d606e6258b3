// list_files: the files below a folder (honouring .gitignore); files the read policy denies are invisible.
import { objectSchema, validateAgainst } from './argumentSchema';
import { failedPlan, readPlan, type FailedPlan, type ReadPlan, type RefusedPlan } from './plan';
import { decideReadPath, isReadable, PATH_MAX_LENGTH, relativeForDisplay, type Tool } from './tool';

export interface ListFilesArgs {
  path?: string;
  recursive?: boolean;
}

export const LIST_LIMIT = 500;

const schema = objectSchema(
  {
    path: {
      type: 'string',
      minLength: 1,
      maxLength: PATH_MAX_LENGTH,
      description:
        'Folder to list, relative to the first workspace folder or absolute. Default: the first workspace folder.',
    },
    recursive: { type: 'boolean', description: 'List sub-folders too. Default false.' },
  },
  [],
);

export const listFilesTool: Tool<ListFilesArgs, ReadPlan | RefusedPlan | FailedPlan> = {
  name: 'list_files',
  effect: 'read',
  spec: {
    name: 'list_files',
    description:
      `List files in a folder (ignored files are left out). At most ${LIST_LIMIT} entries; list a ` +
      `sub-folder or use search_files for more.`,
    parameters: schema as unknown as Record<string, unknown>,
  },
  validate: (args) => validateAgainst<ListFilesArgs>(schema, args),
  title: (args) => `List ${args.path ?? 'workspace'}${args.recursive === true ? ' (recursive)' : ''}`,
  async plan(args, ctx) {
    const title = listFilesTool.title(args);
    if (ctx.workspace.folders().length === 0) return failedPlan({ title, message: 'No workspace folder is open.' });
    const decided = decideReadPath(ctx, args.path ?? '.', title, `listing ${args.path ?? 'the workspace'}`);
    if (!decided.ok) return decided.plan;
    const { resolved, decision } = decided;
    return readPlan(title, decision, async () => {
      const shown =
        decision.relative === undefined || decision.relative === '' ? (args.path ?? resolved) : decision.relative;
      const stat = await ctx.workspace.stat(resolved);
      if (stat === undefined) return { ok: false, text: `Folder not found: ${shown}.`, detail: 'not found' };
      if (stat.type !== 'directory')
        return { ok: false, text: `${shown} is a file; use read_file to read it.`, detail: 'not a folder' };
      const listing = await ctx.workspace.listFiles(resolved, {
        recursive: args.recursive ?? false,
        limit: LIST_LIMIT,
        signal: ctx.signal,
      });
      const visible = listing.paths
        .filter((path) => isReadable(ctx.policy, path))
        .map((path) => relativeForDisplay(ctx.policy, path));
      const lines = [
        `${visible.length} entr${visible.length === 1 ? 'y' : 'ies'} in ` +
          `${shown}${args.recursive === true ? ' (recursive)' : ''}:`,
        ...visible,
      ];
      if (visible.length === 0) lines[0] = `No files in ${shown}.`;
      if (listing.truncated)
        lines.push(`[Listing stopped at ${LIST_LIMIT} entries: list a sub-folder or use search_files.]`);
      return {
        ok: true,
        text: lines.join('\n'),
        detail: `${visible.length} entries${listing.truncated ? ' (truncated)' : ''}`,
      };
    });
  },
};
