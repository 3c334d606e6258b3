// The option tables of git's subcommands that only read: what each option takes, which print file
// content, and the few that run a program (`--ext-diff`). A subcommand without a table asks on any option.
import { optionTable, type OptionTable } from '../options';

const DIFF_OPTIONS = {
  flags: 'pusRazDW',
  values: {
    U: 'optional',
    M: 'optional',
    C: 'optional',
    B: 'optional',
    l: 'value',
    S: 'pattern',
    G: 'pattern',
    O: 'read',
  },
  long:
    'patch no-patch raw patch-with-raw patch-with-stat numstat shortstat summary name-only name-status ' +
    'full-index binary minimal patience histogram no-color color-moved-ws no-renames rename-empty no-rename-empty ' +
    'check ignore-space-at-eol ignore-space-change ignore-all-space ignore-blank-lines ignore-cr-at-eol text ' +
    'exit-code quiet no-ext-diff no-textconv textconv function-context irreversible-delete pickaxe-all ' +
    'pickaxe-regex find-copies-harder cached staged merge-base ours theirs base no-index no-prefix ' +
    'indent-heuristic no-indent-heuristic compact-summary cumulative submodule ita-invisible-in-index ' +
    'no-relative',
  longValues: {
    unified: 'value',
    stat: 'optional',
    dirstat: 'optional',
    'dirstat-by-file': 'optional',
    abbrev: 'optional',
    'find-renames': 'optional',
    'find-copies': 'optional',
    'break-rewrites': 'optional',
    'diff-filter': 'value',
    color: 'optional',
    'color-moved': 'optional',
    'word-diff': 'optional',
    'word-diff-regex': 'pattern',
    'color-words': 'optional',
    'src-prefix': 'value',
    'dst-prefix': 'value',
    'line-prefix': 'value',
    relative: 'optional',
    'inter-hunk-context': 'value',
    'diff-algorithm': 'value',
    anchored: 'value',
    'ignore-matching-lines': 'pattern',
    'ignore-submodules': 'optional',
    'stat-width': 'value',
    'stat-name-width': 'value',
    'stat-count': 'value',
    'stat-graph-width': 'value',
    'output-indicator-new': 'value',
    'output-indicator-old': 'value',
    'output-indicator-context': 'value',
    'rotate-to': 'value',
    'skip-to': 'value',
    'ws-error-highlight': 'value',
    orderfile: 'read',
    output: 'write',
  },
} as const;

const LOG_OPTIONS = {
  flags: `${DIFF_OPTIONS.flags}nimLg`,
  values: { ...DIFF_OPTIONS.values, n: 'value', L: 'value' },
  long:
    `${DIFF_OPTIONS.long} combined-all-paths oneline graph all branches tags remotes decorate no-decorate ` +
    `reverse no-merges merges first-parent abbrev-commit no-abbrev-commit relative-date follow left-right ` +
    `cherry-pick cherry-mark cherry topo-order date-order author-date-order boundary simplify-by-decoration ` +
    `full-history dense sparse simplify-merges ancestry-path parents children source log-size walk-reflogs ` +
    `invert-grep all-match regexp-ignore-case extended-regexp fixed-strings perl-regexp basic-regexp ` +
    `show-signature no-walk do-walk not stdin mailmap use-mailmap no-mailmap show-pulls bisect ` +
    `remove-empty show-linear-break notes no-notes standard-notes expand-tabs no-expand-tabs full-diff`,
  longValues: {
    ...DIFF_OPTIONS.longValues,
    'max-count': 'value',
    skip: 'value',
    since: 'value',
    after: 'value',
    until: 'value',
    before: 'value',
    'since-as-filter': 'value',
    author: 'value',
    committer: 'value',
    grep: 'pattern',
    'grep-reflog': 'pattern',
    format: 'value',
    pretty: 'optional',
    date: 'value',
    decorate: 'optional',
    'decorate-refs': 'value',
    'decorate-refs-exclude': 'value',
    encoding: 'value',
    'min-parents': 'value',
    'max-parents': 'value',
    exclude: 'pattern',
    glob: 'pattern',
    branches: 'optional',
    tags: 'optional',
    remotes: 'optional',
    'show-notes': 'optional',
    notes: 'optional',
    'expand-tabs': 'optional',
    'show-linear-break': 'optional',
    'no-walk': 'optional',
    'diff-merges': 'value',
  },
} as const;

