// git: global options that run programs or switch repositories (`-c`, `--exec-path`, `--git-dir`),
// subcommands and options that run programs (`rebase -x`, `clone -u`, `difftool`), force pushes (refused
// whatever the allow list says), and what git reads: paths after `--`, `REV:PATH`, and the tracked files
// that `git diff` or `git grep` print, limited by their pathspecs.
import { directoryRead, type Analysis, type TrackedRead } from '../analysis';
import { fileListRisk, has, optionTable, scanOptions, type Scan } from '../options';
import { sliceWord, type Word } from '../parse/words';
import { SUBCOMMAND_OFFER, type CommandFamily, type Unwrapper } from '../spec';
import { EXT_DIFF_RISK, GIT_SUBCOMMAND_TABLES } from './gitOptions';

const GIT_GLOBAL_SAFE = new Set([
  '--no-pager',
  '-P',
  '--no-optional-locks',
  '--literal-pathspecs',
  '--glob-pathspecs',
  '--noglob-pathspecs',
  '--icase-pathspecs',
  '--no-replace-objects',
  '--version',
  '--help',
  '-h',
  '--html-path',
  '--man-path',
  '--info-path',
  '--no-advice',
]);

const GIT_GLOBAL_RISKY: Record<string, string> = {
  '-c': 'sets configuration for this run (e.g. `core.pager`, `core.sshCommand`, aliases) that can run any program',
  '--config-env': 'sets configuration from the environment that can run any program',
  '--exec-path': 'runs git helpers from another directory',
  '--git-dir': 'uses another repository (with its own hooks and config)',
  '--work-tree': 'works on another directory',
  '--namespace': 'changes the ref namespace',
  '-p': 'pipes output through a pager',
  '--paginate': 'pipes output through a pager',
  '-C': 'runs in another directory',
  '--super-prefix': 'is an internal option',
  '--attr-source': 'reads attributes (which choose filters and diff drivers) from another tree',
  '--list-cmds': 'is an internal option',
};

const GIT_GLOBAL_WITH_VALUE = new Set([
  '-c',
  '--config-env',
  '--git-dir',
  '--work-tree',
  '--namespace',
  '-C',
  '--super-prefix',
  '--attr-source',
  '--list-cmds',
]);

/** Per subcommand, options that make git run a program or fetch from an attacker-chosen helper. */
const GIT_SUBCOMMAND_RISKY: Record<string, Record<string, string>> = {
  clone: {
    '-u': 'runs a program as the upload-pack helper',
    '--upload-pack': 'runs a program as the upload-pack helper',
    '-c': 'sets configuration that can run programs',
    '--config': 'sets configuration that can run programs',
    '--template': 'installs hooks from a template directory',
  },
  init: { '--template': 'installs hooks from a template directory' },
  fetch: { '--upload-pack': 'runs a program as the upload-pack helper' },
  pull: { '--upload-pack': 'runs a program as the upload-pack helper' },
  'ls-remote': {
    '-u': 'runs a program as the upload-pack helper',
    '--upload-pack': 'runs a program as the upload-pack helper',
  },
  push: {
    '--receive-pack': 'runs a program as the receive-pack helper',
    '--exec': 'runs a program as the receive-pack helper',
  },
  archive: { '--exec': 'runs a program on the remote side' },
  rebase: { '-x': 'runs a shell command after each commit', '--exec': 'runs a shell command after each commit' },
  'format-patch': EXT_DIFF_RISK,
  'range-diff': EXT_DIFF_RISK,
  'diff-index': EXT_DIFF_RISK,
  'diff-files': EXT_DIFF_RISK,
  submodule: { foreach: 'runs a shell command in every submodule' },
  bisect: { run: 'runs a shell command at every step' },
};

const GIT_RISKY_SUBCOMMANDS: Record<string, string> = {
  'filter-branch': 'runs shell commands on every commit',
  difftool: 'runs an external diff tool',
  mergetool: 'runs an external merge tool',
  daemon: 'starts a server',
  instaweb: 'starts a web server and a browser',
  'web--browse': 'starts a browser',
  'send-email': 'sends email',
  credential: 'reads stored credentials',
  'credential-store': 'reads stored credentials',
  'credential-cache': 'reads stored credentials',
  'upload-pack': 'is a transport helper',
  'receive-pack': 'is a transport helper',
  shell: 'is a restricted login shell',
  'fast-import': 'writes repository internals',
  'update-ref': 'rewrites references directly',
  hook: 'runs repository hooks',
  apply: 'writes the files the patch names, which could include protected files',
  am: 'writes the files the patches name, which could include protected files',
};

