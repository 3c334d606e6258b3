// Decides whether the agent may read or write a path: canonicalise, confine to the workspace folders,
// apply the built-in secret/.git denials and the user's globs, and ask before touching protected files.
// The same decision serves the read/write tools and the files a shell command names.
import { posix } from 'node:path';
import {
  failClosed,
  type Decision,
  type DecisionSource,
  type FileOperation,
  type PathDecision,
  type Verdict,
} from './decision';
import type { ObservedEntries } from '../ports';
import type { EffectiveSettings, PolicyEnvironment, RuleEntry } from './policy';
import {
  foldLookAlikes,
  anyDepthGlobsRegex,
  canonicalGlobRegex as globRegex,
  canonicalizeLexical,
  childPath,
  matchKey,
  physicalPath,
  resolveReal,
  toSlashForm,
  type SymlinkAwareEnvironment,
} from './canonicalPath';
import { fileSystemSnapshot } from './fileSystemSnapshot';
import { protectedRuleFor } from './protectedFiles';

/** Rule ids of path decisions that are not a glob, for callers that map them (e.g. outside → ask). */
/** What makes a folder a git directory to git's discovery (with a valid `HEAD`), and the rule protecting it. */
export const GIT_DIRECTORY_ENTRIES = ['HEAD', 'config', 'objects', 'refs'];
const GIT_DIRECTORY_RULE = 'git directory';

export const PATH_RULES = {
  invalidPath: 'invalid-path',
  outsideWorkspace: 'outside-workspace',
  userInstructionFile: 'warden.instructions.files',
  notInReadGlobs: 'not-in-read-globs',
  notInWriteGlobs: 'not-in-write-globs',
  folderRoot: 'workspace-folder-root',
  hardLink: 'hard-link',
  hardLinkUnchecked: 'hard-link-unchecked',
  protectedPrefix: 'protected:',
} as const;

/**
 * Secrets and repository internals the agent may never read or write, at any depth, whatever the
 * settings say. Matched case-insensitively everywhere: on a case-insensitive disk `.ENV` is `.env`.
 */
export const BUILT_IN_DENY: ReadonlyArray<readonly [rule: string, globs: readonly string[]]> = [
  ['.env', ['**/.env']],
  ['.env.*', ['**/.env.*']],
  ['*.pem', ['**/*.pem']],
  ['*.key', ['**/*.key']],
  ['*.p12', ['**/*.p12']],
  ['*.pfx', ['**/*.pfx']],
  ['*.keystore', ['**/*.keystore', '**/*.jks']],
  ['id_rsa*', ['**/id_rsa*']],
  ['id_ed25519*', ['**/id_ed25519*']],
  ['id_ecdsa*', ['**/id_ecdsa*']],
  ['id_dsa*', ['**/id_dsa*']],
  ['.ssh/**', ['**/.ssh', '**/.ssh/**']],
  ['.aws/credentials', ['**/.aws/credentials']],
  ['.netrc', ['**/.netrc', '**/_netrc']],
  ['.git-credentials', ['**/.git-credentials']],
  ['.docker/config.json', ['**/.docker/config.json']],
  ['.kube/config', ['**/.kube/config']],
  ['credentials.json', ['**/credentials.json']],
  // Only data-file extensions: `secrets.ts` is ordinary source code that handles secrets.
  ['secrets.*', ['**/secrets.{json,yml,yaml,toml,ini,env,txt}']],
  ['.pgpass', ['**/.pgpass']],
  ['.pypirc', ['**/.pypirc']],
  ['.gnupg/**', ['**/.gnupg', '**/.gnupg/**']],
  ['*.kdbx', ['**/*.kdbx']],
  ['.htpasswd', ['**/.htpasswd']],
  ['.vault-token', ['**/.vault-token']],
  ['.my.cnf', ['**/.my.cnf']],
  ['.s3cfg', ['**/.s3cfg']],
  // Terraform state holds every secret of the infrastructure it describes, in plain text.
  ['*.tfstate', ['**/*.tfstate', '**/*.tfstate.backup']],
  // Reading .git leaks credentials in remote URLs; writing it (hooks, config) executes code later.
  ['.git/**', ['**/.git', '**/.git/**']],
];

interface CompiledGlob {
  rule: string;
  source: DecisionSource;
  /** undefined: the glob is `**`, which matches every relative path. */
  re: RegExp | undefined;
  /** The end of the reason sentence, built once (decisions are made at a high rate). */
  because: string;
}

