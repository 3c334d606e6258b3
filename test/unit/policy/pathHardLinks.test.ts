// Class 8: hard links. A second name for a denied file (`docs/notes.txt` sharing its inode with `.env`) has no
// symlink to resolve; the host tells the policy which denied file a multiply-linked target is another name of,
// and every reader that goes through the read policy — the file tools, the paths commands read or write, the
// directories they read whole — refuses it. Ordinary files, and hard links between ordinary files, stay allowed.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BashParser } from '../../../src/core/policy/bashGrammar';
import { CommandPolicy } from '../../../src/core/policy/commands';
import { PathPolicy } from '../../../src/core/policy/pathPolicy';
import type { PolicyEnvironment } from '../../../src/core/policy/policy';
import { resolveMentionsIn, type MentionDeps } from '../../../src/core/context/mentionResolver';
import { readFileTool } from '../../../src/core/tools/readFile';
import { FakeSources, NEVER } from '../context/contextFixtures';
import { abs, MemoryWorkspace } from '../fakes/memoryWorkspace';
import { realPolicy } from '../fakes/realPolicy';
import {
  DENIED_FILES,
  entries,
  environment,
  explain,
  HOME,
  loadParser,
  TYPICAL_ALLOW,
  WORKSPACE,
} from './commandsFixture';

const at = (relative: string) => `${WORKSPACE}/${relative}`;

/** The fake disk's hard links: name → the denied file it shares (device, inode) with, as the host reports it. */
const HARD_LINKS: Readonly<Record<string, string>> = {
  [at('docs/notes.txt')]: at('.env'),
  [at('src/fixture.pem.txt')]: at('config/keys/server.pem'),
  [at('notes/private-copy.md')]: at('private/plan.md'),
  [at('lib/outside-read-globs.ts')]: at('vendor/blob.bin'),
  [at('src/creds.txt')]: `${HOME}/.aws/credentials`,
  // The index is stale: the other name is no longer denied (the deny glob was removed).
  [at('docs/was-secret.txt')]: at('docs/public.txt'),
};

function linkedEnvironment(facts: { unknown?: boolean } = {}): PolicyEnvironment & { asked: string[] } {
  const asked: string[] = [];
  const links = Object.keys(HARD_LINKS);
  return {
    ...environment(),
    deniedFiles: () => [...DENIED_FILES, at('private/plan.md'), ...links.filter((l) => !l.includes('was-secret'))],
    hardLinkedDeniedFile: (path) => {
      asked.push(path);
      const deniedFile = HARD_LINKS[path];
      if (deniedFile === undefined) return undefined;
      return facts.unknown ? 'unknown' : { deniedFile };
    },
    asked,
  };
}

function paths(env: PolicyEnvironment, read = ['**']): PathPolicy {
  return new PathPolicy(
    { read: entries(read), write: entries(['**']), deny: entries(['private/**']), autoApproveWrites: [] },
    env,
  );
}

describe('the path policy refuses a hard link to a denied file, for reads and writes', () => {
  const cases: [relative: string, deniedName: string, read?: string[]][] = [
    ['docs/notes.txt', '.env'],
    ['src/fixture.pem.txt', 'config/keys/server.pem'],
    ['notes/private-copy.md', 'private/plan.md'],
    ['lib/outside-read-globs.ts', 'vendor/blob.bin', ['lib/**', 'src/**', 'docs/**']],
    ['src/creds.txt', '.aws/credentials'],
  ];
  for (const [relative, deniedName, read] of cases) {
    test(`${relative} (another name of ${deniedName}) is denied`, () => {
      const policy = paths(linkedEnvironment(), read);
      for (const op of ['read', 'write'] as const) {
        const d = policy.decide(op, at(relative));
        assert.equal(d.decision, 'deny', `${op}: ${d.reason}`);
        assert.equal(d.rule, 'hard-link');
        assert.ok(d.reason.includes(deniedName), d.reason);
      }
    });
  }

  test('a relative path and a path through a symlinked folder reach the same refusal', () => {
    const env = linkedEnvironment();
    const policy = paths({ ...env, realpath: (p) => env.realpath(p.replace('/linked-docs/', '/docs/')) });
    assert.equal(policy.decide('read', 'docs/notes.txt').decision, 'deny');
    assert.equal(policy.decide('read', at('linked-docs/notes.txt')).rule, 'hard-link');
  });

  test('while the denied files are not listed, a multiply-linked file asks', () => {
    const d = paths(linkedEnvironment({ unknown: true })).decide('read', at('docs/notes.txt'));
    assert.equal(d.decision, 'ask');
    assert.equal(d.rule, 'hard-link-unchecked');
  });

  test('a link whose other name is no longer denied is an ordinary file (a stale index grants nothing more)', () => {
    assert.equal(paths(linkedEnvironment()).decide('read', at('docs/was-secret.txt')).decision, 'allow');
  });

  test('ordinary files stay allowed, and the host is asked once per decision, after the name checks', () => {
    const env = linkedEnvironment();
    const policy = paths(env);
    assert.equal(policy.decide('read', at('src/index.ts')).decision, 'allow');
    assert.equal(policy.decide('write', at('src/new-file.ts')).decision, 'allow');
    assert.deepEqual(env.asked, [at('src/index.ts'), at('src/new-file.ts')]);
    // A path denied by its name, or outside the workspace, never costs the host a stat.
    env.asked.length = 0;
    assert.equal(policy.decide('read', at('.env')).rule, '.env');
    assert.equal(policy.decide('read', '/etc/passwd').decision, 'deny');
    assert.deepEqual(env.asked, []);
  });

  test('without the port (a host that cannot tell) decisions are as before', () => {
    assert.equal(paths(environment()).decide('read', at('docs/notes.txt')).decision, 'allow');
  });
});

