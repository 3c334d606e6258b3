// A batch of path decisions sees the file system once per path: the snapshot remembers the host's answers
// (errors too, so a failing path still refuses), derives a plain path's realpath from its folder's, and asks the
// host itself wherever a symlink or an unusual path is involved. Decisions in a batch equal one-by-one decisions.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileSystemSnapshot } from '../../../src/core/policy/fileSystemSnapshot';
import { PathPolicy } from '../../../src/core/policy/pathPolicy';
import type { FileEntry, PolicyEnvironment } from '../../../src/core/ports';
import { fakeEnv, fakeRealpath, settings, type FakeTree } from './pathTestEnvironment';

const tree: FakeTree = {
  files: [
    '/ws/src/a.ts',
    '/ws/src/b.ts',
    '/ws/.env',
    '/ws/vendor/repo/HEAD',
    '/ws/vendor/repo/config',
    '/ws/vendor/repo/objects/x',
    '/ws/file.txt',
    '/home/u/.bashrc',
    '/etc/passwd',
  ],
  links: {
    '/ws/src/etc': '/etc',
    '/ws/src/bashrc': '/home/u/.bashrc',
    '/ws/src/dotenv': '/ws/.env',
    '/ws/linked': '/ws/src',
    '/ws/dangling': '/home/u/new-file',
  },
};

/** The fake tree with an lstat (`entry`) as the Node host gives one, and a count of what the host was asked. */
function countingEnv(options: { caseInsensitive?: boolean; hardLinked?: string[] } = {}) {
  const realpath = fakeRealpath(tree);
  const links = tree.links ?? {};
  const asked = { realpath: [] as string[], entry: [] as string[], readlink: [] as string[], hardLink: [] as string[] };
  const parentOf = (path: string) => path.slice(0, path.lastIndexOf('/')) || '/';
  const env: PolicyEnvironment = {
    ...fakeEnv({ tree, caseInsensitive: options.caseInsensitive }),
    realpath(path) {
      asked.realpath.push(path);
      return realpath(path);
    },
    readlink(path) {
      asked.readlink.push(path);
      return links[path];
    },
    entry(path): FileEntry | undefined {
      asked.entry.push(path);
      if (links[path] !== undefined) return realpath(parentOf(path)) === undefined ? undefined : link;
      if (realpath(path) === undefined) return undefined;
      return { symlink: false, hardLinked: options.hardLinked?.includes(path) ?? false };
    },
    hardLinkedDeniedFile(path) {
      asked.hardLink.push(path);
      return path === '/ws/src/b.ts' ? { deniedFile: '/ws/.env' } : undefined;
    },
  };
  return { env, asked };
}
const link: FileEntry = { symlink: true, hardLinked: false };

const PATHS = [
  '/ws/src/a.ts',
  '/ws/src/b.ts',
  '/ws/src/new.ts',
  '/ws/src/deep/new/x.ts',
  '/ws/src/etc/passwd',
  '/ws/src/bashrc',
  '/ws/src/dotenv',
  '/ws/linked/a.ts',
  '/ws/dangling',
  '/ws/file.txt/below',
  '/ws/vendor/repo/hooks/pre-commit',
  '/ws/vendor/repo/objects/y',
  '/ws/.env',
  'src/a.ts',
  '/ws/src/../src/a.ts',
];

