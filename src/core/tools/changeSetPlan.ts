// What a sandboxed command changed, as a plan: one write card listing every changed path (text files with
// their diff in the preview), and once answered, approved text files applied through the workspace like any
// edit (stale-checked, undoable), the rest — folders, links, binary files, git-ignored folders — copied from
// the command's layer with the file system (not undoable, and the card says so). Nothing lands unapproved.
import { summarizeChange } from '../edits/changeSummary';
import type { ChangeSummary, FileChange } from '../edits/fileChange';
import { reviewedCounts } from '../edits/reviewedCounts';
import { failClosed, type Decision } from '../policy/decision';
import type { ApprovalItem, ChangeItemView, WorkspaceFolderInfo } from '../ports';
import { changeCount, type ChangeGroup, type ChangeItem, type ChangeSet } from '../sandbox/changeSet';
import type { ChangedEntry } from '../sandbox/layerChanges';
import type { DirectApplyResult, PendingChanges } from '../sandbox/sandboxPort';
import { cancelledOutcome, decisionSummary, type PlanRun, type ToolOutcome, type ToolPlan } from './plan';

/** More diffs than this are not opened at once: the rest are reviewed on the card by their counts. */
export const MAX_PREVIEW_DIFFS = 8;

export interface ChangeSetPlan extends ToolPlan {
  kind: 'changeSet';
  changeSet: ChangeSet;
}

