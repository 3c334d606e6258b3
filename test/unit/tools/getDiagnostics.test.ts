import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { getDiagnosticsTool } from '../../../src/core/tools/getDiagnostics';
import { abs } from '../fakes/memoryWorkspace';
import { runRead, toolContext } from './toolContext';

describe('get_diagnostics', () => {
  test('lists problems errors first, relative paths, with their source', async () => {
    const ctx = toolContext({ 'a.ts': 'x' });
    ctx.workspace.problems.set(abs('a.ts'), [
      { path: abs('a.ts'), line: 3, column: 1, severity: 'warning', message: 'unused', source: 'eslint' },
      { path: abs('a.ts'), line: 1, column: 5, severity: 'error', message: 'type error', source: 'ts' },
    ]);
    const out = await runRead(await getDiagnosticsTool.plan({ path: 'a.ts' }, ctx));
    assert.equal(out.text, 'a.ts:1:5 error: type error (ts)\na.ts:3:1 warning: unused (eslint)');
  });

  test('problems in files the read policy denies are left out of the workspace list', async () => {
    const ctx = toolContext({ 'a.ts': 'x', '.env': 'y' });
    ctx.workspace.problems.set(abs('.env'), [
      { path: abs('.env'), line: 1, column: 1, severity: 'error', message: 'KEY=leaked' },
    ]);
    const out = await runRead(await getDiagnosticsTool.plan({}, ctx));
    assert.doesNotMatch(out.text, /leaked/);
    assert.match(out.text, /No problems/);
  });

  test('asking for a denied file is refused', async () => {
    assert.equal((await getDiagnosticsTool.plan({ path: '.env' }, toolContext())).kind, 'refused');
  });
});
