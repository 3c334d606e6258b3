// Turns the mentions in a user's message into attachments for the model, each through the same policy as
// the agent's own reads: a file like read_file (denied: refused with the rule; outside the allowed paths:
// refused; capped with a visible note), problems and folder listings without denied files, `@git` as the
// diff of the changed files the read policy allows. Nothing of a refused mention reaches the model.
import { posix } from 'node:path';
import type { Policy } from '../policy/policy';
import type { ContextSourcesPort, WorkspacePort } from '../ports';
import { readPage } from '../tools/readFile';
import { isReadable, relativeForDisplay } from '../tools/tool';
import { findMentions, MAX_MENTIONS, type Mention } from './mentionSyntax';

export interface Attachment {
  /** The mention as written, e.g. `@src/app.ts`. */
  token: string;
  /** What the user sees in the transcript, e.g. `src/app.ts (lines 1–400 of 1200)`. */
  label: string;
  /** For the model. */
  text: string;
  truncated: boolean;
}

export interface Refusal {
  token: string;
  reason: string;
}

export interface ResolvedMentions {
  attachments: Attachment[];
  refusals: Refusal[];
}

export interface MentionDeps {
  policy: Policy;
  workspace: WorkspacePort;
  sources?: ContextSourcesPort;
  signal: AbortSignal;
}

const MAX_PROBLEMS = 200;
const MAX_FOLDER_ENTRIES = 200;

export async function resolveMentionsIn(text: string, deps: MentionDeps): Promise<ResolvedMentions> {
  return resolveMentions(findMentions(text), deps);
}

export async function resolveMentions(mentions: readonly Mention[], deps: MentionDeps): Promise<ResolvedMentions> {
  const result: ResolvedMentions = { attachments: [], refusals: [] };
  // All attachments together stay within a few tool outputs: a message cannot carry the whole repository.
  let room = deps.policy.limits.maxToolOutputChars * 4;
  for (const [index, mention] of mentions.entries()) {
    if (index >= MAX_MENTIONS) {
      result.refusals.push({ token: mention.token, reason: `Only ${MAX_MENTIONS} mentions are attached per message.` });
      continue;
    }
    let resolved: Attachment | Refusal | undefined;
    try {
      resolved = await resolveOne(mention, deps);
    } catch (error) {
      // A failure while reading must not send half of something: the mention is refused.
      resolved = { token: mention.token, reason: `It could not be read (${errorText(error)}).` };
    }
    if (resolved === undefined) continue;
    if ('reason' in resolved) {
      result.refusals.push(resolved);
    } else if (resolved.text.length > room) {
      result.refusals.push({
        token: mention.token,
        reason: 'The message already carries as much attached content as one message may; mention it in another.',
      });
    } else {
      room -= resolved.text.length;
      result.attachments.push({ ...resolved, text: deps.policy.redact(resolved.text) });
    }
  }
  return result;
}

async function resolveOne(mention: Mention, deps: MentionDeps): Promise<Attachment | Refusal | undefined> {
  switch (mention.kind) {
    case 'path':
      return resolvePath(mention, deps);
    case 'problems':
      return resolveProblems(mention, deps);
    case 'selection':
      return resolveSelection(mention.token, deps);
    case 'terminal':
      return resolveTerminal(mention.token, deps);
    case 'git':
      return resolveGit(mention.token, deps);
  }
}

/** The policy's path for a mention: relative to the first folder, or to the folder it names (multi-root). */
export function candidatePath(path: string, workspace: WorkspacePort): string {
  const folders = workspace.folders();
  const slash = path.indexOf('/');
  if (folders.length > 1 && slash > 0) {
    const folder = folders.find((f) => f.name === path.slice(0, slash));
    if (folder !== undefined) return posix.join(folder.path, path.slice(slash + 1));
  }
  return path;
}

