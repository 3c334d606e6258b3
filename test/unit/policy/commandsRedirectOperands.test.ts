// Issue 9: the operands of `>&` and `<&` as bash reads them. After `>&` or `<&` — even past blanks — an unquoted
// `-` closes the descriptor and the rest of that word is a word of the command (`git push >& ---force` runs
// `git push --force`, `cat <& -.env` runs `cat .env`); a lone `-` before a descriptor's redirection
// (`git status - 1>&-`, how bash prints `git status >&--`) is an argument the grammar drops. Each row's words are
// checked against bash itself (its xtrace of the line, with nothing on PATH to run), then judged.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BashParser } from '../../../src/core/policy/bashGrammar';
import { parseScript } from '../../../src/core/policy/commands/parse/parseScript';
import { commandPolicy, explain, loadParser, WORKSPACE } from './commandsFixture';

const BASH = '/bin/bash';

/** Line, the words bash runs (as its xtrace prints them), the decision with `git status`, `git push`, `cat` and
 *  `echo` allowed. */
const ROWS: [line: string, words: string, decision: 'allow' | 'ask' | 'deny', traced?: string][] = [
  // `-` right after the operator: the rest is a word of the command.
  ['git status >&--', 'git status -', 'allow'],
  ['git status >&-x', 'git status x', 'allow'],
  ['echo a <&--', 'echo a -', 'allow'],
  ['echo a 2>&-1', 'echo a 1', 'allow'],
  ['git push origin main >&---force', 'git push origin main --force', 'deny'],
  ['cat >&-.env', 'cat .env', 'deny'],
  // The same past blanks, where the grammar reads one target word.
  ['git push origin main >& ---force', 'git push origin main --force', 'deny'],
  ['git push origin main <& ---force', 'git push origin main --force', 'deny'],
  ['cat <& -.env', 'cat .env', 'deny'],
  ['cat 2>& -.env', 'cat .env', 'deny'],
  ['echo a >& -x', 'echo a x', 'allow'],
  ['echo a >&  --', 'echo a -', 'allow'],
  ['echo a >& -', 'echo a', 'allow'],
  // A quoted empty string after the `-` is a word too: an empty command name when nothing precedes it.
  ['echo a >& -""', 'echo a ', 'allow', "echo a ''"],
  ['>& -""', '', 'ask', "''"],
  // A lone `-` before a descriptor's redirection is an argument.
  ['git status - 1>&-', 'git status -', 'allow'],
  ['cat - 2>&1', 'cat -', 'allow'],
  ['cat x - - 2>/dev/null', 'cat x - -', 'allow'],
  ['cat - 0<.env', 'cat -', 'deny'],
  // Not a close: a quoted `-`, a descriptor to move, or a file (`&>`); these stay what they were.
  ['echo a >&2-', 'echo a', 'allow'],
  ['echo a >&2', 'echo a', 'allow'],
  ["echo a >&'-'x", 'echo a', 'allow'],
  ['echo a &>-', 'echo a', 'allow'],
  // The substitution is a word of the command; bash traces its empty result away.
  ['echo a >&-$(rm -rf ~)', 'echo a $(rm -rf ~)', 'deny', 'echo a'],
];

/** Inside `$(…)`, where the redirection is all there is: line, the inner command bash runs (its xtrace at depth
 *  two), the decision with the same allow list. */
const SUBSTITUTION_ROWS: [line: string, inner: string, decision: 'allow' | 'ask' | 'deny'][] = [
  ['echo a $(>& -rm)', 'rm', 'ask'],
  ['echo a $(>& -{rm,-rf,x})', 'rm -rf x', 'ask'],
  ['echo a $(2>& -git)', 'git', 'ask'],
  ['echo a $(<& -cat)', 'cat', 'allow'],
  ['echo a $(>& -{git,status})', 'git status', 'ask'],
];

/** The words of the line's one simple command, as the policy reads them. */
function policyWords(parser: BashParser, line: string): string {
  const command = parseScript(parser, line)
    .commands.filter((c) => c.kind === 'command')
    .pop();
  assert.ok(command, line);
  return command.words.map((w) => w.value).join(' ');
}

describe('the operands of >& and <& are read as bash reads them', () => {
  let parser: BashParser;
  let scratch: string;
  before(async () => {
    parser = await loadParser();
    scratch = mkdtempSync(join(tmpdir(), 'warden-redirect-operands-'));
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  /** The lines of bash's xtrace of `line`: on descriptor 9, so closing 1 or 2 cannot hide it; with no PATH
   *  nothing runs. */
  function bashTrace(line: string): string[] {
    const trace = join(scratch, 'trace');
    spawnSync(
      'env',
      ['-i', 'PATH=/nonexistent', BASH, '--norc', '-c', `exec 9>'${trace}'; BASH_XTRACEFD=9; set -x; ${line}`],
      { cwd: scratch, timeout: 5000 },
    );
    return readFileSync(trace, 'utf8').split('\n');
  }

  const decide = (line: string) =>
    commandPolicy(parser, { allow: ['git status', 'git push', 'cat', 'echo'] }).decide(line, WORKSPACE);

  for (const [line, words, , traced = words] of ROWS) {
    test(`${line}: the command's words are \`${words}\`, as bash runs them`, (t) => {
      assert.equal(policyWords(parser, line), words);
      if (!existsSync(BASH)) {
        t.skip(`${BASH} is not installed`);
        return;
      }
      const lines = bashTrace(line).filter((l) => l.startsWith('+ '));
      assert.equal(lines[lines.length - 1]?.slice(2), traced);
    });
  }

  for (const [line, inner, decision] of SUBSTITUTION_ROWS) {
    test(`${line}: bash runs \`${inner}\` inside the substitution, and the line is judged ${decision}`, (t) => {
      const d = decide(line);
      assert.equal(d.decision, decision, explain(d));
      if (!existsSync(BASH)) {
        t.skip(`${BASH} is not installed`);
        return;
      }
      const lines = bashTrace(line);
      assert.ok(lines.includes(`++ ${inner}`), lines.join('\n'));
    });
  }

  for (const [line, , decision] of ROWS) {
    test(`${line} → ${decision}`, () => {
      const d = decide(line);
      assert.equal(d.decision, decision, explain(d));
    });
  }
});
