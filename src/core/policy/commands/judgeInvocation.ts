// Phase 2 of a command decision: judge each command found on its own; the most restrictive verdict wins.
//
// How an allow entry is honoured: `warden.commands.allow` names a command and optionally its leading
// arguments (`git log`). A command is allowed only when it matches an entry AND every remaining argument
// is safe for that command: known option shapes only (for commands with a table, an unknown option asks),
// no risky option (`git -c`, `npm --script-shell`, `sed e`, `awk system()`, `find -exec`…), no
// environment assignment, no argument whose value is only known at run time, and every file it reads or
// writes passes the path policy. Built-in denials and `warden.commands.deny` win over any allow entry.
import type { CommandPart, Decision } from '../decision';
import { mostRestrictive } from '../decision';
import type { CommandEntries } from './allowEntries';
import type { Invocation } from './invocation';
import type { PathChecks } from './judgePaths';
import type { Assignment, Redirect } from './parse/simpleCommand';
import type { Word } from './parse/words';
import type { FamilyKind } from './spec';
import { emptyAnalysis, type Analysis, type DirectoryRead, type RuleContext } from './analysis';
import {
  analyseArguments,
  hasInertArguments,
  lookupCommand,
  mayRunItsArguments,
  runsCode,
  type KnownCommand,
} from './registry';
import { reevaluatingArguments } from './parse/reevaluation';
import { isRiskyVariable } from './riskyVariables';
import { ask, commandBasename, deny, fromFinding, quoted } from './verdicts';
import type { WorkingDirectories } from './workingDirectories';

/** Families whose commands may run code from workspace files: a file written earlier in the line can be that code. */
/** Options that, by common convention, make a program write files: its output, or its input in place. */
const WRITE_OPTION =
  /^(?:--(?:fix(?:-[\w-]+)?|write|in-?place|output|out|out-?file|out-?dir|outfile|outdir|save)(?:=.*)?|-o.*|-w|-i|-out)$/;

const RUNS_WORKSPACE_CODE = new Set<FamilyKind>([
  'interpreter',
  'package-manager',
  'package-runner',
  'build-tool',
  'shell',
  'shell-code',
  'programmable-tool',
]);
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** `{NAME}` right before a redirection operator: bash assigns the descriptor it opens to NAME. */
const DESCRIPTOR_VARIABLE = /(?:^|[\s;&|()])\{([A-Za-z_][A-Za-z0-9_]*)\}(?=[<>])/g;
const PLAIN_VALUE = /^[A-Za-z0-9_.,:/@%+=~-]*$/;

export class InvocationJudge {
  /** Where the command being judged runs. */
  private directories: WorkingDirectories | undefined;

  constructor(
    private readonly entries: CommandEntries,
    private readonly paths: PathChecks,
  ) {}

  private get ruleContext(): RuleContext {
    if (this.directories === undefined) throw new Error('InvocationJudge: no working directory given');
    return this.directories.ruleContext;
  }

