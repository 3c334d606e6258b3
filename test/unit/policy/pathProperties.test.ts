// Properties over generated paths, and the real file system for symlinks (tests may use fs; the core may not).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as nodePath from 'node:path';
import fc from 'fast-check';
import '../propertySeed';
import { PathPolicy } from '../../../src/core/policy/pathPolicy';
import type { SymlinkAwareEnvironment } from '../../../src/core/policy/canonicalPath';
import { fakeEnv, settings, user } from './pathTestEnvironment';

const segment = fc.oneof(
  fc.constantFrom(
    '..',
    '.',
    '',
    '~',
    'src',
    'a.ts',
    '.env',
    '.git',
    'ws',
    'home',
    'u',
    'etc',
    'passwd',
    '.ssh',
    'id_rsa',
    '.vscode',
    'C:',
    'c:',
    '%2e%2e',
    'GIT~1',
    'con',
    '.git.',
    '.. ',
    'x::$DATA',
  ),
  fc.constantFrom('\uff0e\uff0e', '\u2024', '\u2215', '\u200b', '\u202e', 'e\u0301', '\u0000', '\ufeff'),
  fc.string({ maxLength: 6 }),
  fc.string({ unit: 'grapheme', maxLength: 4 }),
);
const separator = fc.constantFrom('/', '\\', '//', '\\\\');
const prefix = fc.constantFrom(
  '',
  '/',
  '~/',
  '~',
  '\\',
  '//',
  '\\\\',
  'C:\\',
  'c:/',
  '/ws/',
  '/ws/../',
  '/home/u/',
  '\\\\server\\share\\',
);
const generatedPath = fc
  .tuple(prefix, fc.array(fc.tuple(segment, separator), { maxLength: 8 }))
  .map(([p, parts]) => p + parts.map(([s, sep]) => s + sep).join(''));

/** What a shell or the OS could make of the string, at its most generous: every separator, `~`, `..`. */
function insideWorkspace(resolved: string | undefined): boolean {
  return resolved !== undefined && (resolved === '/ws' || resolved.startsWith('/ws/'));
}

function osInterpretation(requested: string): string {
  let p = requested.replace(/\\/g, '/');
  if (p === '~' || p.startsWith('~/')) p = '/home/u' + p.slice(1);
  return nodePath.posix.resolve('/ws', p);
}

describe('generated paths never escape the workspace', () => {
  const outsideLinks = fakeEnv({
    tree: {
      files: ['/ws/src/a.ts', '/home/u/.bashrc', '/etc/passwd'],
      links: { '/ws/src/up': '/home/u', '/ws/u': '/', '/ws/home': '/home' },
    },
  });
  const policies = [new PathPolicy(settings(), fakeEnv()), new PathPolicy(settings(), outsideLinks)];

  test('decide never throws and never allows a path outside /ws (lexically or after symlinks)', () => {
    fc.assert(
      fc.property(
        generatedPath,
        fc.constantFrom('read', 'write') as fc.Arbitrary<'read' | 'write'>,
        fc.nat(1),
        (requested, op, which) => {
          const d = policies[which].decide(op, requested);
          if (d.decision !== 'allow') return;
          assert.ok(insideWorkspace(d.resolved), `allowed ${JSON.stringify(requested)} → ${d.resolved}`);
          assert.ok(
            insideWorkspace(osInterpretation(requested)),
            `allowed ${JSON.stringify(requested)}, which the OS reads as ${osInterpretation(requested)}`,
          );
        },
      ),
      { numRuns: 3000 },
    );
  });

  test('decide never throws on arbitrary unicode strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (requested) => {
        const d = policies[1].decide('read', requested);
        assert.ok(['allow', 'ask', 'deny'].includes(d.decision));
      }),
      { numRuns: 2000 },
    );
  });

  test('no letter-case variant of .env or .git/config is ever allowed', () => {
    const casing = (word: string) =>
      fc
        .array(fc.boolean(), { minLength: word.length, maxLength: word.length })
        .map((flags) => [...word].map((c, i) => (flags[i] ? c.toUpperCase() : c)).join(''));
    const ci = new PathPolicy(settings(), fakeEnv({ caseInsensitive: true }));
    fc.assert(
      fc.property(
        fc.oneof(casing('.env'), casing('.git/config'), casing('src/.env.local')),
        fc.constantFrom('', '.', ' ', '. '),
        (path, tail) => {
          for (const p of [policies[0], ci]) assert.equal(p.decide('read', path + tail).decision, 'deny', path + tail);
        },
      ),
    );
  });

  test('a generated relative path is judged identically however its separators are written', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('src', 'a.ts', '.env', '..', 'lib', '.vscode', 'settings.json'), {
          minLength: 1,
          maxLength: 6,
        }),
        (parts) => {
          const forward = policies[0].decide('write', parts.join('/'));
          const back = policies[0].decide('write', parts.join('\\'));
          assert.equal(forward.decision, back.decision);
          assert.equal(forward.rule, back.rule);
        },
      ),
    );
  });
});

