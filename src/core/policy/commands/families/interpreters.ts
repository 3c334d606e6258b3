// Interpreters: they run code from a script file (read through the path policy), from an inline option
// (`python -c`, `node -e`, `Rscript -e`) or from stdin. Inline code and stdin always ask, whatever the
// allow list says: an entry for an interpreter covers running a script file, nothing else.
import type { Analysis } from '../analysis';
import { sliceWord, type Word } from '../parse/words';
import type { CommandFamily } from '../spec';
import { isDescriptorPath } from '../systemPaths';

/** Interpreters that run code from a script file, inline options or stdin. */
const INTERPRETER_NAMES = new RegExp(
  `^(${[
    'python[0-9.]*',
    'pypy[0-9.]*',
    'node',
    'nodejs',
    'bun',
    'deno',
    'perl[0-9.]*',
    'ruby[0-9.]*',
    'php[0-9.]*',
    'lua[0-9.]*',
    'luajit',
    'Rscript',
    'R',
    'pwsh',
    'powershell',
    'osascript',
    'tclsh',
    'wish',
    'irb',
    'jshell',
    'groovy',
    'scala',
    'julia',
    'elixir',
    'erl',
    'guile',
    'racket',
    'sbcl',
    'tsx',
    'ts-node',
    'ipython[0-9.]*',
    'jython',
    'octave',
    'octave-cli',
    'raku',
    'rakudo',
    'perl6',
    'ghci',
    'runghc',
    'runhaskell',
    'ocaml',
    'clojure',
    'clj',
    'bb',
    'kotlin',
    'jrunscript',
    'qjs',
    'expect',
    'iex',
    'escript',
    'swipl',
    String.raw`cmd(\.exe)?`,
    String.raw`pwsh\.exe`,
    String.raw`powershell\.exe`,
  ].join('|')})$`,
);

/** Options that hand an interpreter code on the command line, or load code before the script. */
const INLINE_CODE: Record<
  string,
  { code: Set<string>; preload: Set<string>; value: Set<string>; flags: Set<string>; module?: Set<string> }
> = {
  python: {
    code: new Set(['-c']),
    preload: new Set(),
    value: new Set(['-W', '-X', '-Q']),
    flags: new Set(['-u', '-B', '-O', '-OO', '-I', '-E', '-s', '-S', '-q', '-b', '-bb', '-d', '-v', '-P', '-R']),
    module: new Set(['-m']),
  },
  node: {
    code: new Set(['-e', '--eval', '-p', '--print']),
    preload: new Set([
      '-r',
      '--require',
      '--import',
      '--loader',
      '--experimental-loader',
      '--env-file',
      '--experimental-policy',
    ]),
    value: new Set(['--title', '--stack-size', '--max-old-space-size', '--inspect-port', '-C', '--conditions']),
    flags: new Set([
      '--no-warnings',
      '--enable-source-maps',
      '--trace-warnings',
      '--test',
      '--watch',
      '--experimental-strip-types',
      '--experimental-vm-modules',
      '--no-deprecation',
      '--trace-uncaught',
    ]),
  },
  perl: {
    code: new Set(['-e', '-E']),
    preload: new Set(['-M', '-m', '-I', '-i', '-x']),
    value: new Set(['-l', '-0']),
    flags: new Set(['-w', '-W', '-X', '-c', '-T', '-t', '-n', '-p', '-a', '-s', '-U']),
  },
  ruby: {
    code: new Set(['-e']),
    preload: new Set(['-r', '-I', '-x', '-i']),
    value: new Set(['-C', '-E']),
    flags: new Set(['-w', '-W', '-c', '-n', '-p', '-a', '-s', '-d', '-v']),
  },
  php: {
    code: new Set(['-r', '-B', '-R', '-E', '-F']),
    preload: new Set(['-d', '-c', '-z']),
    value: new Set([]),
    flags: new Set(['-l', '-n', '-q', '-H']),
  },
  generic: {
    code: new Set(['-e', '-c', '--eval', '-Command', '-command', '-EncodedCommand', '-encodedcommand', '-ec']),
    preload: new Set(['-r', '-l', '--require', '--import']),
    value: new Set([]),
    flags: new Set(),
  },
};
const INFO_OPTIONS = new Set(['--version', '-V', '-v', '--help', '-h', '-version', '-help']);

