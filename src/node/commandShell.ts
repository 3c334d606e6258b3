// The shell the agent's commands run in. The command policy parses bash, so a command must run in a bash:
// the same text in cmd.exe or PowerShell means something else (`echo 'x & calc.exe & rem '` is one `echo` to
// bash and three commands to cmd.exe). Where no bash is found, commands run in the system shell only after the
// user approved each one, and the card says why (`sandboxForShell`). The platform and the file probe are
// parameters, so the decision is tested for every platform on any machine.
import { basename, win32 } from 'node:path';
import type { EffectiveSandbox } from '../core/sandbox/sandboxStatus';

export interface ShellChoice {
  path: string;
  args(command: string): string[];
  /** e.g. "bash", shown to the model so it writes commands for the right shell. */
  label: string;
  windowsVerbatimArguments: boolean;
  /** The policy's reading of a command is the shell's: false for cmd.exe or a POSIX sh. */
  understood: boolean;
  /** Why commands always ask, when the shell is not understood. */
  reason?: string;
}

const BASH_ARGS = (command: string): string[] => ['--noprofile', '--norc', '-c', command];

/** Where Git for Windows puts bash, for each of the folders its installer uses. */
function gitForWindowsBashes(env: NodeJS.ProcessEnv): string[] {
  const roots = [env.ProgramFiles, env.ProgramW6432, env['ProgramFiles(x86)']].filter((r) => r !== undefined);
  const paths = roots.map((root) => win32.join(root, 'Git', 'bin', 'bash.exe'));
  if (env.LOCALAPPDATA) paths.push(win32.join(env.LOCALAPPDATA, 'Programs', 'Git', 'bin', 'bash.exe'));
  return [...new Set(paths)];
}

/**
 * bash wherever one is found: the user's `$SHELL` when it is a bash, the usual places on POSIX; on Windows Git for
 * Windows' bash, else WSL's. Otherwise the system shell (cmd.exe, sh), marked as not understood.
 */
export function chooseShell(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  isExecutable: (path: string) => boolean = () => false,
): ShellChoice {
  if (platform === 'win32') {
    const gitBash = gitForWindowsBashes(env).find(isExecutable);
    if (gitBash !== undefined)
      return { path: gitBash, args: BASH_ARGS, label: 'bash', windowsVerbatimArguments: false, understood: true };
    const wsl = win32.join(env.SystemRoot ?? env.windir ?? 'C:\\Windows', 'System32', 'wsl.exe');
    if (isExecutable(wsl))
      return {
        path: wsl,
        args: (command) => ['--exec', 'bash', ...BASH_ARGS(command)],
        label: 'bash (WSL)',
        windowsVerbatimArguments: false,
        understood: true,
      };
    const comspec = env.ComSpec ?? env.COMSPEC ?? 'cmd.exe';
    return {
      path: comspec,
      args: (command) => ['/d', '/s', '/c', `"${command}"`],
      label: 'cmd',
      windowsVerbatimArguments: true,
      understood: false,
      reason:
        'No bash was found (Git for Windows or WSL), so commands run in cmd.exe, which reads them differently ' +
        "from Warden's bash parser: every command asks first. Install Git for Windows to have them checked.",
    };
  }
  const userShell = env.SHELL;
  if (userShell !== undefined && basename(userShell) === 'bash' && isExecutable(userShell))
    return { path: userShell, args: BASH_ARGS, label: 'bash', windowsVerbatimArguments: false, understood: true };
  for (const candidate of ['/bin/bash', '/usr/bin/bash', '/usr/local/bin/bash']) {
    if (isExecutable(candidate))
      return { path: candidate, args: BASH_ARGS, label: 'bash', windowsVerbatimArguments: false, understood: true };
  }
  return {
    path: '/bin/sh',
    args: (command) => ['-c', command],
    label: 'sh',
    windowsVerbatimArguments: false,
    understood: false,
    reason:
      "No bash was found, so commands run in /bin/sh, which may read them differently from Warden's bash " +
      'parser: every command asks first.',
  };
}

/**
 * A shell the policy does not understand holds no command unasked: without a sandbox the card gives the shell's
 * reason; with one, commands still run in it, each after a card.
 */
export function sandboxForShell(
  sandbox: EffectiveSandbox,
  shell: Pick<ShellChoice, 'understood' | 'reason'>,
): EffectiveSandbox {
  if (shell.understood) return sandbox;
  const reason = shell.reason ?? 'Commands run in a shell Warden cannot parse, so every command asks first.';
  return sandbox.mode === 'none' ? { ...sandbox, reason } : { ...sandbox, askReason: reason };
}
