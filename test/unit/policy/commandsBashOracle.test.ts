// Differential test against bash itself: for generated commands the policy allows, bash lists the simple
// commands it would run (an `extdebug` DEBUG trap that prints each one and skips it), and each of those
// must be allowed on its own too. This catches places where the grammar splits a line differently from
// bash (`a⏎\ b`, `cmd > out --flag`). Only allowed commands reach bash, and the trap skips every
// command; it runs in a scratch folder with an empty PATH and environment as a second fence.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import '../propertySeed';
import type { CommandPolicy } from '../../../src/core/policy/commands';
import { commandPolicy, explain, loadParser, SHELL_TOKENS, WORKSPACE } from './commandsFixture';

const BASH = '/bin/bash';
const ORACLE = [
  'shopt -s extdebug',
  'set -T',
  `trap 'if [[ $BASH_COMMAND != ". ./cmd.sh" ]]; then printf "%s\\x1e" "$BASH_COMMAND" >&3; false; fi' DEBUG`,
  '. ./cmd.sh',
].join('\n');

const ALLOWED = [
  'git status',
  'git log --oneline -5',
  'ls -la src',
  'echo hello',
  'echo "a; b"',
  'npm test',
  'cat src/a.ts',
  'grep -rn foo src',
  'wc -l README.md',
  'head -n 3 src/a.ts',
  'cd src',
  'x=1',
];
/** Pieces bash reports that are not simple commands, or that cannot stand alone (a heredoc without its body). */
const NOT_ALONE = /^(for|case|select|while|until|if)\b|^\[\[|^\(\(|<</;

let policy: CommandPolicy;
let scratch: string;

before(async () => {
  policy = commandPolicy(await loadParser(), {
    allow: ['git status', 'git log', 'ls', 'echo', 'npm test', 'cat', 'grep', 'wc', 'head'],
  });
  scratch = mkdtempSync(join(tmpdir(), 'warden-bash-oracle-'));
  writeFileSync(join(scratch, 'oracle.sh'), ORACLE);
});

after(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** The simple commands bash would run for `command` (unexpanded, as bash prints them), or undefined. */
function bashRuns(command: string): string[] | undefined {
  const file = join(scratch, 'cmd.sh');
  writeFileSync(file, command);
  if (spawnSync(BASH, ['-n', file], { timeout: 2000 }).status !== 0) return undefined; // a syntax error runs nothing
  const run = spawnSync(
    'env',
    [
      '-i',
      'PATH=/nonexistent',
      `HOME=${scratch}`,
      BASH,
      '--norc',
      '--noprofile',
      '-c',
      'cd "$0" && . ./oracle.sh 3>&1 1>/dev/null 2>/dev/null',
      scratch,
    ],
    {
      timeout: 2000,
      maxBuffer: 1 << 16,
      encoding: 'utf8',
    },
  );
  // A loop whose condition is skipped spins until the timeout; its pieces are already in the output.
  return run.stdout ? run.stdout.split('\x1e').filter((piece) => piece !== '') : undefined;
}

describe(
  'the policy splits commands where bash does',
  { skip: existsSync(BASH) ? false : `${BASH} is not installed` },
  () => {
    test('every simple command bash would run for an allowed line is allowed on its own', () => {
      const soup = fc.array(fc.constantFrom(...SHELL_TOKENS), { maxLength: 16 }).map((parts) => parts.join(''));
      fc.assert(
        fc.property(
          fc.constantFrom(...ALLOWED),
          fc.constantFrom(';', '&&', '||', '|', '&', '\n', ' '),
          soup,
          (a, op, x) => {
            const command = `${a}${op}${x}`;
            if (policy.decide(command, WORKSPACE).decision !== 'allow') return;
            for (const piece of new Set(bashRuns(command) ?? [])) {
              if (NOT_ALONE.test(piece)) continue;
              const alone = policy.decide(piece, WORKSPACE);
              assert.ok(
                alone.decision === 'allow' || alone.rule === 'empty-command',
                `${JSON.stringify(command)} is allowed, but bash would run ${JSON.stringify(piece)}: ${explain(alone)}`,
              );
            }
          },
        ),
        { numRuns: 4000 },
      );
    });

    test('the oracle itself sees what bash splits: a command after a newline and an escaped blank', () => {
      assert.deepEqual(bashRuns('git status\n\\ rm'), ['git status', '\\ rm']);
      assert.deepEqual(bashRuns('npm test > out --flag'), ['npm test --flag > out']);
    });
  },
);