/** A text file's change, when it can go through the editor; undefined when it must be applied directly. */
export function textChange(item: ChangeItem): { change: FileChange; summary: ChangeSummary } | undefined {
  if (item.modeChanged || item.summary === undefined) return undefined;
  const text = (
    state: ChangedEntry['before'],
    content: NonNullable<ChangeItem['content']>['before'],
  ): string | undefined | null => {
    if (state === undefined) return undefined;
    if (state.kind !== 'file' || content?.kind !== 'text') return null;
    return content.text;
  };
  const before = text(item.before, item.content?.before);
  const after = text(item.after, item.content?.after);
  if (before === null || after === null || (before === undefined && after === undefined)) return undefined;
  return { change: { path: item.path, before, after }, summary: item.summary };
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** What a directly applied item is, in a few words. */
function directNote(item: ChangeItem): string {
  const state = item.after ?? item.before;
  const notes: string[] = [];
  if (state?.kind === 'directory') notes.push('folder');
  else if (state?.kind === 'symlink') notes.push(`symlink → ${state.linkTarget ?? '?'}`);
  else if (state?.kind === 'other') notes.push('special file');
  else {
    const content = item.after === undefined ? item.content?.before : item.content?.after;
    if (content?.kind === 'binary') notes.push(`binary, ${size(content.size)}`);
    else if (content?.kind === 'too-large') notes.push(`${size(content.size)}, too large to show`);
    else if (content === undefined) notes.push('content not readable');
  }
  if (item.modeChanged && item.before !== undefined && item.after !== undefined)
    notes.push(`mode ${item.before.mode.toString(8)} → ${item.after.mode.toString(8)}`);
  return notes.join(', ');
}

/** Paths as the user knows them: relative, prefixed with the folder's name when several are open. */
export function changeDisplayPath(
  entry: Pick<ChangedEntry, 'folder' | 'relative'>,
  folders: readonly WorkspaceFolderInfo[],
): string {
  if (folders.length <= 1) return entry.relative;
  const name = folders.find((f) => f.path === entry.folder)?.name;
  return name === undefined ? entry.relative : `${name}/${entry.relative}`;
}

const IGNORED_GROUP_RULE = 'sandbox.ignoredFolder';

function groupDecision(group: ChangeGroup): Decision {
  return {
    decision: 'ask',
    rule: IGNORED_GROUP_RULE,
    source: 'built-in',
    reason:
      `Git ignores this folder: its ${group.entries.length} change(s) are approved together and applied directly ` +
      `with the file system — not undoable.`,
  };
}

interface Row {
  id: string;
  display: string;
  item?: ChangeItem;
  group?: ChangeGroup;
  text?: { change: FileChange; summary: ChangeSummary };
  /** What the user left in this file's preview when the card closed, if it differs from the command's result. */
  edited?: string;
}

export function changeSetPlan(fields: {
  command: string;
  pending: PendingChanges;
  /** The command's decision: the audit's and the model's reference. */
  decision: Decision;
  /** Things the user should know with the card (blocked hosts, files owned by others). */
  notes?: readonly string[];
}): ChangeSetPlan {
  const { pending, decision } = fields;
  const changeSet = pending.changeSet;
  let rows: Row[] = [];
  const dropped = (folders: readonly WorkspaceFolderInfo[]): string[] =>
    changeSet.dropped.map((d) => `${changeDisplayPath(d, folders)} — ${d.reason} (rule ${d.rule})`);
  const plan: ChangeSetPlan = {
    kind: 'changeSet',
    title: `Changes made by: ${fields.command}`,
    decision,
    changeSet,
    writes: [...changeSet.items.map((i) => i.path), ...changeSet.groups.map((g) => g.path)],
    approval({ ports, newId }) {
      if (changeSet.truncated || changeSet.items.length + changeSet.groups.length === 0) return undefined;
      const folders = ports.workspace.folders();
      rows = [
        ...changeSet.items.map((item) => {
          const text = textChange(item);
          return { id: newId(), display: changeDisplayPath(item, folders), item, ...(text ? { text } : {}) };
        }),
        ...changeSet.groups.map((group) => ({ id: newId(), display: `${changeDisplayPath(group, folders)}/`, group })),
      ];
      const previews = rows.filter((row) => row.text !== undefined).slice(0, MAX_PREVIEW_DIFFS);
      const textRows = rows.filter((row) => row.text !== undefined).length;
      const notes = [...(fields.notes ?? [])];
      if (textRows > previews.length)
        notes.push(`Diffs are open for the first ${previews.length} of ${textRows} text files.`);
      const items: ApprovalItem[] = rows.map((row) => cardItem(row));
      return {
        kind: 'write',
        items,
        changeSet: { command: fields.command, dropped: dropped(folders), notes },
        async preview() {
          for (const row of previews) {
            try {
              await ports.diffPreview.show(row.text!.change, row.text!.summary);
            } catch (error) {
              ports.logger.warn(`Could not open the diff preview for ${row.display}: ${errorText(error)}`);
            }
          }
        },
        async closePreview() {
          for (const row of previews) {
            try {
              // As for any write: the proposal as the user left it in the preview is what lands.
              const { change } = row.text!;
              const left = change.after === undefined ? undefined : ports.diffPreview.proposal?.(change.path);
              if (left !== undefined && left !== change.after) row.edited = left;
              await ports.diffPreview.close(change.path);
            } catch (error) {
              ports.logger.warn(`Could not close the diff preview: ${errorText(error)}`);
            }
          }
        },
        reviewed(path) {
          const row = previews.find((r) => r.text!.change.path === path);
          if (row === undefined) return undefined;
          const { change, summary } = row.text!;
          return { itemId: row.id, counts: reviewedCounts(change, summary, ports.diffPreview.proposal?.(path)) };
        },
      };
    },
    execute: (run) => applyChangeSet(plan, pending, rows, fields.command, run, dropped(run.ports.workspace.folders())),
    stopped: () => cancelledOutcome(decision, 'Not applied: the user pressed Stop; the workspace is unchanged.'),
  };
  return plan;
}

function cardItem(row: Row): ApprovalItem {
  if (row.group !== undefined) {
    const { created, modified, deleted } = row.group;
    const change: ChangeItemView = {
      change:
        created > 0 && modified + deleted === 0
          ? 'created'
          : deleted > 0 && created + modified === 0
            ? 'deleted'
            : 'modified',
      direct: true,
      group: { created, modified, deleted },
    };
    return {
      id: row.id,
      kind: 'file',
      title: row.display,
      status: 'pending',
      decision: groupDecision(row.group),
      change,
    };
  }
  const item = row.item!;
  const direct = row.text === undefined;
  const change: ChangeItemView = { change: item.change, direct, ...(direct ? { note: directNote(item) } : {}) };
  return {
    id: row.id,
    kind: 'file',
    title: row.display,
    status: 'pending',
    decision: decisionSummary(item.decision),
    ...(item.summary === undefined ? {} : { added: item.summary.added, removed: item.summary.removed }),
    isNew: item.change === 'created',
    protected: item.ownApproval,
    change,
  };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function writeDenied(run: PlanRun, path: string): Decision | undefined {
  let now: Decision;
  try {
    now = run.policy().decidePath('write', path);
  } catch (error) {
    now = failClosed(error);
  }
  return now.decision === 'deny' ? now : undefined;
}

const isDeletion = (entry: ChangedEntry): boolean => entry.after === undefined;

async function applyChangeSet(
  plan: ChangeSetPlan,
  pending: PendingChanges,
  rows: readonly Row[],
  command: string,
  run: PlanRun,
  dropped: readonly string[],
): Promise<ToolOutcome> {
  const total = changeCount(plan.changeSet);
  if (plan.changeSet.truncated) {
    return {
      status: 'error',
      decision: plan.decision,
      approvedBy: 'none',
      outcome: 'changes: too many to review, none applied',
      detail: 'changes not applied',
      text:
        `The command changed more paths than Warden can list for review, so none of its changes were applied; ` +
        `the workspace is unchanged. Run a narrower command.`,
    };
  }
  const answers = run.answers ?? [];
  if (answers.some((a) => a.status === 'cancelled') || run.signal.aborted) return plan.stopped();

  const applied: string[] = [];
  const rejected: string[] = [];
  const failed: string[] = [];
  const directEntries: ChangedEntry[] = [];
  const directLabel = new Map<string, string>();
  const texts: Row[] = [];
  rows.forEach((row, index) => {
    const answer = answers[index];
    if (answer?.status !== 'approved') {
      rejected.push(`${row.display}${answer?.reason ? ` (“${answer.reason}”)` : ''}`);
      return;
    }
    const entries = row.group?.entries ?? [row.item!];
    const allowed = entries.filter((entry) => {
      const denied = writeDenied(run, entry.path);
      if (denied !== undefined) failed.push(`${row.display}: writing it is now denied (${denied.reason})`);
      return denied === undefined;
    });
    if (row.text !== undefined && allowed.length === 1) texts.push(row);
    else if (row.group !== undefined) {
      directEntries.push(...allowed);
      for (const entry of allowed) directLabel.set(entry.path, row.display);
    } else if (allowed.length === 1) {
      directEntries.push(allowed[0]);
      directLabel.set(allowed[0].path, row.display);
    }
  });

  const direct = async (entries: ChangedEntry[]): Promise<void> => {
    if (entries.length === 0) return;
    let result: DirectApplyResult;
    try {
      result = await pending.applyDirect(entries);
    } catch (error) {
      result = { applied: [], failed: entries.map((e) => ({ path: e.path, reason: errorText(error) })) };
    }
    const groups = new Map<string, { applied: number; failed: string[] }>();
    for (const path of result.applied) {
      const label = directLabel.get(path) ?? path;
      const g = groups.get(label) ?? { applied: 0, failed: [] };
      g.applied++;
      groups.set(label, g);
    }
    for (const { path, reason } of result.failed) {
      const label = directLabel.get(path) ?? path;
      const g = groups.get(label) ?? { applied: 0, failed: [] };
      g.failed.push(reason);
      groups.set(label, g);
    }
    for (const [label, g] of groups) {
      if (g.applied > 0)
        applied.push(
          label.endsWith('/') ? `${label} (${g.applied} change(s), not undoable)` : `${label} (not undoable)`,
        );
      if (g.failed.length > 0)
        failed.push(`${label}: ${g.failed[0]}${g.failed.length > 1 ? ` (+${g.failed.length - 1} more)` : ''}`);
    }
  };
  // Folders and other direct creations first (text files may land inside them), deletions last (children first).
  await direct(directEntries.filter((e) => !isDeletion(e)));
  let landedEdited = false;
  for (const row of texts) {
    if (run.signal.aborted) break;
    const change = row.edited === undefined ? row.text!.change : { ...row.text!.change, after: row.edited };
    const summary = row.edited === undefined ? row.text!.summary : summarizeChange(change.before, change.after);
    let result;
    try {
      result = await run.ports.workspace.applyChange(change);
    } catch (error) {
      result = { ok: false as const, reason: 'failed' as const, message: errorText(error) };
    }
    if (result.ok) {
      run.changeApplied(change, result.saved !== false);
      const how = change.before === undefined ? 'created, ' : change.after === undefined ? 'deleted, ' : '';
      if (row.edited !== undefined) landedEdited = true;
      const edited = row.edited === undefined ? '' : ', as the user edited it';
      applied.push(`${row.display} (${how}+${summary.added} −${summary.removed}${edited})`);
    } else if (result.reason === 'stale') failed.push(`${row.display}: changed since the command ran, not applied`);
    else failed.push(`${row.display}: ${result.message}`);
  }
  await direct(directEntries.filter(isDeletion));

  const lines = [`The command changed ${total} path(s) in its sandbox; the user reviewed them:`];
  if (applied.length > 0) lines.push(`Applied: ${applied.join(', ')}.`);
  if (landedEdited)
    lines.push('Files the user edited in the preview hold their version, not the command’s: read them before editing.');
  if (rejected.length > 0) lines.push(`Rejected by the user (not applied): ${rejected.join(', ')}.`);
  if (failed.length > 0) lines.push(`Not applied: ${failed.join('; ')}.`);
  if (dropped.length > 0) lines.push(`Refused by the write policy (never applied): ${dropped.join('; ')}.`);
  if (failed.length > 0)
    run.notice('warning', `Some changes of \`${command}\` were not applied: ${failed.join('; ')}.`);
  const parts = [
    `${applied.length} applied`,
    ...(rejected.length > 0 ? [`${rejected.length} rejected`] : []),
    ...(failed.length > 0 ? [`${failed.length} failed`] : []),
    ...(dropped.length > 0 ? [`${dropped.length} dropped by policy`] : []),
  ];
  return {
    status: applied.length > 0 ? 'ok' : rejected.length > 0 ? 'rejected' : 'error',
    decision: plan.decision,
    approvedBy: applied.length > 0 ? 'user' : 'none',
    outcome: `changes: ${parts.join(', ')}`,
    detail: parts.join(', '),
    text: lines.join('\n'),
  };
}