/** A list of globs compiled once; `match` runs one combined regex for the common "no match" answer. */
class GlobSet {
  private readonly entries: CompiledGlob[];
  private readonly any: RegExp | undefined;
  private readonly matchesAll: CompiledGlob | undefined;

  constructor(entries: CompiledGlob[], nocase: boolean, any?: RegExp) {
    this.entries = entries;
    this.matchesAll = entries.find((e) => e.re === undefined);
    const sources = entries.flatMap((e) => (e.re ? [`(?:${e.re.source})`] : []));
    this.any = any ?? (sources.length > 0 ? new RegExp(sources.join('|'), nocase ? 'i' : '') : undefined);
  }

  get isEmpty(): boolean {
    return this.entries.length === 0;
  }

  match(key: string): CompiledGlob | undefined {
    // Keep the first matching entry in settings order, so the rule shown is the one the user wrote first.
    if (this.any === undefined || !this.any.test(key)) return this.matchesAll;
    for (const e of this.entries) if (e.re === undefined || e.re.test(key)) return e;
    return undefined;
  }
}

function literalRegex(text: string, nocase: boolean): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, nocase ? 'i' : '');
}

function normaliseGlob(glob: string): string {
  let g = glob.trim();
  while (g.startsWith('./')) g = g.slice(2);
  return g;
}

/** Allow-type globs (read, write, auto-approve): exactly relative to each workspace folder. */
function compileAllow(entries: readonly RuleEntry[], nocase: boolean, what: string): GlobSet {
  const compiled: CompiledGlob[] = [];
  for (const entry of entries) {
    const glob = normaliseGlob(entry.value);
    const because = ` matches the ${what} glob \`${entry.value}\`.`;
    if (glob === '**') {
      compiled.push({ rule: entry.value, source: entry.source, re: undefined, because });
      continue;
    }
    const re = globRegex(glob, nocase);
    // A glob that does not compile grants nothing (less trust, never more).
    if (re) compiled.push({ rule: entry.value, source: entry.source, re, because });
  }
  return new GlobSet(compiled, nocase);
}

/**
 * Deny globs are widened like .gitignore: a glob without `/` matches at any depth, and a match also
 * covers everything below it — a user who denies `private` means the folder's contents too.
 * A glob that does not compile matches its literal text.
 */
function compileDeny(entries: readonly RuleEntry[], nocase: boolean): GlobSet {
  const compiled: CompiledGlob[] = [];
  for (const entry of entries) {
    let glob = normaliseGlob(entry.value).replace(/\/+$/, '');
    if (glob === '') continue;
    if (!glob.includes('/')) glob = `**/${glob}`;
    for (const variant of [glob, `${glob}/**`]) {
      const re =
        variant === '**' || variant === '**/**'
          ? undefined
          : globRegex(variant, nocase) || literalRegex(variant, nocase);
      compiled.push({
        rule: entry.value,
        source: entry.source,
        re,
        because: ` matches the deny glob \`${entry.value}\` (warden.permissions.deny).`,
      });
    }
  }
  return new GlobSet(compiled, nocase);
}

function compileBuiltInDeny(): GlobSet {
  const compiled: CompiledGlob[] = [];
  for (const [rule, globs] of BUILT_IN_DENY) {
    for (const glob of globs) {
      const re = globRegex(glob, true);
      if (re === false) throw new Error(`built-in deny glob does not compile: ${glob}`);
      compiled.push({
        rule,
        source: 'built-in',
        re,
        because: ` is a secret or repository-internal file (built-in rule \`${rule}\`).`,
      });
    }
  }
  return new GlobSet(
    compiled,
    true,
    anyDepthGlobsRegex(
      BUILT_IN_DENY.flatMap(([, globs]) => globs),
      true,
    ),
  );
}

// Compiled on the first decision, not when the module loads: activation loads it but decides nothing.
let builtInDeny: GlobSet | undefined;

interface Folder {
  path: string;
  /** `path` + '/', lower-cased when matching is case-insensitive. */
  prefix: string;
}

interface Location {
  folder: string;
  relative: string;
}

const NO_LOCATIONS: Location[] = [];

function quote(path: string): string {
  const shown = path.length > 200 ? `${path.slice(0, 200)}…` : path;
  return `\`${shown}\``;
}

