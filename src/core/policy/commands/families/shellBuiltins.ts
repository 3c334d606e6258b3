// Shell builtins that only steer the shell (`cd`, `exit`, `set -e`) and need no allow entry, and the
// builtins that run shell code now or later (`eval`, `source`, `trap`, `alias`), which always ask: the
// code they run is judged too, so what it would refuse is still refused.
import type { Analysis } from '../analysis';
import { optionTable } from '../options';
import type { Word } from '../parse/words';
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
    ...each('exit return break continue shift wait', {
      shellBuiltin: { rule: 'shell-builtin', reason: (name) => `\`${name}\` only steers the shell.` },
    }),
    // A name with a subscript (`read 'a[$(id)]'`) or an arithmetic word (`let x`) is evaluated again.
    ...each('let test [ read mapfile readarray', { evaluatesWords: true }),
    set: {
      shellBuiltin: {
        rule: 'shell-builtin',
        reason: () => '`set` of error-handling options.',
        accepts: (args) => args.length > 0 && args.every((w) => !w.dynamic && SAFE_SET_OPTIONS.test(w.value)),
      },
    },
  },
};

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
