// The policy checker end to end: bundled exactly as `npm run build` bundles dist/policy-cli.js (CommonJS,
// grammar wasm beside it), then run as a child process against a real folder and real settings files.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';

let work: string;
let cli: string;
let cliWithoutGrammar: string;
let root: string;
let otherRoot: string;

async function bundle(outfile: string): Promise<void> {
  await esbuild.build({
    entryPoints: [join(__dirname, '../../../src/cli/policyCli.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    outfile,
    logLevel: 'silent',
  });
}

before(async () => {
  work = realpathSync(mkdtempSync(join(tmpdir(), 'warden-policy-cli-')));
  cli = join(work, 'dist', 'policy-cli.js');
  await bundle(cli);
  copyFileSync(require.resolve('web-tree-sitter/tree-sitter.wasm'), join(work, 'dist', 'tree-sitter.wasm'));
  copyFileSync(require.resolve('tree-sitter-bash/tree-sitter-bash.wasm'), join(work, 'dist', 'tree-sitter-bash.wasm'));
  // Far from any node_modules and without the wasm files: the grammar cannot load.
  cliWithoutGrammar = join(work, 'bare', 'policy-cli.js');
  await bundle(cliWithoutGrammar);

  root = join(work, 'project');
  mkdirSync(join(root, 'src'), { recursive: true });
  writeFileSync(join(root, 'src', 'a.ts'), 'export const a = 1;\n');
  writeFileSync(join(root, '.env'), 'KEY=1\n');
  otherRoot = join(work, 'other');
  mkdirSync(otherRoot);
  writeFileSync(
    join(work, 'user.json'),
    '{\n  // my settings\n  "warden.commands.allow": ["git status", "cat",],\n  "editor.fontSize": 14,\n}\n',
  );
  writeFileSync(
    join(work, 'workspace.json'),
    '{ "warden.commands.allow": ["curl"], "warden.commands.deny": ["npm publish"] }',
  );
});

after(() => {
  rmSync(work, { recursive: true, force: true });
});

function run(args: string[], input?: string, script = cli) {
  const result = spawnSync(process.execPath, [script, ...args], { input, encoding: 'utf8', cwd: work });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('policy-cli', () => {
  test('`command` prints the decision as one pretty JSON object and exits 0', () => {
    const { code, stdout } = run(['--root', root, 'command', 'git status; rm -rf ~']);
    assert.equal(code, 0);
    assert.match(stdout, /^\{\n {2}"decision": "deny"/);
    const decision = JSON.parse(stdout);
    assert.equal(decision.rule, 'builtin:rm-root');
    assert.equal(decision.command, 'git status; rm -rf ~');
    assert.equal(decision.parts.length, 2);
  });

  test('`path read` and `path write` print path decisions', () => {
    const read = JSON.parse(run(['--root', root, 'path', 'read', '.env']).stdout);
    assert.deepEqual([read.decision, read.rule], ['deny', '.env']);
    const write = JSON.parse(run(['--root', root, 'path', 'write', 'src/a.ts']).stdout);
    assert.deepEqual([write.decision, write.relative, write.folder], ['allow', 'src/a.ts', root]);
  });

  test('user settings (with comments and trailing commas) allow commands', () => {
    const d = JSON.parse(
      run(['--root', root, '--settings', join(work, 'user.json'), 'command', 'git status && cat src/a.ts']).stdout,
    );
    assert.deepEqual([d.decision, d.source], ['allow', 'user']);
  });

  test('without settings files the defaults from package.json apply: commands ask', () => {
    const d = JSON.parse(run(['--root', root, 'command', 'git status']).stdout);
    assert.deepEqual([d.decision, d.rule], ['ask', 'default-ask']);
  });

  test('a workspace settings file may deny but not allow, and the ignored value is reported on stderr', () => {
    const args = [
      '--root',
      root,
      '--settings',
      join(work, 'user.json'),
      '--workspace-settings',
      join(work, 'workspace.json'),
    ];
    const curl = run([...args, 'command', 'curl https://example.com']);
    assert.equal(JSON.parse(curl.stdout).decision, 'ask');
    assert.match(curl.stderr, /commands\.allow \(workspace\): ignored/);
    const publish = JSON.parse(run([...args, 'command', 'npm publish']).stdout);
    assert.deepEqual([publish.decision, publish.source], ['deny', 'workspace']);
  });

  test('`--jsonl` answers every line in order, and a bad line is a deny line rather than an abort', () => {
    const input = [
      '{"command": "cat .env"}',
      'not json',
      '{"path": "src/a.ts", "op": "read"}',
      '{"path": "x", "op": "delete"}',
      '[]',
      '{"command": "cat ../.env", "cwd": "src"}',
      '',
    ].join('\n');
    const { code, stdout } = run(['--root', root, '--jsonl'], input);
    assert.equal(code, 0);
    const lines = stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    assert.deepEqual(
      lines.map((d) => [d.decision, d.rule]),
      [
        ['deny', '.env'],
        ['deny', 'invalid-request'],
        ['allow', '**'],
        ['deny', 'invalid-request'],
        ['deny', 'invalid-request'],
        ['deny', '.env'],
      ],
    );
  });

  test('several roots are several workspace folders', () => {
    const d = JSON.parse(
      run(['--root', root, '--root', otherRoot, 'path', 'write', join(otherRoot, 'notes.md')]).stdout,
    );
    assert.deepEqual([d.decision, d.folder], ['allow', otherRoot]);
  });

  test('`--cwd` sets the command’s working directory relative to the first root', () => {
    const d = JSON.parse(run(['--root', root, '--cwd', 'src', 'command', 'cat ../.env']).stdout);
    assert.equal(d.decision, 'deny');
  });

  test('a command that reads a whole directory is judged by the denied files on disk under it', () => {
    writeFileSync(join(work, 'grep.json'), '{ "warden.commands.allow": ["grep"] }');
    const whole = JSON.parse(
      run(['--root', root, '--settings', join(work, 'grep.json'), 'command', 'grep -r KEY .']).stdout,
    );
    assert.deepEqual([whole.decision, whole.rule], ['deny', '.env'], whole.reason);
    assert.match(whole.reason, /including `\.env`/);
    const src = JSON.parse(
      run(['--root', root, '--settings', join(work, 'grep.json'), 'command', 'grep -r KEY src']).stdout,
    );
    assert.equal(src.decision, 'allow', src.reason);
  });

  test('git commands that print tracked files are judged by the denied files git tracks in the root', () => {
    const repo = join(work, 'repo');
    mkdirSync(join(repo, 'src'), { recursive: true });
    writeFileSync(join(repo, 'src', 'a.ts'), 'export const a = 1;\n');
    writeFileSync(join(repo, '.env'), 'KEY=1\n');
    writeFileSync(join(work, 'git.json'), '{ "warden.commands.allow": ["git diff", "git grep"] }');
    const git = (...args: string[]) =>
      assert.equal(spawnSync('git', ['-C', repo, ...args], { encoding: 'utf8' }).status, 0, `git ${args.join(' ')}`);
    const decide = (command: string) =>
      JSON.parse(run(['--root', repo, '--settings', join(work, 'git.json'), 'command', command]).stdout);
    git('init', '-q');
    assert.equal(decide('git grep KEY').decision, 'allow', 'nothing denied is tracked yet');
    git('add', '-f', '.env', 'src/a.ts');
    const whole = decide('git grep KEY');
    assert.deepEqual([whole.decision, whole.rule], ['deny', '.env'], whole.reason);
    assert.equal(decide('git grep KEY -- src').decision, 'allow');
  });

  test('`--help` prints the usage and exits 0', () => {
    const { code, stdout } = run(['--help']);
    assert.equal(code, 0);
    assert.match(stdout, /^Usage: policy-cli/);
  });

  const usageErrors: [what: string, args: string[]][] = [
    ['no arguments', []],
    ['an unknown option', ['--frobnicate', 'command', 'ls']],
    ['an unknown mode', ['--root', '.', 'run', 'ls']],
    ['`command` without text', ['command']],
    ['`path` without an operation', ['path', 'src/a.ts']],
    ['`path` with a bad operation', ['path', 'delete', 'src/a.ts']],
    ['a missing option value', ['--root']],
    ['a root that does not exist', ['--root', '/no/such/dir', 'command', 'ls']],
    ['a settings file that does not exist', ['--settings', '/no/such.json', 'command', 'ls']],
  ];
  for (const [what, args] of usageErrors) {
    test(`${what} is a usage error: exit 2 with the usage on stderr`, () => {
      const { code, stdout, stderr } = run(args);
      assert.equal(code, 2);
      assert.equal(stdout, '');
      assert.match(stderr, /Usage: policy-cli/);
    });
  }

  test('when the grammar cannot be loaded every command asks and stderr says why', () => {
    const { code, stdout, stderr } = run(['--root', root, 'command', 'rm -rf /'], undefined, cliWithoutGrammar);
    assert.equal(code, 0);
    assert.deepEqual([JSON.parse(stdout).decision, JSON.parse(stdout).rule], ['ask', 'grammar-not-loaded']);
    assert.match(stderr, /grammar could not be loaded/);
  });
});