export class PathPolicy {
  private readonly folders: Folder[];
  private readonly caseInsensitive: boolean;
  private readonly read: GlobSet;
  private readonly write: GlobSet;
  private readonly deny: GlobSet;
  private readonly autoApprove: GlobSet;
  /** During `decideAll`: what the snapshot said about each folder, by folder (see insideGitDirectory). */
  private batch: { insideGit: Map<string, boolean>; gitEntries: Map<string, string[]> } | undefined;

  constructor(
    settings: Pick<EffectiveSettings, 'read' | 'write' | 'deny' | 'autoApproveWrites'>,
    /** Give it `readlink` too (see SymlinkAwareEnvironment) so dangling symlinks are followed. */
    private env: PolicyEnvironment | SymlinkAwareEnvironment,
  ) {
    this.caseInsensitive = env.caseInsensitive;
    const nocase = env.caseInsensitive;
    this.read = compileAllow(settings.read, nocase, 'read');
    this.write = compileAllow(settings.write, nocase, 'write');
    this.autoApprove = compileAllow(settings.autoApproveWrites, nocase, 'auto-approve');
    this.deny = compileDeny(settings.deny, nocase);
    // Innermost folder first, so a nested folder's globs apply to its own files.
    this.folders = env.workspaceFolders
      .map((f) => toSlashForm(f, env.platform))
      .sort((a, b) => b.length - a.length)
      .map((path) => {
        const prefix = path.endsWith('/') ? path : `${path}/`;
        return { path, prefix: nocase ? prefix.toLowerCase() : prefix };
      });
  }

  /**
   * `requested` may be absolute, `~`-relative, or relative to `baseDir` (a command's cwd), else to the
   * first workspace folder. Never throws: a failing check denies.
   */
  decide(op: FileOperation, requested: string, baseDir?: string): PathDecision {
    try {
      return this.decideOrThrow(op, requested, baseDir);
    } catch (error) {
      return { ...failClosed(error), op, requested, protected: false };
    }
  }

  /**
   * Each path decided exactly as `decide` would, against one snapshot of the file system taken during the
   * call: what a folder resolves to, or whether it holds `HEAD`, is asked once for all the paths below it.
   */
  decideAll(
    op: FileOperation,
    requested: readonly string[],
    baseDir?: string,
    observed?: ObservedEntries,
  ): PathDecision[] {
    const live = this.env;
    this.env = fileSystemSnapshot(live, observed);
    this.batch = { insideGit: new Map(), gitEntries: new Map() };
    try {
      return requested.map((path) => this.decide(op, path, baseDir));
    } finally {
      this.env = live;
      this.batch = undefined;
    }
  }

  /**
   * A file the user named in their own user settings (an instruction file), which may lie outside the workspace:
   * there the user's naming it allows the read, but the built-in secret denials and the user's deny globs still
   * hold, on the requested and the resolved path (`~/notes/rules.md` → `~/.ssh/config` is denied). A path inside
   * a workspace folder, requested or resolved, gets the ordinary read decision. Never throws.
   */
  decideUserFile(requested: string, baseDir?: string): PathDecision {
    try {
      const lexical = canonicalizeLexical(requested, this.env, baseDir);
      if (!lexical.ok) return verdict('deny', PATH_RULES.invalidPath, 'built-in', lexical.reason, 'read', requested);
      if (this.locateAll(lexical.lexical).length > 0) return this.decideOrThrow('read', requested, baseDir);
      const resolved = resolveReal(lexical.lexical, this.env);
      for (const path of resolved === lexical.lexical ? [resolved] : [lexical.lexical, resolved]) {
        // Absolute paths as keys: the denials match at any depth (`**/.ssh/**`), so they hold outside too.
        const key = matchKey(path.replace(/^\/+/, ''));
        const denied = this.denyFor(key);
        if (denied !== undefined) {
          const named = denied.reason.startsWith(quote(key))
            ? quote(path) + denied.reason.slice(quote(key).length)
            : denied.reason;
          const reason = path === lexical.lexical ? named : `${quote(requested)} resolves to ${named}`;
          return verdict('deny', denied.rule, denied.source, reason, 'read', requested, resolved);
        }
      }
      if (this.locateAll(resolved).length > 0) {
        const inside = this.decideOrThrow('read', resolved, undefined);
        return { ...inside, requested };
      }
      const reason = `${quote(requested)} is named in your user settings (warden.instructions.files).`;
      return verdict('allow', PATH_RULES.userInstructionFile, 'user', reason, 'read', requested, resolved);
    } catch (error) {
      return { ...failClosed(error), op: 'read', requested, protected: false };
    }
  }

