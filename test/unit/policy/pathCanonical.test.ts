import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalize, matchKey } from '../../../src/core/policy/canonicalPath';
import { fakeEnv } from './pathTestEnvironment';

const posix = fakeEnv({
  tree: { files: ['/ws/src/a.ts', '/home/u/.bashrc'], links: { '/ws/src/up': '/home/u', '/ws/out': '/ws/build' } },
});
const win = fakeEnv({
  platform: 'win32',
  caseInsensitive: true,
  workspaceFolders: ['C:\\Users\\u\\proj'],
  homeDir: 'C:\\Users\\u',
  realpath: () => undefined,
});

function lexical(requested: string, env = posix, baseDir?: string): string {
  const result = canonicalize(requested, env, baseDir);
  assert.ok(result.ok, `expected ${JSON.stringify(requested)} to canonicalise, got: ${result.ok ? '' : result.reason}`);
  return result.lexical;
}

function refused(requested: string, env = posix): string {
  const result = canonicalize(requested, env);
  assert.equal(result.ok, false, `expected ${JSON.stringify(requested)} to be refused`);
  return result.ok ? '' : result.reason;
}

describe('canonicalize normalises the ways one path can be written', () => {
  const cases: Array<[string, string]> = [
    ['src/a.ts', '/ws/src/a.ts'],
    ['./src/./a.ts', '/ws/src/a.ts'],
    ['src//a.ts', '/ws/src/a.ts'],
    ['src\\a.ts', '/ws/src/a.ts'],
    ['src/lib/../a.ts', '/ws/src/a.ts'],
    ['/ws/src/a.ts', '/ws/src/a.ts'],
    ['//ws///src/a.ts', '/ws/src/a.ts'],
    ['../outside', '/outside'],
    ['/../../etc/passwd', '/etc/passwd'],
    ['~', '/home/u'],
    ['~/.bashrc', '/home/u/.bashrc'],
    ['~\\.bashrc', '/home/u/.bashrc'],
    ['src/', '/ws/src'],
    ['.', '/ws'],
    ['src/.', '/ws/src'],
    ['src//.', '/ws/src'],
    ['src/../.', '/ws'],
    ['src/a.ts/.', '/ws/src/a.ts'],
    ['/.', '/'],
    ['//.', '/'],
  ];
  for (const [requested, expected] of cases) {
    test(`${JSON.stringify(requested)} becomes ${expected}`, () => assert.equal(lexical(requested), expected));
  }

  test('a relative path resolves against the given base directory', () => {
    assert.equal(lexical('a.ts', posix, '/ws/src'), '/ws/src/a.ts');
    assert.equal(lexical('../../x', posix, '/ws/src'), '/x');
    assert.equal(lexical('.', posix, '/ws/src'), '/ws/src');
    assert.equal(lexical('.', posix, '/ws/src/'), '/ws/src');
  });

  test('a final `.` does not hide a segment that is refused', () => {
    refused('src/GIT~1/.');
    refused('src/a:b/.');
    refused(`src/${'x'.repeat(300)}/.`);
  });

  test('decomposed unicode is NFC-normalised so one name has one spelling', () => {
    assert.equal(lexical('src/cafe\u0301.md'), '/ws/src/caf\u00e9.md');
  });
});

describe('canonicalize refuses path confinement tricks', () => {
  const cases: Array<[attack: string, requested: string, reasonPart: RegExp]> = [
    ['a NUL byte truncating the name', 'src/a.ts\u0000.png', /control character/],
    ['a newline', 'src/a\n.ts', /control character/],
    ['an escape sequence', 'src/\u001b[31ma', /control character/],
    ['a zero-width space hiding .env', 'src/.e\u200bnv', /invisible/],
    ['a right-to-left override', 'src/gpj.\u202Ets', /invisible/],
    ['a byte-order mark', '\ufeff.env', /invisible/],
    ['%-encoded dots', '%2e%2e/%2e%2e/etc/passwd', /%-encoded/],
    ['a %-encoded slash', 'src%2f..%2f..%2fetc', /%-encoded/],
    ['a %-encoded backslash', '..%5c..%5cetc', /%-encoded/],
    ['double %-encoding', '%252e%252e/x', /%-encoded/],
    ['fullwidth dots', '\uff0e\uff0e/etc/passwd', /looks like a dot or a slash/],
    ['one-dot leaders', '\u2024\u2024/etc', /looks like a dot or a slash/],
    ['a division slash', '..\u2215etc', /looks like a dot or a slash/],
    ['a fullwidth solidus', '..\uff0fetc', /looks like a dot or a slash/],
    ['another user\u2019s home', '~root/.ssh/id_rsa', /~user/],
    ['a Windows drive on a POSIX host', 'C:\\Windows\\win.ini', /Windows drive/],
    ['an 8.3 short name for .git', 'GIT~1/config', /8\.3/],
    ['an 8.3 short name for .vscode', 'VSCODE~1/settings.json', /8\.3/],
    ['an NTFS alternate data stream', 'src/a.ts::$DATA', /alternate data stream/],
    ['a stream name', 'notes.txt:hidden', /alternate data stream/],
    ['a reserved device name', 'CON', /device name/],
    ['a device name with an extension', 'src/nul.txt', /device name/],
    ['a numbered port device', 'com1', /device name/],
    ['a dots-only segment', 'src/.../x', /only of dots or spaces/],
    ['dot-dot with a trailing space', 'src/.. /x', /only of dots or spaces/],
    ['a very long path', 'a/'.repeat(2100), /longer than 4096/],
    ['a very long segment', 'x'.repeat(256), /segment is longer than 255/],
    ['an empty path', '', /empty/],
  ];
  for (const [attack, requested, reasonPart] of cases) {
    test(`refuses ${attack}`, () => assert.match(refused(requested), reasonPart));
  }
});

