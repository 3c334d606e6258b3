// A proposed write to one file: a card item with +/− counts and a diff beside the editor, then — once
// approved (or auto-approved) and only if the settings still allow it — one stale-checked edit through the
// workspace port, followed by the problems the edit introduced. Every writing tool proposes through this.
import { visibleText } from '../policy/visibleText';
import type { Approver } from '../audit/auditRecord';
import { summarizeChange } from '../edits/changeSummary';
import type { ChangeSummary, FileChange } from '../edits/fileChange';
import { reviewedCounts } from '../edits/reviewedCounts';
import { failClosed, type Decision, type PathDecision } from '../policy/decision';
import type { DiagnosticInfo } from '../ports';
import { formatDiagnostic } from './getDiagnostics';
import {
  cancelledOutcome,
  decisionSummary,
  rejectedOutcome,
  type PlanRun,
  type ToolOutcome,
  type ToolPlan,
} from './plan';

export interface WritePlan extends ToolPlan {
  kind: 'write';
  decision: PathDecision;
  change: FileChange;
  summary: ChangeSummary;
  /** Workspace-relative path when inside a folder, else the resolved path. */
  displayPath: string;
  isNew: boolean;
  /** Told to the model with the outcome (e.g. which edit blocks failed). */
  note?: string;
  /** What the user left in the preview when it closed, if it differs from the proposal: what is applied. */
  edited?: string;
}

export const DEFAULT_DIAGNOSTICS_SETTLE_MS = 750;
const MAX_NEW_DIAGNOSTICS = 20;