  /**
   * Where a program opening `requested` from `baseDir` lands when a `..` in either follows a symlink: the path
   * `physicalPath` gives, when it differs from the lexical one; undefined otherwise (and when the walk fails, as
   * the open would).
   */
  physicalPath(requested: string, baseDir?: string): string | undefined {
    try {
      const physical = physicalPath(requested, this.env, baseDir);
      if (!physical.ok) return undefined;
      const lexical = canonicalizeLexical(requested, this.env, baseDir);
      return lexical.ok && lexical.lexical === physical.lexical ? undefined : physical.lexical;
    } catch {
      return undefined;
    }
  }

  exists(absolute: string): boolean {
    try {
      return this.env.realpath(absolute) !== undefined;
    } catch {
      return false;
    }
  }

  /** The deny rule (built-in first, then settings) covering a workspace-relative path, if any. */
  isDenied(relativePath: string): Decision | undefined {
    const normal = posix.normalize(relativePath.replace(/\\/g, '/')).replace(/^\.\/|\/$/g, '');
    if (normal === '..' || normal.startsWith('../') || normal.startsWith('/')) {
      return {
        decision: 'deny',
        rule: PATH_RULES.outsideWorkspace,
        source: 'built-in',
        reason: `${quote(relativePath)} is not inside a workspace folder.`,
      };
    }
    return this.denyFor(matchKey(normal === '.' ? '' : normal));
  }

  /**
   * Whether a read of this existing file (absolute) is denied by its name alone: deny globs, read globs,
   * outside every folder. No disk access, so a listing of a whole workspace can be sorted quickly; the
   * caller runs `decide` for symlinks, whose target decides.
   */
  deniesByName(absolute: string): boolean {
    try {
      const at = this.locateAll(toSlashForm(absolute, this.env.platform));
      if (at.length === 0) return true;
      return at.some(({ relative }) => {
        const key = matchKey(relative);
        return this.denyFor(key) !== undefined || this.read.match(key) === undefined;
      });
    } catch {
      return true;
    }
  }

  /**
   * The known denied files strictly inside `dir` (absolute), or only those git tracks, as paths relative
   * to it; undefined while the environment does not know them.
   */
  deniedFilesUnder(dir: string, tracked = false): string[] | undefined {
    const known = tracked ? this.env.trackedDeniedFiles?.() : this.env.deniedFiles?.();
    if (known === undefined) return undefined;
    const base = toSlashForm(dir, this.env.platform).replace(/\/+$/, '');
    const prefix = this.caseInsensitive ? `${base.toLowerCase()}/` : `${base}/`;
    const inside: string[] = [];
    for (const file of known) {
      const path = toSlashForm(file, this.env.platform);
      if ((this.caseInsensitive ? path.toLowerCase() : path).startsWith(prefix)) inside.push(path.slice(prefix.length));
    }
    return inside;
  }

  /**
   * True only for an allowed, unprotected write whose path — requested and resolved — matches an
   * auto-approve glob. Re-checks rather than trusting the decision's flags alone.
   */
  autoApproves(decision: PathDecision): boolean {
    try {
      if (decision.decision !== 'allow' || decision.op !== 'write' || decision.protected) return false;
      if (decision.relative === undefined || decision.resolved === undefined || this.autoApprove.isEmpty) return false;
      const resolvedAt = this.locateAll(toSlashForm(decision.resolved, this.env.platform));
      if (resolvedAt.length === 0) return false;
      for (const key of [matchKey(decision.relative), matchKey(resolvedAt[0].relative)]) {
        if (protectedRuleFor(key, this.caseInsensitive) !== undefined) return false;
        if (this.denyFor(key) !== undefined) return false;
        if (this.autoApprove.match(key) === undefined) return false;
      }
      return true;
    } catch {
      return false;
    }
  }

