// The one registry of command families. Everything that needs to know a command asks here: the
// unwrapper (what is a wrapper, a shell that takes `-c`, a multi-call binary), the per-command rules
// (what a command reads, writes and risks) and the "Always allow" offer. A name belongs to one family
// only; a second claim fails as soon as the module loads.
//
// To teach Warden a command, add it to the family it belongs to in ./families (its option table, what
// it reads and writes, how it runs another command); a new family also goes in COMMAND_FAMILIES below.
import { emptyAnalysis, type Analysis, type RuleContext } from './analysis';
import { ARCHIVERS } from './families/archivers';
import { BUILD_TOOLS } from './families/buildTools';
import { FILE_READERS } from './families/fileReaders';
import { FILE_WRITERS } from './families/fileWriters';
import { GIT } from './families/git';
import { PAGERS_AND_EDITORS } from './families/interactive';
import { INTERPRETERS } from './families/interpreters';
import { NETWORK_TOOLS } from './families/network';
import { PACKAGE_MANAGERS, PACKAGE_RUNNERS } from './families/packageManagers';
import { PLAIN_TEXT_COMMANDS } from './families/plainText';
import { PROGRAMMABLE_TOOLS } from './families/programmableTools';
import { SEARCHERS } from './families/searchers';
import { SHELL_BUILTINS, SHELL_CODE_BUILTINS } from './families/shellBuiltins';
import { MULTI_CALL_BINARIES, SHELLS } from './families/shells';
import { SYSTEM_TOOLS } from './families/system';
import { OPAQUE_WRAPPERS, WRAPPERS } from './families/wrappers';
import { LOOSE_TABLE, scanOptions } from './options';
import type { Word } from './parse/words';
import type { AllowOffer, CommandFamily, CommandSpec, FamilyKind } from './spec';

export const COMMAND_FAMILIES: readonly CommandFamily[] = [
  SHELLS,
  MULTI_CALL_BINARIES,
  INTERPRETERS,
  WRAPPERS,
  OPAQUE_WRAPPERS,
  SHELL_CODE_BUILTINS,
  SHELL_BUILTINS,
  PACKAGE_RUNNERS,
  PACKAGE_MANAGERS,
  BUILD_TOOLS,
  GIT,
  FILE_READERS,
  SEARCHERS,
  PLAIN_TEXT_COMMANDS,
  PAGERS_AND_EDITORS,
  FILE_WRITERS,
  PROGRAMMABLE_TOOLS,
  ARCHIVERS,
  NETWORK_TOOLS,
  SYSTEM_TOOLS,
];

/** A command the registry knows: its name as run, its family, and what the family says about it. */
export interface KnownCommand {
  readonly name: string;
  readonly family: CommandFamily;
  readonly spec: CommandSpec;
}

const byName = new Map<string, KnownCommand>();
for (const family of COMMAND_FAMILIES) {
  for (const [name, spec] of Object.entries(family.commands)) {
    const claimed = byName.get(name);
    if (claimed) throw new Error(`\`${name}\` is in both "${claimed.family.title}" and "${family.title}"`);
    byName.set(name, { name, family, spec });
  }
}
const byPattern = COMMAND_FAMILIES.filter((f) => f.pattern !== undefined);

/** What the registry knows about a command, by its name without a directory (`python3.12`, `git`). */
export function lookupCommand(name: string): KnownCommand | undefined {
  const exact = byName.get(name);
  if (exact) return exact;
  for (const family of byPattern) {
    if (family.pattern?.names.test(name)) return { name, family, spec: family.pattern.spec };
  }
  return undefined;
}

/** Kinds whose commands run whatever they are given: an allow entry for one would allow anything. */
const RUNS_WHAT_IT_IS_GIVEN = new Set<FamilyKind>([
  'shell',
  'multi-call',
  'interpreter',
  'wrapper',
  'shell-code',
  'package-runner',
]);

/** Whether the command runs code it is given or names (for download-and-execute). */
export function runsCode(command: KnownCommand | undefined): boolean {
  if (!command) return false;
  const kind = command.family.kind;
  return kind === 'shell' || kind === 'interpreter' || command.spec.runsCode === true;
}

/** What "Always allow" may offer for the command. */
export function allowOffer(command: KnownCommand | undefined): AllowOffer {
  if (!command) return 'name';
  if (RUNS_WHAT_IT_IS_GIVEN.has(command.family.kind) || command.spec.alwaysAsk) return 'never';
  return command.spec.offer ?? 'name';
}

/** Run-time values in the command's arguments cannot turn into options or paths that matter. */
export function hasInertArguments(command: KnownCommand | undefined): boolean {
  return command?.spec.inertArguments === true;
}

/**
 * A program the registry knows nothing about (or only how to offer it) may run its arguments as a
 * command — `strace`, `chroot`, `flock`, `cross-env` and many more all do.
 */
export function mayRunItsArguments(command: KnownCommand | undefined): boolean {
  if (command === undefined) return true;
  const spec = command.spec;
  return !hasRules(spec) && spec.unwrap === undefined && spec.shellBuiltin === undefined;
}

function hasRules(spec: CommandSpec): boolean {
  return Boolean(spec.custom || spec.table || spec.operands || spec.analyse || spec.alwaysAsk);
}

/** What `name args…` reads, writes and risks, as far as its rules say. */
export function analyseArguments(command: KnownCommand | undefined, args: readonly Word[], ctx: RuleContext): Analysis {
  const out = emptyAnalysis();
  if (!command || !hasRules(command.spec)) return out;
  const spec = command.spec;
  if (spec.alwaysAsk) out.risks.push(spec.alwaysAsk);
  if (spec.custom) {
    spec.custom(args, out, ctx, command.name);
    return out;
  }
  const scan = scanOptions(args, spec.table ?? LOOSE_TABLE, out);
  switch (spec.operands) {
    case 'read':
      for (const w of scan.operands) out.reads.push(w);
      break;
    case 'write':
      for (const w of scan.operands) out.writes.push(w);
      break;
    case 'inert':
      // Plain text, but a word naming a denied file is still refused (`echo .env`).
      break;
    case 'pattern-then-read': {
      const patternGiven =
        scan.values.has('-e') || scan.values.has('--regexp') || scan.values.has('-f') || scan.values.has('--file');
      const operands = patternGiven ? scan.operands : scan.operands.slice(1);
      if (!patternGiven && scan.operands[0]) out.inert.add(scan.operands[0]);
      for (const w of operands) out.reads.push(w);
      break;
    }
    default:
      break;
  }
  spec.analyse?.(args, scan, out, ctx);
  if (spec.inertArguments) out.dynamic = false;
  return out;
}
