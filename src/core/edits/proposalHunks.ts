// The hunks of a proposal, for reviewing it change by change: where each sits in the proposed text and what
// the original had there. Rejecting a hunk puts the original lines back into the proposal, so what is
// applied is always the proposal as the user left it — nothing else decides which hunks land.
import { diffLines } from 'diff';

export interface ProposalHunk {
  /** First line of the hunk in the proposed text (0-based); for a pure deletion, the line it precedes. */
  line: number;
  /** How many lines of the proposed text it covers (0 for a pure deletion). */
  lineCount: number;
  /** The original's lines in its place, each with its line break. */
  original: string;
  /** The proposed lines, each with its line break. */
  proposed: string;
}

export function proposalHunks(original: string, proposed: string): ProposalHunk[] {
  const hunks: ProposalHunk[] = [];
  let line = 0;
  let open: ProposalHunk | undefined;
  for (const part of diffLines(original, proposed)) {
    if (!part.added && !part.removed) {
      open = undefined;
      line += part.count ?? 0;
      continue;
    }
    if (open === undefined) {
      open = { line, lineCount: 0, original: '', proposed: '' };
      hunks.push(open);
    }
    if (part.added) {
      open.proposed += part.value;
      open.lineCount += part.count ?? 0;
      line += part.count ?? 0;
    } else {
      open.original += part.value;
    }
  }
  return hunks;
}

/**
 * The index of the hunk a cursor on proposed line `line` (0-based) is in: the lines a hunk covers, or for a pure
 * deletion the line it precedes. Undefined when the line is in no hunk.
 */
export function hunkAtLine(hunks: readonly ProposalHunk[], line: number): number | undefined {
  const index = hunks.findIndex((hunk) => line >= hunk.line && line < hunk.line + Math.max(1, hunk.lineCount));
  return index < 0 ? undefined : index;
}

/** The proposal with hunk `index` back as the original had it; the proposal itself when there is no such hunk. */
export function rejectHunk(original: string, proposed: string, index: number): string {
  const hunk = proposalHunks(original, proposed)[index];
  if (hunk === undefined) return proposed;
  const lines = proposed.split(/(?<=\n)/);
  const before = lines.slice(0, hunk.line).join('');
  const after = lines.slice(hunk.line + hunk.lineCount).join('');
  return before + hunk.original + after;
}
