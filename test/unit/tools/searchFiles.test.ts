import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SEARCH_LIMIT, searchFilesTool } from '../../../src/core/tools/searchFiles';
import { runRead, toolContext } from './toolContext';

describe('search_files', () => {
  test('returns "path:line: text" hits relative to the workspace', async () => {
    const ctx = toolContext({ 'src/a.ts': 'one\nconst needle = 1;\n' });
    const out = await runRead(await searchFilesTool.plan({ query: 'needle' }, ctx));
    assert.equal(out.text, 'src/a.ts:2: const needle = 1;');
  });

  test('hits in files the read policy denies are left out', async () => {
    const ctx = toolContext({ '.env': 'needle=secret', 'a.ts': 'needle' });
    const out = await runRead(await searchFilesTool.plan({ query: 'needle' }, ctx));
    assert.equal(out.text, 'a.ts:1: needle');
  });

  test('regex and include are passed through', async () => {
    const ctx = toolContext({ 'a.ts': 'foo42', 'b.md': 'foo43' });
    const out = await runRead(
      await searchFilesTool.plan({ query: 'foo\\d+', is_regex: true, include: '**/*.ts' }, ctx),
    );
    assert.equal(out.text, 'a.ts:1: foo42');
  });

  test('an invalid regular expression is rejected by validate', () => {
    const result = searchFilesTool.validate({ query: '(', is_regex: true });
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.errors[0], /invalid regular expression/);
  });

  test('results are capped with a note', async () => {
    const ctx = toolContext({ 'a.ts': Array.from({ length: SEARCH_LIMIT + 10 }, () => 'hit').join('\n') });
    const out = await runRead(await searchFilesTool.plan({ query: 'hit' }, ctx));
    assert.match(out.text, new RegExp(`Stopped at ${SEARCH_LIMIT} matches`));
  });

  test('no matches is a plain answer, not an error', async () => {
    const out = await runRead(await searchFilesTool.plan({ query: 'zzz' }, toolContext({ 'a.ts': 'x' })));
    assert.ok(out.ok);
    assert.match(out.text, /No matches/);
  });
});
