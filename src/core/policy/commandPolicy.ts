// Decides whether a shell command line may run: every simple command the shell would execute (found by
// the bash grammar, wrappers unwrapped, `bash -c` strings parsed again) is judged on its own, and the
// most restrictive verdict wins. Anything that cannot be analysed asks; a failing check denies.
import { minimatch } from 'minimatch';
import { posix } from 'node:path';
import type { BashParser } from './bashGrammar';
import {
  forkBombFunctions,
  literalWord,
  parseScript,
  recursiveFunctions,
  runtimeWord,
  sliceWord,
  type Assignment,
  type ParseContext,
  type ParsedScript,
  type Redirect,
  type SimpleCommand,
  type SimpleCommandKind,
  type Word,
} from './commandParse';
import {
  analyseCommand,
  DOWNLOADERS,
  emptyAnalysis,
  FIND_EXEC,
  hasInertArguments,
  isBlockDevice,
  isEndlessInput,
  isHarmlessDevice,
  isInterpreter,
  isMemoryDevice,
  isRiskyVariable,
  resolveStatic,
  SHELLS,
  startupFileRule,
  type Analysis,
  type DirectoryRead,
  type TrackedRead,
  type Finding,
  type RuleContext,
} from './commandRules';
import {
  failClosed,
  mostRestrictive,
  type CommandDecision,
  type CommandPart,
  type Decision,
  type DecisionSource,
  type FileOperation,
  type PathDecision,
} from './decision';
import { PATH_RULES } from './pathPolicy';
import type { RuleEntry } from './policy';

/** What the command policy needs from the path policy (`PathPolicy` satisfies it). */
export interface PathJudge {
  decide(op: FileOperation, requested: string, baseDir?: string): PathDecision;
  /**
   * The deny rule covering a path given relative to some root (deny globs match at any depth), if any.
   * Used for paths outside the workspace, which the path policy refuses before looking at secrets.
   */
  isDenied?(relativePath: string): Decision | undefined;
  /** Known denied files inside a directory (or those git tracks), relative to it; undefined while unknown. */
  deniedFilesUnder?(dir: string, tracked?: boolean): readonly string[] | undefined;
}

export interface CommandPolicyOptions {
  allow: readonly RuleEntry[];
  deny: readonly RuleEntry[];
  paths: PathJudge;
  parser: BashParser | undefined;
  /** Why the grammar failed to load, when it did: nothing can be checked, so every command is refused. */
  grammarError?: string;
  homeDir: string;
}

/** Longer command lines are not parsed at all: they ask. */
export const MAX_COMMAND_CHARS = 10_000;
/** `bash -c "bash -c '…'"` nests; deeper than this asks. */
const MAX_NESTING = 3;
/** Distinct working directories tracked through `cd` before relative paths become unknown. */
const MAX_CWDS = 8;
/** Rule ids the path policy uses for refusals that are about location, not about the file. */
const LOCATION_RULES = new Set<string>([
  PATH_RULES.outsideWorkspace,
  PATH_RULES.invalidPath,
  PATH_RULES.notInReadGlobs,
  PATH_RULES.notInWriteGlobs,
  PATH_RULES.folderRoot,
]);

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b-\u001f\u007f]/;
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Where system programs live: a wrapper named by such a path is still the real wrapper. */
const SYSTEM_BIN = /^\/(usr\/(local\/)?)?s?bin\/[^/]+$|^\/opt\/homebrew\/bin\/[^/]+$/;
const PLAIN_VALUE = /^[A-Za-z0-9_.,:/@%+=~-]*$/;
const CD_COMMANDS = new Set(['cd', 'pushd', 'popd']);
/** Shell builtins that only steer the shell itself. */
const SHELL_CONTROL = new Set(['true', 'false', ':', 'exit', 'return', 'break', 'continue', 'shift', 'wait']);
const SAFE_SET_OPTIONS = /^[-+][euxvo]+$|^(pipefail|errexit|nounset|xtrace|verbose|noclobber)$/;
const WRAPPERS = new Set([
  'env',
  'sudo',
  'doas',
  'su',
  'runuser',
  'timeout',
  'nice',
  'ionice',
  'stdbuf',
  'nohup',
  'builtin',
  'setsid',
  'time',
  'command',
  'exec',
  'coproc',
  'xargs',
  'find',
  'watch',
  'eval',
  'trap',
  'alias',
  'source',
  '.',
  ...SHELLS,
]);
const INERT_XARGS_TARGETS = new Set(['echo', 'printf']);

function ask(rule: string, reason: string, source: DecisionSource = 'built-in'): Decision {
  return { decision: 'ask', rule, source, reason };
}

function deny(rule: string, reason: string, source: DecisionSource = 'built-in'): Decision {
  return { decision: 'deny', rule, source, reason };
}

function fromFinding(verdict: 'ask' | 'deny', finding: Finding): Decision {
  return { decision: verdict, rule: finding.rule, source: 'built-in', reason: finding.reason };
}

function code(text: string): string {
  const shown = text.length > 120 ? `${text.slice(0, 120)}…` : text;
  return `\`${shown.replace(/\n/g, '⏎')}\``;
}

function basename(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash >= 0 ? path.slice(slash + 1) : path;
}

interface CompiledEntry {
  entry: RuleEntry;
  name: string;
  args: string[];
}

function compileEntries(entries: readonly RuleEntry[]): CompiledEntry[] {
  const compiled: CompiledEntry[] = [];
  for (const entry of entries) {
    const tokens = entry.value.trim().split(/\s+/).filter(Boolean);
    if (tokens.length === 0) continue;
    compiled.push({ entry, name: tokens[0], args: tokens.slice(1) });
  }
  return compiled;
}

function leadingArgsMatch(entry: CompiledEntry, args: readonly Word[]): boolean {
  if (args.length < entry.args.length) return false;
  for (let i = 0; i < entry.args.length; i++) {
    const w = args[i];
    if (w.dynamic || w.glob || w.brace || w.value !== entry.args[i]) return false;
  }
  return true;
}

interface Inherited {
  floors: Decision[];
  assignments: Assignment[];
  pipes: readonly number[];
}

/** One command as it will run, after unwrapping (`sudo timeout 5 rm x` → `rm x`). */
interface Invocation {
  cmd: SimpleCommand;
  script: ParsedScript;
  kind: SimpleCommandKind;
  text: string;
  /** Name and arguments. */
  words: Word[];
  assignments: Assignment[];
  /** Decisions imposed by wrappers (`sudo` asks). */
  floors: Decision[];
  redirects: Redirect[];
  pipes: readonly number[];
  /** Reads its program from stdin. */
  runsStdin: boolean;
  /** Runs code its arguments name or contain. */
  runsCode: boolean;
  /** The script file a shell runs (`bash build.sh`): read through the path policy. */
  scriptFile?: Word;
  downloads: boolean;
}

interface InvocationFlags {
  runsStdin?: boolean;
  runsCode?: boolean;
  scriptFile?: Word;
}

/** The state of one `decide` call. */
class Evaluation {
  readonly invocations: Invocation[] = [];
  readonly extra: CommandPart[] = [];
  readonly context: ParseContext = { nextPipeId: 0 };
  cwds: string[];
  cwdUnknown = false;
  private readonly downloaders = new Set<SimpleCommand>();
  private readonly pathMemo = new Map<string, PathDecision>();