async function resolvePath(mention: Extract<Mention, { kind: 'path' }>, deps: MentionDeps) {
  const { policy, workspace } = deps;
  const decision = policy.decidePath('read', candidatePath(mention.path, workspace));
  const shown = decision.relative ?? mention.path;
  if (decision.decision === 'deny')
    return refusal(mention.token, `${shown} is denied by policy: ${decision.reason} (rule "${decision.rule}").`);
  if (decision.resolved === undefined) return undefined;
  const stat = await workspace.stat(decision.resolved);
  // Not a file or folder: an @word in prose, not a mention.
  if (stat === undefined) return undefined;
  if (decision.decision === 'ask')
    return refusal(
      mention.token,
      `${shown} is outside the paths Warden may read without asking: ${decision.reason} (rule "${decision.rule}").`,
    );
  if (stat.type === 'directory') return folderListing(mention.token, decision.resolved, shown, deps);
  const ctx = { policy, workspace, signal: deps.signal };
  const page = await readPage(
    { path: mention.path, start_line: mention.lines?.start, end_line: mention.lines?.end },
    decision.resolved,
    shown,
    ctx,
  );
  if (!page.ok) return refusal(mention.token, page.text);
  const range = /^lines (\d+)–(\d+) of (\d+)$/.exec(page.detail ?? '');
  const wanted = mention.lines === undefined ? Number(range?.[3]) : Math.min(mention.lines.end, Number(range?.[3]));
  const truncated = range !== null && Number(range[2]) < wanted;
  return {
    token: mention.token,
    label: `${shown}${range ? ` (lines ${range[1]}–${range[2]} of ${range[3]}${truncated ? ', truncated' : ''})` : ''}`,
    text: block('file', shown, page.text),
    truncated,
  };
}

async function folderListing(token: string, dir: string, shown: string, deps: MentionDeps): Promise<Attachment> {
  const listed = await deps.workspace.listFiles(dir, {
    recursive: false,
    limit: MAX_FOLDER_ENTRIES,
    signal: deps.signal,
  });
  const readable = listed.paths.filter((path) => isReadable(deps.policy, path));
  const lines = readable.map((path) => {
    const display = relativeForDisplay(deps.policy, path.replace(/[\\/]$/, ''));
    return /[\\/]$/.test(path) ? `${display}/` : display;
  });
  if (listed.truncated) lines.push(`[… more entries; the first ${MAX_FOLDER_ENTRIES} are listed]`);
  return {
    token,
    label: `${shown}/ (${readable.length} entries${listed.truncated ? ', truncated' : ''})`,
    text: block('folder', shown, lines.join('\n') || '(empty)'),
    truncated: listed.truncated,
  };
}

async function resolveProblems(mention: Extract<Mention, { kind: 'problems' }>, deps: MentionDeps) {
  const { policy, workspace } = deps;
  let target: string | undefined;
  if (mention.path !== undefined) {
    const decision = policy.decidePath('read', candidatePath(mention.path, workspace));
    if (decision.decision !== 'allow' || decision.resolved === undefined)
      return refusal(mention.token, `${mention.path} may not be read: ${decision.reason} (rule "${decision.rule}").`);
    target = decision.resolved;
  }
  const found = (await workspace.diagnostics(target)).filter((d) => isReadable(policy, d.path));
  const shown = found.slice(0, MAX_PROBLEMS).map((d) => {
    const source = d.source ? ` (${d.source})` : '';
    return `${relativeForDisplay(policy, d.path)}:${d.line}:${d.column} ${d.severity}: ${d.message}${source}`;
  });
  const truncated = found.length > MAX_PROBLEMS;
  if (truncated) shown.push(`[… ${found.length - MAX_PROBLEMS} more problems not shown]`);
  const where = mention.path === undefined ? 'the workspace' : mention.path;
  return {
    token: mention.token,
    label: `problems in ${where} (${found.length})`,
    text: block('problems', where, shown.join('\n') || 'No problems.'),
    truncated,
  };
}

