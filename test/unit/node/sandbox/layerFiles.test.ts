// The layer's files on disk: reading overlay's opaque marks from tar's pax headers, the run folders of the layer
// store (and what overlay leaves in them), and reading what a changed file was and became.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChangeItem } from '../../../../src/core/sandbox/changeSet';
import type { PathDecision } from '../../../../src/core/policy/decision';
import { classify, withContents } from '../../../../src/node/sandbox/changeContents';
import { opaqueMarkReader, parseOpaqueMarks } from '../../../../src/node/sandbox/layerCollector';
import { LayerStore, removeTree } from '../../../../src/node/sandbox/layerStore';

/** One 512-byte tar header (ustar), with the checksum left blank: the parser does not need it. */
function header(name: string, type: string, size: number): Buffer {
  const block = Buffer.alloc(512);
  block.write(name.slice(0, 100), 0);
  block.write(size.toString(8).padStart(11, '0'), 124);
  block.write(type, 156);
  block.write('ustar\0', 257);
  return block;
}

function entry(name: string, type: string, data: Buffer = Buffer.alloc(0)): Buffer {
  const padded = Buffer.alloc(Math.ceil(data.length / 512) * 512);
  data.copy(padded);
  return Buffer.concat([header(name, type, data.length), padded]);
}

function pax(records: Record<string, string>): Buffer {
  let text = '';
  for (const [key, value] of Object.entries(records)) {
    const body = ` ${key}=${value}\n`;
    let length = body.length + 1;
    while (`${length}${body}`.length !== length) length++;
    text += `${length}${body}`;
  }
  return Buffer.from(text);
}

describe('parseOpaqueMarks reads overlay.opaque from the pax headers tar writes', () => {
  test('marked folders are found, unmarked ones not, with the ./ and trailing slash removed', () => {
    const stream = Buffer.concat([
      entry('./PaxHeaders/lib', 'x', pax({ mtime: '1.5', 'SCHILY.xattr.user.overlay.opaque': 'y' })),
      entry('./lib/', '5'),
      entry('./PaxHeaders/src', 'x', pax({ 'SCHILY.xattr.user.overlay.origin': '' })),
      entry('./src/', '5'),
      entry('./plain/', '5'),
      entry('./PaxHeaders/x', 'x', pax({ 'SCHILY.xattr.trusted.overlay.opaque': 'x' })),
      entry('./x/', '5'),
      Buffer.alloc(1024),
    ]);
    assert.deepEqual([...parseOpaqueMarks(stream)], ['lib', 'x']);
  });

  test('a long name comes from the pax path record or a GNU long-name entry', () => {
    const long = `./${'deep/'.repeat(30)}folder`;
    const stream = Buffer.concat([
      entry('./PaxHeaders/p', 'x', pax({ path: long, 'SCHILY.xattr.user.overlay.opaque': 'y' })),
      entry('./truncated', '5'),
      entry('././@LongLink', 'L', Buffer.from(`${long}2\0`)),
      entry('./PaxHeaders/q', 'x', pax({ 'SCHILY.xattr.user.overlay.opaque': 'y' })),
      entry('./truncated2', '5'),
      Buffer.alloc(1024),
    ]);
    assert.deepEqual([...parseOpaqueMarks(stream)], [long.slice(2), `${long.slice(2)}2`]);
  });
});