  constructor(
    private readonly policy: CommandPolicy,
    private readonly parser: BashParser,
    cwd: string,
  ) {
    this.cwds = [posix.resolve('/', cwd)];
  }

  // Phase 1: find every invocation ------------------------------------------------------------------

  /** Judges `text` as the grammar reads it, plus the other readings where grammar and bash differ. */
  analyse(text: string, depth: number, inherited: Inherited): void {
    const readings = [text];
    // bash joins `\`+newline inside a word (`r\⏎m` is `rm`); the grammar splits it. Judge both readings.
    if (text.includes('\\\n')) readings.push(text.replace(/\\\n/g, ''));
    for (const reading of readings) {
      const script = this.analyseOnce(reading, depth, inherited);
      if (!script.misparsed) continue;
      this.extra.push({
        ...ask(
          'parse-error',
          'The shell and the parser would split this command differently, so it cannot be approved automatically.',
        ),
        text: reading,
      });
      // A space after the newline makes the grammar end the command where bash does.
      this.analyseOnce(reading.replace(/\n(?=[\\\n])/g, '\n '), depth, inherited);
    }
  }

  private analyseOnce(text: string, depth: number, inherited: Inherited): ParsedScript {
    const script = parseScript(this.parser, text, this.context, inherited.pipes);
    if (script.syntaxError) {
      this.extra.push({
        ...ask('parse-error', 'The shell parser could not fully understand this command, so it cannot be checked.'),
        text,
      });
    }
    const bombs = forkBombFunctions(script.functions);
    for (const name of bombs) {
      this.extra.push({
        ...deny(
          'builtin:fork-bomb',
          `The function \`${name}\` starts copies of itself in parallel: a fork bomb that exhausts the machine.`,
        ),
        text,
      });
    }
    for (const name of recursiveFunctions(script.functions)) {
      if (!bombs.includes(name))
        this.extra.push({ ...ask('recursive-function', `The function \`${name}\` calls itself.`), text });
    }
    for (const cmd of script.commands) {
      if (cmd.kind === 'command')
        this.unwrap(
          cmd,
          script,
          cmd.words,
          [...inherited.assignments, ...cmd.assignments],
          inherited.floors.slice(),
          depth,
          cmd.text,
          true,
        );
      else
        this.push(
          cmd,
          script,
          cmd.kind,
          cmd.text,
          cmd.words,
          [...inherited.assignments, ...cmd.assignments],
          inherited.floors,
          cmd.redirects,
        );
    }
    return script;
  }

  private push(
    cmd: SimpleCommand,
    script: ParsedScript,
    kind: SimpleCommandKind,
    text: string,
    words: Word[],
    assignments: Assignment[],
    floors: Decision[],
    redirects: Redirect[],
    flags: InvocationFlags = {},
  ): void {
    const inv: Invocation = {
      cmd,
      script,
      kind,
      text,
      words,
      assignments,
      floors,
      redirects,
      pipes: cmd.pipes,
      runsStdin: flags.runsStdin ?? false,
      runsCode: flags.runsCode ?? false,
      scriptFile: flags.scriptFile,
      downloads: false,
    };
    this.invocations.push(inv);
    const name = words[0];
    if (kind === 'command' && name && !name.dynamic && CD_COMMANDS.has(basename(name.value)))
      this.trackDirectoryChange(basename(name.value), words.slice(1));
  }

  /** A `cd` anywhere adds its target to the directories relative paths are judged from (order-free). */
  private trackDirectoryChange(command: string, args: Word[]): void {
    const operands = args.filter((w) => !/^-[LPe@]+$/.test(w.value) && w.value !== '--');
    if (command === 'popd' || (command === 'pushd' && operands.length === 0)) {
      this.cwdUnknown = true;
      return;
    }
    const target = operands[0] ?? literalWord('~');
    if (target.value === '-' || /^[+-]\d+$/.test(target.value)) {
      this.cwdUnknown = true;
      return;
    }
    const home: Word = operands.length === 0 ? { ...literalWord('~'), tilde: true } : target;
    const resolved = resolveStatic(home, this.policy.ruleContext(this.cwds));
    if (!resolved) {
      this.cwdUnknown = true;
      return;
    }
    for (const dir of resolved) if (!this.cwds.includes(dir)) this.cwds.push(dir);
    if (this.cwds.length > MAX_CWDS) this.cwdUnknown = true;
  }

  private textOf(words: readonly Word[], original: string, whole: boolean): string {
    return whole ? original : words.map((w) => w.raw).join(' ');
  }

  private nested(
    code: string,
    depth: number,
    inherited: Inherited,
    cmd: SimpleCommand,
    script: ParsedScript,
    text: string,
  ): void {
    if (depth + 1 > MAX_NESTING) {
      this.push(
        cmd,
        script,
        'command',
        text,
        [literalWord('sh')],
        inherited.assignments,
        [...inherited.floors, ask('nesting-too-deep', 'Shell code nested this deeply is not analysed.')],
        [],
      );
      return;
    }
    this.analyse(code, depth + 1, inherited);
  }

