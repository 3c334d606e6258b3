import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PathPolicy } from '../../../src/core/policy/pathPolicy';
import type { FileOperation, PathDecision } from '../../../src/core/policy/decision';
import type { RuleEntry } from '../../../src/core/policy/policy';
import { fakeEnv, fakeRealpath, settings, user } from './pathTestEnvironment';

const tree = {
  files: [
    '/ws/src/a.ts',
    '/ws/lib/x.ts',
    '/ws/.env',
    '/ws/.vscode/settings.json',
    '/home/u/.bashrc',
    '/home/u/.ssh/id_rsa',
    '/etc/passwd',
    '/ws2/b.ts',
  ],
  links: {
    '/ws/src/bashrc': '/home/u/.bashrc', // leaf symlink out of the workspace
    '/ws/src/etc': '/etc', // symlinked parent directory
    '/ws/src/dotenv': '/ws/.env', // symlink onto a secret inside the workspace
    '/ws/src/settings': '/ws/.vscode/settings.json', // symlink onto a protected file
    '/ws/src/tolib': '/ws/lib', // symlink to an ordinary folder
  },
};
const env = fakeEnv({ tree });
const policy = new PathPolicy(settings(), env);
const both: FileOperation[] = ['read', 'write'];

function decide(op: FileOperation, path: string, p = policy, baseDir?: string): PathDecision {
  return p.decide(op, path, baseDir);
}

describe('paths outside every workspace folder are denied', () => {
  const cases = [
    '../secret.txt',
    'src/../../etc/passwd',
    '/etc/passwd',
    '//etc/passwd',
    '~/.bashrc',
    '~/.ssh/id_rsa',
    '..\\..\\etc\\passwd',
    '/ws2/b.ts', // a sibling folder that shares the prefix `/ws`
    '/wsx/a.ts',
    '/ws/../ws2/b.ts',
  ];
  for (const path of cases) {
    for (const op of both) {
      test(`${op} ${JSON.stringify(path)} is denied as outside-workspace`, () => {
        const d = decide(op, path);
        assert.equal(d.decision, 'deny');
        assert.equal(d.rule, 'outside-workspace');
      });
    }
  }
});

describe('symlinks are judged by where they lead', () => {
  const cases: Array<[string, string, string]> = [
    ['a leaf symlink to ~/.bashrc', 'src/bashrc', 'outside-workspace'],
    ['a file under a symlinked parent directory', 'src/etc/passwd', 'outside-workspace'],
    ['a new file under a symlinked parent directory', 'src/etc/cron.d/evil', 'outside-workspace'],
    ['a symlink onto the workspace .env', 'src/dotenv', '.env'],
  ];
  for (const [what, path, rule] of cases) {
    for (const op of both) {
      test(`${op} through ${what} is denied (${rule})`, () => {
        const d = decide(op, path);
        assert.equal(d.decision, 'deny');
        assert.equal(d.rule, rule);
      });
    }
  }

  test('a write through a symlink onto a protected file asks', () => {
    const d = decide('write', 'src/settings');
    assert.equal(d.decision, 'ask');
    assert.equal(d.rule, 'protected:.vscode/**');
    assert.equal(d.protected, true);
  });

  test('a symlink to an ordinary folder in the workspace is allowed, and the decision names the real path', () => {
    const d = decide('read', 'src/tolib/x.ts');
    assert.equal(d.decision, 'allow');
    assert.equal(d.resolved, '/ws/lib/x.ts');
    assert.equal(d.relative, 'src/tolib/x.ts');
  });

  describe('dangling symlinks (the target does not exist yet) are followed when the environment has readlink', () => {
    const dangling = {
      files: ['/ws/src/a.ts', '/home/u/.config'],
      links: {
        '/ws/src/notes.md': '../../home/u/.config/autostart/evil.desktop', // relative, target file missing
        '/ws/src/later': '/home/u/not-yet/dir', // absolute, target folder missing
        '/ws/src/inside': 'new-file.ts', // harmless: a new file next to the link
        '/ws/src/loop': '/ws/src/loop2',
        '/ws/src/loop2': '/ws/src/loop',
      },
    };
    const p = new PathPolicy(settings(), fakeEnv({ tree: dangling, withReadlink: true }));
    const cases: Array<[string, string]> = [
      ['src/notes.md', 'outside-workspace'],
      ['src/later/file.txt', 'outside-workspace'],
      ['src/loop', 'internal-error'],
    ];
    for (const [path, rule] of cases) {
      test(`writing ${path} is denied (${rule})`, () => {
        const d = p.decide('write', path);
        assert.equal(d.decision, 'deny', d.reason);
        assert.equal(d.rule, rule);
      });
    }
    test('a dangling link to a new file inside the workspace is allowed at its real target', () => {
      const d = p.decide('write', 'src/inside');
      assert.equal(d.decision, 'allow');
      assert.equal(d.resolved, '/ws/src/new-file.ts');
    });
  });

  test('a symlink into a folder outside the write globs is denied for writing', () => {
    const p = new PathPolicy(settings({ write: user('src/**') }), env);
    const d = decide('write', 'src/tolib/x.ts', p);
    assert.equal(d.decision, 'deny');
    assert.equal(d.rule, 'not-in-write-globs');
  });
});

