import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  bwrapArguments,
  layerTargets,
  linuxLaunch,
  OVERLAY_OPTIONS,
  overlayMountTable,
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
  mountTable: '/l/mounts',
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

describe('linuxLaunch starts bwrap directly, or through unshare and one mount of every layer', () => {
  test('without layers, bwrap is the program', () => {
    const launch = linuxLaunch(resolved('enforce'), { ...PATHS, layers: [] }, TOOLS, REQUEST);
    assert.equal(launch.file, '/usr/bin/bwrap');
  });

  test('with layers, unshare maps us to root in a new user and mount namespace and sh mounts the table', () => {
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
    assert.match(script, /^set -e\n/);
    assert.match(script, /mount -a -t overlay -T "\$1"/);
    assert.match(script, /exec "\$@"/);
    assert.deepEqual(launch.args.slice(9, 13), ['warden-sandbox', '/l/mounts', '1', '/l/work-0']);
    assert.equal(launch.args[13], '/usr/bin/bwrap');
  });

  test('the script refuses to start bwrap when a layer did not mount (its work folder has no `work`)', () => {
    const script = linuxLaunch(resolved(), PATHS, TOOLS, REQUEST).args[8];
    const check = script.split('\n').find((line) => line.includes('/work"')) ?? '';
    assert.ok(check.includes('[ -d "$1/work" ] ||') && check.includes('exit 1'), check);
    assert.ok(script.indexOf(check) < script.indexOf('exec "$@"'));
  });

  test('preview layers the workspace and the caches; enforce only the caches', () => {
    assert.deepEqual(layerTargets(resolved('preview')), ['/tmp/ws', '/home/u/.npm']);
    assert.deepEqual(layerTargets(resolved('enforce')), ['/home/u/.npm']);
  });
});

/** libmount's reading of an fstab field: `\\ooo` is the byte with that octal value. */
function unmangle(field: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < field.length; ) {
    if (/^\\[0-7]{3}/.test(field.slice(i, i + 4))) {
      bytes.push(parseInt(field.slice(i + 1, i + 4), 8));
      i += 4;
    } else {
      bytes.push(...new TextEncoder().encode(field[i]));
      i += 1;
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

describe('overlayMountTable: one fstab line per layer that mount -a reads back exactly', () => {
  const layer = (target: string, index: number) => ({
    target,
    lower: `/st ore/l/lower-${index}`,
    upper: `/st ore/l/upper-${index}`,
    work: `/st ore/l/work-${index}`,
  });
  const targets = [
    '/tmp/ws',
    '/tmp/with space',
    '/tmp/tab\there',
    '/tmp/new\nline',
    '/tmp/back\\slash',
    '/tmp/#hash',
    '/tmp/a,upperdir=/etc:b',
    '/tmp/é ünïcode 名前',
  ];
  for (const target of targets) {
    test(`${JSON.stringify(target)} survives the table`, () => {
      const line = overlayMountTable([layer(target, 3)], 'warden-abc');
      assert.ok(line.endsWith(' 0 0\n'));
      const fields = line.trimEnd().split(/[ \t]+/);
      assert.equal(fields.length, 6, line);
      assert.deepEqual(fields.slice(0, 4).map(unmangle), [
        'warden-abc-0',
        target,
        'overlay',
        `lowerdir=/st ore/l/lower-3,upperdir=/st ore/l/upper-3,workdir=/st ore/l/work-3,${OVERLAY_OPTIONS}`,
      ]);
    });
  }

  test("every line has a source of its own, under the run's name", () => {
    const table = overlayMountTable([layer('/a', 0), layer('/b', 1), layer('/c', 2)], 'warden-f00');
    const sources = table
      .trimEnd()
      .split('\n')
      .map((line) => line.split(' ')[0]);
    assert.deepEqual(sources, ['warden-f00-0', 'warden-f00-1', 'warden-f00-2']);
  });

  test('no layers, no lines', () => assert.equal(overlayMountTable([], 'warden-f00'), ''));
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