  /** Peels wrappers off until the command that really runs; each wrapper may add floors or assignments. */
  private unwrap(
    cmd: SimpleCommand,
    script: ParsedScript,
    wordsIn: Word[],
    assignments: Assignment[],
    floors: Decision[],
    depth: number,
    original: string,
    whole: boolean,
  ): void {
    let words = wordsIn;
    for (let guard = 0; guard < 32; guard++) {
      const name = words[0];
      if (!name || name.dynamic || name.glob || name.brace)
        return this.pushCommand(cmd, script, words, assignments, floors, original, whole);
      const base = basename(name.value);
      let inner = -1;
      if (WRAPPERS.has(base) && name.value.includes('/') && !SYSTEM_BIN.test(name.value)) {
        // `./timeout 5 git status`: a program of the repository named like a wrapper. Judge the inner
        // command (so a destructive one is still refused), but never allow it.
        floors.push(ask('unknown-program', `${code(name.value)} is not the system \`${base}\`.`));
      }
      switch (base) {
        case 'env':
          inner = this.envWrapper(words, assignments, floors);
          break;
        case 'sudo':
        case 'doas':
        case 'su':
        case 'runuser':
          floors.push(ask('sudo', `\`${base}\` runs the command as another user: it always asks.`));
          if (base === 'su' || base === 'runuser') {
            const c = words.findIndex((w, k) => k > 0 && (w.value === '-c' || w.value === '--command'));
            const body = c > 0 ? words[c + 1] : undefined;
            if (body && !body.dynamic) {
              this.nested(body.value, depth, { floors, assignments, pipes: cmd.pipes }, cmd, script, original);
              return;
            }
            return this.pushCommand(cmd, script, words, assignments, floors, original, whole, {
              runsCode: body !== undefined,
            });
          }
          inner = this.sudoWrapper(words, assignments, floors);
          break;
        case 'timeout':
          inner = this.skipOptions(
            words,
            /^-[svk]|^--(signal|kill-after|preserve-status|foreground|verbose)/,
            new Set(['-s', '-k', '--signal', '--kill-after']),
            floors,
          );
          if (inner > 0) inner++; // the duration
          break;
        case 'nice':
          inner = this.skipOptions(words, /^-(n\d*|-?\d+)$|^--adjustment/, new Set(['-n', '--adjustment']), floors);
          break;
        case 'ionice':
          if (words.some((w) => w.value === '-p' || w.value === '-P' || w.value === '-u'))
            return this.pushCommand(cmd, script, words, assignments, floors, original, whole);
          inner = this.skipOptions(words, /^-[cnt]/, new Set(['-c', '-n', '--class', '--classdata']), floors);
          break;
        case 'stdbuf':
          inner = this.skipOptions(words, /^-[ioe]|^--(input|output|error)/, new Set(['-i', '-o', '-e']), floors);
          break;
        case 'nohup':
        case 'builtin':
        case 'setsid':
          inner = this.skipOptions(words, /^-[cfw]$/, new Set(), floors);
          break;
        case 'time':
          if (words.some((w) => w.value === '-o' || w.value.startsWith('--output')))
            floors.push(ask('time-output', '`time -o` writes a file.'));
          inner = this.skipOptions(
            words,
            /^-[pvaqo]|^--(portability|verbose|append|quiet|format|output)/,
            new Set(['-f', '-o', '--format', '--output']),
            floors,
          );
          break;
        case 'command':
          if (words.some((w, k) => k > 0 && /^-[pvV]*[vV]/.test(w.value)))
            return this.pushCommand(cmd, script, words, assignments, floors, original, whole); // `command -v`: a lookup
          inner = this.skipOptions(words, /^-p$/, new Set(), floors);
          break;
        case 'exec':
          inner = this.skipOptions(words, /^-[cl]+$|^-a$/, new Set(['-a']), floors);
          break;
        case 'coproc':
          floors.push(ask('coproc', '`coproc` runs a command in the background, connected to the shell.'));
          inner = 1;
          break;
        case 'xargs':
          this.xargs(cmd, script, words, assignments, floors, depth);
          return;
        case 'find':
          this.pushCommand(cmd, script, words, assignments, floors, original, whole);
          this.findExec(cmd, script, words, assignments, floors, depth);
          return;
        case 'watch':
          this.watch(cmd, script, words, assignments, floors, depth, original);
          return;
        case 'eval':
        case 'trap':
        case 'alias': {
          // The code runs now (eval) or later (trap, alias): refuse what it would refuse, and always ask.
          const args = words.slice(1).filter((w) => !(base === 'trap' && /^-/.test(w.value)));
          const codeWords = base === 'trap' ? args.slice(0, 1) : args;
          if (codeWords.length > 0 && codeWords.every((w) => !w.dynamic)) {
            const codeText =
              base === 'alias'
                ? codeWords.map((w) => w.value.slice(w.value.indexOf('=') + 1)).join('\n')
                : codeWords.map((w) => w.value).join(' ');
            this.nested(
              codeText,
              depth,
              { floors: [...floors, ask(base, `\`${base}\` runs shell code.`)], assignments, pipes: cmd.pipes },
              cmd,
              script,
              original,
            );
          }
          return this.pushCommand(cmd, script, words, assignments, floors, original, whole, { runsCode: true });
        }
        case 'source':
        case '.':
          return this.pushCommand(cmd, script, words, assignments, floors, original, whole, { runsCode: true });
        default:
          if (SHELLS.has(base)) {
            this.shell(cmd, script, words, assignments, floors, depth, original, whole);
            return;
          }
          return this.pushCommand(cmd, script, words, assignments, floors, original, whole);
      }
      if (inner < 0 || inner >= words.length)
        return this.pushCommand(cmd, script, words, assignments, floors, original, whole);
      words = words.slice(inner);
      whole = false;
    }
    this.push(
      cmd,
      script,
      'command',
      original,
      words,
      assignments,
      [...floors, ask('too-many-wrappers', 'Too many wrapper commands to analyse.')],
      cmd.redirects,
    );
  }

  private pushCommand(
    cmd: SimpleCommand,
    script: ParsedScript,
    words: Word[],
    assignments: Assignment[],
    floors: Decision[],
    original: string,
    whole: boolean,
    flags: InvocationFlags = {},
  ): void {
    this.push(
      cmd,
      script,
      'command',
      this.textOf(words, original, whole),
      words,
      assignments,
      floors,
      cmd.redirects,
      flags,
    );
  }

  /** Index of the first word after the wrapper's options. */
  private skipOptions(words: Word[], known: RegExp, takesValue: Set<string>, floors: Decision[]): number {
    let i = 1;
    while (i < words.length) {
      const w = words[i];
      if (w.dynamic) return i;
      const t = w.value;
      if (t === '--') return i + 1;
      if (!t.startsWith('-') || t === '-') return i;
      if (!known.test(t))
        floors.push(ask('unknown-option', `\`${basename(words[0].value)} ${t}\` is an option Warden does not know.`));
      i += takesValue.has(t) ? 2 : 1;
    }
    return i;
  }

  private envWrapper(words: Word[], assignments: Assignment[], floors: Decision[]): number {
    let i = 1;
    while (i < words.length) {
      const w = words[i];
      const t = w.value;
      if (w.dynamic) return i;
      if (t === '--') return i + 1;
      if (
        t === '-i' ||
        t === '--ignore-environment' ||
        t === '-0' ||
        t === '--null' ||
        t === '-' ||
        t === '-v' ||
        t === '--debug'
      ) {
        i++;
        continue;
      }
      if (t === '-u' || t === '--unset') {
        i += 2;
        continue;
      }
      if (t.startsWith('--unset=') || /^-u./.test(t) || /^-i+$/.test(t)) {
        i++;
        continue;
      }
      if (t === '-C' || t === '--chdir' || t.startsWith('--chdir=') || /^-C./.test(t)) {
        floors.push(ask('changes-directory', '`env -C` runs the command in another directory.'));
        i += t === '-C' || t === '--chdir' ? 2 : 1;
        continue;
      }
      if (t.startsWith('-S') || t.startsWith('--split-string')) {
        floors.push(ask('env-split-string', '`env -S` splits a string into a command that is not analysed.'));
        return -1;
      }
      if (t.startsWith('-')) {
        floors.push(ask('unknown-option', `\`env ${t}\` is an option Warden does not know.`));
        i++;
        continue;
      }
      const eq = t.indexOf('=');
      if (eq > 0 && /^[A-Za-z_][A-Za-z0-9_]*$/.test(t.slice(0, eq))) {
        assignments.push({ name: t.slice(0, eq), value: sliceWord(w, eq + 1) });
        i++;
        continue;
      }
      return i;
    }
    return -1;
  }

  private sudoWrapper(words: Word[], assignments: Assignment[], floors: Decision[]): number {
    const withValue = new Set([
      '-u',
      '-g',
      '-C',
      '-D',
      '-h',
      '-p',
      '-r',
      '-t',
      '-U',
      '-T',
      '-R',
      '--user',
      '--group',
      '--close-from',
      '--chdir',
      '--host',
      '--prompt',
      '--role',
      '--type',
      '--other-user',
      '--command-timeout',
      '--chroot',
    ]);
    let i = 1;
    while (i < words.length) {
      const w = words[i];
      const t = w.value;
      if (w.dynamic) return i;
      if (t === '--') {
        i++;
        break;
      }
      if (withValue.has(t)) {
        i += 2;
        continue;
      }
      if (t.startsWith('-')) {
        if (/^-[^-]*e/.test(t) || t === '--edit') floors.push(ask('sudo', '`sudo -e` edits files as another user.'));
        i++;
        continue;
      }
      break;
    }
    while (i < words.length) {
      const t = words[i].value;
      const eq = t.indexOf('=');
      if (words[i].dynamic || eq <= 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(t.slice(0, eq))) break;
      assignments.push({ name: t.slice(0, eq), value: sliceWord(words[i], eq + 1) });
      i++;
    }
    return i < words.length ? i : -1;
  }

