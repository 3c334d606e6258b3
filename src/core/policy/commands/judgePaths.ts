// How the command policy judges the paths a command names, through the same path policy as the file
// tools: what it reads (a denied file → deny, outside the workspace → ask), what it writes, any other
// word that names a denied file, whole directories read recursively, and the files git would print.
import { minimatch } from 'minimatch';
import { posix } from 'node:path';
import { isMoreRestrictive, type Decision, type FileOperation, type PathDecision } from '../decision';
import { childPath, hasParentSegment, resolvedPath } from '../canonicalPath';
import { GIT_DIRECTORY_ENTRIES, PATH_RULES } from '../pathPolicy';
import type { DirectoryRead, TrackedRead } from './analysis';
import { literalWord, sliceWord, type Word } from './parse/words';
import { isBlockDevice, isEndlessInput, isHarmlessDevice, isMemoryDevice, startupFileRule } from './systemPaths';
import { globMayMatch, globRead } from './globReads';
import { deny, ask, quoted } from './verdicts';
import type { WorkingDirectories } from './workingDirectories';

/** What the command policy needs from the path policy (`PathPolicy` satisfies it). */
export interface PathJudge {
  decide(op: FileOperation, requested: string, baseDir?: string): PathDecision;
  /**
   * The deny rule covering a path given relative to some root (deny globs match at any depth), if any.
   * Used for paths outside the workspace, which the path policy refuses before looking at secrets.
   */
  isDenied?(relativePath: string): Decision | undefined;
  /** Known denied files inside a directory (or those git tracks), relative to it; undefined while unknown. */
  deniedFilesUnder?(dir: string, tracked?: boolean): readonly string[] | undefined;
  /** Whether something exists at this absolute path (a file, folder or link); unknown counts as no. */
  exists?(absolute: string): boolean;
  /**
   * Where a program lands when a `..` in the path (or in `baseDir`) follows a symlink, if that differs from the
   * lexical path: `link/../x` with `link -> /a/b` opens `/a/x`.
   */
  physicalPath(requested: string, baseDir?: string): string | undefined;
}

/** Rule ids the path policy uses for refusals that are about location, not about the file. */
const LOCATION_RULES = new Set<string>([
  PATH_RULES.outsideWorkspace,
  PATH_RULES.invalidPath,
  PATH_RULES.notInReadGlobs,
  PATH_RULES.notInWriteGlobs,
  PATH_RULES.folderRoot,
]);

/** A directory read by a command, with that command's name for the reason. */
type NamedDirectoryRead = DirectoryRead & { command: string };

/** Judges the paths of one command line; path decisions are remembered for the length of it. */
export class PathChecks {
  private readonly reads = new Map<string | undefined, Map<string, PathDecision>>();
  private readonly writes = new Map<string | undefined, Map<string, PathDecision>>();
  /** What `gitRepository` found from a folder and directory, for the length of the line. */
  private repositories: Map<string, OtherRepository | null> | undefined;

  /** `changed`: the line sets shell options (`shopt`), so its globs may match what bash's defaults do not. */
  private readonly globbing: 'default' | 'changed';
  /** Where the command whose paths are judged runs (see runningIn). */
  private directories: WorkingDirectories | undefined;

  constructor(
    private readonly paths: PathJudge,
    options: { globbing?: 'default' | 'changed' } = {},
  ) {
    this.globbing = options.globbing ?? 'default';
  }

  /** Sets where the next command's paths are judged from. */
  runningIn(directories: WorkingDirectories): void {
    this.directories = directories;
  }

  private get where(): WorkingDirectories {
    if (this.directories === undefined) throw new Error('PathChecks: no working directory given');
    return this.directories;
  }

  private get home(): string {
    return this.where.home;
  }

  /** Requested path and base directory pairs for a static word, or a reason it cannot be resolved. */
  private locate(word: Word): { requested: string; base: string | undefined }[] | string {
    if (word.dynamic) return 'is only known at run time';
    if (word.glob || word.brace) return 'is expanded by the shell (glob or brace)';
    if (word.innerTilde) return 'contains a `~` the shell may expand';
    const value = word.value;
    if (value === '') return [];
    if (word.tilde) {
      if (value !== '~' && !value.startsWith('~/')) return 'names another user’s home directory';
      // Joined without normalising: a `..` after a symlink is judged where the program lands (see decidePath).
      return [{ requested: `${this.home}${value.slice(1)}`, base: undefined }];
    }
    if (value.startsWith('/')) return [{ requested: value, base: undefined }];
    if (this.where.unknown) return 'is relative to a directory only known at run time (`cd`)';
    // A literal `~` (quoted) is a file named `~`, not the home directory.
    const requested = value.startsWith('~') ? `./${value}` : value;
    return this.where.all.map((cwd) => ({ requested, base: cwd }));
  }

