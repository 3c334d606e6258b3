// The policy's view of the real disk: what "nothing there" means, and which failures refuse (fail closed).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { linkSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  canonicalFolder,
  entryOrUndefined,
  readlinkOrUndefined,
  realpathOrUndefined,
} from '../../../src/node/fileSystemView';
import { nodePolicyEnvironment } from '../../../src/node/policyEnvironment';

let work: string;

before(() => {
  work = realpathSync(mkdtempSync(join(tmpdir(), 'warden-fs-view-')));
  mkdirSync(join(work, 'real'));
  writeFileSync(join(work, 'real', 'file.ts'), '');
  symlinkSync(join(work, 'real'), join(work, 'linked'));
  symlinkSync('../nowhere/x.ts', join(work, 'dangling'));
  symlinkSync('loop-b', join(work, 'loop-a'));
  symlinkSync('loop-a', join(work, 'loop-b'));
  writeFileSync(join(work, 'real', 'twice.ts'), '');
  linkSync(join(work, 'real', 'twice.ts'), join(work, 'real', 'twice-too.ts'));
});

after(() => rmSync(work, { recursive: true, force: true }));

describe('realpathOrUndefined', () => {
  test('follows symlinked parents to the canonical path', () => {
    assert.equal(realpathOrUndefined(join(work, 'linked', 'file.ts')), join(work, 'real', 'file.ts'));
  });

  test('says "nothing there" for a missing path, a dangling link and a path through a file', () => {
    assert.equal(realpathOrUndefined(join(work, 'missing.ts')), undefined);
    assert.equal(realpathOrUndefined(join(work, 'dangling')), undefined);
    assert.equal(realpathOrUndefined(join(work, 'real', 'file.ts', 'below')), undefined);
  });

  test('throws for a symlink loop rather than calling it missing', () => {
    assert.throws(() => realpathOrUndefined(join(work, 'loop-a')), { code: 'ELOOP' });
    assert.throws(() => realpathOrUndefined(join(work, 'loop-a', 'x.ts')), { code: 'ELOOP' });
  });

  test('throws for a path the OS refuses as too long', { skip: process.platform !== 'linux' }, () => {
    // A real folder whose path ends just under Linux's PATH_MAX (4096): one more segment is refused.
    let deep = join(work, 'deep');
    while (deep.length + 251 < 4096) deep = join(deep, 'd'.repeat(250));
    mkdirSync(deep, { recursive: true });
    assert.equal(realpathOrUndefined(deep), deep);
    assert.throws(() => realpathOrUndefined(join(deep, 'n'.repeat(250))), { code: 'ENAMETOOLONG' });
  });
});

describe('readlinkOrUndefined', () => {
  test('reads the stored target of a dangling link, as written', () => {
    assert.equal(readlinkOrUndefined(join(work, 'dangling')), '../nowhere/x.ts');
  });

  test('is undefined for a regular file, a folder and a missing path', () => {
    assert.equal(readlinkOrUndefined(join(work, 'real', 'file.ts')), undefined);
    assert.equal(readlinkOrUndefined(join(work, 'real')), undefined);
    assert.equal(readlinkOrUndefined(join(work, 'missing')), undefined);
  });
});

describe('entryOrUndefined', () => {
  test('tells a file, a folder and a link apart without following the link, and a second name', () => {
    assert.deepEqual(entryOrUndefined(join(work, 'real', 'file.ts')), { symlink: false, hardLinked: false });
    assert.deepEqual(entryOrUndefined(join(work, 'real')), { symlink: false, hardLinked: false });
    assert.deepEqual(entryOrUndefined(join(work, 'linked')), { symlink: true, hardLinked: false });
    assert.deepEqual(entryOrUndefined(join(work, 'dangling')), { symlink: true, hardLinked: false });
    assert.deepEqual(entryOrUndefined(join(work, 'real', 'twice.ts')), { symlink: false, hardLinked: true });
    assert.deepEqual(entryOrUndefined(join(work, 'linked', 'file.ts')), { symlink: false, hardLinked: false });
  });

  test('says "nothing there" as realpath does, and throws for the failures realpath throws for', () => {
    assert.equal(entryOrUndefined(join(work, 'missing.ts')), undefined);
    assert.equal(entryOrUndefined(join(work, 'real', 'file.ts', 'below')), undefined);
    assert.throws(() => entryOrUndefined(join(work, 'loop-a', 'x.ts')), { code: 'ELOOP' });
  });
});

describe('canonicalFolder', () => {
  test('resolves a folder opened through a symlink, and keeps a missing folder’s own path', () => {
    assert.equal(canonicalFolder(join(work, 'linked')), join(work, 'real'));
    assert.equal(canonicalFolder(join(work, 'not-yet')), join(work, 'not-yet'));
  });
});

describe('nodePolicyEnvironment', () => {
  test('gives the policy both realpath and readlink, and the lists the host keeps', () => {
    const env = nodePolicyEnvironment([work], {
      deniedFiles: () => ['/a/.env'],
      trackedDeniedFiles: () => undefined,
      deniedIdentities: () => undefined,
    });
    assert.deepEqual(env.workspaceFolders, [work]);
    assert.equal(env.readlink?.(join(work, 'dangling')), '../nowhere/x.ts');
    assert.throws(() => env.realpath(join(work, 'loop-b')), { code: 'ELOOP' });
    assert.deepEqual(env.deniedFiles?.(), ['/a/.env']);
    assert.equal(env.trackedDeniedFiles?.(), undefined);
    assert.equal(env.platform, process.platform === 'win32' ? 'win32' : 'posix');
  });
});
