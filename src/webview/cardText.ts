// The words on approval cards, plain first: "Edit src/cart.ts (+4 −2)", "You approved". Rules, sources and
// globs are for the details toggle; a reason is shown on the card only when it says something the common
// case does not (a protected file, a rule you set, a part of a command), and each reason only once.
import type { ApprovalItem, ApprovalRequest, ApprovalStatus, DecisionView } from '../shared/protocol';

/** "Edit src/cart.ts", "Create src/new.ts", "Edit 3 files"; for commands and MCP calls, a question. */
export function cardHeading(request: ApprovalRequest): string {
  if (request.kind === 'command') return 'Run this command?';
  if (request.kind === 'mcp') return 'Call this MCP tool?';
  if (request.items.length === 1) return fileAction(request.items[0]);
  return `Edit ${request.items.length} files`;
}

export function fileAction(item: ApprovalItem): string {
  return `${item.isNew ? 'Create' : 'Edit'} ${item.title}`;
}

/** "+4 −2", or '' when the counts are unknown. */
export function lineCounts(item: ApprovalItem): string {
  if (item.added === undefined && item.removed === undefined) return '';
  return `+${item.added ?? 0} −${item.removed ?? 0}`;
}

/** What the item is, in a few words, for the one-line answered card. */
export function itemSubject(item: ApprovalItem): string {
  if (item.kind === 'file') {
    const counts = lineCounts(item);
    const edited = item.proposed === undefined ? '' : ', as you edited it';
    return counts ? `${fileAction(item)} (${counts}${edited})` : fileAction(item);
  }
  if (item.kind === 'command') return item.title.length > 120 ? `${item.title.slice(0, 120)}…` : item.title;
  return item.title;
}

/** The defaults need no sentence, the card itself says it: an unknown command asks, and a write the default
 *  write glob allows (`**`) is still carded, as every write is. */
export function isCommonCase(decision: DecisionView): boolean {
  return decision.source === 'default' && decision.decision !== 'deny';
}

/** The reasons worth a line on the card, each once: parts first (they say which part asked), then the
 *  item's own reason when it adds something. */
export function visibleReasons(item: ApprovalItem): string[] {
  const reasons: string[] = [];
  const add = (reason: string) => {
    const text = reason.trim();
    if (text !== '' && !reasons.includes(text)) reasons.push(text);
  };
  for (const part of item.parts ?? []) if (part.decision !== 'allow' && !isCommonCase(part)) add(part.reason);
  if (item.protected || !isCommonCase(item.decision)) add(item.decision.reason);
  return reasons;
}

const SOURCE_WORDS: Record<string, string> = {
  'built-in': 'built into Warden',
  user: 'your user settings',
  workspace: 'this workspace’s settings',
  default: 'the default',
};

/** "rule `**` (the default)": for the details toggle. */
export function ruleWords(decision: DecisionView): { rule: string; source: string } {
  return { rule: decision.rule, source: SOURCE_WORDS[decision.source] ?? decision.source };
}

/** The answer, and who gave it: the one line an answered item collapses to. */
export function outcomeText(item: ApprovalItem, alwaysAllowEntry: string | undefined): string {
  const status = item.status as Exclude<ApprovalStatus, 'pending'>;
  switch (status) {
    case 'approved':
      if (item.alwaysAllowed === true && alwaysAllowEntry !== undefined)
        return `You approved, and always allow ${alwaysAllowEntry} (saved in your user settings)`;
      if (item.alwaysAllowed === false) return 'You approved this once (always allow was not saved)';
      return 'You approved';
    case 'rejected':
      return item.reason ? `You rejected: ${item.reason}` : 'You rejected';
    case 'cancelled':
      return 'Cancelled, not run (stopped before an answer)';
  }
}