const GIT_OTHER_TABLES = new Map(
  Object.entries(GIT_SUBCOMMAND_RISKY).map(([name, risky]) => [name, optionTable({ strict: false, risky })]),
);

const GIT_ANY_TABLE = optionTable({ strict: false });

/** Subcommands that read the paths they are given (after `--`, or as `REV:PATH`). */
const READS_PATHS = new Set([
  'diff',
  'log',
  'show',
  'blame',
  'annotate',
  'grep',
  'whatchanged',
  'shortlog',
  'cat-file',
  'ls-files',
  'ls-tree',
  'diff-tree',
  'archive',
  'format-patch',
]);

/** Subcommands that rewrite or delete the working-tree files their pathspecs after `--` name. */
const WRITES_PATHS = new Set(['checkout', 'restore', 'rm', 'mv', 'clean', 'stash']);

function gitArguments(args: readonly Word[], out: Analysis): void {
  let i = 0;
  for (; i < args.length; i++) {
    const w = args[i];
    const t = w.value;
    if (w.dynamic) {
      out.dynamic = true;
      break;
    }
    if (!t.startsWith('-')) break;
    const eq = t.indexOf('=');
    const name = eq > 0 ? t.slice(0, eq) : t;
    if (GIT_GLOBAL_SAFE.has(name)) continue;
    const attachedShort = /^-[cC]./.test(t) ? t.slice(0, 2) : undefined;
    const risky =
      GIT_GLOBAL_RISKY[attachedShort ?? name] ??
      (name === '--exec-path' && eq < 0 ? undefined : GIT_GLOBAL_RISKY[name]);
    if (name === '--exec-path' && eq < 0) continue; // prints the path
    if (risky) out.risks.push({ rule: 'risky-option', reason: `\`git ${attachedShort ?? name}\` ${risky}.` });
    else out.unknown.push(name);
    if (GIT_GLOBAL_WITH_VALUE.has(name) && eq < 0 && !attachedShort) i++;
  }
  const sub = args[i];
  if (!sub) return;
  const rest = args.slice(i + 1);
  out.matchArgs = [sub, ...rest];
  out.inert.add(sub);
  const subName = sub.value;
  const riskySub = GIT_RISKY_SUBCOMMANDS[subName];
  if (riskySub) out.risks.push({ rule: 'risky-subcommand', reason: `\`git ${subName}\` ${riskySub}.` });
  const table = GIT_SUBCOMMAND_TABLES[subName] ?? GIT_OTHER_TABLES.get(subName) ?? GIT_ANY_TABLE;
  const subRisky = GIT_SUBCOMMAND_RISKY[subName];
  const scan = scanOptions(rest, table, out);
  // Operands git does not take as revisions are paths, even outside the repository (`git diff /etc/passwd
  // a.txt` compares the files), and a loose table leaves options naming files unread (`--pathspec-from-file`).
  out.opaque = true;
  // `git add --pathspec-from-file=list` stages whatever the list names (`.env`); `--pathspec-fr` abbreviates it.
  for (const w of rest) if (/^--pathspec-fr/.test(w.value)) out.risks.push(fileListRisk('--pathspec-from-file'));
  if (subName === 'grep' && !scan.values.has('-e') && !scan.values.has('-f') && scan.operands[0])
    out.inert.add(scan.operands[0]);
  if (subRisky) {
    for (const [option, reason] of Object.entries(subRisky)) {
      if (scan.seen.has(option) || scan.operands.some((w) => w.value === option))
        out.risks.push({ rule: 'risky-option', reason: `\`git ${subName} ${option}\` ${reason}.` });
    }
  }
  if (subName === 'push') gitPushChecks(scan, out);
  if (subName === 'config') {
    const reading = has(scan, '--get', '--get-all', '--get-regexp', '--get-urlmatch', '--list', '-l');
    if (!reading && scan.operands.length >= 2)
      out.risks.push({
        rule: 'git-config-write',
        reason: 'Changing git configuration can make later git commands run programs.',
      });
  }
  if (
    subName === 'clone' ||
    subName === 'fetch' ||
    subName === 'pull' ||
    subName === 'ls-remote' ||
    subName === 'submodule'
  ) {
    for (const w of scan.operands)
      if (/^(ext|fd)::/i.test(w.value) || /^-/.test(w.value))
        out.risks.push({ rule: 'risky-transport', reason: `\`${w.value}\` runs a program as the transport.` });
  }
  if (subName === 'diff' && has(scan, '--no-index')) {
    for (const w of scan.operands) out.reads.push(w);
  } else if (showsTrackedContent(subName, scan) || searchesContent(subName, scan)) {
    // `git grep PATTERN`: the first operand is the pattern unless `-e`/`-f` gave it.
    const first = subName === 'grep' && !scan.values.has('-e') && !scan.values.has('-f') ? 1 : 0;
    const { include, exclude } = trackedPathspecs(scan.operands.slice(scan.dashDash));
    const candidates = scan.operands.slice(first, scan.dashDash).filter((w) => !w.value.includes(':'));
    out.trackedRead = { include, exclude, candidates };
  }
  // `git log -L1,5:.env` prints those lines of the file: the file after the last `:` is read.
  for (const range of scan.values.get('-L') ?? []) {
    if (subName === 'blame' || subName === 'annotate') continue;
    const colon = range.value.lastIndexOf(':');
    if (range.dynamic) out.dynamic = true;
    else if (colon >= 0) out.reads.push(sliceWord(range, colon + 1));
  }
  if (subName === 'grep' && has(scan, '--no-index', '--untracked')) out.directoryRead = directoryRead(false);
  // Paths after `--` are read (diff/log/show/blame of a secret leaks it); `REV:PATH` names a file too.
  const readsPaths = READS_PATHS.has(subName);
  for (const [index, w] of scan.operands.entries()) {
    if (index >= scan.dashDash) {
      // An exclude pathspec (`':!.env'`) names what is left out: it reads nothing.
      if (EXCLUDE_PATHSPEC.test(w.value)) out.inert.add(w);
      else if (readsPaths) out.reads.push(w);
      // `git checkout -- .env` rewrites the file from the index; other pathspecs are judged as any word.
      else if (WRITES_PATHS.has(subName)) out.writes.push(w);
      continue;
    }
    const colon = w.value.indexOf(':');
    if (colon >= 0 && !w.dynamic && !/^[a-z+.-]+:\/\//i.test(w.value) && !/^[^:]*@[^:]*:/.test(w.value) && readsPaths) {
      const path = sliceWord(w, colon + 1);
      if (path.value !== '') out.reads.push(path);
    }
    if (subName === 'blame' || subName === 'annotate') out.reads.push(w);
  }
}

