// File readers: commands that print, count, compare or list the files they are given. Their file operands
// go through the read policy, so an allowed `cat` still cannot print `.env`.
import { directoryRead } from '../analysis';
import { has, optionTable, values } from '../options';
import { each, type CommandFamily } from '../spec';

export const FILE_READERS: CommandFamily = {
  title: 'file readers',
  kind: 'file-reader',
  commands: {
    ...each('cat', {
      operands: 'read',
      table: optionTable({
        flags: 'AbeEnstTuv',
        long: 'show-all number-nonblank show-ends number squeeze-blank show-tabs show-nonprinting',
      }),
    }),
    ...each('head', {
      operands: 'read',
      table: optionTable({
        flags: 'qvz',
        values: { n: 'value', c: 'value' },
        long: 'quiet silent verbose zero-terminated',
        longValues: { lines: 'value', bytes: 'value' },
        numeric: true,
      }),
    }),
    ...each('tail', {
      operands: 'read',
      table: optionTable({
        flags: 'qvzfF',
        values: { n: 'value', c: 'value', s: 'value' },
        long: 'quiet silent verbose zero-terminated retry',
        longValues: {
          lines: 'value',
          bytes: 'value',
          follow: 'optional',
          pid: 'value',
          'sleep-interval': 'value',
          'max-unchanged-stats': 'value',
        },
        numeric: true,
      }),
    }),
    ...each('sort', {
      operands: 'read',
      table: optionTable({
        flags: 'bdfgiMhnRrVcCmsuz',
        values: { k: 'value', t: 'value', o: 'write', S: 'value', T: 'write' },
        long:
          'ignore-leading-blanks dictionary-order ignore-case general-numeric-sort ignore-nonprinting month-sort ' +
          'human-numeric-sort numeric-sort random-sort reverse version-sort check merge stable unique ' +
          'zero-terminated debug',
        longValues: {
          key: 'value',
          'field-separator': 'value',
          output: 'write',
          'buffer-size': 'value',
          'temporary-directory': 'write',
          parallel: 'value',
          'files0-from': 'names',
          sort: 'value',
          'random-source': 'read',
          'batch-size': 'value',
          check: 'optional',
        },
        risky: { '--compress-program:': 'runs a program on temporary files' },
      }),
    }),
    ...each('uniq', {
      operands: 'other',
      table: optionTable({
        flags: 'cdDiuz',
        values: { f: 'value', s: 'value', w: 'value' },
        long: 'count repeated ignore-case unique zero-terminated',
        longValues: {
          'all-repeated': 'optional',
          group: 'optional',
          'skip-fields': 'value',
          'skip-chars': 'value',
          'check-chars': 'value',
        },
      }),
      // uniq [INPUT [OUTPUT]]: the second operand is written.
      analyse: (_args, scan, out) => {
        if (scan.operands[0]) out.reads.push(scan.operands[0]);
        for (const w of scan.operands.slice(1)) out.writes.push(w);
      },
    }),
    ...each('xxd', {
      operands: 'other',
      table: optionTable({
        flags: 'abCeEhiprRu',
        values: { c: 'value', g: 'value', l: 'value', n: 'value', o: 'value', s: 'value' },
        long: 'autoskip bits capitalize ps plain include revert',
      }),
      analyse: (_args, scan, out) => {
        if (scan.operands[0]) out.reads.push(scan.operands[0]);
        for (const w of scan.operands.slice(1)) out.writes.push(w);
      },
    }),
    ...each('diff', {
      operands: 'read',
      table: optionTable({
        flags: 'abBdeEfHiNnpqrstTuwyZ0123456789',
        values: {
          C: 'value',
          U: 'value',
          F: 'pattern',
          I: 'pattern',
          L: 'value',
          S: 'value',
          W: 'value',
          x: 'pattern',
          X: 'read',
          D: 'value',
        },
        longValues: {
          'from-file': 'read',
          'to-file': 'read',
          exclude: 'pattern',
          'exclude-from': 'read',
          label: 'value',
          'ignore-matching-lines': 'pattern',
          context: 'optional',
          unified: 'optional',
          color: 'optional',
          'starting-file': 'value',
          width: 'value',
          'show-function-line': 'pattern',
          'line-format': 'value',
          'new-line-format': 'value',
          'old-line-format': 'value',
          'unchanged-line-format': 'value',
          palette: 'value',
          tabsize: 'value',
        },
        strict: false,
      }),
      analyse: (_a, scan, out) => {
        const excluded = values(scan, '-x', '--exclude');
        if (has(scan, '-r', '--recursive')) out.directoryRead = directoryRead(false, excluded, excluded);
      },
    }),
    ...each('cmp', {
      operands: 'read',
      table: optionTable({
        flags: 'blsv',
        values: { i: 'value', n: 'value' },
        long: 'print-bytes verbose quiet silent',
        longValues: { 'ignore-initial': 'value', bytes: 'value' },
      }),
    }),
    ...each('comm', {
      operands: 'read',
      table: optionTable({
        flags: '123iz',
        long: 'check-order nocheck-order total zero-terminated',
        longValues: { 'output-delimiter': 'value' },
      }),
    }),
    ...each('strings', {
      operands: 'read',
      table: optionTable({
        flags: 'afdwsU',
        values: { n: 'value', t: 'value', e: 'value', T: 'value' },
        long: 'all data print-file-name include-all-whitespace',
        longValues: {
          bytes: 'value',
          radix: 'value',
          encoding: 'value',
          'output-separator': 'value',
          unicode: 'value',
          target: 'value',
        },
      }),
    }),
    ...each('base64 base32 basenc', {
      operands: 'read',
      table: optionTable({
        flags: 'di',
        values: { w: 'value' },
        long: 'decode ignore-garbage base64 base64url base32 base32hex base16 base2msbf base2lsbf z85',
        longValues: { wrap: 'value' },
      }),
    }),
    ...each(
      'od hexdump hd nl cut paste join fold fmt expand unexpand column pr tac rev tsort sum cksum b2sum zcat gzcat ' +
        'bzcat xzcat zstdcat lzcat du file stat',
      {
        operands: 'read',
        table: optionTable({
          values: { o: 'write', f: 'read', X: 'read' },
          longValues: {
            'files0-from': 'names',
            'exclude-from': 'read',
            'files-from': 'names',
            output: 'write',
            'magic-file': 'read',
          },
          strict: false,
        }),
      },
    ),
    ...each('wc', {
      operands: 'read',
      table: optionTable({
        flags: 'cmlLw',
        long: 'bytes chars lines max-line-length words',
        longValues: { 'files0-from': 'names', total: 'value' },
      }),
    }),
    ...each('ls dir vdir', {
      operands: 'read',
      listsNames: true,
      table: optionTable({
        values: { I: 'pattern', w: 'value', T: 'value' },
        longValues: { hide: 'pattern', ignore: 'pattern' },
        strict: false,
      }),
    }),
    ...each('tree', {
      operands: 'read',
      table: optionTable({
        values: { o: 'write', I: 'pattern', P: 'pattern', L: 'value' },
        longValues: { fromfile: 'read' },
        strict: false,
      }),
    }),
    ...each('md5sum sha1sum sha224sum sha256sum sha384sum sha512sum shasum', {
      operands: 'read',
      table: optionTable({
        flags: 'btwz',
        values: { a: 'value' },
        long: 'binary text zero tag quiet status strict warn ignore-missing',
        longValues: { algorithm: 'value' },
        risky: {
          '-c': 'reads every file named inside the checksum list',
          '--check': 'reads every file named inside the checksum list',
        },
      }),
    }),
    ...each('iconv', {
      operands: 'read',
      table: optionTable({
        flags: 'cs',
        values: { f: 'value', t: 'value', o: 'write' },
        longValues: { 'from-code': 'value', 'to-code': 'value', output: 'write' },
        long: 'list silent',
      }),
    }),
  },
};
