// A program opens `link/../x` where the kernel leads it: the `..` leaves the symlink's target, not the folder
// holding the link. The policy judged such paths lexically (`x` in the workspace) and allowed reading outside
// it. Checked against a fake tree, then against bash and realpath(1) on a real one.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, realpathSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import '../propertySeed';
import { physicalPath } from '../../../src/core/policy/canonicalPath';
import type { Policy } from '../../../src/core/policy/policy';
import { fakeEnv } from './pathTestEnvironment';
import { realDiskPolicy, type RealDisk } from './realDiskPolicy';

const fake = fakeEnv({
  tree: { files: ['/ws/src/a.ts', '/out/inner/x', '/home/u/.config/c'], links: { '/ws/link': '/out/inner' } },
  homeDir: '/home/u',
});

describe('physicalPath takes each `..` from the real directory before it', () => {
  const rows: [requested: string, base: string | undefined, expected: string][] = [
    ['link/../secret', undefined, '/out/secret'],
    ['link/..', undefined, '/out'],
    ['link/x/../../y', undefined, '/out/y'],
    ['/ws/link/../secret', undefined, '/out/secret'],
    ['../secret', '/ws/link', '/out/secret'],
    ['secret', '/ws/link/..', '/out/secret'],
    ['src/../a', undefined, '/ws/a'],
    ['missing/../a', undefined, '/ws/a'],
    ['../../../..', '/ws', '/'],
    ['~/.config/../x', undefined, '/home/u/x'],
    ['link/./../secret', undefined, '/out/secret'],
    ['plain/path', undefined, '/ws/plain/path'],
  ];
  for (const [requested, base, expected] of rows) {
    test(`${requested}${base ? ` from ${base}` : ''} → ${expected}`, () => {
      const result = physicalPath(requested, fake, base);
      assert.ok(result.ok, result.ok ? '' : result.reason);
      assert.equal(result.lexical, expected);
    });
  }

  test('a path the lexical form refuses is refused', () => {
    assert.equal(physicalPath('link/../\u200bx', fake).ok, false);
  });

  test('on Windows `..` is collapsed in the string, so the lexical form is the answer', () => {
    const win = fakeEnv({
      platform: 'win32',
      caseInsensitive: true,
      workspaceFolders: ['C:\\ws'],
      realpath: () => undefined,
    });
    const result = physicalPath('link\\..\\x', win);
    assert.deepEqual(result, { ok: true, lexical: 'C:/ws/x' });
  });
});

describe('commands are judged where the program lands (real disk, bash as the oracle)', () => {
  let disk: RealDisk;
  let workspace: string;
  let policy: Policy;

  before(async () => {
    disk = await realDiskPolicy('warden-physical-', ['cat', 'ls', 'head'], (root, ws) => {
      for (const dir of ['ws/src/deep', 'ws/config', 'out/inner/deeper', 'out/other'])
        mkdirSync(join(root, dir), { recursive: true });
      for (const file of ['ws/src/a.ts', 'ws/src/deep/b.ts', 'ws/.env', 'ws/secret', 'out/secret', 'out/inner/x'])
        writeFileSync(join(root, file), 'x\n');
      writeFileSync(join(root, 'out/.env'), 'KEY=1\n');
      symlinkSync('../out/inner', join(ws, 'link'));
      symlinkSync('../../out/inner/deeper', join(ws, 'src/deeplink'));
      symlinkSync('link', join(ws, 'chain'));
      symlinkSync('src', join(ws, 'inlink'));
    });
    ({ workspace, policy } = disk);
  });
  after(() => disk.remove());

  /** Where bash's `cd`, then realpath(1), lands; undefined when the cd fails or nothing is there. */
  function landing(cd: string | undefined, physicalCd: boolean, path: string): string | undefined {
    const change = cd === undefined ? '' : `cd ${physicalCd ? '-P ' : ''}-- "$2" || exit 9;`;
    const script = `cd -- "$1" || exit 9; ${change} realpath -e -- "$3"`;
    const run = spawnSync('bash', ['-c', script, 'bash', workspace, cd ?? '', path], { encoding: 'utf8' });
    return run.status === 0 ? run.stdout.trim() : undefined;
  }

  function quote(text: string): string {
    return `'${text.replace(/'/g, `'\\''`)}'`;
  }

  function check(cd: string | undefined, physicalCd: boolean, path: string): void {
    const target = landing(cd, physicalCd, path);
    if (target === undefined) return;
    const command = `${cd === undefined ? '' : `cd ${physicalCd ? '-P ' : ''}${quote(cd)} && `}cat ${quote(path)}`;
    const d = policy.decideCommand(command, workspace);
    const outside = target !== workspace && !target.startsWith(`${workspace}/`);
    const secret = target.endsWith('/.env');
    const where = `${command} reads ${target}: ${d.decision} (${d.rule}) ${d.reason}`;
    if (secret) assert.equal(d.decision, 'deny', where);
    else if (outside) assert.notEqual(d.decision, 'allow', where);
  }

  test('a table of paths through symlinks', () => {
    const rows: [cd: string | undefined, physicalCd: boolean, path: string][] = [
      [undefined, false, 'link/../secret'],
      [undefined, false, 'link/../.env'],
      [undefined, false, 'chain/../secret'],
      [undefined, false, 'src/deeplink/../../secret'],
      [undefined, false, 'link/deeper/../../other/../secret'],
      [undefined, false, `${'link/../'}inner/../.env`],
      ['link', false, '../secret'],
      ['link', false, '../.env'],
      ['link/..', true, 'secret'],
      ['link/..', true, '.env'],
      ['src/deeplink/..', true, 'x'],
      ['chain/deeper', false, '../../secret'],
    ];
    for (const [cd, physicalCd, path] of rows) {
      assert.ok(landing(cd, physicalCd, path), `the table's row lands nowhere: ${cd} ${path}`);
      check(cd, physicalCd, path);
    }
  });

  test('a path inside the workspace is still allowed, through `..` too', () => {
    for (const command of ['cat src/../secret', 'cat inlink/../secret', 'cat src/deep/../a.ts'])
      assert.equal(policy.decideCommand(command, workspace).decision, 'allow', command);
  });

  /** A path from `from` made by `choices`: each picks an entry of the real folder reached so far, `.` or `..`. */
  function walk(from: string, choices: readonly number[]): { path: string; reached: string } {
    const names: string[] = [];
    let here = from;
    for (const choice of choices) {
      const entries = ['..', '.', ...readdirSync(here).sort()];
      const name = entries[choice % entries.length];
      names.push(name);
      const next = join(here, name);
      if (!statSync(next, { throwIfNoEntry: false })?.isDirectory()) break;
      here = realpathSync.native(next);
    }
    return { path: names.join('/'), reached: here };
  }

  test('random paths through links and `..` never allow a read outside or of a secret', () => {
    const choices = fc.array(fc.nat(), { minLength: 1, maxLength: 7 });
    fc.assert(
      fc.property(fc.option(choices, { nil: undefined }), fc.boolean(), choices, (cd, physicalCd, path) => {
        const from = cd === undefined ? undefined : walk(workspace, cd);
        check(from?.path, physicalCd, walk(from?.reached ?? workspace, path).path);
      }),
      { numRuns: 400 },
    );
  });
});