  private decideOrThrow(op: FileOperation, requested: string, baseDir: string | undefined): PathDecision {
    const lexical = canonicalizeLexical(requested, this.env, baseDir);
    if (!lexical.ok) return verdict('deny', PATH_RULES.invalidPath, 'built-in', lexical.reason, op, requested);

    const lexicalAt = this.locateAll(lexical.lexical);
    if (lexicalAt.length === 0) {
      const reason = `${quote(requested)} is outside every workspace folder.`;
      return verdict('deny', PATH_RULES.outsideWorkspace, 'built-in', reason, op, requested, lexical.lexical);
    }
    // Only now touch the file system: a path outside the workspace is never resolved.
    const resolved = resolveReal(lexical.lexical, this.env);
    const resolvedAt = resolved === lexical.lexical ? lexicalAt : this.locateAll(resolved);
    if (resolvedAt.length === 0) {
      // A symlink (leaf or parent directory) inside the workspace pointing out of it.
      const reason = `${quote(requested)} resolves to ${quote(resolved)}, outside every workspace folder.`;
      return verdict('deny', PATH_RULES.outsideWorkspace, 'built-in', reason, op, requested, resolved);
    }

    const { relative, folder } = lexicalAt[0];
    const lexicalKey = matchKey(relative);
    const resolvedKey = resolvedAt === lexicalAt ? lexicalKey : matchKey(resolvedAt[0].relative);
    const keys = this.allKeys(lexicalAt, resolvedAt, lexicalKey, resolvedKey);

    for (const key of keys) {
      const denied = this.denyFor(key);
      if (denied)
        return verdict('deny', denied.rule, denied.source, denied.reason, op, requested, resolved, relative, folder);
    }
    // Another name of a denied file on disk: no symlink to resolve, the same content (read or written).
    const link = this.env.hardLinkedDeniedFile?.(resolved);
    if (link !== undefined) {
      const linked = this.hardLinkVerdict(link, op, requested, resolved, relative, folder);
      if (linked) return linked;
    }

    if (op === 'write' && lexicalKey === '') {
      return verdict(
        'deny',
        PATH_RULES.folderRoot,
        'built-in',
        'A workspace folder itself cannot be written as a file.',
        op,
        requested,
        resolved,
        relative,
        folder,
      );
    }

    const allow = op === 'read' ? this.read : this.write;
    const allowed = allow.match(lexicalKey);
    const allowedResolved = resolvedKey === lexicalKey ? allowed : allow.match(resolvedKey);
    if (!allowed || !allowedResolved) {
      const rule = op === 'read' ? PATH_RULES.notInReadGlobs : PATH_RULES.notInWriteGlobs;
      const what = allowed ? `${quote(requested)} resolves to ${quote(resolvedKey)}, which` : quote(lexicalKey);
      const reason = `${what} matches none of the ${op} globs (warden.permissions.${op}).`;
      return verdict('deny', rule, 'user', reason, op, requested, resolved, relative, folder);
    }

    let protectedRule: string | undefined;
    for (const key of keys) {
      protectedRule = protectedRuleFor(key, this.caseInsensitive);
      if (protectedRule !== undefined) break;
    }
    if (protectedRule === undefined && op === 'write' && this.insideGitDirectory(folder, relative))
      protectedRule = GIT_DIRECTORY_RULE;
    if (protectedRule !== undefined && op === 'write') {
      const reason =
        `${quote(lexicalKey)} is a protected file (${protectedRule}): changing it can change what ` +
        `runs later or how the agent behaves, so it always needs your approval.`;
      return verdict(
        'ask',
        PATH_RULES.protectedPrefix + protectedRule,
        'built-in',
        reason,
        op,
        requested,
        resolved,
        relative,
        folder,
        true,
      );
    }
    const reason = quote(lexicalKey) + allowed.because;
    return verdict(
      'allow',
      allowed.rule,
      allowed.source,
      reason,
      op,
      requested,
      resolved,
      relative,
      folder,
      protectedRule !== undefined,
    );
  }

  private hardLinkVerdict(
    link: { deniedFile: string } | 'unknown',
    op: FileOperation,
    requested: string,
    resolved: string,
    relative: string,
    folder: string,
  ): PathDecision | undefined {
    if (link === 'unknown') {
      const reason =
        `${quote(requested)} has more than one name on disk (a hard link), and Warden has not yet listed the ` +
        `denied files it could be another name of.`;
      return verdict(
        'ask',
        PATH_RULES.hardLinkUnchecked,
        'built-in',
        reason,
        op,
        requested,
        resolved,
        relative,
        folder,
      );
    }
    // The index may be stale: the other name counts only while the policy still denies it.
    const target = this.decideOrThrow('read', link.deniedFile, undefined);
    if (target.decision !== 'deny') return undefined;
    const reason =
      `${quote(requested)} is a hard link to ${quote(target.relative ?? link.deniedFile)} (the same file on disk), ` +
      `which is denied: ${target.reason}`;
    return verdict('deny', PATH_RULES.hardLink, 'built-in', reason, op, requested, resolved, relative, folder);
  }

