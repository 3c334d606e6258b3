import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  bwrapArguments,
  layerTargets,
  linuxLaunch,
  proxyEnvironment,
  SANDBOX_PROXY_SOCKET,
  unsafeForOverlayOptions,
  type LinuxLaunchPaths,
  type LinuxTools,
} from '../../../src/core/sandbox/linuxLaunch';
import type { ResolvedSandboxSpec } from '../../../src/core/sandbox/resolveSpec';
import type { SandboxSpec } from '../../../src/core/sandbox/sandboxSpec';

const TOOLS: LinuxTools = {
  unshare: '/usr/bin/unshare',
  bwrap: '/usr/bin/bwrap',
  bash: '/bin/bash',
  socat: '/usr/bin/socat',
};
const REQUEST = { command: 'sed -i "s/a/b/" x.txt; echo $HOME', cwd: '/tmp/ws/src', uid: 1000, gid: 1000, statusFd: 3 };

function resolved(mode: 'preview' | 'enforce' = 'preview', allowed = 0): ResolvedSandboxSpec {
  const spec: SandboxSpec = {
    mode,
    platform: 'linux',
    workspaceFolders: ['/tmp/ws'],
    homeDir: '/home/u',
    hidden: [],
    readOnly: [],
    caches: [],
    allowedDomains: Array.from({ length: allowed }, () => ({ host: 'registry.npmjs.org', subdomains: false })),
    repositoryInternals: 'read-only',
    problems: [],
  };
  return {
    spec,
    workspaceFolders: ['/tmp/ws'],
    hidden: [
      { path: '/tmp/ws/.env', kind: 'file', reason: 'r' },
      { path: '/home/u/.ssh', kind: 'directory', reason: 'r' },
    ],
    readOnly: [{ path: '/tmp/ws/.git', kind: 'directory', reason: 'r' }],
    caches: ['/home/u/.npm'],
  };
}

const PATHS: LinuxLaunchPaths = {
  layers: [{ target: '/tmp/ws', lower: '/l/lower-0', upper: '/l/upper-0', work: '/l/work-0' }],
  emptyFile: '/l/empty-file',
  emptyDir: '/l/empty-dir',
};

/** Position of a `--flag a b` triple in the argument list. */
function at(args: string[], ...triple: string[]): number {
  for (let i = 0; i < args.length; i++) if (triple.every((part, j) => args[i + j] === part)) return i;
  return -1;
}

describe('bwrapArguments builds the sandbox', () => {
  const args = bwrapArguments(resolved(), PATHS, TOOLS, REQUEST);

  test('every namespace is new, the sandbox dies with its parent, and runs in its own session', () => {
    for (const flag of ['--unshare-all', '--die-with-parent', '--new-session']) assert.ok(args.includes(flag), flag);
    assert.ok(!args.includes('--share-net'));
    assert.ok(at(args, '--uid', '1000') >= 0 && at(args, '--gid', '1000') >= 0);
    assert.ok(at(args, '--json-status-fd', '3') >= 0);
  });

  test('the root is read-only, /tmp private, and /tmp comes before any bind below it', () => {
    const root = at(args, '--ro-bind', '/', '/');
    const tmp = at(args, '--tmpfs', '/tmp');
    const workspace = at(args, '--bind', '/tmp/ws', '/tmp/ws');
    assert.ok(root >= 0 && root < tmp && tmp < workspace);
  });

  test('the workspace and the caches are writable; repository internals read-only after them', () => {
    const workspace = at(args, '--bind', '/tmp/ws', '/tmp/ws');
    assert.ok(at(args, '--bind', '/home/u/.npm', '/home/u/.npm') > 0);
    assert.ok(at(args, '--ro-bind', '/tmp/ws/.git', '/tmp/ws/.git') > workspace);
  });

  test('hidden files and folders get an empty stand-in of their kind, after the workspace bind', () => {
    const workspace = at(args, '--bind', '/tmp/ws', '/tmp/ws');
    assert.ok(at(args, '--ro-bind', '/l/empty-file', '/tmp/ws/.env') > workspace);
    assert.ok(at(args, '--ro-bind', '/l/empty-dir', '/home/u/.ssh') > workspace);
  });

  test('the command is one argument to bash without profile or rc files, run in its folder', () => {
    const dash = args.indexOf('--');
    assert.deepEqual(args.slice(dash - 2), [
      '--chdir',
      '/tmp/ws/src',
      '--',
      '/bin/bash',
      '--noprofile',
      '--norc',
      '-c',
      REQUEST.command,
    ]);
  });

  test('without a proxy socket there is no forwarder and no socket in the sandbox', () => {
    assert.ok(!args.includes(SANDBOX_PROXY_SOCKET));
    assert.ok(!args.some((a) => a.includes('socat') || a.includes('TCP-LISTEN')));
  });

  test('with a proxy socket, socat forwards a loopback port to it and the command runs in a fresh bash', () => {
    const proxied = bwrapArguments(resolved('preview', 1), { ...PATHS, proxySocket: '/l/proxy.sock' }, TOOLS, REQUEST);
    assert.ok(at(proxied, '--bind', '/l/proxy.sock', SANDBOX_PROXY_SOCKET) > 0);
    assert.deepEqual(proxied.slice(-6, -4), ['/bin/sh', '-c']);
    const script = proxied[proxied.length - 4];
    assert.match(script, /TCP-LISTEN:3128,bind=127\.0\.0\.1/);
    assert.match(script, /exec "\$0" --noprofile --norc -c "\$2"$/);
    assert.match(script, /\/proc\/net\/tcp/, 'with allowed domains it waits until the forwarder listens');
    assert.deepEqual(proxied.slice(-3), ['/bin/bash', '/usr/bin/socat', REQUEST.command]);
  });

  test('with no allowed domain the forwarder only reports, and the command does not wait for it', () => {
    const proxied = bwrapArguments(resolved('preview', 0), { ...PATHS, proxySocket: '/l/proxy.sock' }, TOOLS, REQUEST);
    assert.doesNotMatch(proxied[proxied.length - 4], /\/proc\/net\/tcp/);
  });

  test('a proxy socket without socat gives no network at all', () => {
    const withoutSocat = bwrapArguments(
      resolved(),
      { ...PATHS, proxySocket: '/l/p' },
      { ...TOOLS, socat: undefined },
      REQUEST,
    );
    assert.ok(!withoutSocat.includes(SANDBOX_PROXY_SOCKET));
  });
});

