// Class 7 (issue 9): commands run in a shell the policy understands. The decision table crosses the platform with
// the shells found on disk (the probe is a fake: this runs on Linux, and is not tested on real Windows); where only
// cmd.exe or sh is left, every command asks, with the reason on its card.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { commandPlan } from '../../../src/core/tools/runCommand';
import type { CommandDecision } from '../../../src/core/policy/decision';
import type { EffectiveSandbox } from '../../../src/core/sandbox/sandboxStatus';
import { chooseShell, sandboxForShell } from '../../../src/node/commandShell';

const WINDOWS_ENV = {
  ProgramFiles: 'C:\\Program Files',
  'ProgramFiles(x86)': 'C:\\Program Files (x86)',
  LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local',
  SystemRoot: 'C:\\Windows',
  ComSpec: 'C:\\Windows\\system32\\cmd.exe',
};
const GIT_BASH = 'C:\\Program Files\\Git\\bin\\bash.exe';
const GIT_BASH_USER = 'C:\\Users\\u\\AppData\\Local\\Programs\\Git\\bin\\bash.exe';
const WSL = 'C:\\Windows\\System32\\wsl.exe';

const rows: [
  name: string,
  platform: NodeJS.Platform,
  env: NodeJS.ProcessEnv,
  found: string[],
  expected: { path: string; label: string; understood: boolean; args: string[] },
][] = [
  [
    'Windows with Git for Windows: its bash',
    'win32',
    WINDOWS_ENV,
    [GIT_BASH, WSL],
    {
      path: GIT_BASH,
      label: 'bash',
      understood: true,
      args: ['--noprofile', '--norc', '-c', 'ls'],
    },
  ],
  [
    'Windows with Git for Windows installed for the user only',
    'win32',
    WINDOWS_ENV,
    [GIT_BASH_USER],
    {
      path: GIT_BASH_USER,
      label: 'bash',
      understood: true,
      args: ['--noprofile', '--norc', '-c', 'ls'],
    },
  ],
  [
    'Windows with WSL only: bash inside WSL',
    'win32',
    WINDOWS_ENV,
    [WSL],
    {
      path: WSL,
      label: 'bash (WSL)',
      understood: true,
      args: ['--exec', 'bash', '--noprofile', '--norc', '-c', 'ls'],
    },
  ],
  [
    'Windows without bash: cmd.exe, not understood',
    'win32',
    WINDOWS_ENV,
    [],
    {
      path: 'C:\\Windows\\system32\\cmd.exe',
      label: 'cmd',
      understood: false,
      args: ['/d', '/s', '/c', '"ls"'],
    },
  ],
  [
    'Linux with the user’s bash',
    'linux',
    { SHELL: '/opt/bin/bash' },
    ['/opt/bin/bash', '/bin/bash'],
    {
      path: '/opt/bin/bash',
      label: 'bash',
      understood: true,
      args: ['--noprofile', '--norc', '-c', 'ls'],
    },
  ],
  [
    'Linux whose login shell is zsh: bash from the usual place',
    'linux',
    { SHELL: '/bin/zsh' },
    ['/bin/zsh', '/usr/bin/bash'],
    {
      path: '/usr/bin/bash',
      label: 'bash',
      understood: true,
      args: ['--noprofile', '--norc', '-c', 'ls'],
    },
  ],
  [
    'macOS with bash',
    'darwin',
    { SHELL: '/bin/zsh' },
    ['/bin/bash'],
    {
      path: '/bin/bash',
      label: 'bash',
      understood: true,
      args: ['--noprofile', '--norc', '-c', 'ls'],
    },
  ],
  [
    'a POSIX system without bash (Alpine): sh, not understood',
    'linux',
    {},
    [],
    {
      path: '/bin/sh',
      label: 'sh',
      understood: false,
      args: ['-c', 'ls'],
    },
  ],
];

describe('the shell commands run in (platform × shell found)', () => {
  for (const [name, platform, env, found, expected] of rows) {
    test(name, () => {
      const shell = chooseShell(env, platform, (path) => found.includes(path));
      assert.deepEqual(
        { path: shell.path, label: shell.label, understood: shell.understood, args: shell.args('ls') },
        expected,
      );
      if (!shell.understood) assert.match(shell.reason ?? '', /every command asks/);
    });
  }
});

const allowed: CommandDecision = {
  decision: 'allow',
  rule: 'ls',
  source: 'user',
  reason: 'Matches the allow entry `ls`.',
  command: 'ls',
  parts: [{ decision: 'allow', rule: 'ls', source: 'user', reason: 'x', text: 'ls' }],
};

function cardFor(sandbox: EffectiveSandbox) {
  const plan = commandPlan({
    title: 'ls',
    decision: allowed,
    command: 'ls',
    cwd: '/ws',
    displayCwd: '.',
    timeoutMs: 1000,
    sandbox,
    alwaysAllowEntry: undefined,
  });
  return plan.approval({ newId: () => 'i0' } as never)?.items[0];
}

describe('a shell the policy does not understand makes every command ask, with the reason on the card', () => {
  const cmd = chooseShell(WINDOWS_ENV, 'win32', () => false);
  const gitBash = chooseShell(WINDOWS_ENV, 'win32', (path) => path === GIT_BASH);
  const sh = chooseShell({}, 'linux', () => false);
  const noSandbox: EffectiveSandbox = {
    mode: 'none',
    reason: 'Warden has no sandbox on win32, so every command asks first.',
  };

  const cases: [name: string, sandbox: EffectiveSandbox, card: false | RegExp, rule?: string][] = [
    [
      'Windows, cmd.exe: asks, the card names cmd.exe',
      sandboxForShell(noSandbox, cmd),
      /cmd\.exe/,
      'sandbox.unavailable',
    ],
    [
      'Windows, Git for Windows bash: asks (no sandbox on Windows), runs in bash',
      sandboxForShell(noSandbox, gitBash),
      /no sandbox on win32/,
      'sandbox.unavailable',
    ],
    [
      'Linux sandbox, sh: asks though sandboxed, the card names sh',
      sandboxForShell({ mode: 'preview' }, sh),
      /\/bin\/sh/,
      'shell.not-bash',
    ],
    [
      'Linux sandbox, bash: an allowed command runs unasked',
      sandboxForShell({ mode: 'preview' }, { understood: true }),
      false,
    ],
  ];
  for (const [name, sandbox, card, rule] of cases) {
    test(name, () => {
      const item = cardFor(sandbox);
      if (card === false) {
        assert.equal(item, undefined);
        return;
      }
      assert.equal(item?.decision.decision, 'ask');
      assert.equal(item?.decision.rule, rule);
      assert.match(item?.decision.reason ?? '', card);
    });
  }

  test('a sandbox stays a sandbox: sh on Linux keeps the command sandboxed, only the card is added', () => {
    assert.deepEqual(sandboxForShell({ mode: 'enforce' }, sh), { mode: 'enforce', askReason: sh.reason });
  });
});