  /**
   * Whether `relative` lies in a folder shaped like a git directory (two of `HEAD`, `config`, `objects`,
   * `refs`, counting the one being written): git run there reads that `config`, whose `core.fsmonitor`,
   * hooks or filters run code, although the folder was shipped as plain files.
   */
  private insideGitDirectory(folder: string, relative: string): boolean {
    const cut = relative.lastIndexOf('/');
    const parent = cut < 0 ? '' : relative.slice(0, cut);
    if (this.gitShaped(childPath(folder, parent), relative.slice(cut + 1))) return true;
    // The folders above are checked for the parent exactly as for this path: in a batch, once per folder.
    if (parent === '') return false;
    const key = `${folder}\0${parent}`;
    let above = this.batch?.insideGit.get(key);
    if (above === undefined) {
      above = this.insideGitDirectory(folder, parent);
      this.batch?.insideGit.set(key, above);
    }
    return above;
  }

  /** Whether `dir` holds two of the git-directory entries once `written` is there. */
  private gitShaped(dir: string, written: string): boolean {
    let found = GIT_DIRECTORY_ENTRIES.includes(written) ? 1 : 0;
    const present = this.batch === undefined ? undefined : this.gitEntriesIn(dir, this.batch.gitEntries);
    for (const entry of GIT_DIRECTORY_ENTRIES) {
      if (entry === written) continue;
      if (present ? present.includes(entry) : this.exists(childPath(dir, entry))) found++;
      if (found >= 2) return true;
    }
    return false;
  }

  private gitEntriesIn(dir: string, known: Map<string, string[]>): string[] {
    let present = known.get(dir);
    if (present === undefined) {
      present = GIT_DIRECTORY_ENTRIES.filter((entry) => this.exists(childPath(dir, entry)));
      known.set(dir, present);
    }
    return present;
  }

  private denyFor(key: string): Decision | undefined {
    const denied = (builtInDeny ??= compileBuiltInDeny()).match(key) ?? this.deny.match(key);
    if (denied)
      return { decision: 'deny', rule: denied.rule, source: denied.source, reason: quote(key) + denied.because };
    // `.еnv` (Cyrillic е), `.%65nv`: the same name to a reader that decodes or a person who reads it.
    const folded = foldLookAlikes(key);
    const alike = folded === key ? undefined : builtInDeny.match(folded);
    if (!alike) return undefined;
    return {
      decision: 'deny',
      rule: alike.rule,
      source: alike.source,
      reason:
        `${quote(key)} reads as ${quote(folded)} once decoded or its look-alike letters are read as Latin:` +
        alike.because,
    };
  }

  /** Every containing folder's relative path is checked for denials, so nesting folders cannot dodge one. */
  private allKeys(lexicalAt: Location[], resolvedAt: Location[], lexicalKey: string, resolvedKey: string): string[] {
    if (lexicalAt.length === 1 && resolvedAt.length === 1)
      return lexicalKey === resolvedKey ? [lexicalKey] : [lexicalKey, resolvedKey];
    const keys = new Set<string>([lexicalKey, resolvedKey]);
    for (const at of lexicalAt) keys.add(matchKey(at.relative));
    for (const at of resolvedAt) keys.add(matchKey(at.relative));
    return [...keys];
  }

  /** Workspace folders containing an absolute '/'-form path, innermost first, with the relative path. */
  private locateAll(absolute: string): Location[] {
    const probe = this.caseInsensitive ? absolute.toLowerCase() : absolute;
    let found: Location[] | undefined;
    for (const folder of this.folders) {
      let relative: string | undefined;
      if (probe.length + 1 === folder.prefix.length && folder.prefix.startsWith(probe)) relative = '';
      else if (probe.startsWith(folder.prefix)) relative = absolute.slice(folder.prefix.length);
      if (relative === undefined) continue;
      (found ??= []).push({ folder: folder.path, relative });
    }
    return found ?? NO_LOCATIONS;
  }
}

function verdict(
  decision: Verdict,
  rule: string,
  source: DecisionSource,
  reason: string,
  op: FileOperation,
  requested: string,
  resolved?: string,
  relative?: string,
  folder?: string,
  isProtected = false,
): PathDecision {
  return { decision, rule, source, reason, op, requested, resolved, relative, folder, protected: isProtected };
}
