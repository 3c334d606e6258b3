// Applies edit_file's {old_text, new_text} blocks to a file's content, failing closed: a block that does not
// locate exactly one place is refused with a message the model can act on, and never guessed at.
//
// Rules:
// - Every block refers to the ORIGINAL content. All are located first, then the non-overlapping ones are applied;
//   a block whose text overlaps an earlier block's fails.
// - Each block climbs a ladder of reversible normalisations (locateBlock.ts): exact first, then readings without
//   line-number prefixes or JSON escaping, whitespace, folded characters, blank lines. The first rung that finds
//   anything decides, and only a single place is used. What a recovered block needed is reported with it.
// - A match maps back to the file's own bytes: nothing outside the replaced region changes, and the replacement is
//   written in the file's conventions (replacement.ts): its line endings, indentation, typography and Unicode form.
// - Empty old_text inserts into an empty file and fails anywhere else; new_text with an omission placeholder fails.
// - Never empty a file by accident: if the blocks together would leave only whitespace in a file that had
//   content, all of them fail, unless one block quotes the file's entire content and replaces it with nothing.
// - The engine works on JS strings: callers decode and encode bytes. Everything costly about the file (line index,
//   folded text) is built once per call, on first need, and shared by its blocks. The result is the original and
//   its replacements (editedText.ts): nothing after the blocks are located reads or copies the whole file.

import { EditedText } from './editedText';
import type { BlockResult, EditBlock, EditOutcome } from './fileChange';
import { lineSpan, locateBlock, type Region } from './locateBlock';
import { SourceText } from './sourceText';

export interface EditOptions {
  /** The file's path, when known: lets the placeholder check tell prose (Markdown, text) from code. */
  path?: string;
}

export function applyEditBlocks(
  original: string,
  blocks: readonly EditBlock[],
  options: EditOptions = {},
): EditOutcome {
  const source = new SourceText(original);
  const located = blocks.map((block, index) => locateBlock(source, block, index, original, options.path));

  // Overlaps are judged in block order, so the later block is the one that fails.
  const accepted: Region[] = [];
  const results: BlockResult[] = located.map((entry) => {
    if (!('start' in entry)) return entry;
    const clash =
      accepted.find((other) => entry.start < other.end && other.start < entry.end) ??
      accepted.find((other) => other.start === entry.start);
    if (clash) {
      return {
        index: entry.index,
        ok: false,
        kind: 'ambiguous',
        message:
          `old_text (${lineSpan(entry.startLine, entry.endLine)}) overlaps the text block ${clash.index + 1} ` +
          `replaces (${lineSpan(clash.startLine, clash.endLine)}). ` +
          'Blocks must match separate parts of the original file: merge these two into one block.',
      };
    }
    accepted.push(entry);
    return {
      index: entry.index,
      ok: true,
      startLine: entry.startLine,
      endLine: entry.endLine,
      normalised: entry.normalised,
      ...(entry.quotedLine !== undefined ? { quotedLine: entry.quotedLine } : {}),
    };
  });

  if (accepted.length === 0) return unchanged(original, results);
  // Offsets are into the body; the BOM stays in front of it.
  const offset = source.bom.length;
  const edited = new EditedText(
    original,
    accepted.map(({ start, end, replacement }) => ({ start: start + offset, end: end + offset, text: replacement })),
  );
  // Blank as trim() counts it: \s, like trim(), takes the BOM for whitespace.
  if (edited.blank && /\S/.test(source.body) && !accepted.some((region) => region.clearsFile)) {
    const message =
      'Refused: together the blocks would leave the file empty. To empty a file on purpose, send one block whose ' +
      'old_text is the entire file and whose new_text is empty; otherwise check what each block replaces.';
    return unchanged(
      original,
      results.map((result) => (result.ok ? { index: result.index, ok: false, kind: 'ambiguous', message } : result)),
    );
  }
  return { content: edited.text, edited, changed: edited.changed, results };
}

function unchanged(original: string, results: BlockResult[]): EditOutcome {
  return { content: original, edited: new EditedText(original, []), changed: false, results };
}