describe('linuxLaunch starts bwrap directly, or through unshare and an overlay mount per layer', () => {
  test('without layers, bwrap is the program', () => {
    const launch = linuxLaunch(resolved('enforce'), { ...PATHS, layers: [] }, TOOLS, REQUEST);
    assert.equal(launch.file, '/usr/bin/bwrap');
  });

  test('with layers, unshare maps us to root in a new user and mount namespace and sh mounts each layer', () => {
    const launch = linuxLaunch(resolved(), PATHS, TOOLS, REQUEST);
    assert.equal(launch.file, '/usr/bin/unshare');
    assert.deepEqual(launch.args.slice(0, 8), [
      '--user',
      '--map-root-user',
      '--mount',
      '--propagation',
      'private',
      '--',
      '/bin/sh',
      '-c',
    ]);
    const script = launch.args[8];
    assert.match(
      script,
      /mount -t overlay overlay -o "lowerdir=\$1,upperdir=\$2,workdir=\$3,userxattr,redirect_dir=nofollow,metacopy=off" "\$4"/,
    );
    assert.match(script, /exec "\$@"/);
    assert.deepEqual(launch.args.slice(9, 15), [
      'warden-sandbox',
      '1',
      '/l/lower-0',
      '/l/upper-0',
      '/l/work-0',
      '/tmp/ws',
    ]);
    assert.equal(launch.args[15], '/usr/bin/bwrap');
  });

  test('preview layers the workspace and the caches; enforce only the caches', () => {
    assert.deepEqual(layerTargets(resolved('preview')), ['/tmp/ws', '/home/u/.npm']);
    assert.deepEqual(layerTargets(resolved('enforce')), ['/home/u/.npm']);
  });
});

describe('overlay options cannot carry every path', () => {
  const cases: Array<[string, boolean]> = [
    ['/home/u/.config/Code/User/globalStorage/warden', false],
    ['/tmp/with space', false],
    ['/tmp/a,upperdir=/etc', true],
    ['/tmp/a:b', true],
    ['/tmp/a\\b', true],
    ['/tmp/a\nb', true],
  ];
  for (const [path, unsafe] of cases) {
    test(`${JSON.stringify(path)} is ${unsafe ? 'refused' : 'usable'}`, () =>
      assert.equal(unsafeForOverlayOptions(path), unsafe));
  }
});

test('proxyEnvironment points every proxy variable at the forwarder and keeps loopback direct', () => {
  const env = proxyEnvironment();
  for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'http_proxy', 'https_proxy', 'all_proxy']) {
    assert.equal(env[name], 'http://127.0.0.1:3128', name);
  }
  assert.equal(env.NO_PROXY, 'localhost,127.0.0.1,::1');
});