  /**
   * `directoryRead`: folders are read whole. `listsNames`: a glob lists names (`ls src/*`). `expandsGlobs`: a
   * glob is judged by what it may match (only for a command that writes nothing, since the number of names it
   * expands to moves every operand after it).
   */
  read(
    word: Word,
    checks: Decision[],
    how: { directoryRead?: NamedDirectoryRead; listsNames?: boolean; expandsGlobs?: boolean } = {},
  ): void {
    const { directoryRead } = how;
    if (!word.dynamic && (word.value === '-' || word.value === '')) return;
    if (word.glob && !word.dynamic && !word.brace && !word.innerTilde) {
      if (how.listsNames) return this.listGlob(word, checks);
      // A command that reads folders whole would follow a folder the glob finds, a link included.
      if (how.expandsGlobs && !directoryRead) return this.readGlob(word, checks);
    }
    const where = this.locate(word);
    if (typeof where === 'string') {
      checks.push(ask('read-unresolvable', `Reads ${quoted(word.raw)}, which ${where}.`));
      return;
    }
    for (const { requested, base } of where) {
      if (requested.startsWith('/dev/') || requested.startsWith('/proc/')) {
        const normal = posix.normalize(requested);
        if (isHarmlessDevice(normal)) continue;
        if (isMemoryDevice(normal)) {
          checks.push(deny('builtin:memory-device', `Reading ${quoted(normal)} exposes the memory of the machine.`));
          continue;
        }
        if (isEndlessInput(normal)) {
          checks.push(ask('endless-input', `${quoted(normal)} never ends.`));
          continue;
        }
      }
      const d = this.decidePath('read', requested, base);
      const mapped = this.mapPath(d, 'read', word, false);
      if (mapped) checks.push(mapped);
      else if (directoryRead && d.resolved) this.directoryRead(word, d.resolved, directoryRead, checks);
    }
  }

  /** `git diff` prints a tracked `.env` as surely as `cat .env` does, unless its pathspecs leave it out. */
  trackedRead(command: string, spec: TrackedRead, checks: Decision[]): void {
    for (const cwd of this.where.all) {
      const here = this.decidePath('read', '.', cwd);
      if (here.folder === undefined || here.resolved === undefined) {
        checks.push(ask('git-content-outside', `\`${command}\` prints files of a repository outside the workspace.`));
        return;
      }
      const tracked = this.paths.deniedFilesUnder?.(here.folder, true);
      if (tracked === undefined) {
        checks.push(
          ask(
            'git-content-unchecked',
            `\`${command}\` prints the content of tracked files, and Warden has not yet listed the denied files ` +
              `git tracks.`,
          ),
        );
        return;
      }
      const base = posix.relative(here.folder, here.resolved);
      // An operand before `--` that exists is a path to git; one that does not is a revision.
      const paths = spec.candidates?.filter((w) => !w.dynamic && this.paths.exists?.(posix.resolve(cwd, w.value)));
      const effective = paths?.length ? { ...spec, include: [...spec.include, ...paths] } : spec;
      for (const relative of tracked) {
        if (!pathspecsShow(effective, base, relative)) continue;
        const d = this.decidePath('read', posix.join(here.folder, relative), undefined);
        if (d.decision !== 'deny') continue;
        checks.push({
          decision: 'deny',
          rule: d.rule,
          source: d.source,
          reason:
            `\`${command}\` prints the content of files git tracks, including ${quoted(relative)}, which is ` +
            `denied: ${d.reason} Limit it with pathspecs after \`--\`, or exclude the file with \`':!${relative}'\`.`,
        });
        return;
      }
    }
  }