describe('real symlinks on disk are followed', () => {
  let root: string;
  let env: SymlinkAwareEnvironment;
  let policy: PathPolicy;

  before(() => {
    // realpath the temp dir itself: on macOS /tmp is a symlink.
    root = fs.realpathSync(fs.mkdtempSync(nodePath.join(os.tmpdir(), 'warden-paths-')));
    const home = nodePath.join(root, 'home');
    const ws = nodePath.join(root, 'ws');
    fs.mkdirSync(nodePath.join(home, '.config'), { recursive: true });
    fs.writeFileSync(nodePath.join(home, '.bashrc'), 'export PATH=…\n');
    fs.mkdirSync(nodePath.join(ws, 'src'), { recursive: true });
    fs.writeFileSync(nodePath.join(ws, 'src', 'ok.ts'), 'export {};\n');
    fs.writeFileSync(nodePath.join(ws, '.env'), 'TOKEN=x\n');
    fs.symlinkSync(nodePath.join(home, '.bashrc'), nodePath.join(ws, 'src', 'link')); // leaf symlink out
    fs.symlinkSync(home, nodePath.join(ws, 'homedir')); // symlinked parent directory
    fs.symlinkSync(nodePath.join(ws, '.env'), nodePath.join(ws, 'src', 'config.txt')); // innocent name, secret target
    fs.symlinkSync(nodePath.join(ws, 'src'), nodePath.join(ws, 'alias')); // harmless in-workspace link
    // dangling, relative
    fs.symlinkSync('../../home/.config/autostart/evil.desktop', nodePath.join(ws, 'src', 'notes.md'));
    env = {
      readlink(path: string) {
        try {
          return fs.readlinkSync(path);
        } catch {
          return undefined; // not a link, or not there
        }
      },
      workspaceFolders: [ws],
      homeDir: home,
      caseInsensitive: false,
      platform: 'posix',
      realpath(path) {
        try {
          return fs.realpathSync(path);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
          throw error;
        }
      },
    };
    policy = new PathPolicy(settings({ autoApproveWrites: user('**') }), env);
  });

  after(() => fs.rmSync(root, { recursive: true, force: true }));

  const denied: Array<[string, string, string]> = [
    ['a leaf symlink to a ~/.bashrc-like file', 'src/link', 'outside-workspace'],
    ['a file under a symlinked parent', 'homedir/.bashrc', 'outside-workspace'],
    ['a new file under a symlinked parent', 'homedir/.config/autostart.desktop', 'outside-workspace'],
    ['an innocently named symlink to .env', 'src/config.txt', '.env'],
    ['a dangling symlink whose target would be created outside', 'src/notes.md', 'outside-workspace'],
  ];
  for (const [what, path, rule] of denied) {
    for (const op of ['read', 'write'] as const) {
      test(`${op} of ${what} is denied (${rule})`, () => {
        const d = policy.decide(op, path);
        assert.equal(d.decision, 'deny', d.reason);
        assert.equal(d.rule, rule);
      });
    }
  }

  test('an ordinary file and a new file next to it are allowed', () => {
    assert.equal(policy.decide('read', 'src/ok.ts').decision, 'allow');
    assert.equal(policy.decide('write', 'src/new.ts').decision, 'allow');
  });

  test('an in-workspace symlink is allowed and resolves to the real file', () => {
    const d = policy.decide('read', 'alias/ok.ts');
    assert.equal(d.decision, 'allow');
    assert.equal(d.resolved, nodePath.join(root, 'ws', 'src', 'ok.ts'));
  });

  test('an auto-approve glob of ** still never auto-approves a write through an outward symlink', () => {
    assert.equal(policy.autoApproves(policy.decide('write', 'src/link')), false);
    assert.equal(policy.autoApproves(policy.decide('write', 'src/new.ts')), true);
  });
});
