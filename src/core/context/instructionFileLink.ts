// Opening an instruction file named in the transcript. The page sends only a notice id and an index; the path
// comes from the notice the host itself recorded, so a page (or anything in it) can never name a file to open.
import type { TranscriptEntry } from '../agent/transcript';

/** The resolved path of file `index` of notice `noticeId`, or undefined when there is no such file. */
export function instructionFileToOpen(
  entries: readonly TranscriptEntry[],
  noticeId: string,
  index: number,
): string | undefined {
  if (!Number.isInteger(index) || index < 0) return undefined;
  const notice = entries.find((entry) => entry.kind === 'notice' && entry.id === noticeId);
  if (notice?.kind !== 'notice') return undefined;
  return notice.openable?.[index]?.resolved;
}
