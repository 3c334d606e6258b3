// Package managers and package runners. An allow entry covers the scripts a project defines (`npm test`,
// `npm run build`) with known-safe options only: options that choose another shell, configuration or
// registry always ask. What a manager runs by name (`npm exec`, `uv run`, `npx`) is judged on its own.
import type { Analysis } from '../analysis';
import type { Word } from '../parse/words';
import { each, SUBCOMMAND_OFFER, type AllowOffer, type CommandFamily } from '../spec';
import { runsPackages, type RunnerSyntax } from './packageRunners';

/** Options that choose another shell, configuration, registry or directory, or run code: they always ask. */
const PACKAGE_RISKY_LONG = [
  'script-shell',
  'userconfig',
  'globalconfig',
  'prefix',
  'node-options',
  'call',
  'shell',
  'registry',
  'init-module',
  'onload-script',
  'editor',
  'viewer',
  'browser',
  'git',
  'cache',
  'rc-filename',
  'use-yarnrc',
  'yarn-path',
  'cafile',
  'ca',
  'cert',
  'key',
  'https-proxy',
  'proxy',
  'package',
  'config\\..*',
  'unsafe-perm',
  'ignore-scripts',
  'workspace-root',
  'dir',
  'cwd',
  'global-dir',
  'store-dir',
  'virtual-store-dir',
  'node-linker',
  'auth-.*',
  '_auth.*',
  'always-auth',
  'eval',
  'print',
  'require',
  'preload',
  'bun',
  'shell-emulator',
];
const PACKAGE_RISKY = new RegExp(`^(--(${PACKAGE_RISKY_LONG.join('|')})|-[cCpe])$`);

const PACKAGE_SAFE = new Set([
  '--silent',
  '-s',
  '--if-present',
  '--workspaces',
  '--ws',
  '--workspace',
  '-w',
  '--include-workspace-root',
  '--json',
  '--no-color',
  '--color',
  '--quiet',
  '-q',
  '--verbose',
  '--loglevel',
  '--no-fund',
  '--no-audit',
  '--yes',
  '-y',
  '--no',
  '--frozen-lockfile',
  '--immutable',
  '--offline',
  '--prefer-offline',
  '--production',
  '--dev',
  '-D',
  '--save-dev',
  '--save',
  '-S',
  '--save-exact',
  '-E',
  '--parseable',
  '--long',
  '-l',
  '--all',
  '-a',
  '--depth',
  '--recursive',
  '-r',
  '--filter',
  '--watch',
  '--ci',
  '--no-save',
  '--legacy-peer-deps',
  '--omit',
  '--include',
  '--reporter',
  '--stream',
  '--parallel',
  '--aggregate-output',
  '--check',
  '--version',
  '-v',
  '--help',
  '-h',
]);

/** `npm exec` and `npm x` run a package like npx: never offered. */
const NPM_OFFER: AllowOffer = { ...SUBCOMMAND_OFFER, never: ['dlx', 'exec', 'x'] };

const PACKAGE_SAFE_WITH_VALUE = new Set([
  '--workspace',
  '-w',
  '--loglevel',
  '--depth',
  '--filter',
  '--omit',
  '--include',
  '--reporter',
]);

function packageManagerArguments(args: readonly Word[], out: Analysis): void {
  let i = 0;
  for (; i < args.length; i++) {
    const w = args[i];
    const t = w.value;
    if (t === '--') {
      // Everything after `--` goes to the script as its arguments.
      for (const rest of args.slice(i + 1)) out.inert.add(rest);
      break;
    }
    if (w.dynamic && w.shape.charCodeAt(0) === 0) {
      out.dynamic = true;
      continue;
    }
    if (!t.startsWith('-') || t.length < 2) continue;
    const eq = t.indexOf('=');
    const name = eq > 0 ? t.slice(0, eq) : t;
    if (PACKAGE_RISKY.test(name)) {
      out.risks.push({
        rule: 'risky-option',
        reason: `\`${name}\` changes which program runs or which configuration is loaded.`,
      });
      if (eq < 0 && args[i + 1] && !args[i + 1].value.startsWith('-')) out.inert.add(args[++i]);
      continue;
    }
    if (!PACKAGE_SAFE.has(name)) {
      out.unknown.push(name);
      continue;
    }
    if (PACKAGE_SAFE_WITH_VALUE.has(name) && eq < 0 && args[i + 1]) out.inert.add(args[++i]);
  }
}

