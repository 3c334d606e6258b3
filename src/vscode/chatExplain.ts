// The chat's "Why?": the page names a transcript item (and a card item); the decision comes from the
// session's own transcript, never from the page, and is handed to warden.explainDecision as it was made.
import type { TranscriptEntry } from '../core/agent/transcript';
import type { ExplainRequest } from './inspector';

export function explainRequestFor(
  entries: readonly TranscriptEntry[],
  itemId: string,
  partId: string | undefined,
): ExplainRequest | undefined {
  const entry = entries.find((candidate) => candidate.id === itemId);
  if (entry === undefined) return undefined;
  if (entry.kind === 'tool') {
    return entry.decision === undefined ? undefined : { decision: entry.decision, subject: entry.title };
  }
  if (entry.kind !== 'approval') return undefined;
  const item = entry.request.items.find((candidate) => candidate.id === partId) ?? entry.request.items[0];
  if (item === undefined) return undefined;
  if (item.kind === 'command' && item.parts !== undefined)
    return { decision: { ...item.decision, command: item.title, parts: item.parts } };
  return { decision: item.decision, subject: item.title };
}
