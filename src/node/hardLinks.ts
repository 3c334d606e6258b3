// Hard links to denied files: a second name for the same file on disk (`docs/notes.txt` sharing its inode with
// `.env`) would read the secret through an allowed path, since no symlink is there to resolve. The denied files'
// (device, inode) are recorded when they are listed; a target with more than one link is looked up among them.
import { statSync, type BigIntStats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { posix } from 'node:path';
import { credentialStores } from '../core/sandbox/homeStores';

/**
 * The credential stores of the home directory (files, and folders whose files count), whose other names inside
 * the workspace are hard links to secrets too. None on Windows, where Warden lists no such stores.
 */
export function homeCredentialPaths(home = homedir(), platform: NodeJS.Platform = process.platform): string[] {
  if (platform !== 'linux' && platform !== 'darwin') return [];
  return credentialStores(platform).map((entry) => posix.join(home, entry.path));
}

/** What a stat tells about one file: which file it is on disk, and how many names it has. */
export interface FileIdentity {
  /** `device:inode`, exact (bigint: inode numbers may pass 2^53). */
  readonly key: string;
  readonly links: bigint;
  readonly regular: boolean;
}

function identityOf(stats: BigIntStats): FileIdentity {
  return { key: `${stats.dev}:${stats.ino}`, links: stats.nlink, regular: stats.isFile() };
}

/** The identity of what `path` leads to (symlinks followed), undefined when nothing can be stat-ed there. */
export function identifySync(path: string): FileIdentity | undefined {
  try {
    const stats = statSync(path, { bigint: true, throwIfNoEntry: false });
    return stats ? identityOf(stats) : undefined;
  } catch {
    return undefined;
  }
}

/** `identifySync` without blocking. */
export function identify(path: string): Promise<FileIdentity | undefined> {
  return stat(path, { bigint: true }).then(identityOf, () => undefined);
}

/** Only a regular file with another name can be a hard link to something else. */
export function mayBeHardLink(identity: FileIdentity | undefined): identity is FileIdentity {
  return identity !== undefined && identity.regular && identity.links > 1n;
}

/** The denied files by their identity on disk. */
export class DeniedIdentities {
  private readonly byKey = new Map<string, string>();
  private readonly keyOf = new Map<string, string>();
  private linked = false;

  /**
   * Records a denied file. Of an identity's names the least in code-unit order is the one reported, so the
   * report does not depend on the order in which a walk met them (the host's and the CLI's walks differ).
   */
  add(path: string, identity: FileIdentity | undefined): void {
    this.delete(path);
    if (identity === undefined || !identity.regular) return;
    this.keyOf.set(path, identity.key);
    const reported = this.byKey.get(identity.key);
    if (reported === undefined || path < reported) this.byKey.set(identity.key, path);
    if (identity.links > 1n) this.linked = true;
  }

  /** Forgets a denied file that was deleted (or a folder's worth: every path under `prefix`). */
  delete(path: string, prefix?: string): void {
    for (const [known, key] of this.entriesFor(path, prefix)) {
      this.keyOf.delete(known);
      if (this.byKey.get(key) !== known) continue;
      this.byKey.delete(key);
      // Another denied name of the same file keeps it denied.
      for (const [other, otherKey] of this.keyOf) {
        const reported = this.byKey.get(key);
        if (otherKey === key && (reported === undefined || other < reported)) this.byKey.set(key, other);
      }
    }
  }

  /** The denied file that `identity` is another name of, if any. */
  deniedFileFor(identity: FileIdentity): string | undefined {
    return this.byKey.get(identity.key);
  }

  /** Whether some denied file had more than one name when it was recorded. */
  get anyLinked(): boolean {
    return this.linked;
  }

  get size(): number {
    return this.keyOf.size;
  }

  private entriesFor(path: string, prefix: string | undefined): [string, string][] {
    if (prefix === undefined) {
      const key = this.keyOf.get(path);
      return key === undefined ? [] : [[path, key]];
    }
    return [...this.keyOf].filter(([known]) => known === path || known.startsWith(prefix));
  }
}

/** What the policy asks of a target (see PolicyEnvironment.hardLinkedDeniedFile): one stat, in the host layer. */
export function hardLinkedDeniedFile(
  path: string,
  identities: () => DeniedIdentities | undefined,
): { deniedFile: string } | 'unknown' | undefined {
  const identity = identifySync(path);
  if (!mayBeHardLink(identity)) return undefined;
  const known = identities();
  if (known === undefined) return 'unknown';
  const deniedFile = known.deniedFileFor(identity);
  return deniedFile === undefined || deniedFile === path ? undefined : { deniedFile };
}