  private shell(
    cmd: SimpleCommand,
    script: ParsedScript,
    words: Word[],
    assignments: Assignment[],
    floors: Decision[],
    depth: number,
    original: string,
    whole: boolean,
  ): void {
    const text = this.textOf(words, original, whole);
    let i = 1;
    let commandString = false;
    let stdin = false;
    while (i < words.length) {
      const w = words[i];
      const t = w.value;
      if (w.dynamic) {
        floors.push(ask('dynamic-argument', 'A shell option is only known at run time.'));
        this.push(cmd, script, 'command', text, words, assignments, floors, cmd.redirects, { runsCode: true });
        return;
      }
      if (t === '--' || t === '-') {
        i++;
        break;
      }
      if (/^[-+][A-Za-z]+$/.test(t)) {
        if (t[0] === '-' && t.includes('c')) commandString = true;
        if (t[0] === '-' && t.includes('s')) stdin = true;
        i += /[oO]/.test(t) ? 2 : 1;
        continue;
      }
      if (t === '--rcfile' || t === '--init-file') {
        floors.push(ask('shell-startup-file', `\`${t}\` runs another startup file first.`));
        i += 2;
        continue;
      }
      if (/^--(norc|noprofile|posix|login|restricted|verbose|noediting|help|version|pretty-print)$/.test(t)) {
        i++;
        continue;
      }
      if (t.startsWith('-')) {
        floors.push(ask('unknown-option', `\`${t}\` is a shell option Warden does not know.`));
        i++;
        continue;
      }
      break;
    }
    const inherited: Inherited = { floors, assignments, pipes: cmd.pipes };
    if (commandString) {
      const body = words[i];
      if (!body || body.dynamic) {
        // `sh -c "$X"`: code only known at run time.
        if (body) floors.push(ask('dynamic-code', 'The shell code is only known at run time.'));
        this.push(cmd, script, 'command', text, words, assignments, floors, cmd.redirects, { runsCode: true });
        return;
      }
      this.keepRedirects(cmd, script, floors, original);
      this.nested(body.value, depth, inherited, cmd, script, body.value);
      return;
    }
    if (i < words.length && !stdin) {
      // `bash script.sh`: runs a file (read through the path policy) — an allow entry decides.
      this.push(cmd, script, 'command', text, words, assignments, floors, cmd.redirects, {
        runsCode: true,
        scriptFile: words[i],
      });
      return;
    }
    const heredoc = cmd.redirects.find((r) => r.op === '<<' || r.op === '<<-' || r.op === '<<<');
    const heredocText =
      heredoc?.op === '<<<'
        ? heredoc.herestring && !heredoc.herestring.dynamic
          ? heredoc.herestring.value
          : undefined
        : heredoc?.heredoc;
    if (heredoc && heredocText !== undefined) {
      this.keepRedirects(cmd, script, floors, original);
      this.nested(heredocText, depth, inherited, cmd, script, heredocText);
      return;
    }
    this.push(cmd, script, 'command', text, words, assignments, floors, cmd.redirects, {
      runsStdin: true,
      runsCode: true,
    });
  }

  /** The shell's own redirections still apply when its code is judged as a nested script. */
  private keepRedirects(cmd: SimpleCommand, script: ParsedScript, floors: Decision[], original: string): void {
    if (cmd.redirects.length > 0) this.push(cmd, script, 'redirect-only', original, [], [], floors, cmd.redirects);
  }

  private xargs(
    cmd: SimpleCommand,
    script: ParsedScript,
    words: Word[],
    assignments: Assignment[],
    floors: Decision[],
    depth: number,
  ): void {
    const withValue =
      /^(-[aEeIiLlnPsd]|--(arg-file|eof|replace|max-lines|max-args|max-procs|max-chars|delimiter|process-slot-var))$/;
    let i = 1;
    while (i < words.length) {
      const t = words[i].value;
      if (words[i].dynamic) break;
      if (t === '--') {
        i++;
        break;
      }
      if (!t.startsWith('-')) break;
      if (t === '-a' || t.startsWith('--arg-file'))
        floors.push(ask('xargs-arg-file', '`xargs -a` reads its arguments from a file.'));
      i += withValue.test(t) && !t.includes('=') ? 2 : 1;
    }
    const inner = i < words.length ? words.slice(i) : [literalWord('echo')];
    const innerFloors = floors.slice();
    const innerName = inner[0];
    if (innerName.dynamic || !INERT_XARGS_TARGETS.has(basename(innerName.value))) {
      innerFloors.push(ask('xargs', '`xargs` adds arguments only known at run time (file names from its input).'));
    }
    this.unwrap(
      cmd,
      script,
      [...inner, runtimeWord('…')],
      assignments,
      innerFloors,
      depth,
      inner.map((w) => w.raw).join(' '),
      false,
    );
  }

  private findExec(
    cmd: SimpleCommand,
    script: ParsedScript,
    words: Word[],
    assignments: Assignment[],
    floors: Decision[],
    depth: number,
  ): void {
    for (let i = 1; i < words.length; i++) {
      if (!FIND_EXEC.has(words[i].value)) continue;
      const inner: Word[] = [];
      let j = i + 1;
      for (; j < words.length && words[j].value !== ';' && words[j].value !== '+'; j++) {
        inner.push(words[j].value.includes('{}') ? runtimeWord(words[j].raw) : words[j]);
      }
      i = j;
      if (inner.length === 0) continue;
      const innerFloors = [
        ...floors,
        ask('find-exec', '`find -exec` runs the command on files only known at run time.'),
      ];
      this.unwrap(cmd, script, inner, assignments, innerFloors, depth, inner.map((w) => w.raw).join(' '), false);
    }
  }

  private watch(
    cmd: SimpleCommand,
    script: ParsedScript,
    words: Word[],
    assignments: Assignment[],
    floors: Decision[],
    depth: number,
    original: string,
  ): void {
    let i = 1;
    let exec = false;
    while (i < words.length && words[i].value.startsWith('-') && !words[i].dynamic) {
      const t = words[i].value;
      if (t === '-x' || t === '--exec') exec = true;
      i += /^(-n|-q|--interval|--equexit)$/.test(t) ? 2 : 1;
    }
    const rest = words.slice(i);
    if (rest.length === 0) {
      this.push(cmd, script, 'command', original, words, assignments, floors, cmd.redirects);
      return;
    }
    if (exec) {
      this.unwrap(cmd, script, rest, assignments, floors, depth, original, false);
      return;
    }
    if (rest.some((w) => w.dynamic)) {
      this.push(
        cmd,
        script,
        'command',
        original,
        words,
        assignments,
        [...floors, ask('dynamic-code', 'The command `watch` runs is only known at run time.')],
        cmd.redirects,
        { runsCode: true },
      );
      return;
    }
    this.nested(
      rest.map((w) => w.value).join(' '),
      depth,
      { floors, assignments, pipes: cmd.pipes },
      cmd,
      script,
      original,
    );
  }

