// Checkpoint snapshots: content-addressed (one copy per distinct content), bounded with the least recently
// used pruned first.
import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contentHash } from '../../../src/core/agent/checkpoints';
import { SnapshotStore } from '../../../src/node/snapshotStore';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'warden-snapshots-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const hash = (text: string) => contentHash(text)!;

describe('snapshot store', () => {
  test('a stored content comes back by its hash', async () => {
    const store = new SnapshotStore(dir);
    await store.put(hash('one'), 'one');
    assert.equal(await store.get(hash('one')), 'one');
    assert.equal(await store.get(hash('two')), undefined);
  });

  test('the same content is stored once', async () => {
    const store = new SnapshotStore(dir);
    await store.put(hash('same'), 'same');
    await store.put(hash('same'), 'same');
    await store.put(hash('other'), 'other');
    assert.equal(readdirSync(dir).length, 2);
  });

  test('beyond the byte cap the least recently used snapshots go first, never the new one', async () => {
    const store = new SnapshotStore(dir, 25);
    await store.put(hash('a'.repeat(10)), 'a'.repeat(10));
    await store.put(hash('b'.repeat(10)), 'b'.repeat(10));
    utimesSync(join(dir, hash('a'.repeat(10))), new Date(1_000), new Date(1_000));
    utimesSync(join(dir, hash('b'.repeat(10))), new Date(2_000), new Date(2_000));
    await store.put(hash('c'.repeat(10)), 'c'.repeat(10));
    assert.equal(await store.get(hash('a'.repeat(10))), undefined);
    assert.equal(await store.get(hash('b'.repeat(10))), 'b'.repeat(10));
    assert.equal(await store.get(hash('c'.repeat(10))), 'c'.repeat(10));
  });

  test('names that are not a SHA-256 are refused', async () => {
    const store = new SnapshotStore(dir);
    await assert.rejects(store.put('../escape', 'x'), /SHA-256/);
    assert.equal(await store.get('../escape'), undefined);
  });
});
