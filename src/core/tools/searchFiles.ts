// search_files: text or regex search across the workspace; hits in files the read policy denies are dropped.
import type { Decision } from '../policy/decision';
import { objectSchema, validateAgainst } from './argumentSchema';
import { readPlan, type ReadPlan } from './plan';
import { isReadable, relativeForDisplay, type Tool } from './tool';

export interface SearchFilesArgs {
  query: string;
  is_regex?: boolean;
  include?: string;
}

export const SEARCH_LIMIT = 200;
const HIT_TEXT_CHARS = 300;

const schema = objectSchema(
  {
    query: {
      type: 'string',
      minLength: 1,
      maxLength: 1_000,
      description: 'Text to find (case-sensitive), or a regular expression when is_regex is true.',
    },
    is_regex: { type: 'boolean', description: 'Treat query as a JavaScript regular expression. Default false.' },
    include: {
      type: 'string',
      minLength: 1,
      maxLength: 1_000,
      description: 'Glob of files to search, e.g. "src/**/*.ts". Default: all files.',
    },
  },
  ['query'],
);

/** Searching has no single path to decide: it is allowed, and every hit passes the read policy. */
const SEARCH_DECISION: Decision = {
  decision: 'allow',
  rule: 'search-readable-files',
  source: 'built-in',
  reason: 'Searches only files the read policy allows; other files are left out.',
};

export const searchFilesTool: Tool<SearchFilesArgs, ReadPlan> = {
  name: 'search_files',
  effect: 'read',
  spec: {
    name: 'search_files',
    description:
      `Search file contents in the workspace (ignored files are skipped). Returns "path:line: text", at ` +
      `most ${SEARCH_LIMIT} hits.`,
    parameters: schema as unknown as Record<string, unknown>,
  },
  validate: (args) => {
    const result = validateAgainst<SearchFilesArgs>(schema, args);
    if (result.ok && result.value.is_regex === true) {
      try {
        new RegExp(result.value.query);
      } catch (error) {
        return {
          ok: false,
          errors: [`query: invalid regular expression (${error instanceof Error ? error.message : String(error)})`],
        };
      }
    }
    return result;
  },
  title: (args) => `Search ${JSON.stringify(args.query)}${args.include !== undefined ? ` in ${args.include}` : ''}`,
  async plan(args, ctx) {
    const title = searchFilesTool.title(args);
    return readPlan(title, SEARCH_DECISION, async () => {
      const { hits, truncated } = await ctx.workspace.search({
        query: args.query,
        isRegex: args.is_regex ?? false,
        include: args.include,
        limit: SEARCH_LIMIT,
        signal: ctx.signal,
      });
      const visible = hits.filter((hit) => isReadable(ctx.policy, hit.path));
      if (visible.length === 0)
        return { ok: true, text: `No matches for ${JSON.stringify(args.query)}.`, detail: 'no matches' };
      const lines = visible.map((hit) => {
        const text = hit.text.trim();
        return (
          `${relativeForDisplay(ctx.policy, hit.path)}:${hit.line}: ` +
          `${text.length > HIT_TEXT_CHARS ? `${text.slice(0, HIT_TEXT_CHARS)}…` : text}`
        );
      });
      if (truncated) lines.push(`[Stopped at ${SEARCH_LIMIT} matches: narrow the query or the include glob.]`);
      return {
        ok: true,
        text: lines.join('\n'),
        detail: `${visible.length} match${visible.length === 1 ? '' : 'es'}${truncated ? ' (truncated)' : ''}`,
      };
    });
  },
};