describe('built-in secret and .git denials apply at any depth, in any letter case', () => {
  const secrets = [
    '.env',
    'config/.env',
    '.env.local',
    'apps/web/.env.production',
    'certs/server.pem',
    'tls/private.key',
    'store.p12',
    'cert.pfx',
    'android/release.keystore',
    'keys/id_rsa',
    'keys/id_rsa.pub',
    'id_ed25519',
    'deploy/id_ecdsa_ci',
    'id_dsa',
    '.ssh/config',
    'home/.ssh/authorized_keys',
    '.aws/credentials',
    '.netrc',
    '.git-credentials',
    '.docker/config.json',
    '.kube/config',
    'gcp/credentials.json',
    'config/secrets.yaml',
    'secrets.json',
    '.pgpass',
    '.pypirc',
    'home/.gnupg/private-keys-v1.d/key.key',
    'vault/passwords.kdbx',
    'web/.htpasswd',
    '.vault-token',
    '.my.cnf',
    '.s3cfg',
    'infra/terraform.tfstate',
    'infra/terraform.tfstate.backup',
    '.git/config',
    '.git/hooks/pre-commit',
    'vendor/lib/.git/HEAD',
    '.git',
  ];
  for (const path of secrets) {
    for (const op of both) {
      test(`${op} ${path} is denied by a built-in rule`, () => {
        const d = decide(op, path);
        assert.equal(d.decision, 'deny');
        assert.equal(d.source, 'built-in');
      });
    }
  }

  const disguised: Array<[string, string]> = [
    ['upper case on a case-sensitive host', '.ENV'],
    ['mixed case', 'Config/.Env.Local'],
    ['an upper-case .git', '.GIT/config'],
    ['a trailing dot Windows ignores', '.git./config'],
    ['a trailing space Windows ignores', '.env '],
    ['a trailing dot on a key file', 'id_rsa.'],
  ];
  for (const [how, path] of disguised) {
    test(`${path} (${how}) is still denied`, () => assert.equal(decide('read', path).decision, 'deny'));
  }

  test('settings cannot lift a built-in denial: even an explicit read glob for .env is denied', () => {
    const p = new PathPolicy(settings({ read: user('.env', '**') }), env);
    assert.equal(decide('read', '.env', p).decision, 'deny');
  });
});

describe('ordinary files are not over-blocked', () => {
  const ordinary = [
    'src/index.ts',
    'README.md',
    'src/environment.ts',
    'src/env.ts',
    'src/secrets.ts',
    'docs/keys.md',
    'src/keyboard.ts',
    '.gitignore',
    '.github/ISSUE_TEMPLATE/bug.md',
    '.env/lib/python3.12/site.py', // a virtualenv named .env
    'src/monkey.pem.ts',
    'package-lock.json',
  ];
  for (const path of ordinary) {
    for (const op of both) {
      test(`${op} ${path} is allowed`, () => {
        const d = decide(op, path);
        assert.equal(d.decision, 'allow', d.reason);
        assert.equal(d.protected, false);
      });
    }
  }
});

