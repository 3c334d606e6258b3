import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  changedEntries,
  changeKind,
  modeChanged,
  type EntryState,
  type LayerListing,
  type UpperEntry,
} from '../../../src/core/sandbox/layerChanges';

const FOLDER = '/w';
const file = (mode = 0o644, size = 1): EntryState => ({ kind: 'file', mode, size });
const dir = (mode = 0o755): EntryState => ({ kind: 'directory', mode, size: 4096 });
const link = (target: string): EntryState => ({
  kind: 'symlink',
  mode: 0o777,
  size: target.length,
  linkTarget: target,
});

function upper(relative: string, kind: UpperEntry['kind'], extra: Partial<UpperEntry> = {}): UpperEntry {
  const mode = kind === 'directory' ? 0o755 : kind === 'whiteout' ? 0 : kind === 'symlink' ? 0o777 : 0o644;
  return { relative, kind, mode, size: kind === 'directory' ? 4096 : 1, ...extra };
}

function listing(entries: UpperEntry[], lower: Record<string, EntryState>, truncated = false): LayerListing {
  return { folder: FOLDER, upper: entries, lower: new Map(Object.entries(lower)), truncated };
}

/** `created a`, `deleted b/`, `modified c (mode)` — one line per change, in path order. */
function describeChanges(l: LayerListing): string[] {
  return changedEntries(l).map((entry) => {
    const state = entry.after ?? entry.before;
    const slash = state?.kind === 'directory' ? '/' : state?.kind === 'symlink' ? '@' : '';
    return `${changeKind(entry)} ${entry.relative}${slash}${modeChanged(entry) ? ' (mode)' : ''}`;
  });
}

describe('changedEntries reads what a command changed from its overlay layer', () => {
  const cases: Array<[name: string, l: LayerListing, expected: string[]]> = [
    ['a file only in the layer is created', listing([upper('new.ts', 'file')], {}), ['created new.ts']],
    [
      'a file in the layer and before is modified',
      listing([upper('src', 'directory'), upper('src/a.ts', 'file')], { src: dir(), 'src/a.ts': file() }),
      ['modified src/a.ts'],
    ],
    [
      'a folder copied up to hold a change is not itself a change',
      listing([upper('src', 'directory'), upper('src/b.ts', 'file')], { src: dir() }),
      ['created src/b.ts'],
    ],
    [
      'a folder whose mode changed is a change',
      listing([upper('bin', 'directory', { mode: 0o700 })], { bin: dir(0o755) }),
      ['modified bin/ (mode)'],
    ],
    [
      'a whiteout deletes the file it covers',
      listing([upper('old.txt', 'whiteout')], { 'old.txt': file() }),
      ['deleted old.txt'],
    ],
    ['a whiteout over nothing is no change', listing([upper('ghost', 'whiteout')], {}), []],
    [
      'a whiteout over a folder deletes everything that was below it',
      listing([upper('lib', 'whiteout')], { lib: dir(), 'lib/a': file(), 'lib/sub': dir(), 'lib/sub/b': file() }),
      ['deleted lib/', 'deleted lib/a', 'deleted lib/sub/', 'deleted lib/sub/b'],
    ],
    [
      'an opaque folder hides what it held before; what it holds again is modified',
      listing([upper('lib', 'directory', { opaque: true }), upper('lib/a', 'file'), upper('lib/c', 'file')], {
        lib: dir(),
        'lib/a': file(),
        'lib/b': file(),
      }),
      ['modified lib/a', 'deleted lib/b', 'created lib/c'],
    ],
    [
      'below an opaque folder, a re-made subfolder does not let its old files show through',
      listing(
        [upper('lib', 'directory', { opaque: true }), upper('lib/sub', 'directory'), upper('lib/sub/x', 'file')],
        {
          lib: dir(),
          'lib/sub': dir(),
          'lib/sub/old': file(),
        },
      ),
      ['deleted lib/sub/old', 'created lib/sub/x'],
    ],
    [
      'a folder that is not opaque lets its old files show through',
      listing([upper('lib', 'directory'), upper('lib/c', 'file')], { lib: dir(), 'lib/a': file() }),
      ['created lib/c'],
    ],
    [
      'a file replacing a folder takes the folder and its content with it',
      listing([upper('out', 'file')], { out: dir(), 'out/x.js': file() }),
      ['modified out', 'deleted out/x.js'],
    ],
    [
      'a folder replacing a file is one change of kind',
      listing([upper('conf', 'directory'), upper('conf/a', 'file')], { conf: file() }),
      ['modified conf/', 'created conf/a'],
    ],
    [
      'a rename is a delete and a create (the layer copies folders, never redirects them)',
      listing([upper('docs', 'whiteout'), upper('notes', 'directory'), upper('notes/a.md', 'file')], {
        docs: dir(),
        'docs/a.md': file(),
      }),
      ['deleted docs/', 'deleted docs/a.md', 'created notes/', 'created notes/a.md'],
    ],
    [
      'a chmod is a modification with a mode change',
      listing([upper('run.sh', 'file', { mode: 0o755 })], { 'run.sh': file(0o644) }),
      ['modified run.sh (mode)'],
    ],
    [
      'symlinks are created and changed like files',
      listing([upper('latest', 'symlink', { linkTarget: 'v2' }), upper('cur', 'symlink', { linkTarget: 'b' })], {
        cur: link('a'),
      }),
      ['modified cur@', 'created latest@'],
    ],
  ];
  for (const [name, l, expected] of cases) {
    test(name, () => assert.deepEqual(describeChanges(l), expected));
  }

  test('entries carry absolute paths, the folder, and both states', () => {
    const [entry] = changedEntries(listing([upper('a', 'file', { size: 9 })], { a: file(0o644, 3) }));
    assert.deepEqual(entry, {
      folder: '/w',
      relative: 'a',
      path: '/w/a',
      before: { kind: 'file', mode: 0o644, size: 3 },
      after: { kind: 'file', mode: 0o644, size: 9 },
    });
  });

  test('a symlink keeps its target in its state', () => {
    const [entry] = changedEntries(listing([upper('l', 'symlink', { linkTarget: '../x' })], {}));
    assert.equal(entry.after?.linkTarget, '../x');
  });
});
