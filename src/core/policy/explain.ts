// Turns a command or path decision into an explanation a person can act on: what the agent gets, every
// parsed part with its rule, where each rule comes from (which setting and scope, or which built-in rule)
// and how it could be changed. Pure: the extension renders it, the CLI could print it.
import type { CommandDecision, Decision, DecisionSource, FileOperation, PathDecision, Verdict } from './decision';
import type { EffectiveSettings, RuleEntry } from './policy';
import { BUILT_IN_DENY, PATH_RULES } from './pathPolicy';
import { hasHiddenCharacters } from './visibleText';

/** The rule lists a decision can name an entry of. */
export type RuleLists = Pick<
  EffectiveSettings,
  'read' | 'write' | 'deny' | 'commandAllow' | 'commandDeny' | 'autoApproveWrites'
>;

type ListName = keyof RuleLists;

/** The settings key of each rule list (package.json `contributes.configuration`; a unit test compares them). */
export const RULE_LIST_SETTINGS: Readonly<Record<ListName, string>> = Object.freeze({
  read: 'warden.permissions.read',
  write: 'warden.permissions.write',
  deny: 'warden.permissions.deny',
  commandAllow: 'warden.commands.allow',
  commandDeny: 'warden.commands.deny',
  autoApproveWrites: 'warden.approval.autoApproveWrites',
});

/** Rule id of a command no allow entry covers (src/core/policy's command policy; a unit test pins it). */
export const NOT_ALLOWED_COMMAND_RULE = 'default-ask';

/** Where a settings link leads: the Settings UI at the key, in the scope the value lives in. */
export interface SettingLink {
  key: string;
  scope: 'user' | 'workspace';
}

export type RuleOrigin =
  /** An entry of a settings list decided. */
  | { kind: 'setting'; key: string; scope: 'user' | 'workspace' | 'default'; entry: string }
  /** No entry of a list covered it: adding one is how to change the answer. */
  | { kind: 'not-listed'; key: string }
  /** A settings entry decided that the current settings no longer hold (an older decision). */
  | { kind: 'setting-gone'; source: DecisionSource; entry: string }
  | { kind: 'built-in'; rule: string; group: BuiltInGroup };

export type BuiltInGroup =
  | 'deny-list'
  | 'secret'
  | 'protected'
  | 'workspace-bounds'
  | 'path-form'
  | 'trust'
  | 'mode'
  | 'shell'
  | 'check';

export interface ExplanationRow {
  /** The simple command as parsed, or the path as requested. */
  subject: string;
  verdict: Verdict;
  rule: string;
  source: DecisionSource;
  reason: string;
  origin: RuleOrigin;
  /** Where the rule comes from, in one sentence. */
  from: string;
  /** How the answer could be changed; built-in rules say they cannot be. */
  change: string;
  /** The setting to open, when a setting decided (or adding an entry would). */
  link?: SettingLink;
  /** This row decided the whole answer. */
  decisive: boolean;
}

export interface ExplanationFact {
  label: string;
  value: string;
  link?: SettingLink;
}

/** `rule`: a bare decision (a tool call the loop refused, a card's decision without its parts). */
export type ExplanationKind = 'command' | 'path' | 'rule';

export interface Explanation {
  kind: ExplanationKind;
  /** The command text, or the path as requested. */
  subject: string;
  op?: FileOperation;
  verdict: Verdict;
  /** A few words: "Runs without asking", "Asks you first", "Refused". */
  headline: string;
  /** What the agent gets, in a sentence or two. */
  summary: string;
  /** The deciding rule, as the agent and the audit log get it. */
  decision: Decision;
  rows: ExplanationRow[];
  facts: ExplanationFact[];
  /** Things to know beyond the rows: hidden characters, an untrusted workspace, a grammar still loading. */
  notes: string[];
}

export interface ExplainContext {
  /** The rule lists of the settings the decision was made with. */
  settings: RuleLists;
  /** False in Restricted Mode: the agent cannot act at all, whatever the policy says. */
  trusted?: boolean;
  /** For an allowed write: the policy skips the approval card (`Policy.autoApprovesWrite`). */
  autoApproved?: boolean;
}

const BUILT_IN_DENY_RULES = new Set(BUILT_IN_DENY.map(([rule]) => rule));
const OUTSIDE_RULES = new Set<string>([
  PATH_RULES.outsideWorkspace,
  'read-outside-workspace',
  'write-outside-workspace',
  'git-content-outside',
]);
const PATH_FORM_RULES = new Set<string>([
  PATH_RULES.invalidPath,
  PATH_RULES.folderRoot,
  'read-unresolvable',
  'write-unresolvable',
]);
const SHELL_RULES = new Set(['cd', 'shell-builtin', 'shell-function', 'shell-assignment', 'shell-test', 'redirect']);
const NOT_LISTED: Readonly<Record<string, ListName>> = {
  [NOT_ALLOWED_COMMAND_RULE]: 'commandAllow',
  [PATH_RULES.notInReadGlobs]: 'read',
  [PATH_RULES.notInWriteGlobs]: 'write',
};
/** Rules the agent loop applies before any policy (Restricted Mode, Ask mode): a card's "Why?" may name them. */
export const UNTRUSTED_RULE = 'workspace-untrusted';
export const ASK_MODE_RULE = 'ask-mode';

