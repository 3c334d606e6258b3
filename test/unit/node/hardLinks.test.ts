// Class 8 in the host layer: the denied files' (device, inode) are recorded when they are listed, hard links to
// them are found (only when one can exist), and a target's identity is looked up with one stat. Scripted walks
// show what is asked of the disk; a real disk shows both drivers find the same links.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { linkSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  deniedAmongTracked,
  walkDeniedFiles,
  type DeniedFileJudge,
  type DirectoryEntry,
  type Walk,
} from '../../../src/node/deniedFileWalk';
import {
  DeniedIdentities,
  hardLinkedDeniedFile,
  homeCredentialPaths,
  identifySync,
  type FileIdentity,
} from '../../../src/node/hardLinks';
import { ABANDONED, runToEnd, runYielding } from '../../../src/node/walkDrivers';

/** Denies `.env` by its name only. */
const judge: DeniedFileJudge = { isDeniedFile: (path) => path.endsWith('/.env') };

const file = (name: string): DirectoryEntry => ({ name, isDirectory: () => false, isSymbolicLink: () => false });
const dir = (name: string): DirectoryEntry => ({ name, isDirectory: () => true, isSymbolicLink: () => false });
const id = (key: string, links = 1n): FileIdentity => ({ key, links, regular: true });

/** Answers a walk from tables of listings and identities; records the files it was asked to identify. */
function drive<T>(walk: Walk<T>, tree: Record<string, DirectoryEntry[]>, identities: Record<string, FileIdentity>) {
  const identified: string[] = [];
  for (let step = walk.next(); ; ) {
    if (step.done) return { result: step.value, identified };
    const request = step.value;
    if (request.kind === 'identify') identified.push(request.path);
    step = walk.next(
      request.kind === 'list' ? tree[request.dir] : request.kind === 'identify' ? identities[request.path] : undefined,
    );
  }
}

describe('walkDeniedFiles and hard links (scripted disk)', () => {
  const tree = { '/w': [file('.env'), dir('docs'), file('a.ts')], '/w/docs': [file('notes.txt'), file('b.md')] };

  test('when no denied file has another name, only the denied files are identified', () => {
    const { result, identified } = drive(walkDeniedFiles(['/w'], judge), tree, {
      '/w/.env': id('1:10'),
      '/w/a.ts': id('1:11'),
    });
    assert.deepEqual(identified, ['/w/.env']);
    assert.deepEqual(result?.found, ['/w/.env']);
    assert.deepEqual(result?.linked, []);
  });

  test('when one has, every other file is identified and its other names are denied files too', () => {
    const { result, identified } = drive(walkDeniedFiles(['/w'], judge), tree, {
      '/w/.env': id('1:10', 2n),
      '/w/a.ts': id('1:11'),
      '/w/docs/notes.txt': id('1:10', 2n),
      '/w/docs/b.md': id('1:12', 2n), // linked, but to no denied file
    });
    assert.deepEqual(identified.sort(), ['/w/.env', '/w/a.ts', '/w/docs/b.md', '/w/docs/notes.txt']);
    assert.deepEqual(result?.found, ['/w/.env', '/w/docs/notes.txt']);
    assert.deepEqual(result?.linked, ['/w/docs/notes.txt']);
  });

  test('a folder that appears later is checked against the identities already known', () => {
    const known = new DeniedIdentities();
    known.add('/w/.env', id('1:10')); // recorded when it had one name
    const { result } = drive(
      walkDeniedFiles(['/w/new'], judge, undefined, known),
      { '/w/new': [file('copy.txt'), file('other.txt')] },
      { '/w/new/copy.txt': id('1:10', 2n), '/w/new/other.txt': id('1:13') },
    );
    assert.deepEqual(result?.linked, ['/w/new/copy.txt']);
  });

  test('the home’s credential stores count too: a file, and the files directly in a folder', () => {
    const { result } = drive(
      walkDeniedFiles(['/w'], judge, undefined, undefined, ['/h/.netrc', '/h/.aws', '/h/.missing']),
      { ...tree, '/h/.aws': [file('credentials'), dir('cli')] },
      {
        '/w/.env': id('1:10'),
        '/h/.netrc': id('1:30'),
        '/h/.aws': { key: '1:31', links: 3n, regular: false },
        '/h/.aws/credentials': id('1:32', 2n),
        '/w/a.ts': id('1:11'),
        '/w/docs/notes.txt': id('1:32', 2n),
        '/w/docs/b.md': id('1:12'),
      },
    );
    assert.deepEqual(result?.linked, ['/w/docs/notes.txt']);
    assert.deepEqual(result?.found, ['/w/.env', '/w/docs/notes.txt'], 'the home files are no workspace files');
    assert.equal(result?.identities.deniedFileFor(id('1:32')), '/h/.aws/credentials');
    assert.equal(result?.identities.deniedFileFor(id('1:30')), '/h/.netrc');
  });

  test('git’s tracked files include the hard links the walk found', () => {
    const { result } = drive(
      deniedAmongTracked([['/w/.env', '/w/docs/notes.txt', '/w/a.ts']], judge, new Set(['/w/docs/notes.txt'])),
      {},
      {},
    );
    assert.deepEqual(result, ['/w/.env', '/w/docs/notes.txt']);
  });
});

