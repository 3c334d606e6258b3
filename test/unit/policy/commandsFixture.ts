// Shared by the commands*.test.ts suites: the real bash grammar, the real path policy over an in-memory
// file system (realpath is a Map), and a command policy with a typical allow list.
import { readFileSync } from 'node:fs';
import { loadBashGrammar, type BashParser } from '../../../src/core/policy/bashGrammar';
import { CommandPolicy, type PathJudge } from '../../../src/core/policy/commands';
import type { CommandDecision, DecisionSource } from '../../../src/core/policy/decision';
import { PathPolicy } from '../../../src/core/policy/pathPolicy';
import type { PolicyEnvironment, RuleEntry } from '../../../src/core/policy/policy';

export const WORKSPACE = '/home/dev/project';
export const HOME = '/home/dev';

export const TYPICAL_ALLOW = [
  'git status',
  'git log',
  'git diff',
  'git show',
  'ls',
  'echo',
  'npm test',
  'cat',
  'grep',
  'head',
  'sed',
  'awk',
  'find',
  'tee',
  'cp',
  'mv',
  'touch',
  'rm',
  'chmod',
  'sort',
  'wc',
  'curl',
  'tar',
  'xargs',
  'node',
  'python3',
  'bash',
  'git',
  'npm',
  'less',
  'make',
];

export function entries(values: readonly string[], source: DecisionSource = 'user'): RuleEntry[] {
  return values.map((value) => ({ value, source }));
}

export function loadParser(): Promise<BashParser> {
  return loadBashGrammar({
    treeSitter: readFileSync(require.resolve('web-tree-sitter/tree-sitter.wasm')),
    bash: readFileSync(require.resolve('tree-sitter-bash/tree-sitter-bash.wasm')),
  });
}

/** Symlinks of the fake disk: link → target. Everything else "exists" as itself inside the workspace. */
export const LINKS = new Map<string, string>([
  [`${WORKSPACE}/src/rc`, `${HOME}/.bashrc`],
  [`${WORKSPACE}/docs/secret-link`, `${WORKSPACE}/.env`],
]);

/** Names that are git revisions, not files: nothing exists under them on the fake disk. */
const REVISION_NAMES = /\/(HEAD|ORIG_HEAD|main|master|v\d[\w.]*)([~^@][^/]*)?$/;

/** What makes a folder a repository to git exists only where GIT_SHAPED says. */
const GIT_NAMES = /\/(\.git|HEAD|objects|refs)$/;
/**
 * The workspace's own `.git`, a git directory shipped as plain files in `vendor/lib`, and a repository
 * nested in `nested/`.
 */
export const GIT_SHAPED = new Set([
  `${WORKSPACE}/.git`,
  ...['HEAD', 'config', 'objects', 'refs'].map((entry) => `${WORKSPACE}/vendor/lib/${entry}`),
  `${WORKSPACE}/nested/.git`,
]);

/** The denied files that exist on the fake disk, as the adapters list them for directory-reading commands. */
export const DENIED_FILES = [
  `${WORKSPACE}/.env`,
  `${WORKSPACE}/.git/config`,
  `${WORKSPACE}/config/keys/server.pem`,
  `${WORKSPACE}/docs/secret-link`,
];

/** Of those, the ones git tracks: a key committed by mistake. */
export const TRACKED_DENIED_FILES = [`${WORKSPACE}/config/keys/server.pem`];

export function environment(): PolicyEnvironment {
  return {
    workspaceFolders: [WORKSPACE],
    homeDir: HOME,
    caseInsensitive: false,
    platform: 'posix',
    realpath: (path) =>
      LINKS.get(path) ??
      (GIT_SHAPED.has(path) ||
      ((path.startsWith(`${WORKSPACE}/`) || path === WORKSPACE) && !REVISION_NAMES.test(path) && !GIT_NAMES.test(path))
        ? path
        : undefined),
    deniedFiles: () => DENIED_FILES,
    trackedDeniedFiles: () => TRACKED_DENIED_FILES,
  };
}

export function pathPolicy(deny: readonly string[] = []): PathPolicy {
  return new PathPolicy(
    { read: entries(['**']), write: entries(['**']), deny: entries(deny), autoApproveWrites: [] },
    environment(),
  );
}

export interface PolicyOptions {
  allow?: readonly string[];
  deny?: readonly string[];
  pathDeny?: readonly string[];
  paths?: PathJudge;
}

export function commandPolicy(parser: BashParser | undefined, options: PolicyOptions = {}): CommandPolicy {
  return new CommandPolicy({
    allow: entries(options.allow ?? TYPICAL_ALLOW),
    deny: entries(options.deny ?? []),
    paths: options.paths ?? pathPolicy(options.pathDeny),
    parser,
    homeDir: HOME,
  });
}

/** One line per decision, for assertion messages. */
export function explain(d: CommandDecision): string {
  return (
    `${d.decision} (${d.rule}): ${d.reason}\n  parts: ` +
    `${d.parts.map((p) => `[${p.decision} ${p.rule}] ${p.text}`).join(' | ')}`
  );
}

/** Shell-ish token soup: fragments of every construct the grammar and bash know, glued together at random. */
export const SHELL_TOKENS = [
  ';',
  '&&',
  '||',
  '|',
  '|&',
  '&',
  '\n',
  '$(',
  ')',
  '(',
  '`',
  '"',
  "'",
  '\\',
  '{',
  '}',
  '<',
  '>',
  '>>',
  '<<',
  '<<<',
  '<(',
  '>(',
  'EOF',
  '#',
  '$X',
  '${X}',
  '$((',
  '))',
  '~',
  '*',
  '?',
  '[',
  ']',
  '[[',
  ']]',
  '!',
  '=',
  'FOO=1',
  'rm',
  '-rf',
  '/',
  'cat',
  '.env',
  'git',
  'status',
  'bash',
  '-c',
  'sh',
  'eval',
  'echo',
  'ls',
  'cd',
  'if',
  'then',
  'fi',
  'for',
  'in',
  'do',
  'done',
  'case',
  'esac',
  'function',
  'sudo',
  'env',
  'xargs',
  'find',
  '-exec',
  '\\;',
  "$'\\x72m'",
  'r""m',
  '\\\n',
  '\\ ',
  '\t',
  'while',
  'until',
  'coproc',
  'time',
  '2>&1',
  '>&',
  '&>',
  '>&-',
  ';;',
  'else',
  '-',
  '--',
  '--x',
  '-x2',
  'a',
  'x',
  ' ',
  ' ',
  ' ',
  ' ',
  ' ',
  '<&-',
  '>& -',
  '<& -',
  '>&--',
  '2>&-',
  ' - 1>&-',
  '-.env',
  '---force',
  '{fd}>',
  '3>',
  '<>',
  '>|',
  '&>>',
  '<<-',
  '"$X"',
  "'a b'",
  '\\',
  '${X:-a b}',
  '$@',
  '$?',
  '@(',
  '!(',
  '{a,b}',
  '~+',
  ':',
  'true',
  'exec',
  'command',
  'declare',
  'local',
  'let',
  'set',
  'source',
  '.',
  'trap',
  'wait',
  'printf',
  'read',
  'mapfile',
  'test',
  '=~',
  '-f',
];