const code = (text: string) => `\`${text.replace(/`/g, 'ˋ')}\``;

function builtInGroup(rule: string, verdict: Verdict): BuiltInGroup {
  if (rule.startsWith('builtin:')) return 'deny-list';
  if (rule.startsWith(PATH_RULES.protectedPrefix)) return 'protected';
  if (verdict === 'deny' && BUILT_IN_DENY_RULES.has(rule)) return 'secret';
  if (OUTSIDE_RULES.has(rule)) return 'workspace-bounds';
  if (PATH_FORM_RULES.has(rule)) return 'path-form';
  if (rule === UNTRUSTED_RULE) return 'trust';
  if (rule === ASK_MODE_RULE) return 'mode';
  if (SHELL_RULES.has(rule)) return 'shell';
  return 'check';
}

/** Which lists may hold the entry that made this verdict, most likely first. */
function candidateLists(verdict: Verdict, kind: ExplanationKind, op: FileOperation | undefined): ListName[] {
  if (kind === 'path') {
    if (verdict === 'deny') return ['deny'];
    return op === 'write' ? ['write'] : ['read'];
  }
  if (verdict === 'deny') return ['commandDeny', 'deny'];
  if (verdict === 'allow') return ['commandAllow', 'read', 'write'];
  return ['commandAllow', 'commandDeny', 'read', 'write', 'deny'];
}

function findEntry(settings: RuleLists, lists: readonly ListName[], rule: string, source: DecisionSource) {
  for (const list of lists) {
    const entry = settings[list].find((e: RuleEntry) => e.value === rule && e.source === source);
    if (entry) return { list, entry };
  }
  return undefined;
}

export function originOf(
  decision: Decision,
  settings: RuleLists,
  kind: ExplanationKind,
  op?: FileOperation,
): RuleOrigin {
  const notListed = NOT_LISTED[decision.rule];
  if (notListed !== undefined && decision.source !== 'built-in' && decision.decision !== 'allow')
    return { kind: 'not-listed', key: RULE_LIST_SETTINGS[notListed] };
  if (decision.source === 'built-in')
    return { kind: 'built-in', rule: decision.rule, group: builtInGroup(decision.rule, decision.decision) };
  const found = findEntry(settings, candidateLists(decision.decision, kind, op), decision.rule, decision.source);
  if (!found) return { kind: 'setting-gone', source: decision.source, entry: decision.rule };
  return { kind: 'setting', key: RULE_LIST_SETTINGS[found.list], scope: decision.source, entry: decision.rule };
}

const SCOPE_WORDS = { user: 'your user settings', workspace: "this workspace's settings", default: 'the default' };
const scopeOf = (source: DecisionSource) => (source === 'workspace' ? 'workspace' : 'user');

function settingText(
  origin: Extract<RuleOrigin, { kind: 'setting' }>,
  verdict: Verdict,
): { from: string; change: string } {
  const { key, entry, scope } = origin;
  if (scope === 'default')
    return {
      from: `The default value of ${key} (${code(entry)}): you have not set it.`,
      change: `Set ${key} in your user settings to change it.`,
    };
  const from = `The entry ${code(entry)} of ${key} in ${SCOPE_WORDS[scope]}.`;
  if (verdict === 'deny')
    return {
      from,
      change:
        scope === 'workspace'
          ? "Remove the entry from the workspace's .vscode/settings.json to lift it. A workspace can only add " +
            'denials, never lift yours.'
          : `Remove the entry to lift this denial (built-in denials still apply).`,
    };
  return {
    from,
    change:
      key === RULE_LIST_SETTINGS.commandAllow
        ? 'Remove the entry to make the agent ask again. An allow entry never covers risky options, environment ' +
          'assignments or the files a command touches: those are checked on their own.'
        : `Remove or narrow the entry to take this permission away.`,
  };
}

function notListedText(key: string): string {
  if (key === RULE_LIST_SETTINGS.commandAllow)
    return (
      `Add an entry for it (the command and optionally its leading arguments, e.g. ${code('npm test')}) to ${key} ` +
      'in your user settings to let it run without asking. Only your user settings can allow; a workspace cannot.'
    );
  return `Add a glob that matches it to ${key} in your user settings. Only your user settings can widen this.`;
}