describe('fileSystemSnapshot', () => {
  test('asks the host about each path once, and answers again what it said', () => {
    const { env, asked } = countingEnv();
    const snapshot = fileSystemSnapshot({ ...env, entry: undefined });
    assert.equal(snapshot.realpath('/ws/src/a.ts'), '/ws/src/a.ts');
    assert.equal(snapshot.realpath('/ws/src/a.ts'), '/ws/src/a.ts');
    assert.equal(snapshot.realpath('/ws/src/missing'), undefined);
    assert.equal(snapshot.realpath('/ws/src/missing'), undefined);
    assert.equal(snapshot.readlink?.('/ws/dangling'), '/home/u/new-file');
    assert.equal(snapshot.readlink?.('/ws/dangling'), '/home/u/new-file');
    assert.deepEqual(asked.realpath, ['/ws/src/a.ts', '/ws/src/missing']);
    assert.deepEqual(asked.readlink, ['/ws/dangling']);
  });

  test('a host error is remembered and thrown again, so the path keeps failing closed', () => {
    let calls = 0;
    const snapshot = fileSystemSnapshot({
      ...fakeEnv(),
      realpath() {
        calls++;
        throw new Error('EACCES');
      },
    });
    assert.throws(() => snapshot.realpath('/ws/x'), /EACCES/);
    assert.throws(() => snapshot.realpath('/ws/x'), /EACCES/);
    assert.equal(calls, 1);
  });

  test('with an lstat, a plain path resolves through its folder; links and unusual paths go to the host', () => {
    const { env, asked } = countingEnv();
    const snapshot = fileSystemSnapshot(env);
    assert.equal(snapshot.realpath('/ws/src/a.ts'), '/ws/src/a.ts');
    assert.equal(snapshot.realpath('/ws/src/b.ts'), '/ws/src/b.ts');
    assert.equal(snapshot.realpath('/ws/linked/a.ts'), '/ws/src/a.ts');
    assert.equal(snapshot.realpath('/ws/src/bashrc'), '/home/u/.bashrc');
    assert.equal(snapshot.realpath('/ws/src/deep/new/x.ts'), undefined);
    assert.equal(snapshot.realpath('/ws/file.txt/below'), undefined);
    assert.equal(snapshot.realpath('/ws/src/../src/a.ts'), '/ws/src/a.ts');
    // The host's realpath: for each link, for what lies below a link, for the unusual path, and for the folders
    // down to the first one below the root (once each).
    assert.deepEqual(asked.realpath.sort(), ['/ws', '/ws/linked', '/ws/src/../src/a.ts', '/ws/src/bashrc']);
    // Below a folder that resolves to nothing, nothing is asked.
    assert.ok(!asked.entry.includes('/ws/src/deep/new/x.ts'));
  });

  test('a case-insensitive disk gets no derived paths (realpath there also fixes the case of each name)', () => {
    const { env, asked } = countingEnv({ caseInsensitive: true });
    const snapshot = fileSystemSnapshot(env);
    assert.equal(snapshot.realpath('/ws/src/a.ts'), '/ws/src/a.ts');
    assert.deepEqual(asked.entry, []);
    assert.deepEqual(asked.realpath, ['/ws/src/a.ts']);
  });

  test('the hard-link lookup is skipped only for nothing there or a file known to have one name', () => {
    const { env, asked } = countingEnv({ hardLinked: ['/ws/src/b.ts'] });
    const snapshot = fileSystemSnapshot(env);
    snapshot.realpath('/ws/src/a.ts');
    snapshot.realpath('/ws/src/b.ts');
    snapshot.realpath('/ws/src/new.ts');
    assert.equal(snapshot.hardLinkedDeniedFile?.('/ws/src/a.ts'), undefined);
    assert.equal(snapshot.hardLinkedDeniedFile?.('/ws/src/new.ts'), undefined);
    assert.deepEqual(snapshot.hardLinkedDeniedFile?.('/ws/src/b.ts'), { deniedFile: '/ws/.env' });
    assert.equal(snapshot.hardLinkedDeniedFile?.('/ws/src/never-asked.ts'), undefined);
    assert.deepEqual(asked.hardLink, ['/ws/src/b.ts', '/ws/src/never-asked.ts']);
  });
});

/** The fake tree's own lstat of each path, as a change set's listing would hand it over. */
function observedOf(env: PolicyEnvironment, paths: readonly string[]): Map<string, FileEntry | 'absent'> {
  return new Map(paths.map((path) => [path, env.entry?.(path) ?? 'absent']));
}

describe('fileSystemSnapshot with what the listing observed', () => {
  test('an observed path is not asked about again: a plain file, or nothing there', () => {
    const { env, asked } = countingEnv();
    const observed = observedOf(env, ['/ws/src/a.ts', '/ws/src/new.ts']);
    asked.entry.length = 0;
    const snapshot = fileSystemSnapshot(env, observed);
    assert.equal(snapshot.realpath('/ws/src/a.ts'), '/ws/src/a.ts');
    assert.equal(snapshot.realpath('/ws/src/new.ts'), undefined);
    assert.ok(!asked.entry.includes('/ws/src/a.ts') && !asked.entry.includes('/ws/src/new.ts'), `${asked.entry}`);
  });

  test('an observed symlink is resolved by the host, all the way to its target', () => {
    const { env, asked } = countingEnv();
    const snapshot = fileSystemSnapshot(env, observedOf(env, ['/ws/src/bashrc', '/ws/src/dotenv']));
    assert.equal(snapshot.realpath('/ws/src/bashrc'), '/home/u/.bashrc');
    assert.equal(snapshot.realpath('/ws/src/dotenv'), '/ws/.env');
    assert.ok(asked.realpath.includes('/ws/src/bashrc') && asked.realpath.includes('/ws/src/dotenv'));
  });

  test('below a folder that resolves elsewhere now, the observation is not used: the host is asked', () => {
    const { env, asked } = countingEnv();
    // Seen as nothing there below /ws/linked, which is (now) a link to /ws/src, where a.ts is.
    const snapshot = fileSystemSnapshot(env, new Map([['/ws/linked/a.ts', 'absent']]));
    assert.equal(snapshot.realpath('/ws/linked/a.ts'), '/ws/src/a.ts');
    assert.ok(asked.entry.includes('/ws/linked/a.ts'));
  });

  test('an observed file with other names still gets the hard-link lookup; one with one name does not', () => {
    const { env, asked } = countingEnv({ hardLinked: ['/ws/src/b.ts'] });
    const snapshot = fileSystemSnapshot(env, observedOf(env, ['/ws/src/a.ts', '/ws/src/b.ts']));
    snapshot.realpath('/ws/src/a.ts');
    snapshot.realpath('/ws/src/b.ts');
    assert.equal(snapshot.hardLinkedDeniedFile?.('/ws/src/a.ts'), undefined);
    assert.deepEqual(snapshot.hardLinkedDeniedFile?.('/ws/src/b.ts'), { deniedFile: '/ws/.env' });
    assert.deepEqual(asked.hardLink, ['/ws/src/b.ts']);
  });

  test('a path the listing could not lstat is asked again, and its failure refuses', () => {
    const { env } = countingEnv();
    const failing: PolicyEnvironment = {
      ...env,
      entry(path) {
        if (path === '/ws/src/a.ts') throw new Error('EACCES');
        return env.entry?.(path);
      },
      realpath(path) {
        if (path === '/ws/src/a.ts') throw new Error('EACCES');
        return env.realpath(path);
      },
    };
    const policy = new PathPolicy(settings(), failing);
    const [decided] = policy.decideAll('write', ['/ws/src/a.ts'], '/ws', new Map());
    assert.equal(decided.decision, 'deny');
  });
});

