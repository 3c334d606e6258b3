// Mentions resolved through the real read policy: what is attached, what is refused (and that nothing of a
// refused mention reaches the model), and the caps.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveMentionsIn, type MentionDeps } from '../../../src/core/context/mentionResolver';
import { MAX_MENTIONS } from '../../../src/core/context/mentionSyntax';
import type { BashParser } from '../../../src/core/policy/bashGrammar';
import { abs, MemoryWorkspace } from '../fakes/memoryWorkspace';
import { bashParser, FakeSources, NEVER, realPolicy } from './contextFixtures';

let bash: BashParser;
before(async () => {
  bash = await bashParser();
});

function setup(files: Record<string, string>, user: Record<string, unknown> = {}) {
  const workspace = new MemoryWorkspace(files);
  const sources = new FakeSources();
  const deps: MentionDeps = { policy: realPolicy(workspace, user, bash), workspace, sources, signal: NEVER };
  return { workspace, sources, deps };
}

const everything = (result: Awaited<ReturnType<typeof resolveMentionsIn>>) =>
  JSON.stringify(result.attachments.map((a) => a.text));

describe('mention resolution', () => {
  test('a mentioned file is attached with numbered lines, like read_file', async () => {
    const { deps } = setup({ 'src/app.ts': 'export const a = 1;\nexport const b = 2;\n' });
    const result = await resolveMentionsIn('what does @src/app.ts do?', deps);
    assert.equal(result.refusals.length, 0);
    assert.equal(result.attachments.length, 1);
    const [attachment] = result.attachments;
    assert.match(attachment.text, /^<attachment kind="file" source="src\/app.ts">/);
    assert.match(attachment.text, /1│export const a = 1;\n\s*2│export const b = 2;/);
    assert.equal(attachment.label, 'src/app.ts (lines 1–2 of 2)');
    assert.equal(attachment.truncated, false);
  });

  test('a denied file is refused with the rule and none of its content is attached', async () => {
    const { deps } = setup({ '.env': 'API_KEY=supersecretvalue', 'a.ts': 'x' });
    const result = await resolveMentionsIn('compare @.env and @a.ts', deps);
    assert.equal(result.attachments.length, 1);
    assert.equal(result.refusals.length, 1);
    assert.equal(result.refusals[0].token, '@.env');
    assert.match(result.refusals[0].reason, /denied by policy/);
    assert.match(result.refusals[0].reason, /rule "/);
    assert.ok(!everything(result).includes('supersecretvalue'));
  });

  test('a file denied by the user settings is refused too', async () => {
    const { deps } = setup({ 'private/notes.md': 'secret plans' }, { 'permissions.deny': ['private/**'] });
    const result = await resolveMentionsIn('@private/notes.md', deps);
    assert.equal(result.attachments.length, 0);
    assert.match(result.refusals[0].reason, /private\/\*\*/);
  });

  test('a file outside the workspace is refused', async () => {
    const { workspace, deps } = setup({});
    workspace.files.set('/home/u/notes.txt', 'mine, private');
    const result = await resolveMentionsIn('@/home/u/notes.txt and @~/notes.txt', deps);
    assert.equal(result.attachments.length, 0);
    assert.equal(result.refusals.length, 2);
    for (const refusal of result.refusals) assert.match(refusal.reason, /outside-workspace/);
  });

  test('a workspace file the read globs do not cover is refused', async () => {
    const { deps } = setup({ 'docs/a.md': 'doc', 'src/b.ts': 'code' }, { 'permissions.read': ['src/**'] });
    const result = await resolveMentionsIn('@docs/a.md @src/b.ts', deps);
    assert.deepEqual(
      result.attachments.map((a) => a.token),
      ['@src/b.ts'],
    );
    assert.match(result.refusals[0].reason, /not-in-read-globs/);
  });

  test('an @word that names no file is prose, not a mention', async () => {
    const { deps } = setup({ 'a.ts': '' });
    const result = await resolveMentionsIn('thanks @alice, ping @types/node', deps);
    assert.deepEqual(result, { attachments: [], refusals: [] });
  });

  test('a big file is cut like read_file, and says so', async () => {
    const text = Array.from({ length: 1_000 }, (_, i) => `line ${i + 1}`).join('\n');
    const { deps } = setup({ 'big.txt': text });
    const [attachment] = (await resolveMentionsIn('@big.txt', deps)).attachments;
    assert.equal(attachment.truncated, true);
    assert.match(attachment.label, /lines 1–400 of 1000, truncated/);
    assert.match(attachment.text, /To read on, call read_file with start_line: 401/);
  });

  test('a line range attaches those lines only', async () => {
    const text = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join('\n');
    const { deps } = setup({ 'f.txt': text });
    const [attachment] = (await resolveMentionsIn('@f.txt#L3-4', deps)).attachments;
    assert.match(attachment.text, /3│line 3\n\s*4│line 4\n<\/attachment>/);
    assert.equal(attachment.truncated, false);
  });

  test('a folder lists its entries without the denied ones', async () => {
    const { deps } = setup({ 'cfg/app.json': '{}', 'cfg/.env': 'X=1', 'cfg/sub/a.ts': '' });
    const [attachment] = (await resolveMentionsIn('@cfg', deps)).attachments;
    assert.match(attachment.text, /cfg\/app\.json/);
    assert.ok(!attachment.text.includes('.env'));
  });

  test('@problems lists diagnostics, leaving out denied files', async () => {
    const { workspace, deps } = setup({ 'a.ts': 'x', '.env': 'y' });
    const problem = { line: 1, column: 1, severity: 'error' as const, message: 'bad' };
    workspace.problems.set(abs('a.ts'), [{ path: abs('a.ts'), ...problem }]);
    workspace.problems.set(abs('.env'), [{ path: abs('.env'), ...problem, message: 'KEY leaks here' }]);
    const [attachment] = (await resolveMentionsIn('fix @problems', deps)).attachments;
    assert.match(attachment.text, /a\.ts:1:1 error: bad/);
    assert.ok(!attachment.text.includes('KEY leaks here'));
  });

  test('@problems:<file> is that file only', async () => {
    const { workspace, deps } = setup({ 'a.ts': 'x', 'b.ts': 'y' });
    for (const file of ['a.ts', 'b.ts'])
      workspace.problems.set(abs(file), [{ path: abs(file), line: 2, column: 3, severity: 'warning', message: file }]);
    const [attachment] = (await resolveMentionsIn('@problems:b.ts', deps)).attachments;
    assert.match(attachment.text, /b\.ts:2:3 warning: b\.ts/);
    assert.ok(!attachment.text.includes('a.ts'));
  });

  test("@selection attaches the editor's selection; a denied file's selection is refused", async () => {
    const { sources, deps } = setup({ 'a.ts': 'one\ntwo', '.env': 'K=v' });
    sources.selectionInfo = { path: abs('a.ts'), startLine: 2, endLine: 2, text: 'two' };
    const ok = await resolveMentionsIn('@selection', deps);
    assert.match(ok.attachments[0].text, /source="a\.ts#L2-2">\ntwo\n/);
    sources.selectionInfo = { path: abs('.env'), startLine: 1, endLine: 1, text: 'K=v' };
    const denied = await resolveMentionsIn('@selection', deps);
    assert.equal(denied.attachments.length, 0);
    assert.match(denied.refusals[0].reason, /may not be read/);
  });

  test('@terminal keeps the end of a long output and marks the cut', async () => {
    const { sources, deps } = setup({}, { 'limits.maxToolOutputChars': 2_000 });
    sources.terminal = { command: 'npm test', output: `${'x'.repeat(5_000)}\nTests failed: 3`, exitCode: 1 };
    const [attachment] = (await resolveMentionsIn('@terminal', deps)).attachments;
    assert.equal(attachment.truncated, true);
    assert.match(attachment.text, /truncated: \d+ of \d+ characters left out/);
    assert.match(attachment.text, /Tests failed: 3\n<\/attachment>$/);
    assert.match(attachment.text, /\$ npm test \(exit code 1\)/);
  });

  test('@git diffs only the changed files the read policy allows, and names the others', async () => {
    const { sources, deps } = setup({ 'a.ts': '', '.env': '' });
    sources.changed = { ok: true, value: ['a.ts', '.env'] };
    const result = await resolveMentionsIn('review @git', deps);
    assert.deepEqual(sources.diffCalls, [['a.ts']]);
    assert.match(result.attachments[0].text, /\+changed a\.ts/);
    assert.match(result.attachments[0].text, /Left out by the read policy: \.env/);
  });

  test('@git is refused when the user denied git commands', async () => {
    const { sources, deps } = setup({ 'a.ts': '' }, { 'commands.deny': ['git'] });
    sources.changed = { ok: true, value: ['a.ts'] };
    const result = await resolveMentionsIn('@git', deps);
    assert.equal(result.attachments.length, 0);
    assert.match(result.refusals[0].reason, /git diff is denied by policy/);
    assert.deepEqual(sources.diffCalls, []);
  });

  test('secret-shaped values in attached content are redacted', async () => {
    const { deps } = setup({ 'config.ts': 'const key = "sk-abcdefghijklmnopqrstuvwxyz0123456789";' });
    const result = await resolveMentionsIn('@config.ts', deps);
    assert.ok(!everything(result).includes('sk-abcdefghijklmnopqrstuvwxyz0123456789'));
  });

  test(`more than ${MAX_MENTIONS} mentions: the rest are refused, not read`, async () => {
    const files = Object.fromEntries(Array.from({ length: MAX_MENTIONS + 2 }, (_, i) => [`f${i}.ts`, `${i}`]));
    const { deps } = setup(files);
    const text = Object.keys(files)
      .map((file) => `@${file}`)
      .join(' ');
    const result = await resolveMentionsIn(text, deps);
    assert.equal(result.attachments.length, MAX_MENTIONS);
    assert.equal(result.refusals.length, 2);
  });

  test('all attachments of one message together stay within four tool outputs', async () => {
    const text = Array.from({ length: 300 }, () => 'y'.repeat(60)).join('\n');
    const files = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`big${i}.txt`, text]));
    const { deps } = setup(files, { 'limits.maxToolOutputChars': 5_000 });
    const result = await resolveMentionsIn(
      Object.keys(files)
        .map((f) => `@${f}`)
        .join(' '),
      deps,
    );
    const total = result.attachments.reduce((sum, a) => sum + a.text.length, 0);
    assert.ok(total <= 20_000, `attached ${total} characters`);
    assert.ok(result.refusals.length > 0);
    assert.match(result.refusals[0].reason, /as much attached content as one message may/);
  });
});
