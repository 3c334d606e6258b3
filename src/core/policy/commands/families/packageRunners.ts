// How a package manager runs a command: `npx tsc`, `npm exec -- tsc`, `pnpm dlx x`, `uv run pytest`,
// `poetry run pytest`, `bun exec 'script'`. The manager is judged as itself and the command it runs is
// judged on its own, so a built-in denial inside (`npm exec -- rm -rf ~`) holds whatever the allow list
// says. An entry covers what a runner runs only when it names both (`npx tsc`); for a runner that never
// downloads (`poetry run`), an entry for the command alone covers it too.
import { sliceWord, type Word } from '../parse/words';
import type { Unwrapper } from '../spec';
import { ask } from '../verdicts';

/** What a running subcommand does with the words after it. */
type RunnerForm =
  /** Runs a named package's program, downloading the package when it is not installed. */
  | 'downloads'
  /** Runs a program already installed in the project or its environment. */
  | 'local'
  /** Runs its words as shell code (`bun exec 'rm x'`). */
  | 'shell-code';

export interface RunnerSyntax {
  /** Set for a runner that runs its first operand (`npx`); otherwise the subcommands that run one. */
  readonly runs?: RunnerForm;
  /** Subcommands (two words joined by a space, as `tool run`) that run the command after them. */
  readonly subcommands?: Readonly<Record<string, RunnerForm>>;
  /** Options known to take no value. */
  readonly flags: ReadonlySet<string>;
  /** Options that take a value (`--package x`). */
  readonly valueOptions: ReadonlySet<string>;
  /** Options whose value is shell code (`npx -c 'cmd'`). */
  readonly codeOptions?: ReadonlySet<string>;
  /** Flags after which the command words are run as shell code (`pnpm dlx -c`). */
  readonly shellModeFlags?: ReadonlySet<string>;
}

/** Finds the command a package manager runs; the manager itself is always judged as well. */
export function runsPackages(syntax: RunnerSyntax): Unwrapper {
  return (step) => {
    const words = step.words;
    let form = syntax.runs;
    let shellMode = false;
    let i = 1;
    for (; i < words.length; i++) {
      const w = words[i];
      const t = w.value;
      // What runs is only known at run time: the manager's own judgement covers it (it asks).
      if (w.dynamic) return -1;
      if (t === '--') {
        i++;
        break;
      }
      if (t.startsWith('-') && t !== '-') {
        const eq = t.indexOf('=');
        const name = eq > 0 ? t.slice(0, eq) : t;
        if (syntax.codeOptions?.has(name)) {
          const code = eq > 0 ? sliceWord(w, eq + 1) : words[++i];
          if (code && !code.dynamic) step.runCode(code.value);
          continue;
        }
        if (syntax.shellModeFlags?.has(name)) shellMode = true;
        else if (syntax.valueOptions.has(name)) {
          if (eq < 0) i++;
        } else if (!syntax.flags.has(name) && eq < 0) {
          // It may take a value, and then the command starts elsewhere.
          step.floor(ask('unknown-option', `\`${step.name} ${t}\` is an option Warden does not know.`));
        }
        continue;
      }
      if (form !== undefined) break;
      const sub = syntax.subcommands?.[t] ?? syntax.subcommands?.[`${t} ${words[i + 1]?.value ?? ''}`];
      // Any other subcommand runs the project's own scripts or the manager itself.
      if (sub === undefined) return -1;
      if (syntax.subcommands?.[t] === undefined) i++;
      form = sub;
    }
    const inner = words.slice(i);
    if (form === undefined || inner.length === 0) return -1;
    if (form === 'shell-code' || shellMode) return runsAsShellCode(step, inner);
    step.judgeSelf();
    step.runCommand(inner, {
      written: step.text,
      unwrapped: false,
      runner: { words: words.slice(0, i), ownEntries: form === 'local' },
    });
    return 'done';
  };
}

function runsAsShellCode(step: Parameters<Unwrapper>[0], inner: readonly Word[]): 'done' {
  if (inner.some((w) => w.dynamic)) {
    step.floor(ask('dynamic-code', `The code \`${step.name}\` runs is only known at run time.`));
    step.judgeSelf({ runsCode: true });
    return 'done';
  }
  step.judgeSelf();
  step.runCode(inner.map((w) => w.value).join(' '));
  return 'done';
}
