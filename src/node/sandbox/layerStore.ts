// Where copy-on-write layers live while a command runs and its change set awaits a decision: one folder per
// run under a private root, named after the owning process so that layers a crashed host left behind are
// found and removed at the next start. Removal copes with what overlay leaves: mode-000 work folders and
// whiteout devices.
import { randomBytes } from 'node:crypto';
import { chmod, lstat, mkdir, readdir, readFile, rm, rmdir, unlink, writeFile } from 'node:fs/promises';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OverlayLayer } from '../../core/sandbox/linuxLaunch';
import { overlayMountTable, unsafeForOverlayOptions } from '../../core/sandbox/linuxLaunch';

const PREFIX = 'warden-layer-';
const MAX_SOCKET_PATH = 100;
const EMPTY_FILE = 'empty-file';
const EMPTY_DIR = 'empty-dir';

export interface RunLayer {
  dir: string;
  layers: OverlayLayer[];
  /** The fstab that mounts `layers` (see overlayMountTable). */
  mountTable: string;
  emptyFile: string;
  emptyDir: string;
  /** Where the filtering proxy listens for this run, if it runs. */
  proxySocketPath: string;
  /** Folders outside `dir` that go with it (a short folder for the proxy socket). */
  companions: string[];
  /** A private temporary folder (macOS: TMPDIR; Linux has a tmpfs instead), made when asked for. */
  tempDir: string;
}

/** Field 22 of /proc/<pid>/stat: when the process started, so a reused pid is not mistaken for the owner. */
async function processStart(pid: number): Promise<string | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes a tree whatever overlay left in it: folders without permissions are opened up first. */
export async function removeTree(path: string): Promise<void> {
  try {
    await rm(path, { recursive: true, force: true });
    return;
  } catch {
    // EACCES on a mode-000 folder (overlay's work/work): open the tree up and walk it ourselves.
  }
  await removeWalking(path);
}

async function removeWalking(path: string): Promise<void> {
  let info;
  try {
    info = await lstat(path);
  } catch {
    return;
  }
  if (!info.isDirectory()) {
    await unlink(path).catch(() => undefined);
    return;
  }
  await chmod(path, 0o700).catch(() => undefined);
  const children = await readdir(path).catch(() => [] as string[]);
  for (const child of children) await removeWalking(join(path, child));
  await rmdir(path).catch(() => undefined);
}

export class LayerStore {
  private prepared: Promise<void> | undefined;
  private ownStart: Promise<string | undefined> | undefined;
  /** Removals under way that nobody waits for (see removeLater). */
  private readonly removing = new Set<Promise<void>>();

  constructor(readonly root: string) {}

  /** Creates the root (mode 0700, ours, not a symlink) and removes layers whose process is gone. */
  prepare(): Promise<void> {
    this.prepared ??= this.prepareOnce().catch((error: unknown) => {
      this.prepared = undefined;
      throw error;
    });
    return this.prepared;
  }

  private async prepareOnce(): Promise<void> {
    if (unsafeForOverlayOptions(this.root)) {
      throw new Error(`The sandbox folder ${this.root} contains a character overlay mounts cannot take (, : \\).`);
    }
    await mkdir(this.root, { recursive: true, mode: 0o700 });
    const info = await lstat(this.root);
    if (!info.isDirectory() || (process.getuid !== undefined && info.uid !== process.getuid())) {
      throw new Error(`The sandbox folder ${this.root} is not a folder owned by this user.`);
    }
    await chmod(this.root, 0o700);
    // The stand-ins for hidden files and folders, shared by every run: read-only and empty.
    await writeFile(join(this.root, EMPTY_FILE), '', { mode: 0o444 }).catch(() => undefined);
    await mkdir(join(this.root, EMPTY_DIR), { mode: 0o555 }).catch(() => undefined);
    await this.removeStale();
  }

