// How the adapters and policy-cli ask git which files it tracks: one argument list and one reading of its
// output, so both list the same files under the same safety settings.

/** `git ls-files` of the index under `folder`. Repository config cannot make it run a program: fsmonitor is off. */
export function lsFilesArguments(folder: string): string[] {
  return ['-c', 'core.fsmonitor=false', '-C', folder, 'ls-files', '-z', '--cached'];
}

/** git's exit status outside a repository (or in one it refuses to use, where git commands fail too). */
export const NOT_A_REPOSITORY = 128;

/** The '/'-separated paths, relative to the folder, that `ls-files -z` printed. */
export function lsFilesPaths(stdout: string): string[] {
  return stdout.split('\0').filter((line) => line !== '');
}
