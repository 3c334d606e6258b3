// get_diagnostics: the problems VS Code reports, for one file or the workspace (denied files left out).
import type { DiagnosticInfo } from '../ports';
import type { Policy } from '../policy/policy';
import type { Decision } from '../policy/decision';
import { objectSchema, validateAgainst } from './argumentSchema';
import { readPlan, type FailedPlan, type ReadPlan, type RefusedPlan } from './plan';
import { decideReadPath, isReadable, PATH_MAX_LENGTH, relativeForDisplay, type Tool } from './tool';

export interface GetDiagnosticsArgs {
  path?: string;
}

export const DIAGNOSTICS_LIMIT = 200;

const schema = objectSchema(
  {
    path: {
      type: 'string',
      minLength: 1,
      maxLength: PATH_MAX_LENGTH,
      description: 'File to check. Default: every file with problems.',
    },
  },
  [],
);

const WORKSPACE_DECISION: Decision = {
  decision: 'allow',
  rule: 'diagnostics-readable-files',
  source: 'built-in',
  reason: 'Reports problems only for files the read policy allows.',
};

export function formatDiagnostic(policy: Policy, d: DiagnosticInfo): string {
  return (
    `${relativeForDisplay(policy, d.path)}:${d.line}:${d.column} ${d.severity}: ` +
    `${d.message}${d.source !== undefined ? ` (${d.source})` : ''}`
  );
}

const SEVERITY_ORDER: Record<DiagnosticInfo['severity'], number> = { error: 0, warning: 1, info: 2, hint: 3 };

export const getDiagnosticsTool: Tool<GetDiagnosticsArgs, ReadPlan | RefusedPlan | FailedPlan> = {
  name: 'get_diagnostics',
  effect: 'read',
  spec: {
    name: 'get_diagnostics',
    description: 'List compiler and linter problems (errors first) for one file or the whole workspace.',
    parameters: schema as unknown as Record<string, unknown>,
  },
  validate: (args) => validateAgainst<GetDiagnosticsArgs>(schema, args),
  title: (args) => `Problems in ${args.path ?? 'workspace'}`,
  async plan(args, ctx) {
    const title = getDiagnosticsTool.title(args);
    let target: string | undefined;
    let decision: Decision = WORKSPACE_DECISION;
    if (args.path !== undefined) {
      const decided = decideReadPath(ctx, args.path, title, `reading problems of ${args.path}`);
      if (!decided.ok) return decided.plan;
      target = decided.resolved;
      decision = decided.decision;
    }
    return readPlan(title, decision, async () => {
      const all = (await ctx.workspace.diagnostics(target)).filter((d) => isReadable(ctx.policy, d.path));
      all.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
      if (all.length === 0)
        return {
          ok: true,
          text: `No problems reported${args.path !== undefined ? ` for ${args.path}` : ''}.`,
          detail: 'no problems',
        };
      const shown = all.slice(0, DIAGNOSTICS_LIMIT).map((d) => formatDiagnostic(ctx.policy, d));
      if (all.length > DIAGNOSTICS_LIMIT) shown.push(`[${all.length - DIAGNOSTICS_LIMIT} more problems not shown.]`);
      return { ok: true, text: shown.join('\n'), detail: `${all.length} problem${all.length === 1 ? '' : 's'}` };
    });
  },
};