describe('writes to protected files ask, never silently allow', () => {
  const protectedFiles: Array<[string, string]> = [
    ['.vscode/settings.json', '.vscode/**'],
    ['.vscode/tasks.json', '.vscode/**'],
    ['team.code-workspace', '*.code-workspace'],
    ['.github/workflows/ci.yml', '.github/workflows/**'],
    ['.gitlab-ci.yml', '.gitlab-ci.yml'],
    ['.circleci/config.yml', '.circleci/**'],
    ['azure-pipelines.yml', 'azure-pipelines.yml'],
    ['.buildkite/pipeline.yml', '.buildkite/**'],
    ['Jenkinsfile', 'Jenkinsfile'],
    ['package.json', 'package.json'],
    ['packages/api/package.json', 'package.json'],
    ['.npmrc', '.npmrc'],
    ['.yarnrc.yml', '.yarnrc*'],
    ['.pnpmrc', '.pnpmrc'],
    ['.husky/pre-commit', '.husky/**'],
    ['.devcontainer/devcontainer.json', '.devcontainer/**'],
    ['.envrc', '.envrc'],
    ['AGENTS.md', 'AGENTS.md'],
    ['CLAUDE.md', 'CLAUDE.md'],
    ['.cursorrules', '.cursorrules'],
    ['.cursor/rules/x.mdc', '.cursor/**'],
    ['.clinerules', '.clinerules*'],
    ['.github/copilot-instructions.md', '.github/copilot-instructions.md'],
    ['.warden/config.json', '.warden/**'],
  ];
  for (const [path, rule] of protectedFiles) {
    test(`writing ${path} asks (protected:${rule})`, () => {
      const d = decide('write', path);
      assert.equal(d.decision, 'ask');
      assert.equal(d.rule, `protected:${rule}`);
      assert.equal(d.protected, true);
    });
  }

  test('reading a protected file is allowed and flagged as protected', () => {
    const d = decide('read', '.vscode/settings.json');
    assert.equal(d.decision, 'allow');
    assert.equal(d.protected, true);
  });

  test('on a case-insensitive host .VSCODE is .vscode', () => {
    const p = new PathPolicy(settings(), fakeEnv({ tree, caseInsensitive: true }));
    assert.equal(decide('write', '.VSCode/settings.json', p).decision, 'ask');
  });

  test('a trailing-dot alias of .vscode still asks', () => {
    assert.equal(decide('write', '.vscode./settings.json').decision, 'ask');
  });
});

describe('read and write globs limit what the agent may touch', () => {
  const p = new PathPolicy(settings({ read: user('src/**', 'docs/*.md'), write: user('src/**') }), env);
  const cases: Array<[FileOperation, string, 'allow' | 'deny', string]> = [
    ['read', 'src/a.ts', 'allow', 'src/**'],
    ['read', 'docs/guide.md', 'allow', 'docs/*.md'],
    ['read', 'docs/deep/guide.md', 'deny', 'not-in-read-globs'],
    ['read', 'lib/x.ts', 'deny', 'not-in-read-globs'],
    ['write', 'src/new.ts', 'allow', 'src/**'],
    ['write', 'docs/guide.md', 'deny', 'not-in-write-globs'],
  ];
  for (const [op, path, verdict, rule] of cases) {
    test(`${op} ${path} → ${verdict} (${rule})`, () => {
      const d = decide(op, path, p);
      assert.equal(d.decision, verdict);
      assert.equal(d.rule, rule);
    });
  }

  test('empty read globs allow no reads at all', () => {
    const none = new PathPolicy(settings({ read: [] }), env);
    assert.equal(decide('read', 'src/a.ts', none).decision, 'deny');
  });

  test('a glob starting with ! is literal, not a negation that allows everything else', () => {
    const negated = new PathPolicy(settings({ read: user('!secret/**') }), env);
    assert.equal(decide('read', 'src/a.ts', negated).decision, 'deny');
  });

  test('globs match case-insensitively on a case-insensitive host', () => {
    const ci = new PathPolicy(settings({ write: user('src/**') }), fakeEnv({ tree, caseInsensitive: true }));
    assert.equal(decide('write', 'SRC/a.ts', ci).decision, 'allow');
    assert.equal(
      decide('write', 'SRC/a.ts', new PathPolicy(settings({ write: user('src/**') }), env)).decision,
      'deny',
    );
  });
});