  // Phase 2: judge each invocation ------------------------------------------------------------------

  judge(inv: Invocation): CommandPart {
    const checks: Decision[] = inv.floors.slice();
    let base: Decision;
    switch (inv.kind) {
      case 'assignment':
        this.judgeAssignments(inv.assignments, checks, true);
        base = inv.cmd.idleStage
          ? ask(
              'default-ask',
              'A pipeline stage that only assigns a variable runs nothing; bash would apply the redirections to ' +
                'it, the parser to the whole pipeline.',
              'default',
            )
          : { decision: 'allow', rule: 'shell-assignment', source: 'built-in', reason: 'Sets a shell variable.' };
        break;
      case 'declaration':
        base = this.judgeDeclaration(inv, checks);
        break;
      case 'unset':
        base = { decision: 'allow', rule: 'shell-assignment', source: 'built-in', reason: 'Unsets shell variables.' };
        break;
      case 'test':
        base = { decision: 'allow', rule: 'shell-test', source: 'built-in', reason: 'A shell test.' };
        break;
      case 'redirect-only':
        // `{ …; } > f` applies to commands judged on their own; a bare `> f` is a write of its own.
        base =
          inv.cmd.bare && inv.redirects.some(writesFile)
            ? ask('default-ask', 'A redirection without a command creates or truncates a file.', 'default')
            : { decision: 'allow', rule: 'redirect', source: 'built-in', reason: 'Only redirections.' };
        break;
      default:
        base = this.judgeCommand(inv, checks);
    }
    this.judgeRedirects(inv, checks);
    checks.push(base);
    const worst = mostRestrictive(checks) as Decision;
    return { decision: worst.decision, rule: worst.rule, source: worst.source, reason: worst.reason, text: inv.text };
  }

  private judgeAssignments(assignments: readonly Assignment[], checks: Decision[], standalone: boolean): void {
    for (const a of assignments) {
      if (!VARIABLE_NAME.test(a.name)) {
        // Not an assignment to bash (`?x=1` is a command word, and a glob): the grammar was too lenient.
        checks.push(
          ask('parse-error', `\`${a.name}=…\` is not a valid assignment, so bash would run it as a command.`),
        );
      } else if (isRiskyVariable(a.name)) {
        checks.push(ask('risky-variable', `Setting \`${a.name}\` changes what programs load or run.`));
      } else if (!standalone) {
        checks.push(
          ask('env-assignment', `The environment assignment \`${a.name}=…\` is not covered by an allow entry.`),
        );
      } else if (a.value && (a.value.dynamic || !PLAIN_VALUE.test(a.value.value))) {
        // A stored `a[$(cmd)]` runs later in arithmetic (`[[ $x -eq 1 ]]`): only plain values pass.
        checks.push(ask('assignment-value', `The value assigned to \`${a.name}\` is not plain text.`));
      }
    }
  }

  private judgeDeclaration(inv: Invocation, checks: Decision[]): Decision {
    const keyword = inv.words[0]?.value ?? '';
    for (const w of inv.words.slice(1)) {
      if (w.dynamic) checks.push(ask('dynamic-argument', `\`${keyword}\` has an argument only known at run time.`));
      else if (w.value.startsWith('-') || w.value.startsWith('+'))
        checks.push(ask('declaration-option', `\`${keyword} ${w.value}\` changes how variables or functions behave.`));
      else if (isRiskyVariable(w.value))
        checks.push(ask('risky-variable', `\`${keyword} ${w.value}\` changes what programs load or run.`));
    }
    this.judgeAssignments(inv.assignments, checks, true);
    return {
      decision: 'allow',
      rule: 'shell-assignment',
      source: 'built-in',
      reason: `\`${keyword}\` of plain variables.`,
    };
  }

  private judgeCommand(inv: Invocation, checks: Decision[]): Decision {
    const name = inv.words[0];
    const args = inv.words.slice(1);
    this.judgeAssignments(inv.assignments, checks, false);
    if (!name) return ask('no-command', 'No command to run.');
    if (name.dynamic) {
      checks.push(ask('dynamic-command-name', `The command name ${code(name.raw)} is only known at run time.`));
    } else if (name.glob || name.brace) {
      checks.push(
        ask(
          'expanded-command-name',
          `The command name ${code(name.raw)} is expanded by the shell (glob or brace expansion).`,
        ),
      );
    }
    const nameKnown = !name.dynamic && !name.glob && !name.brace;
    const base = nameKnown ? basename(name.value) : '';
    const ctx = this.policy.ruleContext(this.cwds);
    const analysis: Analysis = nameKnown ? analyseCommand(base, args, ctx) : emptyAnalysis();
    if (SHELLS.has(base)) analysis.runsCode = true;
    if (inv.scriptFile) analysis.reads.push(inv.scriptFile);
    if (base === 'source' || base === '.') {
      checks.push(ask('source', `\`${base}\` runs the commands in a file, which cannot be checked.`));
      if (args[0]) analysis.reads.push(args[0]);
      for (const w of args.slice(1)) analysis.inert.add(w);
    } else if (base === 'eval' || base === 'trap' || base === 'alias') {
      checks.push(
        ask(
          base,
          `\`${base}\` runs shell code${base === 'eval' ? '' : ' later'}, which is never approved automatically.`,
        ),
      );
      for (const w of args) analysis.inert.add(w);
    }
    inv.runsStdin ||= analysis.runsStdin;
    inv.runsCode ||= analysis.runsCode || isInterpreter(base);
    if (DOWNLOADERS.has(base)) {
      inv.downloads = true;
      this.downloaders.add(inv.cmd);
    }
    if (inv.runsStdin)
      checks.push(ask('interpreter-stdin', `\`${base}\` runs code read from its input, which cannot be checked.`));

    for (const finding of analysis.denies) checks.push(fromFinding('deny', finding));
    const matchArgs = analysis.matchArgs ?? args;
    if (nameKnown) {
      const denied =
        this.policy.matchDeny(name.value, base, matchArgs) ??
        (matchArgs !== args ? this.policy.matchDeny(name.value, base, args) : undefined);
      if (denied)
        checks.push(
          deny(
            denied.entry.value,
            `${code(inv.text)} matches the deny entry \`${denied.entry.value}\` (warden.commands.deny).`,
            denied.entry.source,
          ),
        );
    }
    for (const finding of analysis.risks) checks.push(fromFinding('ask', finding));
    for (const w of analysis.reads)
      this.judgeRead(w, checks, analysis.directoryRead && { ...analysis.directoryRead, command: base });
    if (analysis.trackedRead)
      this.judgeTrackedRead(`git ${analysis.matchArgs?.[0]?.value ?? ''}`.trim(), analysis.trackedRead, checks);
    for (const w of analysis.writes) this.judgeWrite(w, checks, analysis.deletes.has(w));
    const judged = new Set<Word>([...analysis.reads, ...analysis.writes, ...analysis.inert]);
    for (const w of args) if (!judged.has(w)) this.judgeWord(w, checks);

    if (!nameKnown) return ask('dynamic-command-name', 'The command name is only known at run time.');
    const bare = !name.value.includes('/'); // `./cd` or `/tmp/:` merely share a builtin's name
    if (bare && CD_COMMANDS.has(base))
      return {
        decision: 'allow',
        rule: 'cd',
        source: 'built-in',
        reason: 'Changes directory (later paths are judged from there).',
      };
    if (bare && SHELL_CONTROL.has(base))
      return {
        decision: 'allow',
        rule: 'shell-builtin',
        source: 'built-in',
        reason: `\`${base}\` only steers the shell.`,
      };
    if (bare && base === 'set' && args.length > 0 && args.every((w) => !w.dynamic && SAFE_SET_OPTIONS.test(w.value))) {
      return {
        decision: 'allow',
        rule: 'shell-builtin',
        source: 'built-in',
        reason: '`set` of error-handling options.',
      };
    }
    let allowed: Decision | undefined;
    if (bare && inv.script.functions.has(name.value)) {
      allowed = {
        decision: 'allow',
        rule: 'shell-function',
        source: 'built-in',
        reason: `Calls the function \`${name.value}\` defined in this command (its body is judged on its own).`,
      };
    } else {
      const entry = this.policy.matchAllow(name.value, matchArgs);
      if (entry)
        allowed = {
          decision: 'allow',
          rule: entry.entry.value,
          source: entry.entry.source,
          reason: `Matches the allow entry \`${entry.entry.value}\` (warden.commands.allow).`,
        };
    }
    if (!allowed) return ask('default-ask', `\`${base}\` is not in warden.commands.allow.`, 'default');
    // An allow entry covers the command, never what its remaining arguments might smuggle in.
    if (analysis.unknown.length > 0)
      checks.push(
        ask(
          'unknown-option',
          `\`${analysis.unknown[0]}\` is an option of \`${base}\` that Warden does not know, so the allow entry ` +
            `does not cover it.`,
        ),
      );
    const dynamicArgument =
      analysis.dynamic || (!hasInertArguments(base) && args.some((w) => w.dynamic && w.shape.charCodeAt(0) === 0));
    if (dynamicArgument)
      checks.push(
        ask('dynamic-argument', 'An argument is only known at run time, so the allow entry does not cover it.'),
      );
    return allowed;
  }

