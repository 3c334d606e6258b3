// Wrappers: commands that run the rest of their arguments as a command (`env`, `sudo`, `timeout`,
// `nice`, `xargs`, `watch`…). Each one here knows its own options, so the unwrapper finds the command it
// runs; that command is judged on its own, and an allow entry for the wrapper never covers it.
import { literalWord, runtimeWord, sliceWord, type Word } from '../parse/words';
import { each, type CommandFamily, type Unwrapper, type Unwrapping } from '../spec';
import { ask, commandBasename } from '../verdicts';

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Index of the first word after the wrapper's options. An option outside `known` asks: it might take a
 * value, and then the command starts elsewhere.
 */
function skipOptions(step: Unwrapping, known: RegExp, takesValue: ReadonlySet<string> = new Set()): number {
  const words = step.words;
  let i = 1;
  while (i < words.length) {
    const w = words[i];
    if (w.dynamic) return i;
    const t = w.value;
    if (t === '--') return i + 1;
    if (!t.startsWith('-') || t === '-') return i;
    if (!known.test(t)) step.floor(ask('unknown-option', `\`${step.name} ${t}\` is an option Warden does not know.`));
    i += takesValue.has(t) ? 2 : 1;
  }
  return i;
}

/** `env [-i] [-u NAME] [NAME=VALUE]… CMD`: the assignments apply to the command. */
const env: Unwrapper = (step) => {
  const words = step.words;
  let i = 1;
  while (i < words.length) {
    const w = words[i];
    const t = w.value;
    if (w.dynamic) return i;
    if (t === '--') return i + 1;
    if (/^(-i|--ignore-environment|-0|--null|-|-v|--debug)$/.test(t)) {
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
      step.floor(ask('changes-directory', '`env -C` runs the command in another directory.'));
      i += t === '-C' || t === '--chdir' ? 2 : 1;
      continue;
    }
    if (t.startsWith('-S') || t.startsWith('--split-string')) {
      step.floor(ask('env-split-string', '`env -S` splits a string into a command that is not analysed.'));
      // It splits much as a shell splits words: judge the string as a command line too.
      const attached = t.startsWith('--split-string=')
        ? '--split-string='.length
        : t.length > 2 && t[1] === 'S'
          ? 2
          : 0;
      const split = attached > 0 ? sliceWord(w, attached) : words[i + 1];
      const rest = words.slice(attached > 0 ? i + 1 : i + 2);
      if (split && !split.dynamic && rest.every((r) => !r.dynamic))
        step.runCode([split.value, ...rest.map((r) => r.raw)].join(' '));
      return -1;
    }
    if (t.startsWith('-')) {
      step.floor(ask('unknown-option', `\`env ${t}\` is an option Warden does not know.`));
      i++;
      continue;
    }
    const eq = t.indexOf('=');
    if (eq > 0 && VARIABLE_NAME.test(t.slice(0, eq))) {
      step.assign(t.slice(0, eq), sliceWord(w, eq + 1));
      i++;
      continue;
    }
    return i;
  }
  return -1;
};

