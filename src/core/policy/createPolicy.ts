// Builds the one Policy the agent consults from the merged settings: paths, commands (which send the
// files they touch through the same path policy), limits and redaction. Rebuilt on every settings change.
import { posix } from 'node:path';
import { alwaysAllowEntry, CommandPolicy } from './commands';
import type { ObservedEntries } from '../ports';
import type { BashParser } from './bashGrammar';
import type { CommandDecision, FileOperation, PathDecision } from './decision';
import { PathPolicy } from './pathPolicy';
import type { EffectiveSettings, Limits, Policy, PolicyEnvironment, SettingProblem } from './policy';
import { redactSecrets } from './redaction';

function isAbsolute(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path);
}

/** `parser` undefined (grammar not loaded yet): every command decision is `ask`. */
/** `grammarError`: the bash grammar failed to load, so every command is refused rather than asked. */
export function createPolicy(
  settings: EffectiveSettings,
  env: PolicyEnvironment,
  parser: BashParser | undefined,
  grammarError?: string,
): Policy {
  const paths = new PathPolicy(settings, env);
  const commands = new CommandPolicy({
    allow: settings.commandAllow,
    deny: settings.commandDeny,
    paths,
    parser,
    grammarError,
    homeDir: env.homeDir,
  });
  const limits: Limits = Object.freeze({ ...settings.limits });
  const problems: readonly SettingProblem[] = Object.freeze(settings.problems.slice());
  const firstFolder = env.workspaceFolders[0];

  return {
    limits,
    problems,
    decidePath(op: FileOperation, path: string): PathDecision {
      return paths.decide(op, path, firstFolder);
    },
    decidePaths(op: FileOperation, batch: readonly string[], observed?: ObservedEntries): PathDecision[] {
      return paths.decideAll(op, batch, firstFolder, observed);
    },
    decideUserFile(path: string): PathDecision {
      return paths.decideUserFile(path, firstFolder);
    },
    decideCommand(command: string, cwd: string): CommandDecision {
      // A missing or relative cwd is taken from the first workspace folder, never from the process.
      const base = firstFolder ?? env.homeDir;
      return commands.decide(command, !cwd ? base : isAbsolute(cwd) ? cwd : posix.join(base, cwd));
    },
    alwaysAllowEntry,
    isDeniedFile(path: string, isSymlink: boolean): boolean {
      return isSymlink ? paths.decide('read', path).decision === 'deny' : paths.deniesByName(path);
    },
    autoApprovesWrite(decision: PathDecision): boolean {
      return paths.autoApproves(decision);
    },
    redact(text: string): string {
      return redactSecrets(text);
    },
  };
}