describe('PathPolicy.decideAll', () => {
  test('decides every path exactly as decide does, reads and writes', () => {
    for (const op of ['read', 'write'] as const) {
      const { env } = countingEnv({ hardLinked: ['/ws/src/b.ts'] });
      const policy = new PathPolicy(settings(), env);
      const one = PATHS.map((path) => policy.decide(op, path, '/ws'));
      assert.deepEqual(policy.decideAll(op, PATHS, '/ws'), one);
    }
  });

  test('decides exactly as decide does when handed the lstat of every path', () => {
    for (const op of ['read', 'write'] as const) {
      const { env } = countingEnv({ hardLinked: ['/ws/src/b.ts'] });
      const policy = new PathPolicy(settings(), env);
      const one = PATHS.map((path) => policy.decide(op, path, '/ws'));
      const observed = observedOf(
        env,
        PATHS.filter((path) => path.startsWith('/') && !path.includes('..')),
      );
      assert.deepEqual(policy.decideAll(op, PATHS, '/ws', observed), one);
    }
  });

  test('what the batch decides is what the rules say: secrets, links out, hard links, git-shaped folders', () => {
    const { env } = countingEnv({ hardLinked: ['/ws/src/b.ts'] });
    const decided = new PathPolicy(settings(), env).decideAll('write', PATHS, '/ws');
    const verdict = (path: string) => decided[PATHS.indexOf(path)].decision;
    assert.equal(verdict('/ws/src/a.ts'), 'allow');
    assert.equal(verdict('/ws/src/new.ts'), 'allow');
    assert.equal(verdict('/ws/.env'), 'deny');
    assert.equal(verdict('/ws/src/dotenv'), 'deny');
    assert.equal(verdict('/ws/src/b.ts'), 'deny');
    assert.equal(verdict('/ws/src/etc/passwd'), 'deny');
    assert.equal(verdict('/ws/src/bashrc'), 'deny');
    assert.equal(verdict('/ws/dangling'), 'deny');
    assert.equal(verdict('/ws/vendor/repo/hooks/pre-commit'), 'ask');
    assert.equal(verdict('/ws/vendor/repo/objects/y'), 'ask');
  });

  test('a thousand files in one folder cost the host one lstat each, not a walk and four git probes each', () => {
    const { env, asked } = countingEnv();
    const many = Array.from({ length: 1000 }, (_, i) => `/ws/src/f${i}.ts`);
    const decided = new PathPolicy(settings(), env).decideAll('write', many, '/ws');
    assert.ok(decided.every((d) => d.decision === 'allow'));
    assert.equal(asked.entry.filter((path) => /\/f\d+\.ts$/.test(path)).length, 1000);
    assert.ok(asked.entry.length < 1000 + 20, `${asked.entry.length} lstats`);
    assert.ok(asked.realpath.length < 5, `${asked.realpath.length} realpaths`);
  });

  test('after the batch the policy asks the live file system again', () => {
    const { env, asked } = countingEnv();
    const policy = new PathPolicy(settings(), env);
    policy.decideAll('write', ['/ws/src/a.ts'], '/ws');
    const before = asked.realpath.length;
    policy.decide('write', '/ws/src/a.ts', '/ws');
    policy.decide('write', '/ws/src/a.ts', '/ws');
    assert.ok(asked.realpath.length >= before + 2);
  });
});