describe('commands read and write hard links to denied files through the same policy', () => {
  let parser: BashParser;
  before(async () => {
    parser = await loadParser();
  });

  const cases: [command: string, expected: 'deny' | 'ask' | 'allow'][] = [
    ['cat docs/notes.txt', 'deny'],
    ['head -n 3 src/fixture.pem.txt', 'deny'],
    ['cp docs/notes.txt src/copy.txt', 'deny'],
    ['echo x > docs/notes.txt', 'deny'],
    ['sed -n p notes/private-copy.md', 'deny'],
    ['grep -r KEY docs', 'deny'],
    ['grep -rn TODO src', 'deny'],
    ['tar -czf out.tgz docs', 'deny'],
    ['grep KEY docs/*.txt', 'deny'],
    ['cd docs && cat notes.txt', 'deny'],
    // Ordinary reads stay allowed.
    ['cat src/index.ts', 'allow'],
    ['grep -rn TODO lib', 'allow'],
    ['cat docs/was-secret.txt', 'allow'],
  ];
  for (const [command, expected] of cases) {
    test(`${command} → ${expected}`, () => {
      const policy = new CommandPolicy({
        allow: entries(TYPICAL_ALLOW),
        deny: [],
        paths: paths(linkedEnvironment()),
        parser,
        homeDir: HOME,
      });
      const d = policy.decide(command, WORKSPACE);
      assert.equal(d.decision, expected, explain(d));
      if (expected === 'deny') assert.match(explain(d), /hard link|denied/);
    });
  }
});

describe('the read tool and @-mentions refuse a hard link to a denied file', () => {
  const files = { '.env': 'API_KEY=supersecretvalue', 'docs/notes.txt': 'API_KEY=supersecretvalue', 'a.ts': 'x' };
  const links = {
    hardLinkedDeniedFile: (path: string) => (path === abs('docs/notes.txt') ? { deniedFile: abs('.env') } : undefined),
  };

  test('read_file is refused with the hard-link rule, and nothing of the file is read', async () => {
    const workspace = new MemoryWorkspace(files);
    const policy = realPolicy(workspace, {}, undefined, links);
    const ctx = { workspace, policy, signal: new AbortController().signal };
    const plan = await readFileTool.plan({ path: 'docs/notes.txt' }, ctx as never);
    assert.equal(plan.kind, 'refused');
    assert.equal(plan.decision.rule, 'hard-link');
    assert.ok(!JSON.stringify(plan).includes('supersecretvalue'));
  });

  test('an @-mention of it is refused and attaches nothing', async () => {
    const workspace = new MemoryWorkspace(files);
    const deps: MentionDeps = {
      policy: realPolicy(workspace, {}, undefined, links),
      workspace,
      sources: new FakeSources(),
      signal: NEVER,
    };
    const result = await resolveMentionsIn('compare @docs/notes.txt and @a.ts', deps);
    assert.equal(result.attachments.length, 1);
    assert.equal(result.refusals[0]?.token, '@docs/notes.txt');
    assert.match(result.refusals[0]?.reason ?? '', /hard link/);
    assert.ok(!JSON.stringify(result).includes('supersecretvalue'));
  });
});
