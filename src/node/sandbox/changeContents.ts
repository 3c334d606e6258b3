// The content of each changed regular file, for the diff: before from the real workspace, after from the
// command's layer. Text is decoded; binary and very large files are noted by size (applied from the layer).
// Files the command rewrote without changing them (same bytes, same mode) are left out of the change set.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { summarizeChange } from '../../core/edits/changeSummary';
import type { ChangeItem, FileContent } from '../../core/sandbox/changeSet';

const SNIFF_BYTES = 8000;
const utf8 = new TextDecoder('utf-8', { fatal: true });

const READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/**
 * A regular file's bytes, never through a symlink (O_NOFOLLOW) and never blocking on a FIFO; only when its size
 * is within the limit (a larger file is noted by size). undefined when it cannot be read (a folder or a FIFO:
 * the read fails). A change set reads thousands of files: the listing's size is trusted for one read of one byte
 * more (open, read, close); a file that grew since is read again after asking its size.
 */
function readSmall(path: string, listedSize: number, limit: number): { bytes: Buffer; size: number } | undefined {
  if (listedSize > limit) return { bytes: Buffer.alloc(0), size: listedSize };
  let fd: number;
  try {
    fd = openSync(path, READ_FLAGS);
  } catch {
    return undefined;
  }
  try {
    const first = Buffer.allocUnsafe(listedSize + 1);
    const read = readSync(fd, first, 0, first.length, 0);
    if (read <= listedSize) return { bytes: first.subarray(0, read), size: read };
    const info = fstatSync(fd);
    if (!info.isFile()) return undefined;
    if (info.size > limit) return { bytes: Buffer.alloc(0), size: info.size };
    const bytes = Buffer.allocUnsafe(info.size);
    let length = 0;
    while (length < bytes.length) {
      const more = readSync(fd, bytes, length, bytes.length - length, length);
      if (more === 0) break;
      length += more;
    }
    return { bytes: length === bytes.length ? bytes : bytes.subarray(0, length), size: length };
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

export function classify(bytes: Buffer, size: number, maxTextBytes: number): FileContent {
  if (size > maxTextBytes) return { kind: 'too-large', size };
  if ((bytes.length > SNIFF_BYTES ? bytes.subarray(0, SNIFF_BYTES) : bytes).includes(0))
    return { kind: 'binary', size };
  try {
    return { kind: 'text', text: utf8.decode(bytes) };
  } catch {
    return { kind: 'binary', size };
  }
}

/** Whole-file comparison for files too large or binary to hold as text. */
function sameBytes(a: string, b: string): boolean {
  const chunk = 1 << 20;
  let fa: number | undefined;
  let fb: number | undefined;
  try {
    fa = openSync(a, constants.O_RDONLY | constants.O_NOFOLLOW);
    fb = openSync(b, constants.O_RDONLY | constants.O_NOFOLLOW);
    if (fstatSync(fa).size !== fstatSync(fb).size) return false;
    const ba = Buffer.alloc(chunk);
    const bb = Buffer.alloc(chunk);
    for (let at = 0; ; at += chunk) {
      const na = readSync(fa, ba, 0, chunk, at);
      const nb = readSync(fb, bb, 0, chunk, at);
      if (na !== nb || !ba.subarray(0, na).equals(bb.subarray(0, nb))) return false;
      if (na === 0) return true;
    }
  } catch {
    return false;
  } finally {
    if (fa !== undefined) closeSync(fa);
    if (fb !== undefined) closeSync(fb);
  }
}

/** The item with its content, built field by field: V8 makes `{ ...item, content }` a slow object. */
function withContent(item: ChangeItem, content: ChangeItem['content'], summary: ChangeItem['summary']): ChangeItem {
  const filled: ChangeItem = {
    folder: item.folder,
    relative: item.relative,
    path: item.path,
    before: item.before,
    after: item.after,
    change: item.change,
    modeChanged: item.modeChanged,
    decision: item.decision,
    ownApproval: item.ownApproval,
    content,
  };
  if (summary !== undefined) filled.summary = summary;
  return filled;
}

const textOrNone = (c: FileContent | undefined): c is { kind: 'text'; text: string } | undefined =>
  c === undefined || c.kind === 'text';

export interface ContentSource {
  /** Where the item's new content is: its path in the layer's upper folder. */
  layerPath(item: ChangeItem): string;
  maxTextBytes: number;
}

/**
 * Fills `content` and `summary` of the regular-file items, and returns the items without those the command
 * left byte for byte and mode for mode as they were.
 */
export function withContents(items: readonly ChangeItem[], source: ContentSource): ChangeItem[] {
  const kept: ChangeItem[] = [];
  for (const item of items) {
    const beforeFile = item.before?.kind === 'file';
    const afterFile = item.after?.kind === 'file';
    if (!beforeFile && !afterFile) {
      kept.push(item);
      continue;
    }
    const layerPath = afterFile ? source.layerPath(item) : '';
    const oldRead = beforeFile ? readSmall(item.path, item.before?.size ?? 0, source.maxTextBytes) : undefined;
    const newRead = afterFile ? readSmall(layerPath, item.after?.size ?? 0, source.maxTextBytes) : undefined;
    const before = oldRead && classify(oldRead.bytes, oldRead.size, source.maxTextBytes);
    const after = newRead && classify(newRead.bytes, newRead.size, source.maxTextBytes);
    if (beforeFile && afterFile && !item.modeChanged) {
      const unchanged =
        before?.kind === 'text' && after?.kind === 'text'
          ? before.text === after.text
          : before !== undefined && after !== undefined && sameBytes(item.path, layerPath);
      if (unchanged) continue;
    }
    const content: ChangeItem['content'] = {};
    if (before !== undefined) content.before = before;
    if (after !== undefined) content.after = after;
    const summary = textOrNone(before) && textOrNone(after) ? summarizeChange(before?.text, after?.text) : undefined;
    kept.push(withContent(item, content, summary));
  }
  return kept;
}
