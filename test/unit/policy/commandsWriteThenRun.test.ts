// Class 3 (write, then run): a line that writes a file and then runs a command that may execute workspace
// files asks, whatever entries allow each half: what was written could be what runs.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BashParser } from '../../../src/core/policy/bashGrammar';
import { commandPolicy, explain, loadParser, TYPICAL_ALLOW, WORKSPACE } from './commandsFixture';

let parser: BashParser;
before(async () => {
  parser = await loadParser();
});

const ALLOW = [...TYPICAL_ALLOW, 'npm run lint', 'npx tsc', 'mkdir', 'printf', 'python3', 'pytest', 'cargo test'];

function decide(command: string) {
  return commandPolicy(parser, { allow: ALLOW }).decide(command, WORKSPACE);
}

const ATTACKS: [what: string, command: string][] = [
  ['a test file written, then the tests run', 'echo \'require("child_process").exec("id")\' > t.test.js && npm test'],
  ['the lint config written, then lint', 'echo "module.exports = {}" > eslint.config.js; npm run lint'],
  ['a heredoc into a config, then a build', "cat > vite.config.ts <<'EOF'\nexport default {}\nEOF\nmake build"],
  ['a binary the scripts call, replaced', 'cp /tmp/x node_modules/.bin/eslint && npm run lint'],
  ['tee into a script, then node runs it', 'echo "process.exit(1)" | tee src/check.js && node src/check.js'],
  ['printf into a Python test hook, then pytest', 'printf "import os" > conftest.py; python3 -m pytest'],
  ['sed -i on a source file, then the tests', "sed -i 's/a/b/' src/app.test.ts && npm test"],
  ['a write inside a substitution before the run', 'npm test $(echo x > src/a.test.js)'],
  ['a write, then a shell running a script', 'echo "id" > run.sh && bash run.sh'],
  ['a write, then a package runner', 'echo x > src/a.ts && npx tsc'],
  ['a write in an earlier group, then make', '{ echo all: > Makefile; } && make'],
];

describe('a line that writes a file and then runs workspace code asks', () => {
  for (const [what, command] of ATTACKS) {
    test(what, () => {
      const d = decide(command);
      assert.notEqual(d.decision, 'allow', explain(d));
      assert.ok(
        d.parts.some((p) => p.rule === 'write-then-run'),
        explain(d),
      );
    });
  }
});

const EVERYDAY: [what: string, command: string][] = [
  ['tests, their output saved afterwards', 'npm test 2>&1 | tee test.log'],
  ['a folder created, then a build', 'mkdir -p build && npm test'],
  ['output thrown away', 'npm test > /dev/null 2>&1'],
  ['a write and reads only', 'echo hi > notes.txt && cat notes.txt && grep -n hi notes.txt'],
  ['tests, then a summary written', 'npm test; echo done > status.txt'],
  ['a write, then git status', 'echo x > a.txt && git status'],
];

describe('everyday lines that write and run stay as their parts decide', () => {
  for (const [what, command] of EVERYDAY) {
    test(what, () => {
      const d = decide(command);
      assert.ok(!d.parts.some((p) => p.rule === 'write-then-run'), explain(d));
    });
  }
  test('they are allowed when every part is', () => {
    for (const command of ['npm test 2>&1 | tee test.log', 'mkdir -p build && npm test', 'npm test > /dev/null 2>&1']) {
      const d = decide(command);
      assert.equal(d.decision, 'allow', explain(d));
    }
  });
});
