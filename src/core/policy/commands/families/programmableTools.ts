// Tools whose arguments form a small program: a sed script, an awk program, a find expression. The
// program is read, not pattern-matched: the parts that run commands (`sed e`, awk's `system()`,
// `find -exec`) or touch other files ask, and the command `find -exec` runs is judged as a command.
import { backupSuffixes, type Analysis, type RuleContext } from '../analysis';
import { fileListRisk, has, optionTable, scanOptions, values } from '../options';
import { literalWord, runtimeWord, type Word } from '../parse/words';
import { each, type CommandFamily, type Unwrapper } from '../spec';
import { criticalTarget } from '../systemPaths';
import { ask } from '../verdicts';

/**
 * A sed script is allowed only when every command in it is a known harmless one. `e` (and the `e` flag
 * of `s`) runs shell commands, `w`/`W` write files, `r`/`R` read them: those, and anything this parser
 * does not recognise, make the command ask.
 */
export function sedScriptRisk(script: string): string | undefined {
  let i = 0;
  const n = script.length;
  const delimited = (): boolean => {
    const delimiter = script[i++];
    if (delimiter === undefined || delimiter === '\\' || delimiter === '\n') return false;
    while (i < n && script[i] !== delimiter) {
      if (script[i] === '\\') i++;
      i++;
    }
    if (i >= n) return false;
    i++;
    return true;
  };
  const address = (): boolean => {
    if (script[i] === '$') i++;
    else if (/[0-9]/.test(script[i] ?? '')) {
      while (/[0-9]/.test(script[i] ?? '')) i++;
      if (script[i] === '~') {
        i++;
        while (/[0-9]/.test(script[i] ?? '')) i++;
      }
    } else if (script[i] === '/') {
      if (!delimited()) return false;
      while (script[i] === 'I' || script[i] === 'M') i++;
    } else if (script[i] === '\\') {
      i++;
      if (!delimited()) return false;
      while (script[i] === 'I' || script[i] === 'M') i++;
    }
    return true;
  };
  while (true) {
    while (i < n && /[\s;]/.test(script[i])) i++;
    if (i >= n) return undefined;
    if (script[i] === '#') {
      while (i < n && script[i] !== '\n') i++;
      continue;
    }
    if (!address()) return 'an address that does not parse';
    if (script[i] === ',') {
      i++;
      if (script[i] === '+' || script[i] === '~') {
        i++;
        while (/[0-9]/.test(script[i] ?? '')) i++;
      } else if (!address()) return 'an address that does not parse';
    }
    while (script[i] === ' ' || script[i] === '\t') i++;
    if (script[i] === '!') i++;
    while (script[i] === ' ' || script[i] === '\t') i++;
    const c = script[i++];
    if (c === '{') continue; // a block: its first command may follow directly
    switch (c) {
      case '}':
      case '=':
      case 'd':
      case 'D':
      case 'g':
      case 'G':
      case 'h':
      case 'H':
      case 'x':
      case 'n':
      case 'N':
      case 'p':
      case 'P':
      case 'z':
      case 'F':
        break;
      case 'l':
      case 'q':
      case 'Q':
      case 'L':
        while (script[i] === ' ') i++;
        while (/[0-9]/.test(script[i] ?? '')) i++;
        break;
      case ':':
      case 'b':
      case 't':
      case 'T':
        while (i < n && script[i] !== '\n' && script[i] !== ';' && script[i] !== '}') i++;
        break;
      case 'a':
      case 'i':
      case 'c':
        // Text up to the end of the line (a trailing backslash continues it).
        while (i < n && script[i] !== '\n') {
          if (script[i] === '\\') i++;
          i++;
        }
        break;
      case 'y':
        if (!delimited()) return 'a `y` command that does not parse';
        i--;
        if (!delimited()) return 'a `y` command that does not parse';
        break;
      case 's': {
        if (!delimited()) return 'an `s` command that does not parse';
        i--;
        if (!delimited()) return 'an `s` command that does not parse';
        while (i < n && /[gpiImM0-9ew]/.test(script[i])) {
          if (script[i] === 'e') return 'the `e` flag of `s` runs the result as a shell command';
          if (script[i] === 'w') return 'the `w` flag of `s` writes a file';
          i++;
        }
        break;
      }
      case 'e':
        return 'the `e` command runs shell commands';
      case 'w':
      case 'W':
        return `the \`${c}\` command writes a file`;
      case 'r':
      case 'R':
        return `the \`${c}\` command reads a file`;
      default:
        return c === undefined ? 'an incomplete command' : `the unrecognised command \`${c}\``;
    }
    while (script[i] === ' ' || script[i] === '\t') i++;
    if (i < n && !/[;\n}#]/.test(script[i])) return 'text after a command that does not parse';
  }
}

const SED_TABLE = optionTable({
  flags: 'nErsuzb',
  values: { e: 'pattern', f: 'read', l: 'value', i: 'optional' },
  long: 'quiet silent regexp-extended separate unbuffered null-data posix debug sandbox follow-symlinks binary',
  longValues: { expression: 'pattern', file: 'read', 'line-length': 'value', 'in-place': 'optional' },
});

function sedArguments(args: readonly Word[], out: Analysis): void {
  const scan = scanOptions(args, SED_TABLE, out);
  const scripts = [...(scan.values.get('-e') ?? []), ...(scan.values.get('--expression') ?? [])];
  let files = scan.operands;
  if (scripts.length === 0 && !scan.values.has('-f') && !scan.values.has('--file')) {
    if (files[0]) scripts.push(files[0]);
    files = files.slice(1);
  }
  if (scan.values.has('-f') || scan.values.has('--file'))
    out.risks.push({ rule: 'script-file', reason: 'A sed script read from a file cannot be checked.' });
  for (const script of scripts) {
    out.inert.add(script);
    if (script.dynamic) {
      out.risks.push({ rule: 'dynamic-script', reason: 'The sed script is only known at run time.' });
      continue;
    }
    const risk = sedScriptRisk(script.value);
    if (risk)
      out.risks.push({ rule: 'sed-script', reason: `The sed script cannot be approved automatically: ${risk}.` });
  }
  const inPlace = has(scan, '-i', '--in-place');
  backupSuffixes(values(scan, '-i', '--in-place'), out);
  for (const w of files) (inPlace ? out.writes : out.reads).push(w);
  if (inPlace) for (const w of files) out.reads.push(w);
}

/**
 * What lets an awk program run commands or touch files: `system()`, pipes, `getline`, redirection, extensions
 * and gawk's indirect calls (`@f()` with `f = "system"`), and `ARGV`/`ARGC`, which name the files it reads.
 * A `>` anywhere after a `print` asks: a `;` or `}` inside a string (`print ";" > "/tmp/x"`) ends no statement.
 */
const AWK_RISK = new RegExp(
  [
    String.raw`\bsystem\b`,
    String.raw`\|&?`,
    String.raw`\bgetline\b`,
    '@',
    String.raw`\bARG[VC]\b`,
    String.raw`\bprintf?\b[\s\S]*>`,
    String.raw`\bfflush\b`,
    String.raw`\bclose\s*\(`,
    String.raw`\bENVIRON\b`,
    String.raw`\bPROCINFO\b`,
  ].join('|'),
);

const AWK_TABLE = optionTable({
  flags: 'bcCdDghLMnNOPrsStVy',
  values: {
    F: 'value',
    v: 'value',
    f: 'read',
    e: 'pattern',
    E: 'read',
    i: 'read',
    l: 'value',
    o: 'optional',
    p: 'optional',
  },
  longValues: {
    'field-separator': 'value',
    assign: 'value',
    file: 'read',
    source: 'pattern',
    exec: 'read',
    include: 'read',
    load: 'value',
    'pretty-print': 'optional',
    profile: 'optional',
  },
  long:
    'characters-as-bytes traditional copyright dump-variables debug gen-pot help lint non-decimal-data bignum ' +
    'use-lc-numeric optimize no-optimize posix re-interval sandbox version',
  risky: {
    // gawk writes these files (a name may be attached: `-p/tmp/x`, `--dump-variables=/tmp/x`).
    '-d': 'writes the variables to a file (gawk)',
    '-o': 'writes the program to a file (gawk)',
    '-p': 'writes a profile to a file (gawk)',
    '-D': 'runs the gawk debugger, which reads commands from a file or its input',
    '--dump-variables': 'writes the variables to a file (gawk)',
    '--pretty-print': 'writes the program to a file (gawk)',
    '--profile': 'writes a profile to a file (gawk)',
    '--debug': 'runs the gawk debugger, which reads commands from a file or its input',
    '-f:': 'runs an awk program from a file that cannot be checked',
    '-E:': 'runs an awk program from a file',
    '-i:': 'includes awk code from a file',
    '-l:': 'loads a native extension',
    '--load:': 'loads a native extension',
    '--exec:': 'runs an awk program from a file',
    '--include:': 'includes awk code from a file',
    '--file:': 'runs an awk program from a file that cannot be checked',
  },
});

function awkArguments(args: readonly Word[], out: Analysis): void {
  const table = AWK_TABLE;
  const scan = scanOptions(args, table, out, true);
  const programs = [...(scan.values.get('-e') ?? []), ...(scan.values.get('--source') ?? [])];
  let operands = scan.operands;
  if (programs.length === 0 && !scan.values.has('-f') && !scan.values.has('--file')) {
    if (operands[0]) programs.push(operands[0]);
    operands = operands.slice(1);
  }
  for (const program of programs) {
    out.inert.add(program);
    if (program.dynamic)
      out.risks.push({ rule: 'dynamic-script', reason: 'The awk program is only known at run time.' });
    else if (AWK_RISK.test(program.value))
      out.risks.push({
        rule: 'awk-program',
        reason: 'The awk program can run commands or read/write files (`system`, pipes, `getline`, redirection).',
      });
  }
  for (const w of operands) {
    // `var=value` operands are assignments, not files.
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(w.value)) out.inert.add(w);
    else out.reads.push(w);
  }
}