  private judgeRedirects(inv: Invocation, checks: Decision[]): void {
    for (const r of inv.redirects) {
      switch (r.op) {
        case '<<':
        case '<<-':
        case '<<<':
          continue;
        case '<':
          for (const t of r.targets) this.judgeRead(t, checks);
          continue;
        case '>&':
        case '<&':
          for (const t of r.targets) {
            if (isDescriptorCopy(t)) continue;
            if (r.op === '<&') this.judgeRead(t, checks);
            else this.judgeWrite(t, checks, false);
          }
          continue;
        case '>&-':
        case '<&-':
          continue;
        case '>':
        case '>>':
        case '>|':
        case '&>':
        case '&>>':
          for (const t of r.targets) this.judgeWrite(t, checks, false);
          continue;
        default:
          if (r.op.includes('>')) for (const t of r.targets) this.judgeWrite(t, checks, false);
          if (r.op.includes('<')) for (const t of r.targets) this.judgeRead(t, checks);
          checks.push(ask('unknown-redirect', `The redirection \`${r.op}\` is not understood.`));
      }
    }
  }

  /** Requested path and base directory pairs for a static word, or a reason it cannot be resolved. */
  private locate(word: Word): { requested: string; base: string | undefined }[] | string {
    if (word.dynamic) return 'is only known at run time';
    if (word.glob || word.brace) return 'is expanded by the shell (glob or brace)';
    if (word.innerTilde) return 'contains a `~` the shell may expand';
    const value = word.value;
    if (value === '') return [];
    if (word.tilde) {
      if (value !== '~' && !value.startsWith('~/')) return 'names another user’s home directory';
      return [{ requested: posix.join(this.policy.homeDir, value.slice(1)), base: undefined }];
    }
    if (value.startsWith('/')) return [{ requested: value, base: undefined }];
    if (this.cwdUnknown) return 'is relative to a directory only known at run time (`cd`)';
    // A literal `~` (quoted) is a file named `~`, not the home directory.
    const requested = value.startsWith('~') ? `./${value}` : value;
    return this.cwds.map((cwd) => ({ requested, base: cwd }));
  }

  private judgeRead(word: Word, checks: Decision[], directoryRead?: DirectoryRead & { command: string }): void {
    if (!word.dynamic && (word.value === '-' || word.value === '')) return;
    const where = this.locate(word);
    if (typeof where === 'string') {
      checks.push(ask('read-unresolvable', `Reads ${code(word.raw)}, which ${where}.`));
      return;
    }
    for (const { requested, base } of where) {
      if (requested.startsWith('/dev/') || requested.startsWith('/proc/')) {
        const normal = posix.normalize(requested);
        if (isHarmlessDevice(normal)) continue;
        if (isMemoryDevice(normal)) {
          checks.push(deny('builtin:memory-device', `Reading ${code(normal)} exposes the memory of the machine.`));
          continue;
        }
        if (isEndlessInput(normal)) {
          checks.push(ask('endless-input', `${code(normal)} never ends.`));
          continue;
        }
      }
      const d = this.decidePath('read', requested, base);
      const mapped = this.mapPath(d, 'read', word, false);
      if (mapped) checks.push(mapped);
      else if (directoryRead && d.resolved) this.judgeDirectoryRead(word, d.resolved, directoryRead, checks);
    }
  }

  /** `git diff` prints a tracked `.env` as surely as `cat .env` does, unless its pathspecs leave it out. */
  private judgeTrackedRead(command: string, spec: TrackedRead, checks: Decision[]): void {
    for (const cwd of this.cwds) {
      const here = this.decidePath('read', '.', cwd);
      if (here.folder === undefined || here.resolved === undefined) {
        checks.push(ask('git-content-outside', `\`${command}\` prints files of a repository outside the workspace.`));
        return;
      }
      const tracked = this.policy.paths.deniedFilesUnder?.(here.folder, true);
      if (tracked === undefined) {
        checks.push(
          ask(
            'git-content-unchecked',
            `\`${command}\` prints the content of tracked files, and Warden has not yet listed the denied files ` +
              `git tracks.`,
          ),
        );
        return;
      }
      const base = posix.relative(here.folder, here.resolved);
      for (const relative of tracked) {
        if (!pathspecsShow(spec, base, relative)) continue;
        const d = this.decidePath('read', posix.join(here.folder, relative), undefined);
        if (d.decision !== 'deny') continue;
        checks.push({
          decision: 'deny',
          rule: d.rule,
          source: d.source,
          reason:
            `\`${command}\` prints the content of files git tracks, including ${code(relative)}, which is ` +
            `denied: ${d.reason} Limit it with pathspecs after \`--\`, or exclude the file with \`':!${relative}'\`.`,
        });
        return;
      }
    }
  }

