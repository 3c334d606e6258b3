// Reads a command's overlay layer into a listing (src/core/sandbox/layerChanges.ts turns it into changes):
// every entry of the upper folder, what was at each path before (never looking through a symlink), and the
// old subtree below each folder the command deleted, replaced or made opaque. Node cannot read extended
// attributes, so GNU tar reads the `overlay.opaque` marks of the few folders where it matters.
import { execFile, type ChildProcess } from 'node:child_process';
import { lstatSync, readdirSync, readlinkSync, type Stats } from 'node:fs';
import { normalize } from 'node:path';
import type { FileEntry, ObservedEntries } from '../../core/ports';
import type { EntryState, LayerListing, UpperEntry } from '../../core/sandbox/layerChanges';
import type { EntryKind } from '../../core/sandbox/resolveSpec';
import { fileEntryOf, lstatOrUndefined } from '../fileSystemView';

export interface CollectOptions {
  /** Entries (upper and old subtrees together) past which the listing is cut and marked truncated. */
  maxEntries: number;
  tar: string;
}

function kindOf(info: Stats): EntryKind {
  if (info.isFile()) return 'file';
  if (info.isDirectory()) return 'directory';
  if (info.isSymbolicLink()) return 'symlink';
  return 'other';
}

/** Synchronous calls, a slice at a time: several times faster than one promise per lstat on a big layer. */
const ENTRIES_PER_SLICE = 1000;

/**
 * What was at a real path, by the policy's own lstat; the answer is kept in `observed` for the policy's batch
 * (a failure other than "nothing there" is not: the policy asks again and refuses).
 */
function stateAt(path: string, observed: Map<string, FileEntry | 'absent'>): EntryState | undefined {
  let info: Stats | undefined;
  try {
    info = lstatOrUndefined(path);
  } catch {
    return undefined;
  }
  observed.set(path, info === undefined ? 'absent' : fileEntryOf(info));
  if (info === undefined) return undefined;
  const kind = kindOf(info);
  const state: EntryState = { kind, mode: info.mode & 0o7777, size: info.size };
  if (kind === 'symlink') state.linkTarget = readLink(path);
  return state;
}

function readLink(path: string): string {
  try {
    return readlinkSync(path);
  } catch {
    return '';
  }
}

function listNames(path: string): string[] {
  try {
    return readdirSync(path).sort();
  } catch {
    return [];
  }
}

