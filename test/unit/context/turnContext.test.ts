// Mentions and instruction files in a whole turn: what the model request carries, what the transcript
// shows, and that a refused mention sends nothing of the file.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BashParser } from '../../../src/core/policy/bashGrammar';
import { abs, MemoryWorkspace } from '../fakes/memoryWorkspace';
import { reply } from '../fakes/scriptedModel';
import { Harness } from '../fakes/sessionHarness';
import { bashParser, FakeSources, realPolicy } from './contextFixtures';

let bash: BashParser;
before(async () => {
  bash = await bashParser();
});

function harness(files: Record<string, string>, options: { trusted?: boolean; sources?: FakeSources } = {}) {
  const workspace = new MemoryWorkspace(files);
  return new Harness({
    workspace,
    policyInstance: realPolicy(workspace, {}, bash),
    steps: [reply('ok'), reply('ok again')],
    trusted: options.trusted,
    ports: { context: options.sources ?? new FakeSources() },
  });
}

const userMessages = (h: Harness, request = 0) =>
  h.model.requests[request].messages.filter((m) => m.role === 'user').map((m) => m.content ?? '');
const system = (h: Harness, request = 0) => h.model.requests[request].messages[0].content ?? '';
const notices = (h: Harness) => h.itemsOf('notice').map((n) => n.text);

describe('a turn with mentions and instruction files', () => {
  test("a mentioned file's content goes with the request; the transcript keeps what the user typed", async () => {
    const h = harness({ 'src/app.ts': 'export function app() {}\n' });
    await h.session.send('what does @src/app.ts do?');
    const [message] = userMessages(h);
    assert.match(message, /^what does @src\/app\.ts do\?/);
    assert.match(message, /1│export function app\(\) \{\}/);
    assert.equal(h.itemsOf('user')[0].text, 'what does @src/app.ts do?');
    assert.ok(notices(h).some((text) => /^Attached: src\/app\.ts \(lines 1–1 of 1\)/.test(text)));
  });

  test('a denied mention is refused with the reason, and nothing of the file reaches the model', async () => {
    const h = harness({ '.env': 'DB_PASSWORD=hunter2hunter2' });
    await h.session.send('use the password in @.env');
    const sent = JSON.stringify(h.model.requests.map((r) => r.messages));
    assert.ok(!sent.includes('hunter2hunter2'));
    assert.match(userMessages(h)[0], /Not attached: @\.env\..*denied by policy/);
    const warning = h.itemsOf('notice').find((n) => n.level === 'warning');
    assert.match(warning?.text ?? '', /^Not attached: @\.env\. .*denied by policy/);
  });

  test('the editor context line goes with the message, for a readable file only', async () => {
    const h = harness({ 'src/app.ts': '', '.env': '' });
    await h.session.send('why?', { path: 'src/app.ts', selection: { startLine: 3, endLine: 7 } });
    assert.match(userMessages(h)[0], /\(Active editor: src\/app\.ts, lines 3–7 selected\)$/);
    await h.session.send('and this?', { path: '.env' });
    assert.ok(!userMessages(h, 1)[1].includes('.env'));
  });

  test('instruction files reach the system prompt, framed as untrusted, and the turn names them', async () => {
    const h = harness({ 'AGENTS.md': 'Always write tests first.', 'src/app.ts': '' });
    await h.session.send('add a feature');
    assert.match(system(h), /UNTRUSTED/);
    assert.match(system(h), /Always write tests first\./);
    assert.ok(notices(h).some((text) => text.startsWith('Instructions used: AGENTS.md.')));
  });

  test('instruction files are read again at the start of each turn', async () => {
    const h = harness({ 'AGENTS.md': 'first version' });
    await h.session.send('one');
    h.workspace.files.set(abs('AGENTS.md'), 'second version');
    await h.session.send('two');
    assert.match(system(h, 1), /second version/);
    assert.ok(!system(h, 1).includes('first version'));
  });

  test('an untrusted workspace attaches nothing and reads no instruction file', async () => {
    const h = harness({ 'AGENTS.md': 'rules', 'a.ts': 'content of a' }, { trusted: false });
    await h.session.send('look at @a.ts');
    assert.equal(userMessages(h)[0], 'look at @a.ts');
    assert.ok(!system(h).includes('rules'));
  });

  test('@terminal and @git come from the context sources', async () => {
    const sources = new FakeSources();
    sources.terminal = { command: 'npm test', output: '3 failing', exitCode: 1 };
    sources.changed = { ok: true, value: ['a.ts'] };
    const h = harness({ 'a.ts': '' }, { sources });
    await h.session.send('fix @terminal given @git');
    assert.match(userMessages(h)[0], /3 failing/);
    assert.match(userMessages(h)[0], /\+changed a\.ts/);
  });
});
