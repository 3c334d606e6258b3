// Shell builtins that only steer the shell (`cd`, `exit`, `set -e`) and need no allow entry, and the
// builtins that run shell code now or later (`eval`, `source`, `trap`, `alias`), which always ask: the
// code they run is judged too, so what it would refuse is still refused.
import type { Analysis } from '../analysis';
import { optionTable } from '../options';
import { sliceWord, type Word } from '../parse/words';
import { isRiskyVariable } from '../riskyVariables';
import { each, type CommandFamily, type Unwrapper } from '../spec';
import { ask } from '../verdicts';

const SAFE_SET_OPTIONS = /^[-+][euxvo]+$|^(pipefail|errexit|nounset|xtrace|verbose|noclobber)$/;

export const SHELL_BUILTINS: CommandFamily = {
  title: 'shell builtins',
  kind: 'shell-builtin',
  commands: {
    ...each('cd pushd popd', {
      shellBuiltin: {
        rule: 'cd',
        reason: () => 'Changes directory (later paths are judged from there).',
        changesDirectory: true,
      },
    }),
    ...each('true false :', {
      operands: 'inert',
      inertArguments: true,
      table: optionTable({ strict: false }),
      shellBuiltin: { rule: 'shell-builtin', reason: (name) => `\`${name}\` only steers the shell.` },
    }),
    ...each('exit return break continue shift', {
      shellBuiltin: { rule: 'shell-builtin', reason: (name) => `\`${name}\` only steers the shell.` },
    }),
    wait: {
      custom: assignsVariables,
      shellBuiltin: { rule: 'shell-builtin', reason: (name) => `\`${name}\` only steers the shell.` },
    },
    // A name with a subscript (`read 'a[$(id)]'`) or an arithmetic word (`let x`) is evaluated again.
    ...each('test [', { evaluatesWords: true }),
    let: { evaluatesWords: true, custom: arithmeticAssigns },
    ...each('read mapfile readarray', { evaluatesWords: true, custom: assignsVariables }),
    set: {
      shellBuiltin: {
        rule: 'shell-builtin',
        reason: () => '`set` of error-handling options.',
        accepts: (args) => args.length > 0 && args.every((w) => !w.dynamic && SAFE_SET_OPTIONS.test(w.value)),
      },
    },
  },
};

/** Per builtin that assigns variables: its options that take a value, and which of those name a variable. */
const ASSIGNING: Record<string, { valued: string; naming: string; operandsAreNames: boolean }> = {
  read: { valued: 'adinNptu', naming: 'a', operandsAreNames: true },
  mapfile: { valued: 'dnOsuCc', naming: '', operandsAreNames: true },
  readarray: { valued: 'dnOsuCc', naming: '', operandsAreNames: true },
  wait: { valued: 'p', naming: 'p', operandsAreNames: false },
};

/**
 * `read PATH`, `mapfile -t IFS`, `wait -p GLOBIGNORE`: assigning a variable this way is as risky as `PATH=…`.
 * A name only known at run time asks; `mapfile -C` runs code for every line it reads.
 */
function assignsVariables(args: readonly Word[], out: Analysis, _ctx: unknown, name: string): void {
  const spec = ASSIGNING[name];
  const names: Word[] = [];
  let options = true;
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    out.inert.add(w);
    if (options && w.value === '--') options = false;
    else if (options && w.value.length > 1 && w.value.startsWith('-') && !w.dynamic) {
      for (let at = 1; at < w.value.length; at++) {
        const option = w.value[at];
        if (!spec.valued.includes(option)) continue;
        if (option === 'C')
          out.risks.push({ rule: 'shell-code', reason: `\`${name} -C\` runs shell code for the lines it reads.` });
        const attached = at + 1 < w.value.length;
        const value = attached ? sliceWord(w, at + 1) : args[++i];
        if (value !== undefined) out.inert.add(value);
        if (value !== undefined && spec.naming.includes(option)) names.push(value);
        break;
      }
    } else if (spec.operandsAreNames) names.push(w);
  }
  for (const variable of names) {
    const base = variable.value.replace(/\[.*$/s, '');
    if (variable.dynamic)
      out.risks.push({ rule: 'risky-variable', reason: `\`${name}\` assigns a variable only known at run time.` });
    else if (isRiskyVariable(base))
      out.risks.push({ rule: 'risky-variable', reason: `Setting \`${base}\` changes what programs load or run.` });
  }
}

/** `let GLOBIGNORE=1`, `let IFS++`: an arithmetic expression may assign any variable it names. */
function arithmeticAssigns(args: readonly Word[], out: Analysis, _ctx: unknown, name: string): void {
  for (const w of args) {
    out.inert.add(w);
    if (w.dynamic) continue;
    for (const [variable] of w.value.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g))
      if (isRiskyVariable(variable))
        out.risks.push({
          rule: 'risky-variable',
          reason: `\`${name}\` may set \`${variable}\`, which changes what programs load or run.`,
        });
  }
}

/** `eval` runs its arguments now, `trap` and `alias` later: refuse what the code would refuse, and ask. */
const runsShellCode: Unwrapper = (step) => {
  const name = step.name;
  const args = step.words.slice(1).filter((w) => !(name === 'trap' && /^-/.test(w.value)));
  const codeWords = name === 'trap' ? args.slice(0, 1) : args;
  if (codeWords.length > 0 && codeWords.every((w) => !w.dynamic)) {
    const code =
      name === 'alias'
        ? codeWords.map((w) => w.value.slice(w.value.indexOf('=') + 1)).join('\n')
        : codeWords.map((w) => w.value).join(' ');
    step.runCode(code, { floors: [ask(name, `\`${name}\` runs shell code.`)] });
  }
  step.judgeSelf({ runsCode: true });
  return 'done';
};

function shellCodeArguments(args: readonly Word[], out: Analysis, _ctx: unknown, name: string): void {
  out.risks.push({
    rule: name,
    reason: `\`${name}\` runs shell code${name === 'eval' ? '' : ' later'}, which is never approved automatically.`,
  });
  for (const w of args) out.inert.add(w);
}

/** `source FILE ARGS…`: the file is read (and its commands cannot be checked); the rest is its arguments. */
function sourceArguments(args: readonly Word[], out: Analysis, _ctx: unknown, name: string): void {
  out.risks.push({ rule: 'source', reason: `\`${name}\` runs the commands in a file, which cannot be checked.` });
  if (args[0]) out.reads.push(args[0]);
  for (const w of args.slice(1)) out.inert.add(w);
}

export const SHELL_CODE_BUILTINS: CommandFamily = {
  title: 'builtins that run shell code',
  kind: 'shell-code',
  commands: {
    ...each('eval trap alias', { custom: shellCodeArguments, unwrap: runsShellCode }),
    ...each('source .', {
      custom: sourceArguments,
      unwrap: (step) => {
        step.judgeSelf({ runsCode: true });
        return 'done';
      },
    }),
  },
};
