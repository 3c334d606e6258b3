// The one registry of command families: a name belongs to one family, the "Always allow" offer is
// derived from it (and an offered entry really covers the command), and what an allow entry may cover
// depends on the family: never what a wrapper or multi-call binary runs, never downloaded packages.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BashParser } from '../../../src/core/policy/bashGrammar';
import { alwaysAllowEntry } from '../../../src/core/policy/commands';
import { COMMAND_FAMILIES } from '../../../src/core/policy/commands/registry';
import type { FamilyKind } from '../../../src/core/policy/commands/spec';
import { createPolicy } from '../../../src/core/policy/createPolicy';
import type { CommandDecision } from '../../../src/core/policy/decision';
import { mergeSettings } from '../../../src/core/policy/settingsMerge';
import { commandPolicy, environment, explain, loadParser, WORKSPACE } from './commandsFixture';

let parser: BashParser;
before(async () => {
  parser = await loadParser();
});

function decide(command: string, allow: readonly string[] = []): CommandDecision {
  return commandPolicy(parser, { allow }).decide(command, WORKSPACE);
}

describe('the registry of command families', () => {
  test('every command name belongs to exactly one family', () => {
    const names = COMMAND_FAMILIES.flatMap((family) => Object.keys(family.commands));
    assert.equal(new Set(names).size, names.length);
  });

  test('every family has commands or a pattern of names, and a title', () => {
    for (const family of COMMAND_FAMILIES) {
      assert.ok(family.title.length > 0);
      assert.ok(Object.keys(family.commands).length > 0 || family.pattern !== undefined, family.title);
    }
  });

  test('only the public entry of the commands folder is imported from outside it', () => {
    const sources = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) return path === join('src', 'core', 'policy', 'commands') ? [] : sources(path);
        return entry.name.endsWith('.ts') ? [path] : [];
      });
    const files = sources('src');
    assert.ok(files.includes(join('src', 'core', 'policy', 'createPolicy.ts')));
    for (const file of files)
      assert.doesNotMatch(readFileSync(file, 'utf8'), /policy\/commands\/[a-zA-Z]/, `${file} reaches inside`);
  });
});

/** Kinds whose commands run whatever they are given. */
const NEVER_OFFERED_KINDS = new Set<FamilyKind>([
  'shell',
  'multi-call',
  'interpreter',
  'wrapper',
  'shell-code',
  'package-runner',
]);

function asking(text: string): CommandDecision {
  const part = { decision: 'ask' as const, rule: 'default-ask', source: 'default' as const, reason: 'x', text };
  return { ...part, command: text, parts: [part] };
}

describe('"Always allow" is computed from the registry', () => {
  const neverOffered = COMMAND_FAMILIES.filter((f) => NEVER_OFFERED_KINDS.has(f.kind)).flatMap((f) =>
    Object.keys(f.commands).map((name) => [f.title, name] as const),
  );
  for (const [title, name] of neverOffered) {
    test(`\`${name}\` (${title}) is never offered`, () =>
      assert.equal(alwaysAllowEntry(asking(`${name} x`)), undefined));
  }

  for (const name of ['python3.12', 'pypy3', 'Rscript', 'julia', 'lua5.4', 'php8.2', 'BASH', 'Busybox', '/bin/mksh']) {
    test(`\`${name}\`, a shell or interpreter by another spelling, is never offered`, () =>
      assert.equal(alwaysAllowEntry(asking(`${name} x`)), undefined));
  }

  for (const command of ['less README.md', 'vim src/a.ts', 'rm -r build', 'shred x', 'curl https://x', 'ssh host']) {
    test(`\`${command}\` is never offered: its entry would change nothing, or destroy or send data`, () =>
      assert.equal(alwaysAllowEntry(asking(command)), undefined));
  }

  for (const command of ['npm exec tsc', 'npx tsc', 'pnpm dlx cowsay', 'uv tool run ruff', 'pipx run black']) {
    test(`\`${command}\` downloads what it runs and is never offered`, () =>
      assert.equal(alwaysAllowEntry(decide(command)), undefined));
  }

  const offered: [command: string, entry: string][] = [
    ['npm test', 'npm test'],
    ['npm run build --if-present', 'npm run build'],
    ['git status -s', 'git status'],
    ['make build', 'make build'],
    ['cargo build --release', 'cargo build'],
    ['poetry run pytest -q', 'poetry run pytest'],
    ['uv run pytest', 'uv run pytest'],
    ['pnpm exec tsc', 'pnpm exec tsc'],
    ['bundle exec rspec', 'bundle exec rspec'],
    ['touch notes.txt', 'touch'],
    ['ls src', 'ls'],
    ['jq .version package.json', 'jq'],
    ['busybox ls src', 'ls'],
    ['toybox wc -l src/a.ts', 'wc'],
  ];
  for (const [command, entry] of offered) {
    test(`\`${command}\` offers \`${entry}\`, and that entry allows it`, () => {
      const before = decide(command);
      assert.equal(before.decision, 'ask', explain(before));
      assert.equal(alwaysAllowEntry(before), entry);
      const after = decide(command, [entry]);
      assert.equal(after.decision, 'allow', explain(after));
    });
  }
});

