// The user's allow and deny entries (`warden.commands.allow` / `.deny`): a command name and optionally
// its leading arguments. An argument only known at run time, or one the shell expands, never matches.
import type { RuleEntry } from '../policy';
import type { Word } from './parse/words';
import type { RunnerPrefix } from './spec';

interface CompiledEntry {
  entry: RuleEntry;
  name: string;
  args: string[];
}

function compile(entries: readonly RuleEntry[]): CompiledEntry[] {
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

const NO_ENTRIES: readonly CompiledEntry[] = [];

export class CommandEntries {
  /** Allow entries by the name they start with, each list in settings order (every command looks its name up). */
  private readonly allow = new Map<string, CompiledEntry[]>();
  private readonly deny: CompiledEntry[];

  constructor(allow: readonly RuleEntry[], deny: readonly RuleEntry[]) {
    for (const e of compile(allow)) {
      const named = this.allow.get(e.name);
      if (named) named.push(e);
      else this.allow.set(e.name, [e]);
    }
    this.deny = compile(deny);
  }

  private allowNamed(name: string): readonly CompiledEntry[] {
    return this.allow.get(name) ?? NO_ENTRIES;
  }

  /** The most specific allow entry covering `name args…` (the name exactly as written), if any. */
  allowing(name: string, args: readonly Word[]): RuleEntry | undefined {
    let best: CompiledEntry | undefined;
    for (const e of this.allowNamed(name))
      if (leadingArgsMatch(e, args) && (!best || e.args.length > best.args.length)) best = e;
    return best?.entry;
  }

  /**
   * The allow entry naming a package runner together with the command it runs (`npx tsc` for `npx tsc
   * --noEmit`). An entry naming the runner alone (`npx`) covers nothing the runner runs.
   */
  allowingThrough(runner: RunnerPrefix, words: readonly Word[]): RuleEntry | undefined {
    const [first, ...rest] = runner.words;
    if (!first || first.dynamic) return undefined;
    const args = [...rest, ...words];
    for (const e of this.allowNamed(first.value))
      if (e.args.length > rest.length && leadingArgsMatch(e, args)) return e.entry;
    return undefined;
  }

  /** The deny entry covering the command; deny entries also match a path-qualified name (`/usr/bin/curl`). */
  denying(name: string, base: string, args: readonly Word[]): RuleEntry | undefined {
    for (const e of this.deny) if ((e.name === name || e.name === base) && leadingArgsMatch(e, args)) return e.entry;
    return undefined;
  }
}