describe('deny globs from settings', () => {
  const deny: RuleEntry[] = [
    { value: '*.sqlite', source: 'user' },
    { value: 'private', source: 'workspace' },
    { value: 'build/secret/**', source: 'user' },
  ];
  const p = new PathPolicy(settings({ deny }), env);
  const cases: Array<[string, string | undefined, string]> = [
    ['data/app.sqlite', '*.sqlite', 'a glob without a slash matches at any depth'],
    ['private', 'private', 'the named folder itself'],
    ['notes/private/todo.md', 'private', 'everything below a denied folder'],
    ['build/secret/x.bin', 'build/secret/**', 'a glob with a slash is relative to the folder'],
    ['privateer.ts', undefined, 'not a prefix match'],
    ['other/build/secret/x.bin', undefined, 'a glob with a slash is not any-depth'],
  ];
  for (const [path, rule, why] of cases) {
    test(`${path}: ${rule ? `denied by ${rule}` : 'allowed'} (${why})`, () => {
      const d = decide('read', path, p);
      if (rule) {
        assert.equal(d.decision, 'deny');
        assert.equal(d.rule, rule);
      } else assert.equal(d.decision, 'allow');
    });
  }

  test('the decision names the scope the deny glob came from', () => {
    assert.equal(decide('read', 'private', p).source, 'workspace');
  });

  test('isDenied answers for a relative path without touching the file system', () => {
    assert.equal(p.isDenied('db/app.sqlite')?.rule, '*.sqlite');
    assert.equal(p.isDenied('src\\.env')?.rule, '.env');
    assert.equal(p.isDenied('src/a/../../.env')?.rule, '.env');
    assert.equal(p.isDenied('../outside')?.rule, 'outside-workspace');
    assert.equal(p.isDenied('src/a.ts'), undefined);
  });
});

describe('relative paths resolve against the given base directory (a command cwd)', () => {
  test('a file in the cwd', () => {
    const d = decide('read', 'a.ts', policy, '/ws/src');
    assert.equal(d.decision, 'allow');
    assert.equal(d.relative, 'src/a.ts');
  });
  test('climbing out of the cwd to a secret', () =>
    assert.equal(decide('read', '../.env', policy, '/ws/src').rule, '.env'));
  test('climbing out of the workspace', () =>
    assert.equal(decide('read', '../../etc/passwd', policy, '/ws/src').rule, 'outside-workspace'));
  test('a cwd outside the workspace', () =>
    assert.equal(decide('read', 'x', policy, '/tmp').rule, 'outside-workspace'));
});

describe('multi-root workspaces', () => {
  const multi = fakeEnv({ workspaceFolders: ['/ws', '/ws2', '/ws/packages/api'], tree });

  test('a path in the second folder is judged relative to that folder', () => {
    const p = new PathPolicy(settings({ write: user('*.ts') }), multi);
    const d = decide('write', '/ws2/b.ts', p);
    assert.equal(d.decision, 'allow');
    assert.equal(d.folder, '/ws2');
    assert.equal(d.relative, 'b.ts');
  });

  test('a relative path resolves against the first folder', () =>
    assert.equal(decide('read', 'src/a.ts', new PathPolicy(settings(), multi)).folder, '/ws'));

  test('a nested folder cannot dodge a deny glob written for the outer folder', () => {
    const p = new PathPolicy(settings({ deny: user('packages/api/keys/**') }), multi);
    const d = decide('read', '/ws/packages/api/keys/prod.json', p);
    assert.equal(d.decision, 'deny');
    assert.equal(d.rule, 'packages/api/keys/**');
  });
});

