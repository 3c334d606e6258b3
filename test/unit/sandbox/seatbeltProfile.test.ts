// The macOS profile is checked as text: this project has no Mac to run it on (see README).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ResolvedSandboxSpec } from '../../../src/core/sandbox/resolveSpec';
import type { SandboxSpec } from '../../../src/core/sandbox/sandboxSpec';
import { sbplString, seatbeltLaunch, seatbeltProfile } from '../../../src/core/sandbox/seatbeltProfile';

const spec: SandboxSpec = {
  mode: 'enforce',
  platform: 'darwin',
  workspaceFolders: ['/Users/u/proj'],
  homeDir: '/Users/u',
  hidden: [],
  readOnly: [],
  caches: [],
  allowedDomains: [],
  repositoryInternals: 'read-only',
  problems: [],
};

const resolved: ResolvedSandboxSpec = {
  spec,
  workspaceFolders: ['/Users/u/proj'],
  hidden: [
    { path: '/Users/u/.ssh', kind: 'directory', reason: 'r' },
    { path: '/Users/u/proj/config/deep/.env', kind: 'file', reason: 'r' },
  ],
  readOnly: [{ path: '/Users/u/proj/.git', kind: 'directory', reason: 'r' }],
  caches: ['/Users/u/.npm'],
};

const TEMP = '/private/var/folders/xy/T/warden-layer-1/tmp';

describe('seatbeltProfile gives macOS enforce semantics', () => {
  const profile = seatbeltProfile(resolved, { tempDir: TEMP, proxyPort: 41000 });
  const index = (text: string): number => profile.indexOf(text);

  test('it starts from the allow-default base and denies every write first', () => {
    assert.ok(profile.startsWith('(version 1)\n(allow default)\n'));
    assert.ok(index('(deny file-write*)') > 0);
  });

  test('then allows writes only to the workspace, the private temporary folder and terminal devices', () => {
    const allow = index('(allow file-write*');
    assert.ok(allow > index('(deny file-write*)'), 'the allow narrows the deny (the last matching rule decides)');
    const block = profile.slice(allow, profile.indexOf('))', allow) + 2);
    assert.ok(block.includes('(subpath "/Users/u/proj")'));
    assert.ok(block.includes(`(subpath "${TEMP}")`));
    assert.ok(block.includes('(literal "/dev/null")'));
    assert.ok(!block.includes('.npm'), 'caches stay read-only on macOS');
  });

  test('repository internals are read-only after the workspace is made writable', () => {
    assert.ok(index('(deny file-write*\n  (subpath "/Users/u/proj/.git"))') > index('(allow file-write*'));
  });

  test('hidden paths are neither read nor written, each filtered by its kind', () => {
    const deny = index('(deny file-read* file-write*');
    assert.ok(deny > index('(allow file-write*'));
    assert.ok(profile.includes('  (subpath "/Users/u/.ssh")'));
    assert.ok(profile.includes('  (literal "/Users/u/proj/config/deep/.env")'));
  });

  test('folders holding a hidden path inside the workspace cannot be renamed away from the rule', () => {
    assert.ok(
      profile.includes(
        '(deny file-write-unlink\n  (literal "/Users/u/proj/config")\n  (literal "/Users/u/proj/config/deep"))',
      ),
    );
  });

  test('the network is closed except for the proxy port on loopback', () => {
    assert.ok(index('(deny network*)') > 0);
    assert.ok(index('(allow network-outbound (remote ip "localhost:41000"))') > index('(deny network*)'));
    const closed = seatbeltProfile(resolved, { tempDir: TEMP });
    assert.ok(closed.includes('(deny network*)') && !closed.includes('allow network'));
  });

  test('seatbeltLaunch runs bash through sandbox-exec with the profile', () => {
    const launch = seatbeltLaunch(resolved, { tempDir: TEMP, bash: '/bin/bash', command: 'make' });
    assert.equal(launch.file, '/usr/bin/sandbox-exec');
    assert.deepEqual(launch.args.slice(2), ['/bin/bash', '--noprofile', '--norc', '-c', 'make']);
    assert.equal(launch.args[0], '-p');
  });
});

describe('sbplString quotes a path as an SBPL string literal', () => {
  const cases: Array<[string, string]> = [
    ['/Users/u/a b', '"/Users/u/a b"'],
    ['/tmp/quote"d', '"/tmp/quote\\"d"'],
    ['/tmp/back\\slash', '"/tmp/back\\\\slash"'],
    ['/tmp/") (allow default', '"/tmp/\\") (allow default"'],
  ];
  for (const [path, quoted] of cases) test(JSON.stringify(path), () => assert.equal(sbplString(path), quoted));
});