  /**
   * `ls src/*.ts` lists what the shell finds in `src`: the folder is read, and a denied file the glob
   * matches (bash's default: `*` skips names starting with `.`) is refused as if it were named.
   */
  private listGlob(word: Word, checks: Decision[]): void {
    const value = word.value;
    const firstGlob = value.search(/[*?[]/);
    const slash = value.lastIndexOf('/', firstGlob);
    let folder = slash < 0 ? '.' : value.slice(0, slash) || '/';
    if (word.tilde) {
      if (folder !== '~' && !folder.startsWith('~/')) {
        checks.push(ask('read-unresolvable', `Reads ${quoted(word.raw)}, which names another user’s home directory.`));
        return;
      }
      folder = posix.join(this.home, folder.slice(1));
    }
    if (/[*?[]/.test(folder)) {
      checks.push(ask('read-unresolvable', `Reads ${quoted(word.raw)}, which is expanded by the shell (glob).`));
      return;
    }
    const before = checks.length;
    this.read(literalWord(folder), checks);
    if (checks.length > before) return;
    const pattern = value.slice(slash + 1);
    for (const cwd of folder.startsWith('/') ? [undefined] : this.where.all) {
      const d = this.decidePath('read', folder, cwd);
      if (!d.resolved) continue;
      const denied = this.paths.deniedFilesUnder?.(d.resolved);
      if (denied === undefined) {
        checks.push(ask('read-unresolvable', `Lists ${quoted(word.raw)}; Warden has not yet listed the denied files.`));
        return;
      }
      const hit = denied.find((file) => minimatch(file, pattern, { dot: false }));
      if (hit) {
        this.read(literalWord(posix.join(d.resolved, hit)), checks);
        return;
      }
    }
  }

  /**
   * `cat src/*.ts` reads what the shell finds in `src`: the folder must be readable, and each known denied entry
   * of it the pattern may match (a secret, a link leading to one or out of the workspace, a hard link to a
   * secret) is judged as if named (see globReads for the patterns judged so).
   */
  private readGlob(word: Word, checks: Decision[]): void {
    const unresolvable = (why: string): void => {
      checks.push(ask('read-unresolvable', `Reads ${quoted(word.raw)}, which ${why}.`));
    };
    if (this.globbing === 'changed') return unresolvable('is expanded by the shell, with options this line changes');
    const pattern = globRead(word);
    if (typeof pattern === 'string') return unresolvable(pattern);
    let folder = pattern.folder;
    if (word.tilde) {
      if (folder !== '~' && !folder.startsWith('~/')) return unresolvable('names another user’s home directory');
      folder = `${this.home}${folder.slice(1)}`;
    }
    const before = checks.length;
    this.read(literalWord(folder), checks);
    if (checks.length > before) return;
    for (const cwd of folder.startsWith('/') ? [undefined] : this.where.all) {
      const d = this.decidePath('read', folder, cwd);
      if (!d.resolved) continue;
      const denied = this.paths.deniedFilesUnder?.(d.resolved);
      if (denied === undefined)
        return unresolvable('is expanded by the shell, and Warden has not yet listed the denied files');
      for (const entry of denied) {
        if (!globMayMatch(pattern, entry)) continue;
        this.read(literalWord(childPath(d.resolved, entry)), checks);
        if (checks.length > before) return;
      }
    }
  }

  /**
   * Git finds its repository from the working directory up. A folder inside the workspace that is a git
   * directory shipped as plain files (`HEAD`, `objects/`, `refs/`, `config`), or a `.git` below the
   * workspace folder's own, would make git run with a `config` the repository supplied (`core.fsmonitor`,
   * `core.pager`, hooks, filters): ask. The repository at a workspace folder, or above it, is the real one.
   */
  gitRepository(command: string, checks: Decision[]): void {
    const exists = this.paths.exists?.bind(this.paths);
    if (!exists) return;
    for (const cwd of this.where.all) {
      const here = this.decidePath('read', '.', cwd);
      if (here.folder === undefined || here.resolved === undefined) continue;
      // Every git command of the line looks from the same place: look once per line.
      const key = `${here.folder}\u0000${here.resolved}`;
      const repositories = (this.repositories ??= new Map());
      let found = repositories.get(key);
      if (found === undefined) {
        found = otherRepositoryFrom(here.resolved, here.folder, exists) ?? null;
        repositories.set(key, found);
      }
      if (found) checks.push(otherRepository(command, found.dir, found.shape));
    }
  }

  /** `grep -r x .` reads `.env` as surely as `cat .env` does, unless the command's own filters skip it. */
  private directoryRead(word: Word, dir: string, how: NamedDirectoryRead, checks: Decision[]): void {
    const what = `\`${how.command}\` reads every file under ${quoted(word.raw)}`;
    // The denied files behind a link to another folder of the workspace are listed under that folder's own path.
    if (how.skipLinks === false)
      checks.push(
        ask(
          'directory-read-links',
          `${what}, following links to other folders, whose files Warden cannot check from here.`,
        ),
      );
    const inside = this.paths.deniedFilesUnder?.(dir);
    if (inside === undefined) {
      checks.push(ask('directory-read-unchecked', `${what}, and Warden has not yet listed the denied files there.`));
      return;
    }
    for (const relative of inside) {
      if (!readsUnder(relative, how)) continue;
      const d = this.decidePath('read', posix.join(dir, relative), undefined);
      if (d.decision !== 'deny') continue;
      // Reached through a symbolic link below the folder, which this reader does not follow.
      if (how.skipLinks && d.resolved !== undefined && d.resolved !== posix.join(dir, relative)) continue;
      const shown = posix.join(word.value, relative);
      checks.push({
        decision: 'deny',
        rule: d.rule,
        source: d.source,
        reason:
          `${what}, including ${quoted(shown)}, which is denied: ${d.reason} Name narrower paths, or exclude ` +
          `it with the command's own options.`,
      });
      return;
    }
  }

  write(word: Word, checks: Decision[], destructive: boolean): void {
    const where = this.locate(word);
    if (typeof where === 'string') {
      checks.push(ask('write-unresolvable', `Writes ${quoted(word.raw)}, which ${where}.`));
      return;
    }
    for (const { requested, base } of where) {
      const absolute = resolvedPath(base, requested);
      if (absolute.startsWith('/dev/')) {
        if (isHarmlessDevice(absolute)) continue;
        if (isBlockDevice(absolute)) {
          checks.push(deny('builtin:device-write', `Writing ${quoted(absolute)} overwrites a disk or memory device.`));
          continue;
        }
      }
      if (startupFileRule(absolute, this.home)) {
        checks.push(
          deny(
            'builtin:shell-startup-write',
            `Writing ${quoted(absolute)} plants commands that run at every login or shell start.`,
          ),
        );
        continue;
      }
      const d = this.decidePath('write', requested, base);
      const mapped = this.mapPath(d, 'write', word, destructive);
      if (mapped) checks.push(mapped);
    }
  }

  /** Any other argument naming a denied file (`echo .env`, `git add .env`) is refused like a read. */
  word(word: Word, checks: Decision[]): void {
    if (word.dynamic || word.glob || word.brace || word.value.length === 0 || word.value.length > 4096) return;
    let candidate = word;
    if (word.value.startsWith('-')) {
      const eq = word.value.indexOf('=');
      if (eq < 0) return;
      candidate = sliceWord(word, eq + 1);
      if (candidate.value === '' || candidate.dynamic || candidate.glob) return;
    }
    if (/^\d+$/.test(candidate.value)) return;
    const where = this.locate(candidate);
    if (typeof where === 'string') return;
    for (const { requested, base } of where) {
      const d = this.decidePath('read', requested, base);
      if (d.decision !== 'deny') continue;
      if (!LOCATION_RULES.has(d.rule)) {
        checks.push({
          decision: 'deny',
          rule: d.rule,
          source: d.source,
          reason: `${quoted(word.raw)} names a file that is denied: ${d.reason}`,
        });
        return;
      }
      const outside = this.outsideDenial(d);
      if (outside) {
        checks.push(outside);
        return;
      }
    }
  }

  /**
   * An argument of a program Warden has no rules for may be a file it reads or writes (`jq --slurpfile x
   * /etc/passwd`, `shuf -o /tmp/x`, `split a.txt /tmp/part`): besides naming no denied file, it must not
   * name a place outside the workspace, attached to an option (`-o/tmp/x`, `--out=/tmp/x`) or not.
   */
  opaqueWord(word: Word, command: string, checks: Decision[]): void {
    const before = checks.length;
    this.word(word, checks);
    if (checks.length > before || word.dynamic) return;
    const candidate = pathPart(word);
    if (candidate === undefined) return;
    const outside = (): Decision =>
      ask(
        'argument-outside-workspace',
        `${quoted(word.raw)} may name a file outside the workspace, and Warden does not know what \`${command}\` ` +
          'does with it.',
      );
    // A form the path policy cannot resolve (a glob, `//`, a `:`) still asks when it starts outside.
    const looksOutside = /^[~/]|(^|\/)\.\.(\/|$)/.test(candidate.value);
    const where = this.locate(candidate);
    if (typeof where === 'string') {
      if (looksOutside) checks.push(outside());
      return;
    }
    for (const { requested, base } of where) {
      const absolute = resolvedPath(base, requested);
      if (isHarmlessDevice(absolute)) continue;
      const d = this.decidePath('read', requested, base);
      if (d.rule === PATH_RULES.outsideWorkspace || (d.rule === PATH_RULES.invalidPath && looksOutside)) {
        checks.push(outside());
        return;
      }
    }
  }

  /** Path decisions repeat within one command (both readings of a continuation, a word read twice). */
  private decidePath(op: FileOperation, requested: string, base: string | undefined): PathDecision {
    // Keyed by the strings themselves, level by level: no key string is built (and hashed) per lookup.
    const byBase = op === 'read' ? this.reads : this.writes;
    let byPath = byBase.get(base);
    if (!byPath) byBase.set(base, (byPath = new Map()));
    let d = byPath.get(requested);
    if (!d) {
      d = this.paths.decide(op, requested, base);
      // The program opens the physical path; the lexical one is judged too (a `cd` without -P reads it so).
      if (mayClimb(requested) || (base !== undefined && mayClimb(base))) {
        const physical = this.paths.physicalPath(requested, base);
        if (physical !== undefined) d = stricter(this.paths.decide(op, physical), d);
      }
      byPath.set(requested, d);
    }
    return d;
  }

  /** For a path outside the workspace: the secret/deny glob covering it, as a denial. */
  private outsideDenial(d: PathDecision): Decision | undefined {
    if (d.rule !== PATH_RULES.outsideWorkspace || !d.resolved || !this.paths.isDenied) return undefined;
    const denied = this.paths.isDenied(d.resolved.replace(/^[/\\]+/, ''));
    if (!denied || denied.decision !== 'deny' || LOCATION_RULES.has(denied.rule)) return undefined;
    return {
      decision: 'deny',
      rule: denied.rule,
      source: denied.source,
      reason: `${quoted(d.requested)} is outside the workspace and a protected secret: ${denied.reason}`,
    };
  }

  private mapPath(d: PathDecision, op: FileOperation, word: Word, destructive: boolean): Decision | undefined {
    const verb = op === 'read' ? 'Reads' : 'Writes';
    if (d.decision === 'allow') {
      return d.protected && op === 'write'
        ? { decision: 'ask', rule: d.rule, source: d.source, reason: `${verb} a protected file: ${d.reason}` }
        : undefined;
    }
    if (d.decision === 'ask')
      return { decision: 'ask', rule: d.rule, source: d.source, reason: `${verb} ${quoted(word.raw)}: ${d.reason}` };
    switch (d.rule) {
      case PATH_RULES.outsideWorkspace: {
        const denied = this.outsideDenial(d);
        if (denied) return denied;
        if (op === 'write' && d.resolved && startupFileRule(d.resolved, this.home)) {
          return deny(
            'builtin:shell-startup-write',
            `${quoted(word.raw)} leads to ${quoted(d.resolved)}, a file that runs at every login or shell start.`,
          );
        }
        return ask(`${op}-outside-workspace`, `${verb} ${quoted(word.raw)}, outside every workspace folder.`);
      }
      case PATH_RULES.invalidPath:
        return ask(`${op}-unresolvable`, `${verb} ${quoted(word.raw)}: ${d.reason}`);
      case PATH_RULES.folderRoot:
        // Writing *into* the folder (`cp a.txt .`) is judged on DEST/NAME; deleting it is refused.
        return destructive
          ? {
              decision: 'deny',
              rule: d.rule,
              source: d.source,
              reason: `Deletes or replaces a whole workspace folder (${quoted(word.raw)}).`,
            }
          : undefined;
      default:
        return { decision: 'deny', rule: d.rule, source: d.source, reason: `${verb} ${quoted(word.raw)}: ${d.reason}` };
    }
  }
}

/** A `..` segment: `includes` first, as nearly no path has one. */
function mayClimb(path: string): boolean {
  return path.includes('..') && hasParentSegment(path);
}

/** The decision that refuses more; `first` when they refuse alike. */
function stricter(first: PathDecision, second: PathDecision): PathDecision {
  return isMoreRestrictive(second.decision, first.decision) ? second : first;
}

/** Whether a directory-reading command reaches `relative` (a path under the directory it was given). */
function readsUnder(relative: string, how: DirectoryRead): boolean {
  const segments = relative.split('/');
  const file = segments[segments.length - 1];
  const dirs = segments.slice(0, -1);
  if (how.skipHidden && segments.some((s) => s.startsWith('.'))) return false;
  if (dirs.some((d) => how.skipDirs.some((g) => globMatches(g, d)))) return false;
  if (how.skipFiles.some((g) => globMatches(g, file))) return false;
  // An `--include` glob that cannot be matched here may let the file through.
  return (
    how.onlyFiles.length === 0 || how.onlyFiles.some((g) => g.dynamic || g.value.includes('/') || globMatches(g, file))
  );
}

/** A base-name glob; one only known at run time (or naming a path) matches nothing, so it skips nothing. */
function globMatches(glob: Word, name: string): boolean {
  if (glob.dynamic || glob.value.includes('/')) return false;
  return minimatch(name, glob.value, { dot: true });
}

/**
 * Whether pathspecs (relative to `cwd`, itself relative to the repository folder) let git print `file`
 * (relative to the folder). A pathspec only known at run time, or with magic, may include anything and
 * excludes nothing.
 */
function pathspecsShow(spec: TrackedRead, cwd: string, file: string): boolean {
  const covers = (w: Word, include: boolean): boolean => {
    if (w.dynamic || w.value.startsWith(':')) return include;
    const path = posix.normalize(posix.join(cwd, w.value)).replace(/\/+$/, '');
    if (path === '..' || path.startsWith('../')) return false;
    if (/[*?[]/.test(path)) return include || minimatch(file, path, { dot: true, matchBase: !path.includes('/') });
    return path === '.' || file === path || file.startsWith(`${path}/`);
  };
  if (spec.include.length > 0 && !spec.include.some((w) => covers(w, true))) return false;
  return !spec.exclude.some((w) => covers(w, false));
}

interface OtherRepository {
  /** Relative to the workspace folder. */
  dir: string;
  shape: '.git' | 'git directory';
}

/** The repository git would find from `start` up to `folder`, when it is not the workspace folder's own. */
function otherRepositoryFrom(
  start: string,
  folder: string,
  exists: (absolute: string) => boolean,
): OtherRepository | undefined {
  for (let dir = start; dir === folder || dir.startsWith(`${folder}/`); dir = posix.dirname(dir)) {
    if (exists(childPath(dir, '.git'))) {
      return dir !== folder ? { dir: posix.relative(folder, dir), shape: '.git' } : undefined;
    }
    if (holdsAtLeast(dir, GIT_DIRECTORY_ENTRIES, 3, exists)) {
      return { dir: posix.relative(folder, dir) || '.', shape: 'git directory' };
    }
    if (dir === folder) return undefined;
  }
  return undefined;
}

/** Whether `dir` holds `count` of `entries`; asks no more than it must (each question may be a system call). */
function holdsAtLeast(
  dir: string,
  entries: readonly string[],
  count: number,
  exists: (absolute: string) => boolean,
): boolean {
  let found = 0;
  for (let i = 0; i < entries.length; i++) {
    if (found + (entries.length - i) < count) return false;
    if (exists(childPath(dir, entries[i])) && ++found >= count) return true;
  }
  return false;
}

function otherRepository(command: string, dir: string, shape: OtherRepository['shape']): Decision {
  const what =
    shape === '.git'
      ? `the repository in ${quoted(dir)}, nested in the workspace folder,`
      : `${quoted(dir)}, a folder shaped like a git directory,`;
  return ask(
    'git-other-repository',
    `\`${command}\` would run with ${what} and its \`config\` (which can run programs through ` +
      "`core.fsmonitor`, hooks or filters), not the workspace's own repository.",
  );
}

/** The part of an argument that may be a path: an option's value (`--out=X`, `-o/x`), or the word. */
function pathPart(word: Word): Word | undefined {
  const value = word.value;
  if (value === '' || value === '-' || value === '--' || /^\d+$/.test(value)) return undefined;
  if (!value.startsWith('-')) return value.startsWith('@') ? notUrl(sliceWord(word, 1)) : notUrl(word);
  const eq = value.indexOf('=');
  if (eq >= 0) return eq + 1 < value.length ? notUrl(sliceWord(word, eq + 1)) : undefined;
  // `-o/tmp/x`: a short option with its value attached; `-la` holds no path.
  if (!value.startsWith('--') && value.length > 2 && /[/~]/.test(value)) return notUrl(sliceWord(word, 2));
  return undefined;
}

/** A URL names no local file, except a `file:` one, whose path is returned. */
function notUrl(word: Word): Word | undefined {
  const url = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(word.value);
  if (!url) return word;
  return url[1].toLowerCase() === 'file' ? sliceWord(word, url[0].length - 1) : undefined;
}