describe('Windows hosts', () => {
  const winEnv = fakeEnv({
    platform: 'win32',
    caseInsensitive: true,
    workspaceFolders: ['C:\\Users\\u\\proj'],
    homeDir: 'C:\\Users\\u',
    // Every path under the folder exists, except what would make a folder look like a git directory.
    realpath: (path) =>
      path.toLowerCase().startsWith('c:/users/u/proj') && !/\/(HEAD|config|objects|refs)$/.test(path)
        ? path
        : undefined,
  });
  const p = new PathPolicy(settings(), winEnv);
  const cases: Array<[string, 'allow' | 'deny' | 'ask', string]> = [
    ['C:\\Users\\u\\proj\\src\\a.ts', 'allow', '**'],
    ['c:/users/U/PROJ/src/a.ts', 'allow', '**'],
    ['src\\a.ts', 'allow', '**'],
    ['C:\\Users\\u\\proj\\..\\other\\a.ts', 'deny', 'outside-workspace'],
    ['D:\\x.txt', 'deny', 'outside-workspace'],
    ['~\\.ssh\\id_rsa', 'deny', 'outside-workspace'],
    ['.GIT\\config', 'deny', '.git/**'],
    ['.ENV', 'deny', '.env'],
    ['.vscode.\\settings.json', 'ask', 'protected:.vscode/**'],
    ['VSCODE~1\\settings.json', 'deny', 'invalid-path'],
    ['src\\a.ts::$DATA', 'deny', 'invalid-path'],
    ['\\\\attacker\\share\\x', 'deny', 'invalid-path'],
  ];
  for (const [path, verdict, rule] of cases) {
    test(`write ${JSON.stringify(path)} → ${verdict} (${rule})`, () => {
      const d = p.decide('write', path);
      assert.equal(d.decision, verdict, d.reason);
      assert.equal(d.rule, rule);
    });
  }
});

describe('the file system is consulted only for paths inside the workspace', () => {
  test('an outside or refused path never reaches realpath', () => {
    const seen: string[] = [];
    const spy = fakeEnv({ realpath: (path) => (seen.push(path), fakeRealpath(tree)(path)) });
    const p = new PathPolicy(settings(), spy);
    for (const path of ['/etc/passwd', '~/.ssh/id_rsa', '../x', 'a\u0000b']) p.decide('read', path);
    assert.deepEqual(seen, []);
    p.decide('read', 'src/a.ts');
    assert.deepEqual(seen, ['/ws/src/a.ts']);
  });
});

describe('decide fails closed', () => {
  test('a realpath that throws denies with internal-error', () => {
    const p = new PathPolicy(
      settings(),
      fakeEnv({
        realpath: () => {
          throw new Error('EIO');
        },
      }),
    );
    const d = p.decide('read', 'src/a.ts');
    assert.equal(d.decision, 'deny');
    assert.equal(d.rule, 'internal-error');
  });

  test('a non-string path is denied, not thrown', () => {
    assert.equal(policy.decide('read', undefined as unknown as string).decision, 'deny');
    assert.equal(policy.decide('read', { toString: () => 'x' } as unknown as string).decision, 'deny');
  });

  test('writing the workspace folder itself is denied', () =>
    assert.equal(decide('write', '/ws').rule, 'workspace-folder-root'));
});

describe('auto-approval of writes', () => {
  const p = new PathPolicy(settings({ autoApproveWrites: user('src/**', 'docs/**') }), env);

  test('an allowed write matching an auto-approve glob is auto-approved', () => {
    assert.equal(p.autoApproves(p.decide('write', 'src/new.ts')), true);
  });

  const notApproved: Array<[string, () => PathDecision]> = [
    ['a write outside the auto-approve globs', () => p.decide('write', 'lib/x.ts')],
    ['a read', () => p.decide('read', 'src/a.ts')],
    ['a protected file inside an auto-approve glob', () => p.decide('write', 'src/package.json')],
    ['a denied write', () => p.decide('write', 'src/.env')],
    ['a symlink whose target lies outside the auto-approve globs', () => p.decide('write', 'src/tolib/x.ts')],
    [
      'a forged decision claiming an unprotected allow for .vscode/settings.json',
      () => ({
        ...p.decide('write', 'docs/a.md'),
        relative: '.vscode/settings.json',
        resolved: '/ws/.vscode/settings.json',
      }),
    ],
    [
      'a forged decision pointing outside the workspace',
      () => ({ ...p.decide('write', 'src/new.ts'), resolved: '/home/u/.bashrc' }),
    ],
  ];
  for (const [what, make] of notApproved) {
    test(`${what} is never auto-approved`, () => assert.equal(p.autoApproves(make()), false));
  }

  test('nothing is auto-approved when the auto-approve list is empty', () => {
    assert.equal(policy.autoApproves(policy.decide('write', 'src/new.ts')), false);
  });
});