const SUDO_OPTIONS_WITH_VALUE = new Set([
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

/** `sudo [options] [NAME=VALUE]… CMD`. */
function sudoCommandIndex(step: Unwrapping): number {
  const words = step.words;
  let i = 1;
  while (i < words.length) {
    const w = words[i];
    const t = w.value;
    if (w.dynamic) return i;
    if (t === '--') {
      i++;
      break;
    }
    if (SUDO_OPTIONS_WITH_VALUE.has(t)) {
      i += 2;
      continue;
    }
    if (t.startsWith('-')) {
      if (/^-[^-]*e/.test(t) || t === '--edit') step.floor(ask('sudo', '`sudo -e` edits files as another user.'));
      i++;
      continue;
    }
    break;
  }
  while (i < words.length) {
    const t = words[i].value;
    const eq = t.indexOf('=');
    if (words[i].dynamic || eq <= 0 || !VARIABLE_NAME.test(t.slice(0, eq))) break;
    step.assign(t.slice(0, eq), sliceWord(words[i], eq + 1));
    i++;
  }
  return i < words.length ? i : -1;
}

/** `sudo`, `doas`, `su -c`, `runuser -c`: always ask, and what they run is judged too. */
const asAnotherUser: Unwrapper = (step) => {
  step.floor(ask('sudo', `\`${step.name}\` runs the command as another user: it always asks.`));
  if (step.name !== 'su' && step.name !== 'runuser') return sudoCommandIndex(step);
  const words = step.words;
  const c = words.findIndex((w, k) => k > 0 && (w.value === '-c' || w.value === '--command'));
  const body = c > 0 ? words[c + 1] : undefined;
  if (body && !body.dynamic) step.runCode(body.value);
  else step.judgeSelf({ runsCode: body !== undefined });
  return 'done';
};

const timeout: Unwrapper = (step) =>
  // The duration comes after the options.
  skipOptions(
    step,
    /^-[svk]|^--(signal|kill-after|preserve-status|foreground|verbose)/,
    new Set(['-s', '-k', '--signal', '--kill-after']),
  ) + 1;

const ionice: Unwrapper = (step) => {
  // `ionice -p PID` changes a running process and runs nothing.
  if (step.words.some((w) => w.value === '-p' || w.value === '-P' || w.value === '-u')) return -1;
  return skipOptions(step, /^-[cnt]/, new Set(['-c', '-n', '--class', '--classdata']));
};

const time: Unwrapper = (step) => {
  if (step.words.some((w) => w.value === '-o' || w.value.startsWith('--output')))
    step.floor(ask('time-output', '`time -o` writes a file.'));
  return skipOptions(
    step,
    /^-[pvaqo]|^--(portability|verbose|append|quiet|format|output)/,
    new Set(['-f', '-o', '--format', '--output']),
  );
};

/** `command -v NAME` only looks a name up; `command CMD` runs it, skipping functions. */
const command: Unwrapper = (step) =>
  step.words.some((w, k) => k > 0 && /^-[pvV]*[vV]/.test(w.value)) ? -1 : skipOptions(step, /^-p$/);

const coproc: Unwrapper = (step) => {
  step.floor(ask('coproc', '`coproc` runs a command in the background, connected to the shell.'));
  return 1;
};

/** Commands whose arguments are plain text: the file names xargs adds change nothing. */
const INERT_XARGS_TARGETS = new Set(['echo', 'printf']);

type XargsRole = 'flag' | 'value' | 'optional';
/** xargs' options as GNU getopt reads them: short ones bundle (`-0a.env`), long ones abbreviate (`--arg=`). */
const XARGS_SHORT: Record<string, XargsRole> = {
  ...Object.fromEntries([...'0prtxo'].map((c) => [c, 'flag' as const])),
  ...Object.fromEntries([...'aEILnPsd'].map((c) => [c, 'value' as const])),
  ...Object.fromEntries([...'eil'].map((c) => [c, 'optional' as const])),
};
const XARGS_LONG: Record<string, XargsRole> = {
  null: 'flag',
  'arg-file': 'value',
  delimiter: 'value',
  eof: 'optional',
  replace: 'optional',
  'max-lines': 'optional',
  'max-args': 'value',
  'max-procs': 'value',
  'max-chars': 'value',
  interactive: 'flag',
  'no-run-if-empty': 'flag',
  'open-tty': 'flag',
  verbose: 'flag',
  exit: 'flag',
  'show-limits': 'flag',
  'process-slot-var': 'value',
  help: 'flag',
  version: 'flag',
};

/** What one xargs option word (and maybe the next) says: the words it takes and the option names it holds. */
function xargsOption(word: string, next: Word | undefined): { taken: number; options: [string, string][] } {
  if (word.startsWith('--')) {
    const eq = word.indexOf('=');
    const given = word.slice(2, eq < 0 ? undefined : eq);
    const matches = Object.keys(XARGS_LONG).filter((name) => name.startsWith(given));
    const name = matches.includes(given) ? given : matches.length === 1 ? matches[0] : undefined;
    if (name === undefined) return { taken: 1, options: [[`--${given}`, '']] };
    const role = XARGS_LONG[name];
    if (eq >= 0) return { taken: 1, options: [[name, word.slice(eq + 1)]] };
    if (role === 'value') return { taken: 2, options: [[name, next?.value ?? '']] };
    return { taken: 1, options: [[name, role === 'optional' && name === 'replace' ? '{}' : '']] };
  }
  const options: [string, string][] = [];
  for (let j = 1; j < word.length; j++) {
    const c = word[j];
    const role = XARGS_SHORT[c];
    if (role === undefined) return { taken: 1, options: [...options, [`-${c}`, '']] };
    if (role === 'flag') {
      options.push([c, '']);
      continue;
    }
    const attached = word.slice(j + 1);
    if (role === 'value' && attached === '') return { taken: 2, options: [...options, [c, next?.value ?? '']] };
    return { taken: 1, options: [...options, [c, attached === '' && c === 'i' ? '{}' : attached]] };
  }
  return { taken: 1, options };
}

/**
 * `xargs CMD ARGS…`: CMD runs with arguments only known at run time (the file names on its input), added
 * at the end — or, with `-I R`, put where `R` stands.
 */
const xargs: Unwrapper = (step) => {
  const words = step.words;
  let i = 1;
  let replace: string | undefined;
  while (i < words.length) {
    const t = words[i].value;
    if (words[i].dynamic) break;
    if (t === '--') {
      i++;
      break;
    }
    if (!t.startsWith('-') || t === '-') break;
    const { taken, options } = xargsOption(t, words[i + 1]);
    if (taken === 2 && words[i + 1]?.dynamic)
      step.floor(ask('dynamic-argument', `\`xargs ${t}\` takes a value only known at run time.`));
    for (const [name, value] of options) {
      if (name.startsWith('-'))
        step.floor(ask('unknown-option', `\`xargs ${name}\` is an option Warden does not know.`));
      else if (name === 'a' || name === 'arg-file')
        step.floor(ask('xargs-arg-file', '`xargs -a` reads its arguments from a file.'));
      else if (name === 'process-slot-var')
        step.floor(ask('env-assignment', `\`xargs --process-slot-var\` sets \`${value}\` for the command it runs.`));
      else if (name === 'I' || name === 'i' || name === 'replace') replace = value;
    }
    i += taken;
  }
  const inner = i < words.length ? words.slice(i) : [literalWord('echo')];
  const innerName = inner[0];
  const floors =
    innerName.dynamic || !INERT_XARGS_TARGETS.has(commandBasename(innerName.value))
      ? [ask('xargs', '`xargs` adds arguments only known at run time (file names from its input).')]
      : [];
  const runs = replace
    ? inner.map((w) => (w.value.includes(replace) ? runtimeWord(w.raw) : w))
    : [...inner, runtimeWord('…')];
  step.runCommand(runs, { floors, written: inner.map((w: Word) => w.raw).join(' '), unwrapped: true });
  return 'done';
};

/** `watch CMD` runs CMD through `sh -c` again and again; `watch -x CMD` runs it directly. */
const watch: Unwrapper = (step) => {
  const words = step.words;
  let i = 1;
  let exec = false;
  while (i < words.length && words[i].value.startsWith('-') && !words[i].dynamic) {
    const t = words[i].value;
    if (t === '-x' || t === '--exec') exec = true;
    i += /^(-n|-q|--interval|--equexit)$/.test(t) ? 2 : 1;
  }
  const rest = words.slice(i);
  if (rest.length === 0) return -1;
  if (exec) return i;
  if (rest.some((w) => w.dynamic)) {
    step.floor(ask('dynamic-code', 'The command `watch` runs is only known at run time.'));
    step.judgeSelf({ runsCode: true });
    return 'done';
  }
  step.runCode(rest.map((w) => w.value).join(' '));
  return 'done';
};

export const WRAPPERS: CommandFamily = {
  title: 'wrappers',
  kind: 'wrapper',
  commands: {
    env: { unwrap: env },
    ...each('sudo doas su runuser', { unwrap: asAnotherUser }),
    timeout: { unwrap: timeout },
    nice: { unwrap: (step) => skipOptions(step, /^-(n\d*|-?\d+)$|^--adjustment/, new Set(['-n', '--adjustment'])) },
    ionice: { unwrap: ionice },
    stdbuf: { unwrap: (step) => skipOptions(step, /^-[ioe]|^--(input|output|error)/, new Set(['-i', '-o', '-e'])) },
    ...each('nohup builtin setsid', { unwrap: (step) => skipOptions(step, /^-[cfw]$/) }),
    time: { unwrap: time },
    command: { unwrap: command },
    exec: { unwrap: (step) => skipOptions(step, /^-[cl]+$|^-a$/, new Set(['-a'])) },
    coproc: { unwrap: coproc },
    xargs: { unwrap: xargs },
    watch: { unwrap: watch },
  },
};

/**
 * `strace`, `chroot`, `flock`, `cross-env`…: they run a command somewhere in their arguments, behind options
 * Warden does not model. They always ask; every known command and command string in their arguments is
 * judged too, so a built-in denial inside holds.
 */
const runsACommandSomewhere: Unwrapper = (step) => {
  step.floor(
    ask('runs-command', `\`${step.name}\` runs a command Warden cannot pick out of its arguments: it always asks.`),
  );
  step.judgeSelf();
  step.judgePossibleCommands({ strings: true });
  return 'done';
};

export const OPAQUE_WRAPPERS: CommandFamily = {
  title: 'wrappers whose options are not modelled',
  kind: 'wrapper',
  commands: each(
    'strace ltrace chroot flock taskset nsenter unshare fakeroot proot xvfb-run systemd-run chrt prlimit ' +
      'caffeinate firejail bwrap valgrind gdb perf hyperfine parallel entr watchexec cross-env dotenv dotenvx ' +
      'concurrently nodemon sg newgrp aws-vault doppler',
    { unwrap: runsACommandSomewhere },
  ),
};
