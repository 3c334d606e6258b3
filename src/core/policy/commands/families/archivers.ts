// Archivers and compressors: creating an archive reads what it packs (whole directories), extracting one
// writes files whose names come from the archive, and compressing replaces a file in place.
import { directoryRead, type Analysis, type Finding } from '../analysis';
import { firstValue, has, optionTable, scanOptions, values } from '../options';
import { literalWord, type Word } from '../parse/words';
import { each, type CommandFamily } from '../spec';
import { joinWord } from './fileWriters';

const ARCHIVE_EXTRACT: Finding = {
  rule: 'archive-extract',
  reason: 'Extracting an archive writes files whose names come from the archive (they may overwrite protected files).',
};

const TAR_TABLE = optionTable({
  flags: 'cxtrudAzjJZavpkmoOPhSWGlBiMwR',
  values: {
    f: 'value',
    C: 'value',
    T: 'names',
    X: 'read',
    b: 'value',
    N: 'value',
    L: 'value',
    K: 'value',
    V: 'value',
    H: 'value',
    g: 'write',
  },
  long:
    'create extract get list append update catenate concatenate diff compare delete gzip gunzip bzip2 xz lzma ' +
    'zstd compress auto-compress verbose preserve-permissions same-permissions keep-old-files keep-newer-files ' +
    'overwrite no-overwrite-dir touch to-stdout numeric-owner no-same-owner same-owner no-same-permissions ' +
    'sparse wildcards no-wildcards anchored no-anchored recursion no-recursion dereference ignore-zeros totals ' +
    'show-transformed-names strip-trailing-slashes one-file-system exclude-vcs exclude-vcs-ignores ' +
    'exclude-backups exclude-caches null no-null verify remove-files unlink-first recursive-unlink ' +
    'skip-old-files',
  longValues: {
    file: 'value',
    directory: 'value',
    'files-from': 'names',
    'exclude-from': 'read',
    exclude: 'pattern',
    transform: 'value',
    xform: 'value',
    'strip-components': 'value',
    owner: 'value',
    group: 'value',
    mode: 'value',
    mtime: 'value',
    format: 'value',
    'listed-incremental': 'write',
    'blocking-factor': 'value',
    newer: 'value',
    'after-date': 'value',
    'newer-mtime': 'value',
    sort: 'value',
    warning: 'value',
    occurrence: 'optional',
    checkpoint: 'optional',
    label: 'value',
    'tape-length': 'value',
    'record-size': 'value',
    'hole-detection': 'value',
    'quoting-style': 'value',
    backup: 'optional',
    suffix: 'value',
  },
  risky: {
    '--to-command:': 'runs a program for every file in the archive',
    '--checkpoint-action:': 'can run a program during the run',
    '-I:': 'runs a compression program of your choosing',
    '--use-compress-program:': 'runs a compression program of your choosing',
    '-F:': 'runs a script at the end of each volume',
    '--info-script:': 'runs a script at the end of each volume',
    '--new-volume-script:': 'runs a script at the end of each volume',
    '--rsh-command:': 'runs a remote shell program',
    '--rmt-command:': 'runs a remote tape program',
    '--index-file:': 'writes a file',
    '-P': 'keeps absolute member names, so extraction can write anywhere',
    '--absolute-names': 'keeps absolute member names, so extraction can write anywhere',
  },
});

function tarCommand(argsIn: readonly Word[], out: Analysis): void {
  let args = argsIn;
  // Old-style first argument without a dash: `tar xzf a.tgz` is `tar -x -z -f a.tgz`.
  if (args[0] && !args[0].dynamic && /^[A-Za-z]+$/.test(args[0].value))
    args = [sliceWordWithPrefix(args[0]), ...args.slice(1)];
  const table = TAR_TABLE;
  const scan = scanOptions(args, table, out);
  const archive = firstValue(scan, '-f', '--file');
  const directory = firstValue(scan, '-C', '--directory');
  const extract = has(scan, '-x', '--extract', '--get');
  const create = has(
    scan,
    '-c',
    '--create',
    '-r',
    '--append',
    '-u',
    '--update',
    '-A',
    '--catenate',
    '--concatenate',
    '--delete',
  );
  if (archive && archive.value !== '-') (create ? out.writes : out.reads).push(archive);
  if (extract) {
    out.risks.push(ARCHIVE_EXTRACT);
    out.writes.push(directory ?? literalWord('.'));
    for (const w of scan.operands) out.inert.add(w);
  } else if (create) {
    if (!has(scan, '--no-recursion')) {
      const excluded = values(scan, '--exclude');
      out.directoryRead = directoryRead(false, excluded, excluded);
    }
    if (directory) {
      out.reads.push(directory);
      for (const w of scan.operands) out.reads.push(joinWord(directory, w.value));
    } else for (const w of scan.operands) out.reads.push(w);
  } else {
    for (const w of scan.operands) out.inert.add(w);
  }
}

function sliceWordWithPrefix(word: Word): Word {
  return { ...word, raw: `-${word.raw}`, value: `-${word.value}`, shape: `-${word.shape}` };
}

export const ARCHIVERS: CommandFamily = {
  title: 'archivers',
  kind: 'archiver',
  commands: {
    ...each('tar', { custom: tarCommand }),
    ...each('unzip', {
      operands: 'other',
      table: optionTable({
        flags: 'lvtzZcpfuoneaqjCKLMNsVXD',
        values: { d: 'write', x: 'pattern', P: 'value' },
        strict: false,
      }),
      analyse: (_a, scan, out) => {
        if (scan.operands[0]) out.reads.push(scan.operands[0]);
        for (const w of scan.operands.slice(1)) out.inert.add(w);
        if (!has(scan, '-l', '-t', '-v', '-z', '-Z', '-p', '-c')) {
          out.risks.push(ARCHIVE_EXTRACT);
          if (!scan.values.has('-d')) out.writes.push(literalWord('.'));
        }
      },
    }),
    ...each('zip', {
      operands: 'other',
      table: optionTable({
        flags: 'rRjJmqvTuFdDgl0123456789yXkoeASz@',
        values: { x: 'pattern', i: 'pattern', b: 'write', n: 'value', t: 'value', P: 'value', O: 'write' },
        longValues: { 'unzip-command': 'value' },
        risky: {
          '-T': 'tests the archive with a program `-TT` can choose',
          '--unzip-command:': 'runs a program',
          '-@': 'reads file names from stdin',
        },
        strict: false,
      }),
      analyse: (_a, scan, out) => {
        if (scan.operands[0]) out.writes.push(scan.operands[0]);
        for (const w of scan.operands.slice(1)) out.reads.push(w);
        if (has(scan, '-r', '-R')) out.directoryRead = directoryRead(false);
      },
    }),
    ...each('gzip gunzip bzip2 bunzip2 xz unxz zstd unzstd lz4 compress uncompress', {
      operands: 'other',
      table: optionTable({ strict: false, values: { S: 'value' }, longValues: { suffix: 'value' } }),
      // Compressing replaces the file in place unless the output goes to stdout.
      analyse: (_a, scan, out) => {
        const toStdout = has(scan, '-c', '--stdout', '--to-stdout', '-l', '--list', '-t', '--test');
        for (const w of scan.operands) (toStdout ? out.reads : out.writes).push(w);
      },
    }),
  },
};