  /** `inv` judged as it runs in `directories`. */
  judge(inv: Invocation, directories: WorkingDirectories): CommandPart {
    this.directories = directories;
    this.paths.runningIn(directories);
    const checks: Decision[] = inv.floors.slice();
    let verdict: Decision;
    switch (inv.kind) {
      case 'assignment':
        this.judgeAssignments(inv.assignments, checks, true);
        verdict = inv.cmd.idleStage
          ? ask(
              'default-ask',
              'A pipeline stage that only assigns a variable runs nothing; bash would apply the redirections to ' +
                'it, the parser to the whole pipeline.',
              'default',
            )
          : { decision: 'allow', rule: 'shell-assignment', source: 'built-in', reason: 'Sets a shell variable.' };
        break;
      case 'declaration':
        verdict = this.judgeDeclaration(inv, checks);
        break;
      case 'unset':
        this.judgeReevaluation('unset', inv.words.slice(1), checks);
        verdict = {
          decision: 'allow',
          rule: 'shell-assignment',
          source: 'built-in',
          reason: 'Unsets shell variables.',
        };
        break;
      case 'test':
        verdict = { decision: 'allow', rule: 'shell-test', source: 'built-in', reason: 'A shell test.' };
        break;
      case 'redirect-only':
        // `{ …; } > f` applies to commands judged on their own; a bare `> f` is a write of its own.
        verdict =
          inv.cmd.bare && inv.redirects.some(writesFile)
            ? ask('default-ask', 'A redirection without a command creates or truncates a file.', 'default')
            : { decision: 'allow', rule: 'redirect', source: 'built-in', reason: 'Only redirections.' };
        break;
      default:
        verdict = this.judgeCommand(inv, checks);
    }
    this.judgeRedirects(inv, checks);
    checks.push(verdict);
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
    this.judgeReevaluation(keyword, inv.words.slice(1), checks);
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
      checks.push(ask('dynamic-command-name', `The command name ${quoted(name.raw)} is only known at run time.`));
    } else if (name.glob || name.brace) {
      checks.push(
        ask(
          'expanded-command-name',
          `The command name ${quoted(name.raw)} is expanded by the shell (glob or brace expansion).`,
        ),
      );
    }
    if (name.dynamic || name.glob || name.brace) {
      this.judgeArguments(inv, args, undefined, undefined, emptyAnalysis(), checks);
      return ask('dynamic-command-name', 'The command name is only known at run time.');
    }
    const base = commandBasename(name.value);
    const known = lookupCommand(base);
    const analysis = analyseArguments(known, args, this.ruleContext);
    if (known?.spec.evaluatesWords && !name.value.includes('/')) this.judgeReevaluation(base, args, checks);
    if (known?.spec.discoversRepository) this.paths.gitRepository(base, checks);
    this.judgeArguments(inv, args, known, base, analysis, checks);
    const builtin = this.shellBuiltin(inv, known, base);
    if (builtin && known?.spec.shellBuiltin?.changesDirectory) this.judgeDirectoryChange(base, args, checks);
    if (builtin) return builtin;
    const verdict = this.functionCall(inv) ?? this.allowEntryFor(inv, analysis.matchArgs ?? args);
    if (!verdict) return ask('default-ask', notCovered(inv, base), 'default');
    const mustName = analysis.entryMustName;
    if (mustName && verdict.rule.trim().split(/\s+/).length - 1 < mustName.count)
      return ask(
        'entry-too-broad',
        `The allow entry \`${verdict.rule}\` names the program, not what it runs here: only an entry such as ` +
          `\`${mustName.example}\` covers it.`,
      );
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
      analysis.dynamic || (!hasInertArguments(known) && args.some((w) => w.dynamic && w.shape.charCodeAt(0) === 0));
    if (dynamicArgument)
      checks.push(
        ask('dynamic-argument', 'An argument is only known at run time, so the allow entry does not cover it.'),
      );
    return verdict;
  }

  /** What the arguments do: code run from stdin, built-in denials, deny entries, risks, files read and written. */
  private judgeArguments(
    inv: Invocation,
    /** The words after the name. */
    args: Word[],
    known: KnownCommand | undefined,
    /** The name without its directory; undefined when the name itself is only known at run time. */
    base: string | undefined,
    analysis: Analysis,
    checks: Decision[],
  ): void {
    const name = inv.words[0];
    if (inv.scriptFile) analysis.reads.push(inv.scriptFile);
    inv.runsStdin ||= analysis.runsStdin;
    inv.runsCode ||= analysis.runsCode || runsCode(known);
    if (known?.spec.downloads) inv.downloads = true;
    if (inv.runsStdin)
      checks.push(
        ask('interpreter-stdin', `\`${base ?? ''}\` runs code read from its input, which cannot be checked.`),
      );

    if (!known?.spec.createsOnlyDirectories && analysis.writes.some((w) => w.dynamic || !w.value.startsWith('/dev/')))
      inv.writesFiles = true;
    // A program Warden does not model may still say it writes (`eslint --fix`, `prettier --write`, `-o out`).
    else if (known === undefined && args.some((w) => WRITE_OPTION.test(w.value))) inv.writesFiles = true;
    if (base !== undefined && (known === undefined || RUNS_WORKSPACE_CODE.has(known.family.kind)))
      inv.runsWorkspaceCode = true;
    for (const finding of analysis.denies) checks.push(fromFinding('deny', finding));
    const matchArgs = analysis.matchArgs ?? args;
    if (base !== undefined) {
      const denied =
        this.entries.denying(name.value, base, matchArgs) ??
        (matchArgs !== args ? this.entries.denying(name.value, base, args) : undefined);
      if (denied)
        checks.push(
          deny(
            denied.value,
            `${quoted(inv.text)} matches the deny entry \`${denied.value}\` (warden.commands.deny).`,
            denied.source,
          ),
        );
    }
    for (const finding of analysis.risks) checks.push(fromFinding('ask', finding));
    const directoryRead = analysis.directoryRead && namedDirectoryRead(analysis.directoryRead, base ?? '');
    const listsNames = known?.spec.listsNames === true;
    const expandsGlobs = analysis.writes.length === 0;
    for (const w of analysis.reads) this.paths.read(w, checks, { directoryRead, listsNames, expandsGlobs });
    if (analysis.trackedRead)
      this.paths.trackedRead(`git ${analysis.matchArgs?.[0]?.value ?? ''}`.trim(), analysis.trackedRead, checks);
    for (const w of analysis.writes) this.paths.write(w, checks, analysis.deletes.has(w));
    const judged = judgedWords(analysis);
    // A program without rules (or with rules that say so) may read or write any of its arguments.
    const opaque = base !== undefined && (mayRunItsArguments(known) || analysis.opaque === true);
    for (const w of args) {
      if (judged(w)) continue;
      if (opaque && !analysis.optionWords.has(w)) this.paths.opaqueWord(w, base, checks);
      else this.paths.word(w, checks);
    }
  }

  /**
   * Where a `cd` goes is read like any directory named on the line: commands after it read it without naming
   * it (`cd ~ && ls`, `cd .. && git log`), so outside the workspace, or only known at run time, asks.
   */
  private judgeDirectoryChange(base: string, args: readonly Word[], checks: Decision[]): void {
    const operands = args.filter((w) => !/^-[LPe@]+$/.test(w.value) && w.value !== '--');
    const target = operands[0];
    if (base === 'cd' && target === undefined) {
      checks.push(ask('read-outside-workspace', '`cd` goes to the home directory, outside every workspace folder.'));
      return;
    }
    if (base === 'popd' || target === undefined || /^(-|[+-]\d+)$/.test(target.value)) {
      checks.push(ask('read-unresolvable', `\`${base}\` goes to a directory only known at run time.`));
      return;
    }
    this.paths.read(target, checks);
  }

  /** Names with subscripts and arithmetic words that a builtin evaluates: a `$(…)` in them would run. */
  private judgeReevaluation(name: string, args: readonly Word[], checks: Decision[]): void {
    const found = reevaluatingArguments(name, args);
    if (found) checks.push(ask('reevaluated-expansion', found.reason));
  }

  /** A shell builtin that only steers the shell needs no entry. `./cd` or `/tmp/:` merely share its name. */
  private shellBuiltin(inv: Invocation, known: KnownCommand | undefined, base: string): Decision | undefined {
    const builtin = known?.spec.shellBuiltin;
    if (!builtin || inv.words[0].value.includes('/') || !(builtin.accepts?.(inv.words.slice(1)) ?? true))
      return undefined;
    return { decision: 'allow', rule: builtin.rule, source: 'built-in', reason: builtin.reason(base) };
  }

  /** Calling a function defined in the same command needs no entry: its body is judged on its own. */
  private functionCall(inv: Invocation): Decision | undefined {
    const name = inv.words[0];
    if (!name.value.includes('/') && inv.script.functions.has(name.value))
      return {
        decision: 'allow',
        rule: 'shell-function',
        source: 'built-in',
        reason: `Calls the function \`${name.value}\` defined in this command (its body is judged on its own).`,
      };
    return undefined;
  }

  private allowEntryFor(inv: Invocation, matchArgs: readonly Word[]): Decision | undefined {
    const runner = inv.runner;
    const entry = runner
      ? (this.entries.allowingThrough(runner, inv.words) ??
        (runner.ownEntries ? this.entries.allowing(inv.words[0].value, matchArgs) : undefined))
      : this.entries.allowing(inv.words[0].value, matchArgs);
    if (!entry) return undefined;
    return {
      decision: 'allow',
      rule: entry.value,
      source: entry.source,
      reason: `Matches the allow entry \`${entry.value}\` (warden.commands.allow).`,
    };
  }

  private judgeRedirects(inv: Invocation, checks: Decision[]): void {
    // `{GLOBIGNORE}>/dev/null` stores the new descriptor's number in the variable (the grammar reads a word).
    const text = inv.cmd.text;
    if (text.includes('}>') || text.includes('}<'))
      for (const [, name] of text.matchAll(DESCRIPTOR_VARIABLE))
        if (isRiskyVariable(name))
          checks.push(ask('risky-variable', `Setting \`${name}\` changes what programs load or run.`));
    for (const r of inv.redirects) {
      if (writesFile(r) && r.targets.some((t) => t.dynamic || !t.value.startsWith('/dev/'))) inv.writesFiles = true;
      switch (r.op) {
        case '<<':
        case '<<-':
        case '<<<':
          continue;
        case '<':
          for (const t of r.targets) this.paths.read(t, checks);
          continue;
        case '>&':
        case '<&':
          for (const t of r.targets) {
            if (isDescriptorCopy(t)) continue;
            if (r.op === '<&') this.paths.read(t, checks);
            else this.paths.write(t, checks, false);
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
          for (const t of r.targets) this.paths.write(t, checks, false);
          continue;
        default:
          if (r.op.includes('>')) for (const t of r.targets) this.paths.write(t, checks, false);
          if (r.op.includes('<')) for (const t of r.targets) this.paths.read(t, checks);
          checks.push(ask('unknown-redirect', `The redirection \`${r.op}\` is not understood.`));
      }
    }
  }
}

