// Opening an instruction file from the transcript: the host opens only a file the turn itself used, named by
// the notice's id and an index; whatever else the page asks for is refused.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BashParser } from '../../../src/core/policy/bashGrammar';
import { instructionFileToOpen } from '../../../src/core/context/instructionFileLink';
import type { TranscriptEntry } from '../../../src/core/agent/transcript';
import { abs, MemoryWorkspace } from '../fakes/memoryWorkspace';
import { reply } from '../fakes/scriptedModel';
import { Harness } from '../fakes/sessionHarness';
import { bashParser, FakeSources, realPolicy } from './contextFixtures';

let bash: BashParser;
before(async () => {
  bash = await bashParser();
});

const entries: TranscriptEntry[] = [
  {
    kind: 'notice',
    id: 'n1',
    level: 'info',
    text: 'Instructions used: AGENTS.md.',
    openable: [{ path: 'AGENTS.md', resolved: '/ws/AGENTS.md' }],
  },
  { kind: 'notice', id: 'n2', level: 'info', text: 'plain notice' },
  { kind: 'user', id: 'u1', text: 'hello' },
];

describe('which instruction file a link opens', () => {
  test("a notice's own file, by index", () => {
    assert.equal(instructionFileToOpen(entries, 'n1', 0), '/ws/AGENTS.md');
  });

  test('an index, notice or entry the turn did not list is refused', () => {
    assert.equal(instructionFileToOpen(entries, 'n1', 1), undefined);
    assert.equal(instructionFileToOpen(entries, 'n1', -1), undefined);
    assert.equal(instructionFileToOpen(entries, 'n1', 0.5), undefined);
    assert.equal(instructionFileToOpen(entries, 'n2', 0), undefined);
    assert.equal(instructionFileToOpen(entries, 'u1', 0), undefined);
    assert.equal(instructionFileToOpen(entries, 'missing', 0), undefined);
  });

  test('a session offers the files its turn used, and nothing else', async () => {
    const workspace = new MemoryWorkspace({ 'AGENTS.md': 'Always write tests first.', '.env': 'SECRET=1' });
    const h = new Harness({
      workspace,
      policyInstance: realPolicy(workspace, {}, bash),
      steps: [reply('ok')],
      ports: { context: new FakeSources() },
    });
    await h.session.send('add a feature');
    const notice = h.itemsOf('notice').find((n) => n.text.startsWith('Instructions used:'));
    assert.ok(notice);
    assert.deepEqual(notice.openable, [{ path: 'AGENTS.md', resolved: abs('AGENTS.md') }]);
    assert.equal(h.session.instructionFile(notice.id, 0), abs('AGENTS.md'));
    assert.equal(h.session.instructionFile(notice.id, 1), undefined);
    const other = h.itemsOf('user')[0];
    assert.equal(h.session.instructionFile(other.id, 0), undefined);
  });
});