const FIND_VALUE_TESTS = new Set([
  '-name',
  '-iname',
  '-path',
  '-ipath',
  '-wholename',
  '-iwholename',
  '-regex',
  '-iregex',
  '-lname',
  '-ilname',
  '-type',
  '-xtype',
  '-size',
  '-mtime',
  '-mmin',
  '-atime',
  '-amin',
  '-ctime',
  '-cmin',
  '-perm',
  '-user',
  '-group',
  '-uid',
  '-gid',
  '-links',
  '-inum',
  '-maxdepth',
  '-mindepth',
  '-printf',
  '-fstype',
  '-context',
  '-used',
  '-regextype',
  '-newerXY',
  '-D',
  '-O',
]);

const FIND_READ_TESTS = new Set(['-newer', '-anewer', '-cnewer', '-samefile', '-files0-from']);

const FIND_FLAGS = new Set([
  '-print',
  '-print0',
  '-ls',
  '-prune',
  '-quit',
  '-depth',
  '-d',
  '-follow',
  '-xdev',
  '-mount',
  '-empty',
  '-true',
  '-false',
  '-readable',
  '-writable',
  '-executable',
  '-nouser',
  '-nogroup',
  '-not',
  '-a',
  '-and',
  '-o',
  '-or',
  '!',
  '(',
  ')',
  ',',
  '-daystart',
  '-ignore_readdir_race',
  '-noignore_readdir_race',
  '-noleaf',
  '-warn',
  '-nowarn',
  '-version',
  '-help',
  '-H',
  '-L',
  '-P',
]);