  /** `grep -r x .` reads `.env` as surely as `cat .env` does, unless the command's own filters skip it. */
  private judgeDirectoryRead(
    word: Word,
    dir: string,
    how: DirectoryRead & { command: string },
    checks: Decision[],
  ): void {
    const what = `\`${how.command}\` reads every file under ${code(word.raw)}`;
    const inside = this.policy.paths.deniedFilesUnder?.(dir);
    if (inside === undefined) {
      checks.push(ask('directory-read-unchecked', `${what}, and Warden has not yet listed the denied files there.`));
      return;
    }
    for (const relative of inside) {
      if (!readsUnder(relative, how)) continue;
      const d = this.decidePath('read', posix.join(dir, relative), undefined);
      if (d.decision !== 'deny') continue;
      const shown = posix.join(word.value, relative);
      checks.push({
        decision: 'deny',
        rule: d.rule,
        source: d.source,
        reason:
          `${what}, including ${code(shown)}, which is denied: ${d.reason} Name narrower paths, or exclude ` +
          `it with the command's own options.`,
      });
      return;
    }
  }

  private judgeWrite(word: Word, checks: Decision[], destructive: boolean): void {
    const where = this.locate(word);
    if (typeof where === 'string') {
      checks.push(ask('write-unresolvable', `Writes ${code(word.raw)}, which ${where}.`));
      return;
    }
    for (const { requested, base } of where) {
      const absolute = base === undefined ? posix.resolve(requested) : posix.resolve(base, requested);
      if (absolute.startsWith('/dev/')) {
        if (isHarmlessDevice(absolute)) continue;
        if (isBlockDevice(absolute)) {
          checks.push(deny('builtin:device-write', `Writing ${code(absolute)} overwrites a disk or memory device.`));
          continue;
        }
      }
      if (startupFileRule(absolute, this.policy.homeDir)) {
        checks.push(
          deny(
            'builtin:shell-startup-write',
            `Writing ${code(absolute)} plants commands that run at every login or shell start.`,
          ),
        );
        continue;
      }
      const d = this.decidePath('write', requested, base);
      const mapped = this.mapPath(d, 'write', word, destructive);
      if (mapped) checks.push(mapped);
    }
  }

  /** Any other argument naming a denied file (`echo .env`, `git add .env`) is refused like a read. */
  private judgeWord(word: Word, checks: Decision[]): void {
    if (word.dynamic || word.glob || word.brace || word.value.length === 0 || word.value.length > 4096) return;
    let candidate = word;
    if (word.value.startsWith('-')) {
      const eq = word.value.indexOf('=');
      if (eq < 0) return;
      candidate = sliceWord(word, eq + 1);
      if (candidate.value === '' || candidate.dynamic || candidate.glob) return;
    }
    if (/^\d+$/.test(candidate.value)) return;
    const where = this.locate(candidate);
    if (typeof where === 'string') return;
    for (const { requested, base } of where) {
      const d = this.decidePath('read', requested, base);
      if (d.decision !== 'deny') continue;
      if (!LOCATION_RULES.has(d.rule)) {
        checks.push({
          decision: 'deny',
          rule: d.rule,
          source: d.source,
          reason: `${code(word.raw)} names a file that is denied: ${d.reason}`,
        });
        return;
      }
      const outside = this.outsideDenial(d);
      if (outside) {
        checks.push(outside);
        return;
      }
    }
  }

  /** Path decisions repeat within one command (both readings of a continuation, a word read twice). */
  private decidePath(op: FileOperation, requested: string, base: string | undefined): PathDecision {
    const key = `${op}\u0000${base ?? ''}\u0000${requested}`;
    let d = this.pathMemo.get(key);
    if (!d) {
      d = this.policy.paths.decide(op, requested, base);
      this.pathMemo.set(key, d);
    }
    return d;
  }

  /** For a path outside the workspace: the secret/deny glob covering it, as a denial. */
  private outsideDenial(d: PathDecision): Decision | undefined {
    if (d.rule !== PATH_RULES.outsideWorkspace || !d.resolved || !this.policy.paths.isDenied) return undefined;
    const denied = this.policy.paths.isDenied(d.resolved.replace(/^[/\\]+/, ''));
    if (!denied || denied.decision !== 'deny' || LOCATION_RULES.has(denied.rule)) return undefined;
    return {
      decision: 'deny',
      rule: denied.rule,
      source: denied.source,
      reason: `${code(d.requested)} is outside the workspace and a protected secret: ${denied.reason}`,
    };
  }

  private mapPath(d: PathDecision, op: FileOperation, word: Word, destructive: boolean): Decision | undefined {
    const verb = op === 'read' ? 'Reads' : 'Writes';
    if (d.decision === 'allow') {
      return d.protected && op === 'write'
        ? { decision: 'ask', rule: d.rule, source: d.source, reason: `${verb} a protected file: ${d.reason}` }
        : undefined;
    }
    if (d.decision === 'ask')
      return { decision: 'ask', rule: d.rule, source: d.source, reason: `${verb} ${code(word.raw)}: ${d.reason}` };
    switch (d.rule) {
      case PATH_RULES.outsideWorkspace: {
        const denied = this.outsideDenial(d);
        if (denied) return denied;
        if (op === 'write' && d.resolved && startupFileRule(d.resolved, this.policy.homeDir)) {
          return deny(
            'builtin:shell-startup-write',
            `${code(word.raw)} leads to ${code(d.resolved)}, a file that runs at every login or shell start.`,
          );
        }
        return ask(`${op}-outside-workspace`, `${verb} ${code(word.raw)}, outside every workspace folder.`);
      }
      case PATH_RULES.invalidPath:
        return ask(`${op}-unresolvable`, `${verb} ${code(word.raw)}: ${d.reason}`);
      case PATH_RULES.folderRoot:
        // Writing *into* the folder (`cp a.txt .`) is judged on DEST/NAME; deleting it is refused.
        return destructive
          ? {
              decision: 'deny',
              rule: d.rule,
              source: d.source,
              reason: `Deletes or replaces a whole workspace folder (${code(word.raw)}).`,
            }
          : undefined;
      default:
        return { decision: 'deny', rule: d.rule, source: d.source, reason: `${verb} ${code(word.raw)}: ${d.reason}` };
    }
  }

  // Phase 3: patterns across commands ---------------------------------------------------------------

  crossChecks(parts: CommandPart[]): void {
    // `curl … | sh`: a downloader earlier in a pipeline feeding an interpreter that reads code from stdin.
    const byPipe = new Map<number, { index: number; inv: Invocation }[]>();
    for (const inv of this.invocations) {
      for (let k = 0; k + 1 < inv.pipes.length; k += 2) {
        const list = byPipe.get(inv.pipes[k]) ?? [];
        list.push({ index: inv.pipes[k + 1], inv });
        byPipe.set(inv.pipes[k], list);
      }
    }
    const flagged = new Set<Invocation>();
    for (const members of byPipe.values()) {
      for (const runner of members) {
        if (!runner.inv.runsStdin || flagged.has(runner.inv)) continue;
        if (members.some((m) => m.inv.downloads && m.index < runner.index)) {
          flagged.add(runner.inv);
          parts.push({
            ...deny('builtin:download-exec', 'Code downloaded from the network is piped straight into an interpreter.'),
            text: runner.inv.text,
          });
        }
      }
    }
    // `bash <(curl …)`, `sh -c "$(wget -O- …)"`, `eval "$(curl …)"`: downloaded code as an argument.
    for (const inv of this.invocations) {
      if (!inv.runsCode || flagged.has(inv)) continue;
      const words: Word[] = inv.words.slice(1);
      for (const r of inv.redirects) {
        words.push(...r.targets);
        if (r.herestring) words.push(r.herestring);
      }
      if (words.some((w) => this.downloadsWithin(inv.script, w))) {
        flagged.add(inv);
        parts.push({
          ...deny('builtin:download-exec', 'Code downloaded from the network is run by an interpreter.'),
          text: inv.text,
        });
      }
    }
  }