async function resolveSelection(token: string, deps: MentionDeps) {
  const selection = deps.sources?.selection();
  if (selection === undefined) return refusal(token, 'There is no active editor with a selection.');
  const decision = deps.policy.decidePath('read', selection.path);
  if (decision.decision !== 'allow')
    return refusal(token, `The selection's file may not be read: ${decision.reason} (rule "${decision.rule}").`);
  const shown = decision.relative ?? selection.path;
  const capped = capText(selection.text, deps.policy.limits.maxToolOutputChars);
  const where = `${shown}#L${selection.startLine}-${selection.endLine}`;
  return {
    token,
    label: `selection ${where}${capped.truncated ? ' (truncated)' : ''}`,
    text: block('selection', where, capped.text),
    truncated: capped.truncated,
  };
}

function resolveTerminal(token: string, deps: MentionDeps): Attachment | Refusal {
  const last = deps.sources?.lastTerminalOutput();
  if (last === undefined) return refusal(token, 'The Warden terminal has not run a command yet.');
  // The end of an output says how a command ended: keep the tail.
  const capped = capText(last.output, deps.policy.limits.maxToolOutputChars, 'tail');
  const status = last.exitCode === null ? 'no exit code' : `exit code ${last.exitCode}`;
  return {
    token,
    label: `terminal: ${last.command.slice(0, 60)}${capped.truncated ? ' (truncated)' : ''}`,
    text: block('terminal', `$ ${last.command} (${status})`, capped.text || '(no output)'),
    truncated: capped.truncated,
  };
}

/**
 * `git diff` as the policy would judge it: a command denial refuses it, and only the changed files the read
 * policy allows are diffed (a changed `.env` is left out and named), so a denied file's diff never leaks.
 * The mention itself is the user's approval for running git, which the command policy would ask for.
 */
async function resolveGit(token: string, deps: MentionDeps): Promise<Attachment | Refusal> {
  const { policy, workspace, sources } = deps;
  if (sources === undefined) return refusal(token, 'git is not available here.');
  const parts: string[] = [];
  const left: string[] = [];
  let truncated = false;
  for (const folder of workspace.folders()) {
    const decision = policy.decideCommand('git diff', folder.path);
    if (decision.decision === 'deny')
      return refusal(token, `git diff is denied by policy: ${decision.reason} (rule "${decision.rule}").`);
    const changed = await sources.gitChangedFiles(folder.path, deps.signal);
    if (!changed.ok) return refusal(token, `git diff failed in ${folder.name}: ${changed.message}`);
    const allowed = changed.value.filter((file) => {
      const ok = policy.decidePath('read', posix.join(folder.path, file)).decision === 'allow';
      if (!ok) left.push(file);
      return ok;
    });
    if (allowed.length === 0) continue;
    const diff = await sources.gitDiff(folder.path, allowed, deps.signal);
    if (!diff.ok) return refusal(token, `git diff failed in ${folder.name}: ${diff.message}`);
    parts.push(diff.value);
  }
  const capped = capText(parts.join('\n'), policy.limits.maxToolOutputChars);
  truncated = capped.truncated;
  const note = left.length > 0 ? `\n[Left out by the read policy: ${left.join(', ')}]` : '';
  const leftOut = left.length > 0 ? ` (${left.length} denied file(s) left out)` : '';
  return {
    token,
    label: `git diff${truncated ? ' (truncated)' : ''}${leftOut}`,
    text: block('git diff', 'working tree', (capped.text || 'No changes.') + note),
    truncated,
  };
}

/** Marks where attached content starts and ends, and that it is data. */
function block(kind: string, what: string, body: string): string {
  return `<attachment kind="${kind}" source="${what.replace(/"/g, "'")}">\n${body}\n</attachment>`;
}

function refusal(token: string, reason: string): Refusal {
  return { token, reason };
}

export function capText(
  text: string,
  max: number,
  keep: 'head' | 'tail' = 'head',
): { text: string; truncated: boolean } {
  if (text.length <= max) return { text, truncated: false };
  const marker = `[… truncated: ${text.length - max} of ${text.length} characters left out …]`;
  return keep === 'head'
    ? { text: `${text.slice(0, max)}\n${marker}`, truncated: true }
    : { text: `${marker}\n${text.slice(text.length - max)}`, truncated: true };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