const FIND_EXEC = new Set(['-exec', '-execdir', '-ok', '-okdir']);

function findArguments(args: readonly Word[], out: Analysis, ctx: RuleContext): void {
  let i = 0;
  while (i < args.length && /^-[HLP]$/.test(args[i].value)) i++;
  const starts: Word[] = [];
  while (i < args.length && !/^[-!(),]/.test(args[i].value)) starts.push(args[i++]);
  if (starts.length === 0) starts.push(literalWord('.'));
  for (const w of starts) out.reads.push(w);
  let deletes = false;
  for (; i < args.length; i++) {
    const w = args[i];
    const t = w.value;
    if (w.dynamic) {
      out.dynamic = true;
      continue;
    }
    if (FIND_EXEC.has(t)) {
      // The inner command is judged on its own; find runs it once per file found.
      out.risks.push({ rule: 'find-exec', reason: `\`find ${t}\` runs a command on every file it finds.` });
      while (i + 1 < args.length && args[i + 1].value !== ';' && args[i + 1].value !== '+') out.inert.add(args[++i]);
      i++;
      continue;
    }
    if (t === '-delete') {
      deletes = true;
      out.risks.push({ rule: 'find-delete', reason: '`find -delete` deletes every file it finds.' });
      continue;
    }
    if (t === '-fprint' || t === '-fprint0' || t === '-fls' || t === '-fprintf') {
      out.risks.push({ rule: 'find-write', reason: `\`find ${t}\` writes a file.` });
      if (args[i + 1]) out.writes.push(args[++i]);
      if (t === '-fprintf' && args[i + 1]) out.inert.add(args[++i]);
      continue;
    }
    if (FIND_VALUE_TESTS.has(t) || /^-newer[amctB][amctBt]$/.test(t)) {
      if (args[i + 1]) out.inert.add(args[++i]);
      continue;
    }
    if (FIND_READ_TESTS.has(t)) {
      if (t === '-files0-from') out.risks.push(fileListRisk(t));
      if (args[i + 1]) out.reads.push(args[++i]);
      continue;
    }
    if (FIND_FLAGS.has(t)) continue;
    out.unknown.push(t);
  }
  if (deletes) {
    for (const w of starts) {
      out.writes.push(w);
      out.deletes.add(w);
    }
    for (const w of starts) {
      const critical = criticalTarget(w, ctx);
      if (critical) {
        out.denies.push({ rule: 'builtin:rm-root', reason: `\`find ${w.value} -delete\` would delete ${critical}.` });
        break;
      }
    }
  }
}

/** `find … -exec CMD {} ;`: find judged as itself, and every command it runs on the files it finds. */
const runsCommandsOnFiles: Unwrapper = (step) => {
  step.judgeSelf();
  const words = step.words;
  for (let i = 1; i < words.length; i++) {
    if (!FIND_EXEC.has(words[i].value)) continue;
    const inner: Word[] = [];
    let j = i + 1;
    for (; j < words.length && words[j].value !== ';' && words[j].value !== '+'; j++) {
      inner.push(words[j].value.includes('{}') ? runtimeWord(words[j].raw) : words[j]);
    }
    i = j;
    if (inner.length === 0) continue;
    step.runCommand(inner, {
      floors: [ask('find-exec', '`find -exec` runs the command on files only known at run time.')],
      written: inner.map((w) => w.raw).join(' '),
      unwrapped: true,
    });
  }
  return 'done';
};

export const PROGRAMMABLE_TOOLS: CommandFamily = {
  title: 'sed, awk and find',
  kind: 'programmable-tool',
  commands: {
    sed: { custom: sedArguments },
    ...each('awk gawk mawk nawk busybox-awk', { custom: awkArguments }),
    find: { custom: findArguments, unwrap: runsCommandsOnFiles },
  },
};
