// `cat src/*.ts` is judged by what the glob may match among the known denied entries of its folder, instead of
// always asking. Checked against a table, then against bash's own expansion on a real tree with secrets, links
// out of the workspace and hard links: no line the policy allows may read one of them.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { linkSync, mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import '../propertySeed';
import { globMayMatch, globRead, type GlobRead } from '../../../src/core/policy/commands/globReads';
import { literalWord, type Word } from '../../../src/core/policy/commands/parse/words';
import type { Policy } from '../../../src/core/policy/policy';
import { realDiskPolicy, type RealDisk } from './realDiskPolicy';

/** A word as written unquoted: every glob character is one. */
function unquoted(text: string): Word {
  return { ...literalWord(text), shape: text, glob: /[*?[]/.test(text) };
}

function pattern(text: string): GlobRead {
  const read = globRead(unquoted(text));
  assert.ok(typeof read !== 'string', `${text}: ${String(read)}`);
  return read;
}

describe('globRead and globMayMatch', () => {
  const matches: [glob: string, entry: string, expected: boolean][] = [
    ['src/*.ts', '.env', false],
    ['src/*', '.env', false],
    ['src/.*rc', '.npmrc', true],
    ['src/*.pem', 'key.pem', true],
    ['src/*.PEM', 'key.pem', true], // a case-insensitive disk finds it
    ['src/[kx]ey.pem', 'key.pem', true],
    ['src/[.]env', '.env', true],
    ['src/?ey.pem', 'key.pem', true],
    ['src/?env', '.env', false],
    ['src/*', 'a/key.pem', false], // a folder the glob names is not read whole
  ];
  for (const [glob, entry, expected] of matches)
    test(`${glob} may match ${entry}: ${expected ? 'yes' : 'no'}`, () =>
      assert.equal(globMayMatch(pattern(glob), entry), expected));

  test('quoted glob characters are literal', () => {
    const read = globRead({ ...literalWord('src/*.pem'), shape: 'src/\u0001.pem', glob: true });
    assert.ok(typeof read !== 'string');
    assert.equal(globMayMatch(read, 'key.pem'), false);
    assert.equal(globMayMatch(read, '*.pem'), true);
  });

  const refused: [glob: string, why: RegExp][] = [
    ['*.ts', /options/],
    // A pattern before the last segment may go through a link to a folder elsewhere in the workspace.
    ['src/*/b.ts', /through folders/],
    ['src/*/.env', /through folders/],
    ['src/**/*.pem', /through folders/],
    ['src/**', /through folders/],
    ['src/*/../x', /`\.\.`/],
    ['src/.*', /`\.` or `\.\.`/],
    ['src/.?', /`\.` or `\.\.`/],
    ['src/[.]*', /`\.` or `\.\.`/],
    ['src/*(x)', /does not expand/],
  ];
  for (const [glob, why] of refused)
    test(`${glob} is not expanded`, () => assert.match(String(globRead(unquoted(glob))), why));
});

describe('bash as the oracle', () => {
  let disk: RealDisk;
  let workspace: string;
  let policy: Policy;

  before(async () => {
    disk = await realDiskPolicy('warden-globs-', ['cat', 'grep', 'head', 'wc'], (root, ws) => {
      const file = (path: string) => {
        mkdirSync(join(ws, path, '..'), { recursive: true });
        writeFileSync(join(ws, path), 'x\n');
      };
      for (const path of ['src/a.ts', 'src/b.js', 'src/sub/c.ts', 'src/sub/d.md', 'docs/readme.md', 'src/.hidden/e.ts'])
        file(path);
      for (const path of ['src/.env', 'src/key.pem', 'src/sub/.env.local', 'docs/id_rsa', 'src/.hidden/f.pem'])
        file(path);
      mkdirSync(join(root, 'out'));
      writeFileSync(join(root, 'out', 'secret.ts'), 'x\n');
      symlinkSync(join(root, 'out'), join(ws, 'src', 'outdir'));
      symlinkSync(join(root, 'out', 'secret.ts'), join(ws, 'src', 'sub', 'outfile.ts'));
      linkSync(join(ws, 'src', '.env'), join(ws, 'docs', 'notes.md'));
      // A link to a folder of the workspace: its secret is listed under `keys`, not under `src/keylink`.
      file('keys/server.pem');
      file('lib/util.ts');
      symlinkSync('../keys', join(ws, 'lib', 'keylink'));
    });
    ({ workspace, policy } = disk);
  });
  after(() => disk.remove());

  /** The real paths bash's expansion of `glob` leads to (none when it matches nothing). */
  function expansion(glob: string): string[] {
    const script = 'shopt -s nullglob; for f in ' + glob + '; do realpath -e -- "$f" 2>/dev/null; done';
    const run = spawnSync('bash', ['--norc', '--noprofile', '-c', script], { cwd: workspace, encoding: 'utf8' });
    return run.stdout.split('\n').filter(Boolean);
  }

  const secret = (path: string): boolean =>
    !path.startsWith(`${workspace}/`) || /\/(\.env[^/]*|[^/]*\.pem|id_rsa)$/.test(path) || path.endsWith('notes.md');

  test('a table of globs', () => {
    const rows: [glob: string, allowed: boolean][] = [
      ['src/*.ts', true],
      ['src/sub/*.md', true],
      ['docs/*.md', false], // a hard link to .env
      ['src/*', false],
      ['src/*/c.ts', false], // through the link out of the workspace
      ['src/s*/*.ts', false], // a link to a file outside
      ['src/sub/[cd].*', true],
      ['src/.e*', false],
      ['src/**/*.pem', false],
      ['lib/*/server.pem', false], // through the link to `keys`
      ['lib/*.ts', true],
      ['src/*/*.md', false], // only the last segment is expanded
    ];
    for (const [glob, allowed] of rows) {
      const d = policy.decideCommand(`cat ${glob}`, workspace);
      assert.equal(d.decision === 'allow', allowed, `cat ${glob}: ${d.decision} ${d.reason}`);
    }
  });

  test('a recursive read that follows links asks: a linked folder’s secrets are listed under its own path', () => {
    assert.equal(policy.decideCommand('grep -R x lib', workspace).decision, 'ask');
    assert.equal(policy.decideCommand('grep -r x lib', workspace).decision, 'allow'); // links met are not followed
    assert.equal(policy.decideCommand('grep -r x lib/keylink', workspace).decision, 'deny'); // one named is
  });

  test('a recursive reader is not given a glob to expand (it would follow a link the glob finds)', () => {
    const d = policy.decideCommand('grep -r x src/*.ts', workspace);
    assert.equal(d.decision, 'ask', d.reason);
  });

  test('a line the policy allows never reads a secret or outside the workspace, whatever bash expands', () => {
    const segment = fc.constantFrom(
      '*',
      '*.ts',
      '*.md',
      '?.ts',
      '[a-c].*',
      '.e*',
      '*.pem',
      's*',
      'sub',
      'src',
      'docs',
      '**',
      '.hidden',
      'o*',
      '*rc',
      '[.]env',
      'n*',
      'keylink',
      'k*',
      'lib',
      'server.pem',
    );
    const glob = fc.array(segment, { minLength: 1, maxLength: 3 }).map((segments) => `./${segments.join('/')}`);
    const command = fc.tuple(fc.constantFrom('cat', 'grep -r x', 'head -n 1'), glob);
    fc.assert(
      fc.property(command, ([program, path]) => {
        const d = policy.decideCommand(`${program} ${path}`, workspace);
        if (d.decision !== 'allow') return;
        const recursive = program.startsWith('grep -r');
        for (const target of expansion(path)) {
          const reached = recursive
            ? spawnSync('find', ['-H', target, '-type', 'f'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean)
            : [target];
          for (const file of reached) {
            const real = realpathSync(file);
            assert.ok(!secret(real), `${program} ${path} is allowed, but bash expands it to ${file} (${real})`);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