describe('what an allow entry may cover', () => {
  test('after "Always allow busybox", busybox still runs nothing the policy denies', () => {
    // The reported drift, through the settings path the policy CLI takes.
    const settings = mergeSettings({ 'commands.allow': { globalValue: ['busybox'] } });
    const policy = createPolicy(settings, environment(), parser);
    for (const command of ['busybox rm -rf ~', "busybox sh -c 'cat .env'", 'busybox cat .env']) {
      const d = policy.decideCommand(command, WORKSPACE);
      assert.equal(d.decision, 'deny', `${command}: ${explain(d)}`);
    }
    assert.equal(policy.decideCommand('busybox ls src', WORKSPACE).decision, 'ask');
  });

  test('an entry for a multi-call binary covers only the binary itself', () => {
    assert.equal(decide('busybox --list', ['busybox']).decision, 'allow');
    assert.equal(decide('busybox ls src', ['busybox']).decision, 'ask');
    assert.equal(decide('busybox ls src', ['ls']).decision, 'allow');
  });

  test('an entry for a package runner alone covers nothing it runs; one naming the package does', () => {
    assert.equal(decide('npx cowsay', ['npx']).decision, 'ask');
    assert.equal(decide('npx cowsay', ['npx', 'cowsay']).decision, 'ask');
    assert.equal(decide('npx cowsay', ['npx cowsay']).decision, 'allow');
    assert.equal(decide('npm exec -- cowsay', ['npm']).decision, 'ask');
  });

  test('what a project runner runs needs an entry of its own, or one naming both', () => {
    assert.equal(decide('poetry run pytest', ['poetry']).decision, 'ask');
    assert.equal(decide('poetry run pytest', ['poetry', 'pytest']).decision, 'allow');
    assert.equal(decide('poetry run pytest', ['poetry run pytest']).decision, 'allow');
    const d = decide('poetry run bash -c "$X"', ['poetry', 'bash']);
    assert.equal(d.decision, 'ask', explain(d));
  });

  test('a wrapper whose options are not modelled always asks, even with it and its command allowed', () => {
    for (const command of ['strace ls', 'cross-env NODE_ENV=production jest', 'flock /tmp/l make']) {
      const d = decide(command, ['strace', 'ls', 'cross-env', 'jest', 'flock', 'make']);
      assert.deepEqual([d.decision, d.rule], ['ask', 'runs-command'], `${command}: ${explain(d)}`);
    }
  });

  test('`env -S` asks, and the command its string holds is judged', () => {
    assert.equal(decide("env -S 'ls -la'", ['env', 'ls']).decision, 'ask');
    assert.equal(decide("env -S 'rm -rf ~'", ['env', 'rm']).decision, 'deny');
  });

  test('`xargs -I` puts the input where the replace string stands, instead of at the end', () => {
    const d = decide('xargs -I{} cp {} /dev/sdb', ['xargs', 'cp']);
    assert.ok(
      d.parts.some((p) => p.rule === 'builtin:device-write'),
      explain(d),
    );
  });
});
