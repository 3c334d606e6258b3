// The `git diff` behind `@git`, as argument lists: the repository's own configuration must not make it run a
// program (class 13: a folder of plain files can be a git directory whose config names fsmonitor hooks, external
// diff drivers, textconv or clean filters). fsmonitor, external diffs and textconv are switched off by option;
// every filter the configuration names is overridden with an empty command, which git then skips.

const SAFE_OPTIONS = ['--no-pager', '-c', 'core.fsmonitor=false', '-c', 'core.quotePath=false'];

/** Lists the filter keys the configuration defines (`-z`: key, newline, value, NUL). */
export function filterConfigArguments(folder: string): string[] {
  return [...SAFE_OPTIONS, '-C', folder, 'config', '--null', '--get-regexp', '^filter\\.'];
}

/** The filter names in `git config --null --get-regexp` output. */
export function filterNames(stdout: string): string[] {
  const names = new Set<string>();
  for (const record of stdout.split('\0')) {
    const key = record.split('\n', 1)[0];
    const match = /^filter\.(.+)\.[^.]+$/i.exec(key);
    if (match !== null) names.add(match[1]);
  }
  return [...names];
}

function filterOverrides(filters: readonly string[]): string[] {
  return filters.flatMap((name) => ['clean', 'smudge', 'process'].flatMap((key) => ['-c', `filter.${name}.${key}=`]));
}

const DIFF_OPTIONS = ['diff', '--no-ext-diff', '--no-textconv', '--no-color'];

/** The changed files (names only: nothing of their content). */
export function diffNamesArguments(folder: string, filters: readonly string[]): string[] {
  return [...SAFE_OPTIONS, ...filterOverrides(filters), '-C', folder, ...DIFF_OPTIONS, '--name-only', '-z'];
}

/** The diff of exactly these files (`:(literal)` so a name is never read as a pathspec pattern). */
export function diffArguments(folder: string, filters: readonly string[], files: readonly string[]): string[] {
  return [
    ...SAFE_OPTIONS,
    ...filterOverrides(filters),
    '-C',
    folder,
    ...DIFF_OPTIONS,
    '--',
    ...files.map((file) => `:(literal)${file}`),
  ];
}