export function writePlan(fields: {
  title: string;
  decision: PathDecision;
  change: FileChange;
  summary: ChangeSummary;
  displayPath: string;
  isNew: boolean;
  note?: string;
}): WritePlan {
  const { decision, change, summary, displayPath } = fields;
  const plan: WritePlan = {
    kind: 'write',
    ...fields,
    writes: [change.path],
    approval({ policy, ports, newId }) {
      // Protected files always get a card, whatever the auto-approve globs say.
      if (!decision.protected && decision.decision !== 'deny' && policy.autoApprovesWrite(decision)) return undefined;
      const itemId = newId();
      return {
        kind: 'write',
        items: [
          {
            id: itemId,
            kind: 'file',
            title: visibleText(displayPath),
            status: 'pending',
            decision: decisionSummary(decision),
            added: summary.added,
            removed: summary.removed,
            isNew: fields.isNew,
            protected: decision.protected,
          },
        ],
        async preview() {
          try {
            await ports.diffPreview.show(change, summary);
          } catch (error) {
            ports.logger.warn(`Could not open the diff preview for ${displayPath}: ${message(error)}`);
          }
        },
        async closePreview() {
          try {
            // The user may have edited the proposal or rejected some of its hunks: that is what lands.
            const left = change.after === undefined ? undefined : ports.diffPreview.proposal?.(change.path);
            if (left !== undefined && left !== change.after) plan.edited = left;
            await ports.diffPreview.close(change.path);
          } catch (error) {
            ports.logger.warn(`Could not close the diff preview: ${message(error)}`);
          }
        },
        reviewed(path) {
          if (path !== change.path) return undefined;
          return { itemId, counts: reviewedCounts(change, summary, ports.diffPreview.proposal?.(path)) };
        },
      };
    },
    execute: (run) => executeWrite(plan, run),
    stopped: () => cancelledOutcome(decision, 'Not applied: the user pressed Stop; the file is unchanged.'),
  };
  return plan;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function executeWrite(plan: WritePlan, run: PlanRun): Promise<ToolOutcome> {
  if (run.answers === undefined) return applyWrite(plan, run, 'auto-approve');
  const answer = run.answers[0];
  if (answer === undefined || answer.status === 'cancelled')
    return cancelledOutcome(plan.decision, 'Not applied: the approval was cancelled; the file is unchanged.');
  if (answer.status === 'rejected')
    return rejectedOutcome(
      plan.decision,
      `Rejected by the user: the change to ${plan.displayPath} was not applied; the file is unchanged.`,
      answer.reason,
    );
  return applyWrite(plan, run, 'user');
}

async function applyWrite(plan: WritePlan, run: PlanRun, approvedBy: Approver): Promise<ToolOutcome> {
  const { displayPath } = plan;
  // Still from the same `before`: the stale check holds for an edited proposal too.
  const edited = approvedBy === 'user' ? plan.edited : undefined;
  const change = edited === undefined ? plan.change : { ...plan.change, after: edited };
  const summary = edited === undefined ? plan.summary : summarizeChange(change.before, change.after);
  // The settings may have changed while the card was open: a path denied now is not written.
  let now: Decision;
  try {
    now = run.policy().decidePath('write', change.path);
  } catch (error) {
    now = failClosed(error);
  }
  if (now.decision === 'deny') {
    return {
      status: 'denied',
      decision: now,
      approvedBy: 'none',
      outcome: 'denied',
      showDecision: true,
      detail: now.reason,
      text:
        `Not applied: writing ${displayPath} is now denied by policy. ${now.reason} (rule ` +
        `"${now.rule}", ${now.source}). Do not try to write it another way.`,
    };
  }
  const before = await safeDiagnostics(run, change.path);
  if (run.signal.aborted) return plan.stopped();
  let result;
  try {
    result = await run.ports.workspace.applyChange(change);
  } catch (error) {
    result = { ok: false as const, reason: 'failed' as const, message: message(error) };
  }
  const size = `+${summary.added} −${summary.removed}`;
  if (!result.ok && result.reason === 'stale') {
    run.notice('warning', `${displayPath} changed after Warden proposed this edit, so it was not applied.`);
    return {
      status: 'error',
      decision: plan.decision,
      approvedBy,
      outcome: 'stale',
      detail: 'file changed since; not applied',
      text:
        `Not applied: ${displayPath} changed since you read it (edited by the user or another program). ` +
        `Re-read it with read_file and make the edit again on the current content; do not retry the same edit ` +
        `blindly.`,
    };
  }
  if (!result.ok) {
    return {
      status: 'error',
      decision: plan.decision,
      approvedBy,
      outcome: `failed: ${result.message}`,
      detail: 'not applied',
      text: `Not applied: ${result.message}`,
    };
  }
  // Not saved is still applied: the editor holds the change, later reads see it, and Undo must restore it.
  const saved = result.saved !== false;
  run.changeApplied(change, saved);
  const done = `${plan.isNew ? 'Created' : 'Applied the change to'} ${displayPath} (${size})`;
  const lines = saved
    ? [`${done}.`]
    : [
        `${done} in the editor, but it could not be saved${result.message ? ` (${result.message})` : ''}: the ` +
          `file on disk keeps its old content until the user saves it.`,
      ];
  if (!saved)
    run.notice('warning', `${displayPath} was changed in the editor but could not be saved; save it or undo the turn.`);
  if (edited !== undefined)
    lines.push(
      `The user changed your proposal before approving it (edited it or rejected some of its changes): ` +
        `${displayPath} now holds their version, not yours. Read it before editing it again.`,
    );
  if (plan.note !== undefined) lines.push(plan.note);
  const problems = await problemsSince(before, plan, run);
  if (problems !== '') lines.push(problems);
  const what = `${plan.isNew ? 'created' : 'applied'} ${size}${saved ? '' : ', not saved'}`;
  return {
    status: 'ok',
    decision: plan.decision,
    approvedBy,
    outcome: `${saved ? 'applied' : 'applied, not saved'}${edited === undefined ? '' : ', as edited by the user'}`,
    detail:
      `${what}${approvedBy === 'auto-approve' ? ' (auto-approved)' : ''}` +
      (edited === undefined ? '' : ' (as you edited it)'),
    text: lines.join('\n'),
  };
}

/** New problems in the file after a short settle wait, for the model to fix what its edit broke. */
async function problemsSince(before: DiagnosticInfo[], plan: WritePlan, run: PlanRun): Promise<string> {
  try {
    const settleMs = run.diagnosticsSettleMs ?? DEFAULT_DIAGNOSTICS_SETTLE_MS;
    if (settleMs > 0) await run.ports.clock.sleep(settleMs, run.signal);
    const fresh = newDiagnostics(before, await safeDiagnostics(run, plan.change.path));
    const policy = run.policy();
    if (fresh.length === 0) return `No new problems reported in ${plan.displayPath}.`;
    return (
      `New problems in ${plan.displayPath} since this change:\n${fresh
        .slice(0, MAX_NEW_DIAGNOSTICS)
        .map((d) => formatDiagnostic(policy, d))
        .join('\n')}` + (fresh.length > MAX_NEW_DIAGNOSTICS ? `\n[${fresh.length - MAX_NEW_DIAGNOSTICS} more]` : '')
    );
  } catch {
    return '';
  }
}

async function safeDiagnostics(run: PlanRun, path: string): Promise<DiagnosticInfo[]> {
  try {
    return await run.ports.workspace.diagnostics(path);
  } catch (error) {
    run.ports.logger.warn(`Could not read diagnostics for ${path}: ${message(error)}`);
    return [];
  }
}

function diagnosticKey(d: DiagnosticInfo): string {
  return `${d.severity}\u0000${d.source ?? ''}\u0000${d.message}`;
}

/** Problems in `after` that were not in `before` (lines shift with the edit, so they are not compared). */
export function newDiagnostics(before: readonly DiagnosticInfo[], after: readonly DiagnosticInfo[]): DiagnosticInfo[] {
  const seen = new Map<string, number>();
  for (const d of before) seen.set(diagnosticKey(d), (seen.get(diagnosticKey(d)) ?? 0) + 1);
  return after.filter((d) => {
    if (d.severity !== 'error' && d.severity !== 'warning') return false;
    const left = seen.get(diagnosticKey(d)) ?? 0;
    if (left > 0) {
      seen.set(diagnosticKey(d), left - 1);
      return false;
    }
    return true;
  });
}