  /** Layers of processes that no longer run (a crash, a killed window): removed, never reused. */
  async removeStale(): Promise<string[]> {
    const removed: string[] = [];
    for (const name of await readdir(this.root).catch(() => [] as string[])) {
      if (!name.startsWith(PREFIX)) continue;
      const [pid, start] = name.slice(PREFIX.length).split('-');
      const owner = Number(pid);
      const alive = Number.isInteger(owner) && isAlive(owner) && (await processStart(owner)) === start;
      if (alive) continue;
      await removeTree(join(this.root, name));
      removed.push(name);
    }
    return removed;
  }

  /**
   * A fresh run folder with one overlay layer (upper, work, and a safe-named link to the target) per target,
   * and the table that mounts them. A dozen small synchronous calls: each asynchronous one would cost a round
   * trip through the thread pool, several times the call itself.
   */
  async create(targets: readonly string[], options: { tempDir?: boolean } = {}): Promise<RunLayer> {
    await this.prepare();
    this.ownStart ??= processStart(process.pid);
    const start = (await this.ownStart) ?? '0';
    const id = randomBytes(6).toString('hex');
    const dir = join(this.root, `${PREFIX}${process.pid}-${start}-${id}`);
    mkdirSync(dir, { mode: 0o700 });
    try {
      const emptyFile = join(this.root, EMPTY_FILE);
      const emptyDir = join(this.root, EMPTY_DIR);
      const tempDir = join(dir, 'tmp');
      if (options.tempDir) mkdirSync(tempDir, { mode: 0o700 });
      const layers: OverlayLayer[] = [];
      for (const [index, target] of targets.entries()) {
        const layer = {
          target,
          lower: join(dir, `lower-${index}`),
          upper: join(dir, `upper-${index}`),
          work: join(dir, `work-${index}`),
        };
        symlinkSync(target, layer.lower);
        mkdirSync(layer.upper, { mode: 0o700 });
        mkdirSync(layer.work, { mode: 0o700 });
        layers.push(layer);
      }
      const mountTable = join(dir, 'mounts');
      // The mount source names this run alone, so `mount -a` never takes a layer for one mounted already.
      writeFileSync(mountTable, overlayMountTable(layers, `warden-${id}`), { mode: 0o600 });
      const companions: string[] = [];
      let proxySocketPath = join(dir, 'proxy.sock');
      if (Buffer.byteLength(proxySocketPath) > MAX_SOCKET_PATH) {
        // A Unix socket path holds at most 107 bytes (longer ones are cut short): use a short private folder.
        const short = mkdtempSync(join(Buffer.byteLength(tmpdir()) < 60 ? tmpdir() : '/tmp', 'warden-proxy-'));
        companions.push(short);
        proxySocketPath = join(short, 's');
      }
      return { dir, layers, mountTable, emptyFile, emptyDir, tempDir, proxySocketPath, companions };
    } catch (error) {
      await removeTree(dir);
      throw error;
    }
  }

  /** Removes a run folder and what goes with it. */
  async remove(layer: Pick<RunLayer, 'dir' | 'companions' | 'layers'>): Promise<void> {
    // overlay leaves its work/work folder without permissions: open it first, so one rm does the rest.
    await Promise.all(layer.layers.map((l) => chmod(join(l.work, 'work'), 0o700).catch(() => undefined)));
    await Promise.all([layer.dir, ...layer.companions].map((dir) => removeTree(dir)));
  }

  /**
   * Removes a run folder without holding up the caller: a finished command's result need not wait for its
   * layer to go (a new run never reuses a folder, and commands cannot see this root). `settled()` waits.
   */
  removeLater(layer: Pick<RunLayer, 'dir' | 'companions' | 'layers'>): void {
    const removal: Promise<void> = this.remove(layer)
      .catch(() => undefined)
      .finally(() => this.removing.delete(removal));
    this.removing.add(removal);
  }

  /** Resolves once every removal started so far has finished. */
  async settled(): Promise<void> {
    while (this.removing.size > 0) await Promise.all([...this.removing]);
  }

  /** The run folders that exist now, once removals under way have finished (for tests and the status view). */
  async list(): Promise<string[]> {
    await this.settled();
    const names = await readdir(this.root).catch(() => [] as string[]);
    return names.filter((name) => name.startsWith(PREFIX)).map((name) => join(this.root, name));
  }
}