export const EXT_DIFF_RISK = { '--ext-diff': 'runs the external diff program from the configuration' };

export const GIT_SUBCOMMAND_TABLES: Record<string, OptionTable> = {
  status: optionTable({
    flags: 'sbvz',
    values: { u: 'optional' },
    long: 'short branch long verbose null ahead-behind no-ahead-behind renames no-renames show-stash no-column',
    longValues: {
      porcelain: 'optional',
      'untracked-files': 'optional',
      'ignore-submodules': 'optional',
      ignored: 'optional',
      column: 'optional',
      'find-renames': 'optional',
    },
  }),
  log: optionTable({ ...LOG_OPTIONS, risky: EXT_DIFF_RISK, numeric: true }),
  whatchanged: optionTable({ ...LOG_OPTIONS, risky: EXT_DIFF_RISK, numeric: true }),
  shortlog: optionTable({
    ...LOG_OPTIONS,
    flags: `${LOG_OPTIONS.flags}nsec`,
    long: `${LOG_OPTIONS.long} numbered summary email committer`,
    longValues: { ...LOG_OPTIONS.longValues, group: 'value' },
    numeric: true,
  }),
  show: optionTable({ ...LOG_OPTIONS, risky: EXT_DIFF_RISK, numeric: true }),
  diff: optionTable({ ...DIFF_OPTIONS, flags: `${DIFF_OPTIONS.flags}123`, risky: EXT_DIFF_RISK }),
  'diff-tree': optionTable({
    ...DIFF_OPTIONS,
    flags: `${DIFF_OPTIONS.flags}rtmc`,
    long: `${DIFF_OPTIONS.long} root no-commit-id stdin`,
    risky: EXT_DIFF_RISK,
  }),
  blame: optionTable({
    flags: 'bclstnfpewM',
    values: { L: 'value', S: 'read', C: 'optional' },
    long:
      'root show-stats score-debug show-name show-number porcelain line-porcelain incremental show-email ' +
      'minimal progress no-progress first-parent color-lines color-by-age',
    longValues: {
      reverse: 'value',
      contents: 'read',
      date: 'value',
      encoding: 'value',
      'ignore-rev': 'value',
      'ignore-revs-file': 'read',
      abbrev: 'optional',
    },
  }),
  annotate: optionTable({
    flags: 'bclstnfpewM',
    values: { L: 'value', S: 'read', C: 'optional' },
    long: 'root porcelain incremental',
  }),
  branch: optionTable({
    flags: 'arvlq',
    long: 'all remotes verbose list show-current no-color ignore-case omit-empty quiet',
    longValues: {
      contains: 'optional',
      'no-contains': 'optional',
      merged: 'optional',
      'no-merged': 'optional',
      'points-at': 'value',
      sort: 'value',
      format: 'value',
      column: 'optional',
      color: 'optional',
      abbrev: 'optional',
    },
  }),
  // Loose (commit has many options), but its message is text and its message files are read.
  commit: optionTable({
    values: { m: 'value', F: 'read', t: 'read', C: 'value', c: 'value' },
    longValues: {
      message: 'value',
      file: 'read',
      template: 'read',
      'pathspec-from-file': 'names',
      'reuse-message': 'value',
      'reedit-message': 'value',
      fixup: 'value',
      squash: 'value',
      author: 'value',
      date: 'value',
      cleanup: 'value',
      trailer: 'value',
    },
    strict: false,
  }),
  tag: optionTable({
    flags: 'li',
    values: { n: 'optional' },
    long: 'list ignore-case omit-empty',
    longValues: {
      contains: 'optional',
      'no-contains': 'optional',
      merged: 'optional',
      'no-merged': 'optional',
      'points-at': 'value',
      sort: 'value',
      format: 'value',
      column: 'optional',
      color: 'optional',
    },
  }),
  'rev-parse': optionTable({
    flags: 'q',
    long:
      'abbrev-ref symbolic symbolic-full-name verify quiet sq show-toplevel show-prefix show-cdup git-dir ' +
      'git-common-dir absolute-git-dir is-inside-git-dir is-inside-work-tree is-bare-repository ' +
      'is-shallow-repository all branches tags remotes local-env-vars flags no-flags revs-only no-revs not ' +
      'default sq-quote show-object-format',
    longValues: {
      short: 'optional',
      'abbrev-ref': 'optional',
      default: 'value',
      prefix: 'value',
      since: 'value',
      until: 'value',
      'path-format': 'value',
      'show-object-format': 'optional',
      glob: 'pattern',
      exclude: 'pattern',
      branches: 'optional',
      tags: 'optional',
      remotes: 'optional',
      'git-path': 'value',
      'resolve-git-dir': 'read',
    },
  }),
  'ls-files': optionTable({
    flags: 'cdmoiskuvtfzx',
    values: { x: 'pattern', X: 'read' },
    long:
      'cached deleted modified others ignored stage killed unmerged directory no-empty-directory eol ' +
      'resolve-undo full-name recurse-submodules error-unmatch debug sparse deduplicate exclude-standard',
    longValues: {
      exclude: 'pattern',
      'exclude-from': 'read',
      'exclude-per-directory': 'value',
      'with-tree': 'value',
      abbrev: 'optional',
      format: 'value',
    },
  }),
  'ls-tree': optionTable({
    flags: 'drtlz',
    long: 'long name-only name-status object-only full-name full-tree',
    longValues: { abbrev: 'optional', format: 'value' },
  }),
  'cat-file': optionTable({
    flags: 'tspe',
    long: 'batch-all-objects buffer unordered allow-unknown-type follow-symlinks mailmap use-mailmap textconv filters',
    longValues: { batch: 'optional', 'batch-check': 'optional', 'batch-command': 'optional', path: 'value' },
  }),
  describe: optionTable({
    long: 'all tags contains long always first-parent exact-match debug',
    longValues: {
      abbrev: 'optional',
      candidates: 'value',
      match: 'pattern',
      exclude: 'pattern',
      dirty: 'optional',
      broken: 'optional',
    },
  }),
  reflog: optionTable({ ...LOG_OPTIONS, numeric: true }),
  'show-ref': optionTable({
    flags: 'dsq',
    long: 'head tags heads branches verify dereference quiet exists',
    longValues: { hash: 'optional', abbrev: 'optional', 'exclude-existing': 'optional' },
  }),
  'merge-base': optionTable({ flags: 'a', long: 'all octopus independent is-ancestor fork-point' }),
  grep: optionTable({
    flags: 'aiIvwlLcnhHoqzEGFPe0123456789',
    values: { e: 'pattern', f: 'read', A: 'value', B: 'value', C: 'value', m: 'value' },
    long:
      'cached no-index untracked no-exclude-standard exclude-standard recurse-submodules text textconv ' +
      'no-textconv ignore-case word-regexp invert-match full-name extended-regexp basic-regexp perl-regexp ' +
      'fixed-strings line-number column files-with-matches name-only files-without-match null count break ' +
      'heading show-function function-context quiet all-match and or not',
    longValues: {
      'max-depth': 'value',
      context: 'value',
      'after-context': 'value',
      'before-context': 'value',
      threads: 'value',
      color: 'optional',
      'max-count': 'value',
    },
    risky: {
      '-O': 'opens the matching files in a program',
      '--open-files-in-pager': 'opens the matching files in a program',
    },
    numeric: true,
  }),
  config: optionTable({
    flags: 'lz',
    values: { f: 'read' },
    long:
      'get get-all get-regexp get-urlmatch list global system local worktree name-only null show-origin ' +
      'show-scope includes no-includes bool int bool-or-int path expiry-date',
    longValues: { file: 'read', blob: 'value', type: 'value', default: 'value' },
  }),
  remote: optionTable({ flags: 'v', long: 'verbose' }),
  stash: optionTable({ ...LOG_OPTIONS, risky: EXT_DIFF_RISK, numeric: true, strict: false }),
  push: optionTable({
    flags: 'ufnqvd46',
    long:
      'force force-if-includes mirror all branches tags follow-tags no-follow-tags set-upstream delete dry-run ' +
      'porcelain prune verbose quiet atomic no-atomic no-verify verify progress no-progress thin no-thin ipv4 ipv6',
    longValues: {
      'force-with-lease': 'optional',
      'push-option': 'value',
      repo: 'value',
      'recurse-submodules': 'value',
      signed: 'optional',
    },
    risky: {
      '--receive-pack:': 'runs a program as the receive-pack helper',
      '--exec:': 'runs a program as the receive-pack helper',
    },
    strict: false,
  }),
};