// What runs a command: the manager is judged as itself, and the command as a command of its own.
const JS_FLAGS = new Set([...PACKAGE_SAFE].filter((option) => !PACKAGE_SAFE_WITH_VALUE.has(option)));
const JS_VALUES = new Set([...PACKAGE_SAFE_WITH_VALUE, '--package', '-p', '--prefix', '--registry', '--cwd', '-C']);
const NPM_RUNS: RunnerSyntax = {
  subcommands: { exec: 'downloads', x: 'downloads' },
  flags: JS_FLAGS,
  valueOptions: JS_VALUES,
  codeOptions: new Set(['--call', '-c']),
};
const NPX_RUNS: RunnerSyntax = { ...NPM_RUNS, runs: 'downloads' };
const PNPM_RUNS: RunnerSyntax = {
  subcommands: { exec: 'local', dlx: 'downloads' },
  flags: JS_FLAGS,
  valueOptions: new Set([...JS_VALUES, '--dir', '-F']),
  shellModeFlags: new Set(['--shell-mode', '-c']),
};
const YARN_RUNS: RunnerSyntax = {
  subcommands: { exec: 'local', dlx: 'downloads' },
  flags: JS_FLAGS,
  valueOptions: JS_VALUES,
};
const BUN_RUNS: RunnerSyntax = {
  subcommands: { x: 'downloads', exec: 'shell-code' },
  flags: new Set([...JS_FLAGS, '--bun']),
  valueOptions: JS_VALUES,
};
const BUNX_RUNS: RunnerSyntax = { ...BUN_RUNS, runs: 'downloads' };
const UV_VALUES = new Set([
  '--with',
  '--with-requirements',
  '--with-editable',
  '--from',
  '--python',
  '-p',
  '--project',
  '--directory',
  '--package',
  '--env-file',
  '--index',
  '--default-index',
  '--index-url',
  '--extra-index-url',
  '--extra',
  '--group',
  '--only-group',
  '--no-group',
  '--config-file',
  '--cache-dir',
]);
const UV_FLAGS = new Set([
  '--frozen',
  '--locked',
  '--no-sync',
  '--isolated',
  '--no-project',
  '--all-extras',
  '--no-dev',
  '--offline',
  '--quiet',
  '-q',
  '--verbose',
  '-v',
  '--no-cache',
  '--active',
]);
const UV_RUNS: RunnerSyntax = {
  subcommands: { run: 'local', 'tool run': 'downloads' },
  flags: UV_FLAGS,
  valueOptions: UV_VALUES,
};
const UVX_RUNS: RunnerSyntax = { ...UV_RUNS, runs: 'downloads' };
const POETRY_RUNS: RunnerSyntax = {
  subcommands: { run: 'local' },
  flags: new Set(['--quiet', '-q', '--verbose', '-v', '-vv', '-vvv', '--no-interaction', '-n', '--no-ansi']),
  valueOptions: new Set(['--directory', '-C', '--project', '-P']),
};
const PIPX_RUNS: RunnerSyntax = {
  subcommands: { run: 'downloads' },
  flags: new Set(['--quiet', '-q', '--verbose', '--no-cache', '--system-site-packages']),
  valueOptions: new Set(['--spec', '--python', '--pip-args', '--index-url']),
};
const PIPENV_RUNS: RunnerSyntax = { subcommands: { run: 'local' }, flags: new Set(), valueOptions: new Set() };
const BUNDLE_RUNS: RunnerSyntax = { subcommands: { exec: 'local' }, flags: new Set(), valueOptions: new Set() };

export const PACKAGE_MANAGERS: CommandFamily = {
  title: 'package managers',
  kind: 'package-manager',
  commands: {
    npm: { custom: packageManagerArguments, unwrap: runsPackages(NPM_RUNS), offer: NPM_OFFER },
    pnpm: { custom: packageManagerArguments, unwrap: runsPackages(PNPM_RUNS), offer: SUBCOMMAND_OFFER },
    yarn: { custom: packageManagerArguments, unwrap: runsPackages(YARN_RUNS), offer: SUBCOMMAND_OFFER },
    // bun also runs script files, as node does.
    bun: { custom: packageManagerArguments, unwrap: runsPackages(BUN_RUNS), runsCode: true, offer: 'never' },
    ...each('pip pip3', { offer: SUBCOMMAND_OFFER }),
    poetry: { unwrap: runsPackages(POETRY_RUNS), offer: SUBCOMMAND_OFFER },
    // `uv tool run` downloads like uvx: never offered.
    uv: { unwrap: runsPackages(UV_RUNS), offer: { ...SUBCOMMAND_OFFER, never: ['tool'] } },
    pipx: { unwrap: runsPackages(PIPX_RUNS), offer: { ...SUBCOMMAND_OFFER, never: ['run'] } },
    pipenv: { unwrap: runsPackages(PIPENV_RUNS), offer: SUBCOMMAND_OFFER },
    bundle: { unwrap: runsPackages(BUNDLE_RUNS), offer: SUBCOMMAND_OFFER },
  },
};

export const PACKAGE_RUNNERS: CommandFamily = {
  title: 'package runners',
  kind: 'package-runner',
  commands: {
    ...each('npx pnpx', { custom: packageManagerArguments, unwrap: runsPackages(NPX_RUNS) }),
    bunx: { custom: packageManagerArguments, unwrap: runsPackages(BUNX_RUNS) },
    uvx: { unwrap: runsPackages(UVX_RUNS) },
  },
};
