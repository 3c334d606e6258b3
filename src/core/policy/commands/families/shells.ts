// Shells and multi-call binaries. A shell's `-c` string, heredoc or here-string is parsed and judged
// command by command; a script file it runs is read through the path policy; code it reads from stdin
// cannot be checked. A multi-call binary (busybox, toybox) becomes the program its first argument names,
// and that program is judged as itself — an entry for the binary never covers it.
import { sliceWord } from '../parse/words';
import { each, type CommandFamily, type Unwrapper } from '../spec';
import { ask } from '../verdicts';
import { isDescriptorPath } from '../systemPaths';

/** `sh -c CODE`, `bash script.sh`, `bash <<EOF`, `sh` reading stdin. */
const runsShellCode: Unwrapper = (step) => {
  const words = step.words;
  let i = 1;
  let commandString = false;
  let stdin = false;
  while (i < words.length) {
    const w = words[i];
    const t = w.value;
    if (w.dynamic) {
      step.floor(ask('dynamic-argument', 'A shell option is only known at run time.'));
      step.judgeSelf({ runsCode: true });
      return 'done';
    }
    if (t === '--' || t === '-') {
      i++;
      break;
    }
    if (/^[-+][A-Za-z]+$/.test(t)) {
      if (t[0] === '-' && t.includes('c')) commandString = true;
      if (t[0] === '-' && t.includes('s')) stdin = true;
      // `-O dotglob`, `-O globstar`: the code's globs match what bash's defaults do not.
      if (t.includes('O'))
        step.floor(ask('shell-options', `\`${t}\` sets shell options that change how the code expands globs.`));
      i += /[oO]/.test(t) ? 2 : 1;
      continue;
    }
    if (t === '--rcfile' || t === '--init-file') {
      step.floor(ask('shell-startup-file', `\`${t}\` runs another startup file first.`));
      i += 2;
      continue;
    }
    if (/^--(norc|noprofile|posix|login|restricted|verbose|noediting|help|version|pretty-print)$/.test(t)) {
      i++;
      continue;
    }
    if (t.startsWith('-')) {
      step.floor(ask('unknown-option', `\`${t}\` is a shell option Warden does not know.`));
      i++;
      continue;
    }
    break;
  }
  if (commandString) {
    const body = words[i];
    if (!body || body.dynamic) {
      // `sh -c "$X"`: code only known at run time.
      if (body) step.floor(ask('dynamic-code', 'The shell code is only known at run time.'));
      step.judgeSelf({ runsCode: true });
      return 'done';
    }
    step.keepRedirects();
    step.runCode(body.value, { text: body.value });
    return 'done';
  }
  // `bash /dev/stdin` reads its code from its input like `bash -s`: judged as such, never as a script file.
  if (i < words.length && !words[i].dynamic && isDescriptorPath(words[i].value)) stdin = true;
  if (i < words.length && !stdin) {
    // `bash script.sh`: runs a file (read through the path policy) — an allow entry decides.
    step.judgeSelf({ runsCode: true, scriptFile: words[i] });
    return 'done';
  }
  const heredoc = step.redirects.find((r) => r.op === '<<' || r.op === '<<-' || r.op === '<<<');
  const heredocText =
    heredoc?.op === '<<<'
      ? heredoc.herestring && !heredoc.herestring.dynamic
        ? heredoc.herestring.value
        : undefined
      : heredoc?.heredoc;
  if (heredoc && heredocText !== undefined) {
    step.keepRedirects();
    step.runCode(heredocText, { text: heredocText });
    return 'done';
  }
  step.judgeSelf({ runsStdin: true, runsCode: true });
  return 'done';
};

export const SHELLS: CommandFamily = {
  title: 'shells',
  kind: 'shell',
  commands: each(
    'sh bash rbash zsh dash ksh mksh lksh pdksh oksh loksh ash hush posh yash fish csh tcsh nu xonsh elvish',
    { unwrap: runsShellCode },
  ),
};

/** Options of a multi-call binary that print and run nothing. */
const MULTI_CALL_INFO = new Set(['--help', '--list', '--list-full', '--long', '--version']);
const GNU_COREUTILS_PROGRAM = '--coreutils-prog=';

/** `busybox rm -rf ~` is `rm -rf ~`; `coreutils --coreutils-prog=rm -rf ~` too. */
const becomesItsFirstArgument: Unwrapper = (step) => {
  const first = step.words[1];
  if (!first) return -1;
  if (!first.dynamic && first.value.startsWith(GNU_COREUTILS_PROGRAM)) {
    const program = sliceWord(first, GNU_COREUTILS_PROGRAM.length);
    step.runCommand([program, ...step.words.slice(2)], { written: step.text, unwrapped: true });
    return 'done';
  }
  if (!first.dynamic && first.value.startsWith('-')) {
    if (!MULTI_CALL_INFO.has(first.value))
      step.floor(ask('unknown-option', `\`${step.name} ${first.value}\` is an option Warden does not know.`));
    return -1;
  }
  return 1;
};

export const MULTI_CALL_BINARIES: CommandFamily = {
  title: 'multi-call binaries',
  kind: 'multi-call',
  commands: each('busybox toybox coreutils', { unwrap: becomesItsFirstArgument }),
};