describe('canonicalize leaves ordinary names alone', () => {
  const ordinary = [
    'src/console.ts',
    'src/auxiliary.ts',
    'src/nullable.ts',
    'com.example/Main.java',
    'src/components/config.ts',
    'docs/a~b.md',
    'docs/~/notes.md',
    'src/file.with.many.dots.ts',
    'docs/espa\u00f1ol.md',
    'docs/\u65e5\u672c\u8a9e.txt',
    'docs/emoji\ud83d\ude00.md',
    'docs/100% done.md',
    'x'.repeat(255),
  ];
  for (const requested of ordinary) {
    test(`${JSON.stringify(requested.length > 40 ? requested.slice(0, 20) + '…' : requested)} is accepted`, () => {
      assert.ok(lexical(requested).startsWith('/ws/'));
    });
  }
});

describe('canonicalize resolves symlinks, including for files that do not exist yet', () => {
  test('an existing path resolves to its realpath', () => {
    const result = canonicalize('src/up/.bashrc', posix);
    assert.deepEqual(result, { ok: true, lexical: '/ws/src/up/.bashrc', resolved: '/home/u/.bashrc' });
  });

  test('a new file under a symlinked parent resolves through the parent', () => {
    const result = canonicalize('src/up/new/file.txt', posix);
    assert.ok(result.ok);
    assert.equal(result.resolved, '/home/u/new/file.txt');
  });

  test('a new file under a real directory resolves to itself', () => {
    const result = canonicalize('src/new.ts', posix);
    assert.ok(result.ok);
    assert.equal(result.resolved, '/ws/src/new.ts');
  });

  test('a realpath failure is a refusal, not an exception', () => {
    const failing = fakeEnv({
      realpath: () => {
        throw new Error('EACCES');
      },
    });
    assert.match(refused('src/a.ts', failing), /could not be resolved/);
  });
});

describe('canonicalize understands Windows paths on a Windows host', () => {
  const cases: Array<[string, string]> = [
    ['C:\\Users\\u\\proj\\src\\a.ts', 'C:/Users/u/proj/src/a.ts'],
    ['c:/Users/u/proj/src/a.ts', 'C:/Users/u/proj/src/a.ts'],
    ['src\\a.ts', 'C:/Users/u/proj/src/a.ts'],
    ['~\\.ssh\\id_rsa', 'C:/Users/u/.ssh/id_rsa'],
    ['C:\\Users\\u\\proj\\..\\other', 'C:/Users/u/other'],
    // Windows opens `.git.` and `.env ` as `.git` and `.env`.
    ['.git.\\config', 'C:/Users/u/proj/.git/config'],
    ['.env ', 'C:/Users/u/proj/.env'],
  ];
  for (const [requested, expected] of cases) {
    test(`${JSON.stringify(requested)} becomes ${expected}`, () => assert.equal(lexical(requested, win), expected));
  }

  const refusedCases: Array<[string, string, RegExp]> = [
    [
      'a UNC path to another host (resolving it leaks NTLM credentials)',
      '\\\\evil.example\\share\\x',
      /network \(UNC\)/,
    ],
    ['a device namespace path', '\\\\?\\C:\\Windows', /device and malformed UNC/],
    ['a drive-relative path', 'C:secret.txt', /drive-relative/],
    ['a path on the current drive without a letter', '\\Windows\\win.ini', /without a drive letter/],
    ['an alternate data stream after the drive', 'C:\\Users\\u\\proj\\a.txt:evil', /alternate data stream/],
  ];
  for (const [attack, requested, reasonPart] of refusedCases) {
    test(`refuses ${attack}`, () => assert.match(refused(requested, win), reasonPart));
  }

  test('a UNC path inside a UNC workspace folder is accepted', () => {
    const unc = fakeEnv({
      platform: 'win32',
      caseInsensitive: true,
      workspaceFolders: ['\\\\fileserver\\team\\proj'],
      realpath: () => undefined,
    });
    assert.equal(lexical('\\\\fileserver\\team\\proj\\src\\a.ts', unc), '//fileserver/team/proj/src/a.ts');
  });
});

describe('matchKey strips the trailing dots and spaces Windows ignores', () => {
  test('on every segment', () => assert.equal(matchKey('.git./hooks /pre-commit.'), '.git/hooks/pre-commit'));
  test('leaving an ordinary path untouched', () => assert.equal(matchKey('src/a.ts'), 'src/a.ts'));
});
