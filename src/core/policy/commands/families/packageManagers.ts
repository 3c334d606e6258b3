// Package managers and package runners. An allow entry covers the scripts a project defines (`npm test`,
// `npm run build`) with known-safe options only: options that choose another shell, configuration or
// registry always ask.
import type { Analysis } from '../analysis';
import type { Word } from '../parse/words';
import { each, SUBCOMMAND_OFFER, type CommandFamily } from '../spec';

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

export const PACKAGE_MANAGERS: CommandFamily = {
  title: 'package managers',
  kind: 'package-manager',
  commands: {
    ...each('npm pnpm yarn', { custom: packageManagerArguments, offer: SUBCOMMAND_OFFER }),
    // bun also runs script files, as node does.
    bun: { custom: packageManagerArguments, runsCode: true, offer: 'never' },
    ...each('pip pip3 poetry', { offer: SUBCOMMAND_OFFER }),
  },
};

export const PACKAGE_RUNNERS: CommandFamily = {
  title: 'package runners',
  kind: 'package-runner',
  commands: each('npx pnpx bunx', { custom: packageManagerArguments }),
};