const BUILT_IN_TEXT: Readonly<Record<BuiltInGroup, { from: string; change: string }>> = {
  'deny-list': {
    from: 'The built-in deny list of destructive commands.',
    change: 'Built-in: no setting can remove it.',
  },
  secret: {
    from: 'The built-in denial of secrets and repository internals.',
    change: 'Built-in: no setting can remove it.',
  },
  protected: {
    from: 'The built-in list of protected files (settings, hooks, CI, manifests, agent instructions).',
    change: 'Built-in: writes to protected files always ask and are never auto-approved; no setting changes this.',
  },
  'workspace-bounds': {
    from: 'The workspace boundary: only files inside the workspace folders are in bounds.',
    change: 'No setting widens it. Add the folder to the workspace if the agent should reach it.',
  },
  'path-form': {
    from: 'The built-in path checks (the path cannot be resolved safely, or names a workspace folder itself).',
    change: 'Built-in: no setting can change it. Name the file by a plain path inside the workspace.',
  },
  trust: {
    from: 'Workspace Trust: this workspace is not trusted.',
    change: 'Trust the workspace (Manage Workspace Trust) to let the agent act.',
  },
  mode: {
    from: 'Ask mode: the agent may read and explain, but not edit files or run commands.',
    change: 'Switch to Agent mode (Warden: Switch Mode) to let it propose edits and commands.',
  },
  shell: {
    from: 'Built-in: shell syntax that runs no program and touches no file on its own.',
    change: 'Built-in: always allowed; what it contains is judged on its own.',
  },
  check: {
    from: 'A built-in check of the command or path.',
    change: 'Built-in: no setting turns it off. When it asks, you decide each time.',
  },
};

function describeOrigin(origin: RuleOrigin, verdict: Verdict): { from: string; change: string; link?: SettingLink } {
  switch (origin.kind) {
    case 'setting':
      return {
        ...settingText(origin, verdict),
        link: { key: origin.key, scope: origin.scope === 'workspace' ? 'workspace' : 'user' },
      };
    case 'not-listed':
      return {
        from: `No entry of ${origin.key} covers it.`,
        change: notListedText(origin.key),
        link: { key: origin.key, scope: 'user' },
      };
    case 'setting-gone':
      return {
        from: `The entry ${code(origin.entry)} from ${SCOPE_WORDS[scopeOf(origin.source)]}, no longer in the settings.`,
        change: 'The settings changed since this decision; check again to see the answer now.',
      };
    case 'built-in':
      if (origin.group === 'check' && verdict === 'deny')
        return { from: BUILT_IN_TEXT.check.from, change: 'Built-in: no setting can change it.' };
      return BUILT_IN_TEXT[origin.group];
  }
}

function row(
  subject: string,
  decision: Decision,
  ctx: ExplainContext,
  kind: ExplanationKind,
  op: FileOperation | undefined,
  decisive: boolean,
): ExplanationRow {
  const origin = originOf(decision, ctx.settings, kind, op);
  const described = describeOrigin(origin, decision.decision);
  return {
    subject,
    verdict: decision.decision,
    rule: decision.rule,
    source: decision.source,
    reason: decision.reason,
    origin,
    from: described.from,
    change: described.change,
    ...(described.link ? { link: described.link } : {}),
    decisive,
  };
}

function baseNotes(subject: string, ctx: ExplainContext, decision: Decision): string[] {
  const notes: string[] = [];
  if (ctx.trusted === false)
    notes.push(
      'This workspace is not trusted, so right now the agent cannot read, edit or run anything at all. ' +
        'This is the answer it gets once you trust the workspace.',
    );
  if (hasHiddenCharacters(subject))
    notes.push(
      'The text contains invisible or direction-changing characters, shown here as U+ codes. Elsewhere it may ' +
        'look different from what would run.',
    );
  if (decision.rule === 'grammar-not-loaded')
    notes.push('The shell grammar was still loading: check again in a moment for the full analysis.');
  return notes;
}

const COMMAND_HEADLINES: Record<Verdict, string> = {
  allow: 'Runs without asking',
  ask: 'Asks you first',
  deny: 'Refused',
};

function commandSummary(verdict: Verdict): string {
  switch (verdict) {
    case 'allow':
      return 'The agent may run this command without asking you: every part of it is allowed.';
    case 'ask':
      return 'The agent must ask before it runs this command: you see a card with every part and decide.';
    case 'deny':
      return 'The agent may not run this command. It is never offered to you as a button; the model is told why.';
  }
}

/** Whether the row is the part whose rule the whole decision reports. */
function isDecisivePart(decision: CommandDecision, part: CommandDecision['parts'][number]): boolean {
  return (
    part.decision === decision.decision &&
    part.rule === decision.rule &&
    part.source === decision.source &&
    decision.reason.endsWith(part.reason)
  );
}