describe('DeniedIdentities', () => {
  test('a deleted denied name hands the identity to another denied name of the same file', () => {
    const known = new DeniedIdentities();
    known.add('/w/.env', id('1:10', 2n));
    known.add('/w/.env.bak', id('1:10', 2n));
    known.delete('/w/.env');
    assert.equal(known.deniedFileFor(id('1:10')), '/w/.env.bak');
    known.delete('/w', '/w/');
    assert.equal(known.deniedFileFor(id('1:10')), undefined);
    assert.equal(known.size, 0);
  });

  test('the name reported for a file is the same whatever order its names were recorded in', () => {
    const names = ['/w/src/to-env', '/w/.env', '/w/docs/notes.txt'];
    for (const order of [names, [...names].reverse(), [names[1], names[2], names[0]]]) {
      const known = new DeniedIdentities();
      for (const name of order) known.add(name, id('1:10', 3n));
      assert.equal(known.deniedFileFor(id('1:10')), '/w/.env', order.join(' '));
      known.delete('/w/.env');
      assert.equal(known.deniedFileFor(id('1:10')), '/w/docs/notes.txt', order.join(' '));
    }
  });

  test('folders and unreadable files are not recorded', () => {
    const known = new DeniedIdentities();
    known.add('/w/.ssh', { key: '1:20', links: 2n, regular: false });
    known.add('/w/gone', undefined);
    assert.equal(known.size, 0);
    assert.equal(known.anyLinked, false);
  });
});

describe('hard links on a real disk', () => {
  let work: string;
  const at = (...parts: string[]) => join(work, ...parts);

  before(() => {
    work = realpathSync(mkdtempSync(join(tmpdir(), 'warden-links-')));
    mkdirSync(at('docs'));
    mkdirSync(at('src'));
    writeFileSync(at('.env'), 'KEY=1\n');
    linkSync(at('.env'), at('docs', 'notes.txt'));
    symlinkSync(at('docs', 'notes.txt'), at('src', 'to-notes'));
    writeFileSync(at('src', 'a.ts'), 'a\n');
    writeFileSync(at('src', 'one.ts'), 'one\n');
    linkSync(at('src', 'a.ts'), at('src', 'a-copy.ts'));
  });

  after(() => rmSync(work, { recursive: true, force: true }));

  test('both drivers find the link and a symlink to it, and not a link between ordinary files', async () => {
    const straight = runToEnd(walkDeniedFiles([work], judge));
    const yielding = await runYielding(walkDeniedFiles([work], judge), () => false);
    assert.ok(straight && yielding && yielding !== ABANDONED);
    const expected = [at('.env'), at('docs', 'notes.txt'), at('src', 'to-notes')];
    assert.deepEqual([...straight.found].sort(), expected);
    assert.deepEqual([...yielding.found].sort(), expected);
    assert.deepEqual([...straight.linked].sort(), [at('docs', 'notes.txt'), at('src', 'to-notes')]);
  });

  test('a hard link to a credential file of the home directory is found too', () => {
    const home = at('home');
    mkdirSync(join(home, '.aws'), { recursive: true });
    writeFileSync(join(home, '.aws', 'credentials'), 'aws_secret_access_key=x\n');
    linkSync(join(home, '.aws', 'credentials'), at('src', 'creds.txt'));
    try {
      const walked = runToEnd(
        walkDeniedFiles([at('src')], judge, undefined, undefined, homeCredentialPaths(home, 'linux')),
      );
      assert.deepEqual(walked?.linked, [at('src', 'creds.txt')]);
      assert.deepEqual(
        hardLinkedDeniedFile(at('src', 'creds.txt'), () => walked?.identities),
        {
          deniedFile: join(home, '.aws', 'credentials'),
        },
      );
      assert.deepEqual(homeCredentialPaths(home, 'win32'), []);
    } finally {
      rmSync(at('src', 'creds.txt'));
      rmSync(home, { recursive: true });
    }
  });

  test('a target’s identity is looked up with one stat: which denied file it is another name of', () => {
    const walked = runToEnd(walkDeniedFiles([work], judge));
    const identities = () => walked?.identities;
    assert.deepEqual(hardLinkedDeniedFile(at('docs', 'notes.txt'), identities), { deniedFile: at('.env') });
    assert.equal(hardLinkedDeniedFile(at('.env'), identities), undefined);
    assert.equal(hardLinkedDeniedFile(at('src', 'a-copy.ts'), identities), undefined);
    assert.equal(hardLinkedDeniedFile(at('src', 'missing.ts'), identities), undefined);
    assert.equal(
      hardLinkedDeniedFile(at('docs', 'notes.txt'), () => undefined),
      'unknown',
    );
    // A file with one name, or a folder, never needs the list.
    const notAsked = () => assert.fail('the list was asked for');
    assert.equal(hardLinkedDeniedFile(at('src', 'one.ts'), notAsked), undefined);
    assert.equal(hardLinkedDeniedFile(at('docs'), notAsked), undefined);
    assert.equal(identifySync(at('docs'))?.regular, false);
  });
});
