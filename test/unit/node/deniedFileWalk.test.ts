// The denied-file walk is one generator: these tests drive it by hand (a scripted directory tree), then
// through both drivers on a real disk, which must agree.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  deniedAmongTracked,
  ENTRIES_PER_SLICE,
  walkDeniedFiles,
  type DeniedFileJudge,
  type DirectoryEntry,
  type Walk,
} from '../../../src/node/deniedFileWalk';
import { ABANDONED, runToEnd, runYielding } from '../../../src/node/walkDrivers';

/** Denies `.env` by name and every symlink (as if each led to a secret). */
const judge: DeniedFileJudge = {
  isDeniedFile: (path, isSymlink) => isSymlink || path.endsWith('/.env'),
};

const file = (name: string): DirectoryEntry => ({ name, isDirectory: () => false, isSymbolicLink: () => false });
const dir = (name: string): DirectoryEntry => ({ name, isDirectory: () => true, isSymbolicLink: () => false });
const link = (name: string): DirectoryEntry => ({ name, isDirectory: () => false, isSymbolicLink: () => true });

/** Answers the walk's listing requests from a table; records what it was asked. */
function drive<T>(walk: Walk<T>, tree: Record<string, DirectoryEntry[] | undefined>) {
  const asked: string[] = [];
  let pauses = 0;
  for (let step = walk.next(); ; ) {
    if (step.done) return { result: step.value, asked, pauses };
    if (step.value.kind === 'pause') pauses++;
    else if (step.value.kind === 'list') asked.push(step.value.dir);
    step = walk.next(step.value.kind === 'list' ? tree[step.value.dir] : undefined);
  }
}

describe('walkDeniedFiles', () => {
  test('lists every folder under every root and returns the denied files with the entry count', () => {
    const { result, asked } = drive(walkDeniedFiles(['/w', '/v'], judge), {
      '/w': [file('.env'), dir('src'), file('a.ts')],
      '/w/src': [file('.env'), link('key')],
      '/v': [file('b.ts')],
    });
    assert.deepEqual(asked.sort(), ['/v', '/w', '/w/src']);
    assert.deepEqual(result?.found.sort(), ['/w/.env', '/w/src/.env', '/w/src/key']);
    assert.equal(result?.entries, 6);
  });

  test('judges a symlink by the judge and never descends into it', () => {
    const linkedDir: DirectoryEntry = { name: 'docs', isDirectory: () => false, isSymbolicLink: () => true };
    const { result, asked } = drive(walkDeniedFiles(['/w'], judge), { '/w': [linkedDir] });
    assert.deepEqual(asked, ['/w']);
    assert.deepEqual(result?.found, ['/w/docs']);
  });

  test('skips a folder it cannot read, as a shell could not read it either', () => {
    const { result } = drive(walkDeniedFiles(['/w'], judge), { '/w': [dir('locked'), file('.env')] });
    assert.deepEqual(result?.found, ['/w/.env']);
  });

  test('gives up past the entry cap: the list is unknown rather than partial', () => {
    const { result } = drive(walkDeniedFiles(['/w'], judge, 2), { '/w': [file('.env'), file('a'), file('b')] });
    assert.equal(result, undefined);
  });

  test('asks for a pause after every slice of entries', () => {
    const many = Array.from({ length: ENTRIES_PER_SLICE * 2 + 1 }, (_, i) => file(`f${i}`));
    const { pauses, result } = drive(walkDeniedFiles(['/w'], judge), { '/w': many });
    assert.equal(pauses, 2);
    assert.equal(result?.entries, many.length);
  });
});

describe('deniedAmongTracked', () => {
  test('keeps the denied files of every folder’s git listing', () => {
    const { result } = drive(deniedAmongTracked([['/w/.env', '/w/a.ts'], ['/v/.env']], judge), {});
    assert.deepEqual(result, ['/w/.env', '/v/.env']);
  });

  test('is unknown when git failed on one folder', () => {
    assert.equal(drive(deniedAmongTracked([['/w/.env'], undefined], judge), {}).result, undefined);
  });
});

describe('the two drivers on a real disk', () => {
  let work: string;

  before(() => {
    work = realpathSync(mkdtempSync(join(tmpdir(), 'warden-walk-')));
    mkdirSync(join(work, 'src', 'deep'), { recursive: true });
    writeFileSync(join(work, '.env'), '');
    writeFileSync(join(work, 'src', 'deep', '.env'), '');
    writeFileSync(join(work, 'src', 'a.ts'), '');
    symlinkSync(join(work, '.env'), join(work, 'src', 'to-env'));
    symlinkSync(join(work, 'src'), join(work, 'loop'));
  });

  after(() => rmSync(work, { recursive: true, force: true }));

  test('run straight and run yielding find the same files', async () => {
    const straight = runToEnd(walkDeniedFiles([work], judge));
    const yielding = await runYielding(walkDeniedFiles([work], judge), () => false);
    assert.ok(straight && yielding !== ABANDONED && yielding);
    const expected = [
      join(work, '.env'),
      join(work, 'loop'),
      join(work, 'src', 'deep', '.env'),
      join(work, 'src', 'to-env'),
    ];
    assert.deepEqual(straight.found.sort(), expected);
    assert.deepEqual(yielding.found.sort(), expected);
    assert.equal(yielding.entries, straight.entries);
  });

  test('a yielding walk that turned stale is abandoned', async () => {
    let waits = 0;
    const outcome = await runYielding(walkDeniedFiles([work], judge), () => ++waits >= 2);
    assert.equal(outcome, ABANDONED);
    assert.equal(waits, 2);
  });
});