/** `folder` normalised, with one trailing slash: a relative path appended to it names what join would. */
export function folderPrefix(folder: string): string {
  const normal = normalize(folder);
  return normal.endsWith('/') ? normal : `${normal}/`;
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** tar reading the opaque marks of folders named one at a time, while the caller is still finding them. */
export interface OpaqueMarkReader {
  /** A folder (relative to `cwd`) whose mark is wanted; tar starts with the first. */
  add(folder: string): void;
  /** The named folders that carry an opaque mark; rejects when tar fails. */
  marked(): Promise<Set<string>>;
  /** Ends tar's list (tar then exits): for a caller that stops before asking `marked`. */
  close(): void;
}

const NONE_MARKED: Promise<Set<string>> = Promise.resolve(new Set());

export function opaqueMarkReader(tar: string, cwd: string): OpaqueMarkReader {
  let child: ChildProcess | undefined;
  let result = NONE_MARKED;
  const start = (): ChildProcess => {
    let started!: ChildProcess;
    result = new Promise((resolve, reject) => {
      started = execFile(
        tar,
        [
          '--xattrs',
          '--xattrs-include=user.overlay.opaque',
          '--xattrs-include=trusted.overlay.opaque',
          '--no-recursion',
          '--null',
          '--verbatim-files-from',
          '-T',
          '-',
          '-cf',
          '-',
        ],
        { cwd, encoding: 'buffer', maxBuffer: 64 * 1024 * 1024, env: { LC_ALL: 'C' } },
        (error, stdout, stderr) => {
          if (error)
            reject(new Error(`tar could not read the layer's folder marks: ${stderr.toString() || error.message}`));
          else resolve(parseOpaqueMarks(stdout));
        },
      );
    });
    // A failure is reported by `marked`, not as an unhandled rejection while the walk goes on.
    result.catch(() => undefined);
    // tar may stop reading early (and say why on stderr): never let that crash the host.
    started.stdin?.on('error', () => undefined);
    return started;
  };
  const close = (): void => {
    if (child?.stdin?.writableEnded === false) child.stdin.end();
  };
  return {
    add(folder) {
      child ??= start();
      child.stdin?.write(`./${folder}\0`);
    },
    marked() {
      close();
      return result;
    },
    close,
  };
}

/** Runs `tar` over the named folders (relative to `cwd`) and returns those carrying an opaque mark. */
export function opaqueFolders(tar: string, cwd: string, folders: readonly string[]): Promise<Set<string>> {
  const reader = opaqueMarkReader(tar, cwd);
  for (const folder of folders) reader.add(folder);
  return reader.marked();
}

function field(block: Buffer, offset: number, length: number): string {
  const raw = block.subarray(offset, offset + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? length : end).toString('utf8');
}

/** The entries of a tar stream whose pax header carries `overlay.opaque` = y (or x: opaque, with xwhiteouts). */
export function parseOpaqueMarks(stream: Buffer): Set<string> {
  const opaque = new Set<string>();
  let pending: Map<string, string> | undefined;
  let longName: string | undefined;
  for (let at = 0; at + 512 <= stream.length; ) {
    const header = stream.subarray(at, at + 512);
    if (header.every((byte) => byte === 0)) break;
    const size = parseInt(field(header, 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(header[156]);
    const data = stream.subarray(at + 512, at + 512 + size);
    at += 512 + Math.ceil(size / 512) * 512;
    if (type === 'x') {
      pending = new Map();
      const text = data.toString('utf8');
      for (let i = 0; i < text.length; ) {
        const space = text.indexOf(' ', i);
        const length = Number(text.slice(i, space));
        if (!Number.isInteger(length) || length <= 0) break;
        const record = text.slice(space + 1, i + length - 1);
        const eq = record.indexOf('=');
        pending.set(record.slice(0, eq), record.slice(eq + 1));
        i += length;
      }
      continue;
    }
    if (type === 'L') {
      longName = data.toString('utf8').replace(/\0+$/, '');
      continue;
    }
    const prefix = field(header, 345, 155);
    const name =
      pending?.get('path') ?? longName ?? (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100));
    const mark =
      pending?.get('SCHILY.xattr.user.overlay.opaque') ?? pending?.get('SCHILY.xattr.trusted.overlay.opaque');
    if (mark === 'y' || mark === 'x') opaque.add(name.replace(/^\.\//, '').replace(/\/$/, ''));
    pending = undefined;
    longName = undefined;
  }
  return opaque;
}

export interface CollectedLayer extends LayerListing {
  /** The lstat of each real path the listing looked at, by absolute path below `lower`. */
  observed: ObservedEntries;
}

/**
 * The listing of one layer: `upper` is the layer's upper folder, `lower` the real folder it covered.
 * The real side is read only below real folders, so a symlink in the workspace is never followed.
 */
export async function collectLayer(
  folder: string,
  upper: string,
  lower: string,
  options: CollectOptions,
): Promise<CollectedLayer> {
  const entries: UpperEntry[] = [];
  const before = new Map<string, EntryState>();
  const observed = new Map<string, FileEntry | 'absent'>();
  /** Relative folders that are real folders on the lower side (the root is). */
  const realFolders = new Set<string>(['']);
  let count = 0;
  let truncated = false;

  // Names from readdir are clean, so a path below a folder normalised once is plain concatenation.
  const upperRoot = folderPrefix(upper);
  const lowerRoot = folderPrefix(lower);
  // Opaque marks matter only where a folder covers a real folder: tar reads them while the walk goes on.
  const marks = opaqueMarkReader(options.tar, upper);
  const covering: UpperEntry[] = [];
  try {
    await walkUpper();
    const opaque = await marks.marked();
    for (const entry of covering) if (opaque.has(entry.relative)) entry.opaque = true;
  } finally {
    marks.close();
  }

  async function walkUpper(): Promise<void> {
    const stack: string[] = [''];
    while (stack.length > 0 && !truncated) {
      const dir = stack.pop() as string;
      for (const name of listNames(upperRoot + dir)) {
        if (++count > options.maxEntries) {
          truncated = true;
          break;
        }
        if (count % ENTRIES_PER_SLICE === 0) await nextTurn();
        const relative = dir === '' ? name : `${dir}/${name}`;
        const info = lstatSync(upperRoot + relative);
        const kind = kindOf(info);
        const whiteout = info.isCharacterDevice() && info.rdev === 0;
        const entry: UpperEntry = {
          relative,
          kind: whiteout ? 'whiteout' : kind,
          mode: info.mode & 0o7777,
          size: info.size,
        };
        if (kind === 'symlink') entry.linkTarget = readLink(upperRoot + relative);
        entries.push(entry);
        if (realFolders.has(dir)) {
          const old = stateAt(lowerRoot + relative, observed);
          if (old !== undefined) {
            before.set(relative, old);
            if (old.kind === 'directory') realFolders.add(relative);
            if (old.kind === 'directory' && kind === 'directory') {
              covering.push(entry);
              marks.add(relative);
            }
          }
        }
        if (kind === 'directory') stack.push(relative);
      }
    }
  }

  // What a deleted, replaced or opaque folder held: all of it is gone unless the layer has it again.
  for (const entry of entries) {
    if (truncated) break;
    if (before.get(entry.relative)?.kind !== 'directory') continue;
    if (entry.kind === 'directory' && !entry.opaque) continue;
    const walk = [entry.relative];
    while (walk.length > 0 && !truncated) {
      const dir = walk.pop() as string;
      for (const name of listNames(lowerRoot + dir)) {
        if (++count > options.maxEntries) {
          truncated = true;
          break;
        }
        if (count % ENTRIES_PER_SLICE === 0) await nextTurn();
        const relative = `${dir}/${name}`;
        let old = before.get(relative);
        if (old === undefined) {
          old = stateAt(lowerRoot + relative, observed);
          if (old === undefined) continue;
          before.set(relative, old);
        }
        if (old.kind === 'directory') walk.push(relative);
      }
    }
  }
  return { folder, upper: entries, lower: before, truncated, observed };
}