/** A directory read with the command's name for the reason (fields copied: a spread costs more, at this rate). */
function namedDirectoryRead(read: DirectoryRead, command: string): DirectoryRead & { command: string } {
  // Every field named: a field added to DirectoryRead fails to compile here rather than go missing.
  const named: { [K in keyof Required<DirectoryRead>]: DirectoryRead[K] } & { command: string } = {
    skipHidden: read.skipHidden,
    skipFiles: read.skipFiles,
    skipDirs: read.skipDirs,
    onlyFiles: read.onlyFiles,
    skipLinks: read.skipLinks,
    command,
  };
  return named;
}

/** Whether a word was judged as a read, a write or inert text; a set only for many (most commands have a few). */
function judgedWords(analysis: Analysis): (w: Word) => boolean {
  const { inert, reads, writes } = analysis;
  if (reads.length + writes.length > 8) {
    const judged = new Set<Word>(inert);
    for (const w of reads) judged.add(w);
    for (const w of writes) judged.add(w);
    return (w) => judged.has(w);
  }
  return (w) => inert.has(w) || reads.includes(w) || writes.includes(w);
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

/** Why no allow entry covers the command. */
function notCovered(inv: Invocation, base: string): string {
  if (!inv.runner || inv.runner.ownEntries) return `\`${base}\` is not in warden.commands.allow.`;
  const runner = inv.runner.words.map((w) => w.raw).join(' ');
  return (
    `\`${runner}\` may download the package it runs: only an allow entry naming both, such as ` +
    `\`${runner} ${base}\`, covers it.`
  );
}
