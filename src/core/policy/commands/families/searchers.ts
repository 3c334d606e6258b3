// Searchers: grep, rg and ag read whole directories when recursive. Their patterns are plain text, their
// paths are read, and the files they skip by their own filters are honoured when a directory is judged.
import { directoryRead, type Analysis, type DirectoryRead } from '../analysis';
import { has, optionTable, values, type Scan } from '../options';
import { literalWord, sliceWord } from '../parse/words';
import { each, type CommandFamily } from '../spec';

const GREP_TABLE = optionTable({
  flags: 'EFGPivwxyclLoqsbHhnTZzrRaIUV',
  values: { e: 'pattern', f: 'read', m: 'value', A: 'value', B: 'value', C: 'value', d: 'value', D: 'value' },
  long:
    'extended-regexp fixed-strings basic-regexp perl-regexp ignore-case no-ignore-case word-regexp line-regexp ' +
    'count files-with-matches files-without-match only-matching quiet silent byte-offset with-filename no-filename ' +
    'line-number initial-tab null null-data recursive dereference-recursive text no-messages invert-match ' +
    'version help line-buffered no-group-separator',
  longValues: {
    regexp: 'pattern',
    file: 'read',
    'max-count': 'value',
    label: 'value',
    include: 'pattern',
    exclude: 'pattern',
    'exclude-from': 'read',
    'exclude-dir': 'pattern',
    context: 'value',
    'after-context': 'value',
    'before-context': 'value',
    color: 'optional',
    colour: 'optional',
    devices: 'value',
    directories: 'value',
    'binary-files': 'value',
    'group-separator': 'value',
  },
  numeric: true,
});

function recursiveSearchDefault(scan: Scan, out: Analysis, directoryRead: DirectoryRead | undefined): void {
  if (!directoryRead) return;
  out.directoryRead = directoryRead;
  // `grep -r KEY` with no path searches the current directory.
  if (out.reads.length === 0) out.reads.push(literalWord('.'));
}

function grepDirectoryRead(scan: Scan): DirectoryRead | undefined {
  const recurse = values(scan, '-d', '--directories').some((w) => w.value === 'recurse');
  if (!recurse && !has(scan, '-r', '-R', '--recursive', '--dereference-recursive')) return undefined;
  return {
    skipHidden: false,
    skipFiles: values(scan, '--exclude'),
    skipDirs: values(scan, '--exclude-dir'),
    onlyFiles: values(scan, '--include'),
    // `-r` follows only the links named on the command line; `-R` follows every one.
    skipLinks: !has(scan, '-R', '--dereference-recursive'),
  };
}

/** rg's `-g '!x'` skips files and directories, `-g x` keeps only matching files. */
function ripgrepDirectoryRead(scan: Scan): DirectoryRead {
  const globs = values(scan, '-g', '--glob', '--iglob');
  const skips = globs.filter((w) => w.value.startsWith('!')).map((w) => sliceWord(w, 1));
  const only = globs.filter((w) => !w.value.startsWith('!'));
  return {
    ...directoryRead(!has(scan, '--hidden', '-.', '-u', '--unrestricted'), skips, skips, only),
    skipLinks: !has(scan, '-L', '--follow'),
  };
}

export const SEARCHERS: CommandFamily = {
  title: 'searchers',
  kind: 'file-reader',
  commands: {
    ...each('grep egrep fgrep zgrep zegrep zfgrep', {
      operands: 'pattern-then-read',
      table: GREP_TABLE,
      analyse: (_args, scan, out) => recursiveSearchDefault(scan, out, grepDirectoryRead(scan)),
    }),
    ...each('rg', {
      operands: 'pattern-then-read',
      table: optionTable({
        flags: 'iIsSwxvclnNHoqLuzpF0.abU',
        values: {
          e: 'pattern',
          f: 'read',
          g: 'pattern',
          t: 'value',
          T: 'value',
          m: 'value',
          A: 'value',
          B: 'value',
          C: 'value',
          M: 'value',
          r: 'value',
          E: 'value',
          j: 'value',
          d: 'value',
        },
        long:
          'hidden no-hidden no-ignore no-ignore-vcs no-ignore-dot no-ignore-parent follow files files-with-matches ' +
          'files-without-match count count-matches json line-number no-line-number heading no-heading smart-case ' +
          'case-sensitive ignore-case fixed-strings word-regexp line-regexp vimgrep trim stats multiline pcre2 ' +
          'only-matching null no-messages unrestricted text binary invert-match with-filename no-filename column ' +
          'no-column byte-offset quiet search-zip crlf passthru no-config one-file-system sort-files type-list debug',
        longValues: {
          regexp: 'pattern',
          file: 'read',
          glob: 'pattern',
          iglob: 'pattern',
          type: 'value',
          'type-not': 'value',
          'max-depth': 'value',
          color: 'value',
          colors: 'value',
          sort: 'value',
          sortr: 'value',
          context: 'value',
          'after-context': 'value',
          'before-context': 'value',
          'max-count': 'value',
          'max-filesize': 'value',
          replace: 'value',
          threads: 'value',
          'max-columns': 'value',
          encoding: 'value',
          'ignore-file': 'read',
          'path-separator': 'value',
          'context-separator': 'value',
        },
        risky: {
          '--pre:': 'runs a program on every file searched',
          '--pre-glob:': 'selects files for a `--pre` program',
          '--hostname-bin:': 'runs a program',
        },
      }),
      // rg searches the current directory when no path is given.
      analyse: (_args, scan, out) => recursiveSearchDefault(scan, out, ripgrepDirectoryRead(scan)),
    }),
    ...each('ag', {
      operands: 'pattern-then-read',
      table: optionTable({
        flags: 'aiIsSwvclLnoQfGuUtz0',
        values: { A: 'value', B: 'value', C: 'value', m: 'value', p: 'read', g: 'pattern', G: 'pattern' },
        long:
          'hidden follow count literal case-sensitive ignore-case smart-case word-regexp invert-match ' +
          'files-with-matches files-without-matches nocolor color noheading heading column numbers nonumbers ' +
          'unrestricted skip-vcs-ignores search-zip silent stats vimgrep',
        longValues: {
          ignore: 'pattern',
          'ignore-dir': 'pattern',
          depth: 'value',
          context: 'value',
          'max-count': 'value',
          path: 'read',
          'file-search-regex': 'pattern',
        },
        risky: { '--pager:': 'runs a program on the output' },
      }),
      analyse: (_args, scan, out) => {
        const ignored = values(scan, '--ignore', '--ignore-dir');
        recursiveSearchDefault(scan, out, {
          ...directoryRead(!has(scan, '--hidden', '-u', '--unrestricted'), ignored, ignored),
          skipLinks: !has(scan, '-f', '--follow'),
        });
      },
    }),
  },
};