export function explainCommand(decision: CommandDecision, ctx: ExplainContext): Explanation {
  let decisiveFound = false;
  const rows = decision.parts.map((part) => {
    const decisive = !decisiveFound && isDecisivePart(decision, part);
    decisiveFound ||= decisive;
    return row(part.text, part, ctx, 'command', undefined, decisive);
  });
  if (!decisiveFound) rows.unshift(row(decision.command, decision, ctx, 'command', undefined, true));
  return {
    kind: 'command',
    subject: decision.command,
    verdict: decision.decision,
    headline: COMMAND_HEADLINES[decision.decision],
    summary:
      decision.decision === 'allow'
        ? commandSummary(decision.decision)
        : `${commandSummary(decision.decision)} Deciding rule: ${decision.reason}`,
    decision: { decision: decision.decision, rule: decision.rule, source: decision.source, reason: decision.reason },
    rows,
    facts: [{ label: 'Parts judged', value: String(decision.parts.length) }],
    notes: baseNotes(decision.command, ctx, decision),
  };
}

function pathHeadline(decision: PathDecision, autoApproved: boolean): string {
  if (decision.decision === 'deny') return 'Refused';
  if (decision.decision === 'ask') return 'Asks you first';
  if (decision.op === 'read') return 'May read';
  return autoApproved ? 'Written without a card' : 'May propose changes';
}

function pathSummary(decision: PathDecision, autoApproved: boolean): string {
  const what = decision.op === 'read' ? 'read this path' : 'write this path';
  switch (decision.decision) {
    case 'deny':
      return `The agent may not ${what}, with a tool or through a command. The model is told why: ${decision.reason}`;
    case 'ask':
      return (
        'The agent may propose a change here, and you always approve it: this is a protected file, so ' +
        'auto-approval never applies.'
      );
    case 'allow':
      if (decision.op === 'read') return 'The agent may read this path, with the read tools and through commands.';
      return autoApproved
        ? 'The agent may write this path, and its changes apply without an approval card ' +
            `(${RULE_LIST_SETTINGS.autoApproveWrites}). They are still logged and can be undone.`
        : 'The agent may propose changes to this path. Each change opens as a diff and needs your approval.';
  }
}

export function explainPath(decision: PathDecision, ctx: ExplainContext): Explanation {
  const autoApproved = decision.decision === 'allow' && decision.op === 'write' && ctx.autoApproved === true;
  const facts: ExplanationFact[] = [{ label: 'Operation', value: decision.op }];
  if (decision.resolved !== undefined) facts.push({ label: 'Resolved path', value: decision.resolved });
  if (decision.folder !== undefined) facts.push({ label: 'Workspace folder', value: decision.folder });
  if (decision.relative !== undefined) facts.push({ label: 'Relative path', value: decision.relative || '.' });
  if (decision.protected) facts.push({ label: 'Protected file', value: 'yes: writes always ask' });
  if (autoApproved)
    facts.push({
      label: 'Approval',
      value: `Skipped: the path matches ${RULE_LIST_SETTINGS.autoApproveWrites} in your user settings.`,
      link: { key: RULE_LIST_SETTINGS.autoApproveWrites, scope: 'user' },
    });
  const rows = [row(decision.requested, decision, ctx, 'path', decision.op, true)];
  return {
    kind: 'path',
    subject: decision.requested,
    op: decision.op,
    verdict: decision.decision,
    headline: pathHeadline(decision, autoApproved),
    summary: pathSummary(decision, autoApproved),
    decision: { decision: decision.decision, rule: decision.rule, source: decision.source, reason: decision.reason },
    rows,
    facts,
    notes: baseNotes(decision.requested, ctx, decision),
  };
}

const RULE_SUMMARIES: Record<Verdict, string> = {
  allow: 'This was allowed.',
  ask: 'This needed your approval.',
  deny: 'This was refused; the model was told why.',
};

/**
 * A bare decision (what a card or a refused tool call shows: verdict, rule, source, reason) about `subject`,
 * e.g. a tool the loop refused in Restricted Mode. Commands and paths have richer explanations above.
 */
export function explainRule(decision: Decision, ctx: ExplainContext, subject = ''): Explanation {
  return {
    kind: 'rule',
    subject,
    verdict: decision.decision,
    headline: decision.decision === 'allow' ? 'Allowed' : COMMAND_HEADLINES[decision.decision],
    summary: `${RULE_SUMMARIES[decision.decision]} Deciding rule: ${decision.reason}`,
    decision: { decision: decision.decision, rule: decision.rule, source: decision.source, reason: decision.reason },
    rows: [row(subject, decision, ctx, 'rule', undefined, true)],
    facts: [],
    notes: baseNotes(subject, ctx, decision),
  };
}
