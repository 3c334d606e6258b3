// The directories a command line may run in: the one it starts in, plus every place a `cd` in it goes.
// Relative paths are judged from each of them, since the order the shell runs things in is not tracked.
import { resolvedPath } from '../canonicalPath';
import type { RuleContext } from './analysis';
import { literalWord, type Word } from './parse/words';
import { resolveStatic } from './systemPaths';

/** Distinct working directories tracked through `cd` before relative paths become unknown. */
const MAX_CWDS = 8;

export class WorkingDirectories {
  readonly all: string[];
  /** A `cd` went somewhere only known at run time: relative paths cannot be resolved. */
  unknown = false;
  /** What the rules read: `cwds` is `all` itself, so a later `cd` shows in it too. */
  readonly ruleContext: RuleContext;

  constructor(
    start: string,
    readonly home: string,
  ) {
    this.all = [resolvedPath('/', start)];
    this.ruleContext = { home, cwds: this.all };
  }

  /** A `cd`, `pushd` or `popd` anywhere adds its target to the directories (order-free). */
  track(command: string, args: readonly Word[]): void {
    const operands = args.filter((w) => !/^-[LPe@]+$/.test(w.value) && w.value !== '--');
    if (command === 'popd' || (command === 'pushd' && operands.length === 0)) {
      this.unknown = true;
      return;
    }
    const target = operands[0] ?? literalWord('~');
    if (target.value === '-' || /^[+-]\d+$/.test(target.value)) {
      this.unknown = true;
      return;
    }
    const home: Word = operands.length === 0 ? { ...literalWord('~'), tilde: true } : target;
    const resolved = resolveStatic(home, this.ruleContext);
    if (!resolved) {
      this.unknown = true;
      return;
    }
    for (const dir of resolved) if (!this.all.includes(dir)) this.all.push(dir);
    if (this.all.length > MAX_CWDS) this.unknown = true;
  }
}