/** Options after which git prints names or numbers, not the content of files. */
const GIT_DIFF_NO_CONTENT = [
  '-s',
  '--no-patch',
  '--stat',
  '--shortstat',
  '--numstat',
  '--dirstat',
  '--name-only',
  '--name-status',
  '--summary',
  '--raw',
  '--quiet',
];

const GIT_GREP_NO_CONTENT = [
  '-l',
  '-L',
  '--files-with-matches',
  '--files-without-match',
  '--name-only',
  '-c',
  '--count',
  '-q',
  '--quiet',
];

const GIT_PATCH = [
  '-p',
  '-u',
  '--patch',
  '--patch-with-stat',
  '--patch-with-raw',
  '-U',
  '--unified',
  '--word-diff',
  '--color-words',
  '--full-diff',
  '--cc',
  '--binary',
];

/** `git diff`, `git grep`, `git show`, `git log -p`, `git archive`…: what they print is file content. */
function showsTrackedContent(subName: string, scan: Scan): boolean {
  switch (subName) {
    case 'grep':
      return !has(scan, ...GIT_GREP_NO_CONTENT);
    case 'show':
      // `git show REV:PATH` prints that one file, which the REV:PATH rule judges.
      if (scan.operands.length > 0 && scan.operands.slice(0, scan.dashDash).every((w) => w.value.includes(':')))
        return false;
      return !has(scan, ...GIT_DIFF_NO_CONTENT) || has(scan, ...GIT_PATCH);
    case 'diff':
      return !has(scan, ...GIT_DIFF_NO_CONTENT) || has(scan, ...GIT_PATCH);
    case 'archive':
    case 'format-patch':
      return true;
    case 'log':
    case 'whatchanged':
    case 'reflog':
    case 'diff-tree':
      return has(scan, ...GIT_PATCH);
    default:
      return false;
  }
}

/** Pickaxe searches (`-S`, `-G`) answer whether a tracked file's history holds a string: an oracle for it. */
const PICKAXE = ['-S', '-G', '--pickaxe-regex', '--find-object'];

function searchesContent(subName: string, scan: Scan): boolean {
  const logLike = ['log', 'whatchanged', 'reflog', 'diff', 'show', 'diff-tree', 'rev-list'];
  return logLike.includes(subName) && PICKAXE.some((option) => scan.seen.has(option) || scan.values.has(option));
}

const EXCLUDE_PATHSPEC = /^:(?:[!^]|\((?:[a-z,]*,)?exclude(?:,[a-z,]*)?\))/;