  private downloadsWithin(script: ParsedScript, word: Word): boolean {
    for (let i = word.subStart; i < word.subEnd; i++) if (this.downloaders.has(script.commands[i])) return true;
    return false;
  }
}

export class CommandPolicy {
  private readonly allow: CompiledEntry[];
  private readonly denyEntries: CompiledEntry[];
  readonly paths: PathJudge;
  readonly homeDir: string;
  private readonly parser: BashParser | undefined;
  private readonly grammarError: string | undefined;

  constructor(options: CommandPolicyOptions) {
    this.allow = compileEntries(options.allow);
    this.denyEntries = compileEntries(options.deny);
    this.paths = options.paths;
    this.parser = options.parser;
    this.grammarError = options.grammarError;
    this.homeDir = posix.resolve('/', options.homeDir);
  }

  /** Never throws: a failing check denies. */
  decide(command: string, cwd: string): CommandDecision {
    try {
      return this.decideOrThrow(command, cwd);
    } catch (error) {
      const failed = failClosed(error);
      return { ...failed, command: String(command), parts: [{ ...failed, text: String(command) }] };
    }
  }

  /** @internal */
  ruleContext(cwds: readonly string[]): RuleContext {
    return { home: this.homeDir, cwds };
  }

  /** @internal */
  matchAllow(name: string, args: readonly Word[]): CompiledEntry | undefined {
    for (const entry of this.allow) if (entry.name === name && leadingArgsMatch(entry, args)) return entry;
    return undefined;
  }

  /** @internal Deny entries also match a path-qualified name (`/usr/bin/curl` for `curl`). */
  matchDeny(name: string, base: string, args: readonly Word[]): CompiledEntry | undefined {
    for (const entry of this.denyEntries)
      if ((entry.name === name || entry.name === base) && leadingArgsMatch(entry, args)) return entry;
    return undefined;
  }

  private decideOrThrow(command: string, cwd: string): CommandDecision {
    if (typeof command !== 'string') throw new Error('the command is not a string');
    if (command.length > MAX_COMMAND_CHARS) {
      return single(
        command,
        ask(
          'command-too-long',
          `The command is longer than ${MAX_COMMAND_CHARS.toLocaleString('en-US')} characters, so it is not analysed.`,
        ),
      );
    }
    // A command decided without the grammar must not become an approvable card once loading has failed.
    if (!this.parser && this.grammarError !== undefined) {
      return single(
        command,
        deny(
          'grammar-failed',
          `The shell grammar failed to load (${this.grammarError}), so no command can be checked.`,
        ),
      );
    }
    if (!this.parser)
      return single(
        command,
        ask('grammar-not-loaded', 'The shell grammar is not loaded yet, so the command cannot be analysed.'),
      );
    if (CONTROL_CHARACTERS.test(command)) {
      return single(
        command,
        ask(
          'control-characters',
          'The command contains control characters that the shell and the parser may read differently.',
        ),
      );
    }
    // A backslash-newline is removed by the shell before anything else, so `\⏎` alone is empty too.
    if (command.replace(/\\\n/g, '').trim() === '')
      return single(command, ask('empty-command', 'The command is empty.'));

    const evaluation = new Evaluation(this, this.parser, cwd);
    const inherited: Inherited = { floors: [], assignments: [], pipes: [] };
    evaluation.analyse(command, 0, inherited);

    const all: CommandPart[] = [];
    for (const inv of evaluation.invocations) all.push(evaluation.judge(inv));
    for (const part of evaluation.extra) all.push(part);
    evaluation.crossChecks(all);
    const parts = withoutDuplicates(all);

    if (parts.length === 0)
      return single(command, ask('empty-command', 'The command runs nothing Warden can identify.'));
    let winner = mostRestrictive(parts) as CommandPart;
    if (winner.decision === 'allow')
      winner = parts.find((p) => p.source === 'user' || p.source === 'workspace') ?? winner;
    const reason =
      parts.length > 1 && winner.text !== command ? `${code(winner.text)}: ${winner.reason}` : winner.reason;
    return { decision: winner.decision, rule: winner.rule, source: winner.source, reason, command, parts };
  }
}

/** The same verdict for the same text once (both readings of a line continuation produce most parts twice). */
function withoutDuplicates(parts: CommandPart[]): CommandPart[] {
  if (parts.length < 2) return parts;
  const seen = new Set<string>();
  const unique: CommandPart[] = [];
  for (const part of parts) {
    const key = `${part.decision}\u0000${part.rule}\u0000${part.text}`;
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(part);
  }
  return unique;
}

function single(command: string, decision: Decision): CommandDecision {
  return { ...decision, command, parts: [{ ...decision, text: command }] };
}

/** Whether a directory-reading command reaches `relative` (a path under the directory it was given). */
export function readsUnder(relative: string, how: DirectoryRead): boolean {
  const segments = relative.split('/');
  const file = segments[segments.length - 1];
  const dirs = segments.slice(0, -1);
  if (how.skipHidden && segments.some((s) => s.startsWith('.'))) return false;
  if (dirs.some((d) => how.skipDirs.some((g) => globMatches(g, d)))) return false;
  if (how.skipFiles.some((g) => globMatches(g, file))) return false;
  // An `--include` glob that cannot be matched here may let the file through.
  return (
    how.onlyFiles.length === 0 || how.onlyFiles.some((g) => g.dynamic || g.value.includes('/') || globMatches(g, file))
  );
}

/** A base-name glob; one only known at run time (or naming a path) matches nothing, so it skips nothing. */
function globMatches(glob: Word, name: string): boolean {
  if (glob.dynamic || glob.value.includes('/')) return false;
  return minimatch(name, glob.value, { dot: true });
}

/** `2>&1`, `>&-`, `<&3-`: a copy or close of a file descriptor, not a file. */
function isDescriptorCopy(target: Word): boolean {
  return !target.dynamic && /^\d+-?$|^-$/.test(target.value);
}

/** A redirection that creates or truncates a file (`> f`, `>& f`), as opposed to one that copies a descriptor. */
function writesFile(r: Redirect): boolean {
  if (!r.op.includes('>') || r.op === '>&-') return false;
  return r.op !== '>&' || r.targets.some((t) => !isDescriptorCopy(t));
}

/**
 * Whether pathspecs (relative to `cwd`, itself relative to the repository folder) let git print `file`
 * (relative to the folder). A pathspec only known at run time, or with magic, may include anything and
 * excludes nothing.
 */
export function pathspecsShow(spec: TrackedRead, cwd: string, file: string): boolean {
  const covers = (w: Word, include: boolean): boolean => {
    if (w.dynamic || w.value.startsWith(':')) return include;
    const path = posix.normalize(posix.join(cwd, w.value)).replace(/\/+$/, '');
    if (path === '..' || path.startsWith('../')) return false;
    if (/[*?[]/.test(path)) return include || minimatch(file, path, { dot: true, matchBase: !path.includes('/') });
    return path === '.' || file === path || file.startsWith(`${path}/`);
  };
  if (spec.include.length > 0 && !spec.include.some((w) => covers(w, true))) return false;
  return !spec.exclude.some((w) => covers(w, false));
}