describe('opaqueMarkReader reads the marks of folders named while a walk goes on', () => {
  const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

  test('folders named over several turns are all read; unmarked ones carry no mark', async () => {
    const root = mkdtempSync(join(tmpdir(), 'warden-marks-test-'));
    try {
      for (const name of ['a', 'b', 'c d']) mkdirSync(join(root, name));
      const reader = opaqueMarkReader('tar', root);
      reader.add('a');
      await nextTurn();
      reader.add('b');
      await nextTurn();
      reader.add('c d');
      assert.deepEqual([...(await reader.marked())], []);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('a reader asked about no folder starts no tar', async () => {
    assert.deepEqual([...(await opaqueMarkReader('/nonexistent/tar', tmpdir()).marked())], []);
  });

  test("tar's failure is reported when the marks are asked for, not before, and refuses the listing", async () => {
    const reader = opaqueMarkReader('/nonexistent/tar', tmpdir());
    reader.add('x');
    // The spawn fails while the walk would still be going on: no unhandled rejection may escape meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 100));
    await assert.rejects(reader.marked(), /tar could not read the layer's folder marks/);
    const root = mkdtempSync(join(tmpdir(), 'warden-marks-test-'));
    try {
      const missing = opaqueMarkReader('tar', root);
      missing.add('gone');
      await assert.rejects(missing.marked(), /tar could not read/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('LayerStore keeps run folders private and leaves nothing behind', () => {
  test('a run folder holds one layer per target with a safe-named link to it, and goes away entirely', async () => {
    const root = mkdtempSync(join(tmpdir(), 'warden-store-test-'));
    try {
      const store = new LayerStore(join(root, 'layers'));
      const layer = await store.create(['/some/work,space:odd']);
      assert.equal(lstatSync(store.root).mode & 0o777, 0o700);
      assert.equal(readlinkSync(layer.layers[0].lower), '/some/work,space:odd');
      assert.ok(!/[,:]/.test(layer.layers[0].lower + layer.layers[0].upper + layer.layers[0].work));
      // What overlay leaves: a work folder without permissions holding a whiteout-like entry.
      mkdirSync(join(layer.layers[0].work, 'work'));
      writeFileSync(join(layer.layers[0].work, 'work', 'x'), '');
      chmodSync(join(layer.layers[0].work, 'work'), 0o000);
      await store.remove(layer);
      assert.deepEqual(await store.list(), []);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('a run folder removed later is gone by the time the store lists or settles', async () => {
    const root = mkdtempSync(join(tmpdir(), 'warden-store-test-'));
    try {
      const store = new LayerStore(join(root, 'layers'));
      const [first, second] = [await store.create(['/a', '/b']), await store.create(['/a'])];
      mkdirSync(join(first.layers[0].work, 'work'));
      chmodSync(join(first.layers[0].work, 'work'), 0o000);
      store.removeLater(first);
      store.removeLater(second);
      assert.equal(existsSync(first.dir), true, 'removal does not hold up the caller');
      assert.deepEqual(await store.list(), []);
      assert.equal(existsSync(first.dir) || existsSync(second.dir), false);
      const third = await store.create([]);
      store.removeLater(third);
      await store.settled();
      assert.equal(existsSync(third.dir), false);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('a root too long for a socket path puts the proxy socket in a short folder, removed with the run', async () => {
    const root = mkdtempSync(join(tmpdir(), 'warden-store-test-'));
    try {
      const store = new LayerStore(join(root, 'a'.repeat(80)));
      const layer = await store.create([]);
      assert.ok(Buffer.byteLength(layer.proxySocketPath) <= 100);
      assert.equal(layer.companions.length, 1);
      await store.remove(layer);
      assert.equal(existsSync(layer.companions[0]), false);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('a root whose path overlay options cannot carry is refused', async () => {
    await assert.rejects(new LayerStore('/tmp/a,b').prepare(), /cannot take/);
  });

  test('removeTree opens up folders without permissions', async () => {
    const root = mkdtempSync(join(tmpdir(), 'warden-remove-test-'));
    mkdirSync(join(root, 'a', 'b'), { recursive: true });
    writeFileSync(join(root, 'a', 'b', 'f'), 'x');
    chmodSync(join(root, 'a', 'b'), 0o000);
    chmodSync(join(root, 'a'), 0o500);
    await removeTree(root);
    assert.equal(existsSync(root), false);
  });
});

const decision = {
  decision: 'allow',
  rule: '**',
  source: 'default',
  reason: '',
  op: 'write',
  requested: '',
  protected: false,
};

function item(relative: string, folder: string, before: boolean, after: boolean, mode = false, size = 1): ChangeItem {
  const state = { kind: 'file' as const, mode: 0o644, size };
  return {
    folder,
    relative,
    path: join(folder, relative),
    before: before ? state : undefined,
    after: after ? { ...state, mode: mode ? 0o755 : 0o644 } : undefined,
    change: !before ? 'created' : !after ? 'deleted' : 'modified',
    modeChanged: mode,
    decision: decision as PathDecision,
    ownApproval: false,
  };
}

describe('withContents reads each changed file on both sides', () => {
  const root = mkdtempSync(join(tmpdir(), 'warden-contents-test-'));
  const real = join(root, 'real');
  const upper = join(root, 'upper');
  mkdirSync(real);
  mkdirSync(upper);
  const write = (dir: string, name: string, data: string | Buffer): void => writeFileSync(join(dir, name), data);
  write(real, 'edited.txt', 'one\ntwo\n');
  write(upper, 'edited.txt', 'one\nTWO\nthree\n');
  write(real, 'same.txt', 'same\n');
  write(upper, 'same.txt', 'same\n');
  write(real, 'mode.sh', 'echo\n');
  write(upper, 'mode.sh', 'echo\n');
  write(real, 'same.bin', Buffer.from([0, 1, 2]));
  write(upper, 'same.bin', Buffer.from([0, 1, 2]));
  write(upper, 'new.bin', Buffer.from([0, 255, 0]));
  write(upper, 'latin1.txt', Buffer.from([0x63, 0x61, 0x66, 0xe9]));
  write(real, 'gone.txt', 'bye\n');
  write(real, 'target.txt', 'secret through a link\n');
  symlinkSync(join(real, 'target.txt'), join(real, 'swapped.txt'));
  write(upper, 'swapped.txt', 'new\n');
  // Listed with 1 byte, 3000 by the time it is read: the size on disk decides, and nothing past the limit is read.
  write(upper, 'grown.txt', 'x'.repeat(3000));
  // Most items above are listed smaller than they are; these two as they are on disk, and a folder listed as a file.
  write(real, 'exact.txt', 'before\n');
  write(upper, 'exact.txt', 'after!\n');
  write(upper, 'shrunk.txt', 'ab');
  mkdirSync(join(upper, 'folder.txt'));

  const items = withContents(
    [
      item('edited.txt', real, true, true),
      item('same.txt', real, true, true),
      item('mode.sh', real, true, true, true),
      item('same.bin', real, true, true),
      item('new.bin', real, false, true),
      item('latin1.txt', real, false, true),
      item('gone.txt', real, true, false),
      item('swapped.txt', real, true, true),
      item('grown.txt', real, false, true),
      item('exact.txt', real, true, true, false, 7),
      item('shrunk.txt', real, false, true, false, 40),
      item('folder.txt', real, false, true),
    ],
    { layerPath: (i) => join(upper, i.relative), maxTextBytes: 1024 },
  );
  const byName = new Map(items.map((i) => [i.relative, i]));

  test('text on both sides gives the content and the +/- counts', () => {
    const edited = byName.get('edited.txt');
    assert.deepEqual(edited?.content, {
      before: { kind: 'text', text: 'one\ntwo\n' },
      after: { kind: 'text', text: 'one\nTWO\nthree\n' },
    });
    assert.deepEqual(edited?.summary, { added: 2, removed: 1 });
    assert.deepEqual(byName.get('gone.txt')?.summary, { added: 0, removed: 1 });
  });

  test('a file rewritten byte for byte (text or binary) is no change; a mode-only change stays', () => {
    assert.equal(byName.has('same.txt'), false);
    assert.equal(byName.has('same.bin'), false);
    assert.ok(byName.has('mode.sh'));
  });

  test('binary files and files that are not UTF-8 are noted by size, without a line count', () => {
    assert.deepEqual(byName.get('new.bin')?.content?.after, { kind: 'binary', size: 3 });
    assert.deepEqual(byName.get('latin1.txt')?.content?.after, { kind: 'binary', size: 4 });
    assert.equal(byName.get('new.bin')?.summary, undefined);
  });

  test('a path that became a symlink since the listing is never read through', () => {
    assert.equal(byName.get('swapped.txt')?.content?.before, undefined);
  });

  test('a file that grew past the text limit since the listing is noted by its size on disk', () => {
    assert.deepEqual(byName.get('grown.txt')?.content?.after, { kind: 'too-large', size: 3000 });
  });

  test('a file listed at its size, or smaller than listed, is read as it is; a folder is not read', () => {
    assert.deepEqual(byName.get('exact.txt')?.content, {
      before: { kind: 'text', text: 'before\n' },
      after: { kind: 'text', text: 'after!\n' },
    });
    assert.deepEqual(byName.get('shrunk.txt')?.content?.after, { kind: 'text', text: 'ab' });
    assert.equal(byName.get('folder.txt')?.content?.after, undefined);
  });

  test('classify notes files past the text limit by size', () => {
    assert.deepEqual(classify(Buffer.from('abc'), 5000, 1024), { kind: 'too-large', size: 5000 });
    assert.deepEqual(classify(Buffer.from('abc'), 3, 1024), { kind: 'text', text: 'abc' });
  });

  after(() => rmSync(root, { recursive: true, force: true }));
});