function interpreterFamily(base: string): keyof typeof INLINE_CODE {
  if (/^(python|pypy|ipython|jython)/.test(base)) return 'python';
  if (/^(node|nodejs|bun|deno|tsx|ts-node)$/.test(base)) return 'node';
  if (base.startsWith('perl')) return 'perl';
  if (base.startsWith('ruby') || base === 'irb') return 'ruby';
  if (base.startsWith('php')) return 'php';
  return 'generic';
}

function interpreterCommand(base: string, args: readonly Word[], out: Analysis): void {
  out.runsCode = true;
  const family = INLINE_CODE[interpreterFamily(base)];
  let script: Word | undefined;
  let inline = false;
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    const t = w.value;
    if (w.dynamic && w.shape.charCodeAt(0) === 0) {
      out.dynamic = true;
      inline = true;
      break;
    }
    if (t === '-' || isDescriptorPath(t)) break;
    if (!t.startsWith('-') || t === '--') {
      script = t === '--' ? args[i + 1] : w;
      // `python3 -- /dev/fd/0`: code from an inherited descriptor, as from stdin.
      if (script && !script.dynamic && (script.value === '-' || isDescriptorPath(script.value))) script = undefined;
      break;
    }
    const eq = t.indexOf('=');
    const name = eq > 0 ? t.slice(0, eq) : t;
    const short = name.startsWith('--') ? name : name.slice(0, 2);
    if (family.code.has(name) || family.code.has(short)) {
      out.risks.push({ rule: 'inline-code', reason: `\`${base} ${name}\` runs code given on the command line.` });
      inline = true;
      break;
    }
    if (family.preload.has(name) || family.preload.has(short)) {
      out.risks.push({
        rule: 'preload-code',
        reason: `\`${base} ${short}\` loads extra code or changes how the program runs.`,
      });
      if (eq < 0 && t.length === short.length) i++;
      continue;
    }
    if (family.module?.has(short)) {
      inline = true; // `python -m mod`: a module, not stdin
      const mod = t.length > 2 ? sliceWord(w, 2) : args[++i];
      if (mod) out.inert.add(mod);
      out.entryMustName = {
        count: i + 1,
        example: `${base} ${args
          .slice(0, i + 1)
          .map((a) => a.raw)
          .join(' ')}`,
      };
      break;
    }
    if (family.value.has(name) || family.value.has(short)) {
      if (eq < 0 && t.length === short.length) i++;
      continue;
    }
    if (INFO_OPTIONS.has(name)) {
      inline = true; // prints and exits: reads no code
      continue;
    }
    if (family.flags.has(name)) continue;
    out.unknown.push(name);
  }
  if (script) {
    out.reads.push(script);
    if (/^(https?|data):/i.test(script.value))
      out.risks.push({ rule: 'remote-code', reason: 'The program runs code fetched from the network.' });
  } else if (!inline) out.runsStdin = true;
  for (const w of args) if (w !== script) out.inert.add(w);
}

/**
 * `deno SUBCOMMAND`: `eval` runs code given on the command line and `repl` reads it, `run` and `serve`
 * run a script file; other subcommands are judged as before (their first operand as a script).
 */
function denoArguments(args: readonly Word[], out: Analysis): void {
  const at = args.findIndex((w) => w.dynamic || !w.value.startsWith('-'));
  const sub = args[at];
  if (sub === undefined || sub.dynamic) return interpreterCommand('deno', args, out);
  switch (sub.value) {
    case 'eval':
      out.runsCode = true;
      out.risks.push({ rule: 'inline-code', reason: '`deno eval` runs code given on the command line.' });
      for (const w of args) out.inert.add(w);
      return;
    case 'repl':
      out.runsCode = true;
      out.runsStdin = true;
      for (const w of args) out.inert.add(w);
      return;
    case 'run':
    case 'serve':
      out.inert.add(sub);
      for (const w of args.slice(0, at)) out.unknown.push(w.value);
      return interpreterCommand('deno', args.slice(at + 1), out);
    default:
      return interpreterCommand('deno', args, out);
  }
}

export const INTERPRETERS: CommandFamily = {
  title: 'interpreters',
  kind: 'interpreter',
  commands: { deno: { custom: (args, out) => denoArguments(args, out) } },
  pattern: {
    names: INTERPRETER_NAMES,
    spec: { custom: (args, out, _ctx, name) => interpreterCommand(name, args, out) },
  },
};