/** Splits pathspecs into what they include and what they exclude (`:!x`, `:^x`, `:(exclude)x`). */
function trackedPathspecs(pathspecs: readonly Word[]): TrackedRead {
  const include: Word[] = [];
  const exclude: Word[] = [];
  for (const w of pathspecs) {
    const magic = EXCLUDE_PATHSPEC.exec(w.value);
    if (magic && !w.dynamic) exclude.push(sliceWord(w, magic[0].length));
    else include.push(w);
  }
  return { include, exclude };
}

function gitPushChecks(scan: Scan, out: Analysis): void {
  const force = has(scan, '-f', '--force', '--force-with-lease', '--force-if-includes', '--mirror');
  const plusRefspec = scan.operands.slice(1).some((w) => w.value.startsWith('+'));
  if (force || plusRefspec)
    out.denies.push({
      rule: 'builtin:git-force-push',
      reason: 'A force push can overwrite history on the remote for everyone.',
    });
}

const FILTER_OPTION = /^--(tree|index|msg|commit|env|parent|tag-name)-filter$/;

/** `alias.NAME=!CODE`: an alias that git runs as shell code. */
function aliasCode(setting: Word | undefined, value?: Word): string | undefined {
  if (!setting || setting.dynamic) return undefined;
  const inline = /^alias\.[^=]+=!/i.exec(setting.value);
  if (inline) return setting.value.slice(inline[0].length);
  if (value && !value.dynamic && /^alias\./i.test(setting.value) && value.value.startsWith('!'))
    return value.value.slice(1);
  return undefined;
}

/**
 * Shell code and commands git runs: `-c alias.x='!CODE'`, `config alias.x '!CODE'` (runs later),
 * `rebase -x CODE`, `bisect run CMD`, `submodule foreach CODE`, `filter-branch --tree-filter CODE`. They
 * ask anyway; judging them too refuses what they would run that is denied.
 */
const RUNS_SHELL_CODE = new Set(['rebase', 'filter-branch', 'config', 'bisect', 'submodule']);

const runsShellCode: Unwrapper = (step) => {
  const words = step.words;
  // Most git commands run nothing: judge them as themselves straight away.
  if (!words.some((w) => /^-c/.test(w.value) || RUNS_SHELL_CODE.has(w.value))) return -1;
  step.judgeSelf();
  let i = 1;
  for (; i < words.length; i++) {
    const w = words[i];
    const t = w.value;
    if (w.dynamic || !t.startsWith('-')) break;
    const attached = /^-[cC]./.test(t);
    if (t === '-c' || (attached && t[1] === 'c')) {
      const code = aliasCode(attached ? sliceWord(w, 2) : words[++i]);
      if (code !== undefined) step.runCode(code);
      continue;
    }
    const name = t.includes('=') ? t.slice(0, t.indexOf('=')) : t;
    if (GIT_GLOBAL_WITH_VALUE.has(name) && !t.includes('=') && !attached) i++;
  }
  const sub = words[i]?.value;
  const rest = words.slice(i + 1);
  for (let j = 0; j < rest.length; j++) {
    const t = rest[j].value;
    const value = t.includes('=') ? sliceWord(rest[j], t.indexOf('=') + 1) : rest[j + 1];
    const takes =
      (sub === 'rebase' && /^(-x|--exec)(=|$)/.test(t)) ||
      (sub === 'filter-branch' && FILTER_OPTION.test(t.split('=')[0]));
    if (takes && value && !value.dynamic) step.runCode(value.value);
  }
  if (sub === 'config') {
    const operands = rest.filter((w) => !w.value.startsWith('-'));
    const code = aliasCode(operands[0], operands[1]);
    if (code !== undefined) step.runCode(code);
  }
  if (sub === 'bisect' && rest[0]?.value === 'run' && rest.length > 1)
    step.runCommand(rest.slice(1), { written: step.text, unwrapped: true });
  const foreach = rest.findIndex((w) => w.value === 'foreach');
  if (sub === 'submodule' && foreach >= 0) {
    const code = rest.slice(foreach + 1).filter((w) => !/^(--recursive|-q|--quiet)$/.test(w.value));
    if (code.length > 0 && code.every((w) => !w.dynamic)) step.runCode(code.map((w) => w.value).join(' '));
  }
  return 'done';
};

export const GIT: CommandFamily = {
  title: 'git',
  kind: 'git',
  commands: {
    git: { custom: gitArguments, unwrap: runsShellCode, offer: SUBCOMMAND_OFFER, discoversRepository: true },
  },
};
