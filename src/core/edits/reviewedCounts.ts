// The +/− counts a card shows while the user reviews a proposal in the preview: what will land if approved
// now (hunks rejected, lines typed), beside the model's own counts when the review changed them.
import { summarizeChange } from './changeSummary';
import type { ChangeSummary, FileChange } from './fileChange';

export interface ReviewedCounts extends ChangeSummary {
  /** The model's counts, present only when what the user left differs from what the model proposed. */
  proposed?: ChangeSummary;
}

/**
 * Counts of `left` (the proposal as the user left it; undefined when it cannot be read or edited) against
 * the text the proposal was computed from. Counted with the same line diff as the proposal itself.
 */
export function reviewedCounts(change: FileChange, proposed: ChangeSummary, left: string | undefined): ReviewedCounts {
  if (left === undefined || change.after === undefined || left === change.after)
    return { added: proposed.added, removed: proposed.removed };
  const landing = summarizeChange(change.before, left);
  return { added: landing.added, removed: landing.removed, proposed: { ...proposed } };
}

/** Whether two readings of the counts would show the same on the card. */
export function sameCounts(a: ReviewedCounts, b: ReviewedCounts): boolean {
  return (
    a.added === b.added &&
    a.removed === b.removed &&
    a.proposed?.added === b.proposed?.added &&
    a.proposed?.removed === b.proposed?.removed
  );
}
