import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { summarizeChecks, type SandboxCheck } from '../../../src/core/sandbox/sandboxStatus';
import { NOT_ENFORCED, sandboxReport, sandboxShield } from '../../../src/core/sandbox/sandboxSummary';

const ok = (id: SandboxCheck['id'], needed: SandboxCheck['needed'] = 'sandbox'): SandboxCheck => ({
  id,
  ok: true,
  needed,
  detail: `${id} fine`,
});
const healthy = summarizeChecks('linux', [
  ok('platform'),
  ok('bwrap'),
  ok('overlay', 'preview'),
  ok('socat', 'network'),
]);
const noBwrap = summarizeChecks('linux', [
  ok('platform'),
  {
    id: 'bwrap',
    ok: false,
    needed: 'sandbox',
    detail: 'bubblewrap is not installed.',
    fix: 'sudo apt install bubblewrap',
  },
]);

describe('the header shield', () => {
  test('on: the limits that hold', () => {
    const shield = sandboxShield('preview', { mode: 'preview' }, healthy, 0);
    assert.equal(shield.state, 'preview');
    assert.equal(shield.text, 'Sandbox on');
    assert.ok(shield.tooltip.includes('Network: none.'));
  });

  test('unavailable: the reason and the fix, and that every command asks', () => {
    const shield = sandboxShield(
      'preview',
      { mode: 'none', reason: 'bubblewrap is not installed.', fix: 'apt' },
      noBwrap,
      0,
    );
    assert.deepEqual(shield, {
      state: 'unavailable',
      text: 'No sandbox',
      tooltip: ['bubblewrap is not installed.', 'apt', 'Every command asks before it runs.'],
    });
  });

  test('off is not called unavailable', () => {
    assert.equal(sandboxShield('off', { mode: 'none', reason: 'off' }, undefined, 0).text, 'Sandbox off');
  });

  test('without socat the tooltip says there is no network at all', () => {
    const noSocat = summarizeChecks('linux', [
      ok('platform'),
      ok('overlay', 'preview'),
      { id: 'socat', ok: false, needed: 'network', detail: 'missing' },
    ]);
    assert.ok(
      sandboxShield('preview', { mode: 'preview' }, noSocat, 2).tooltip.some((l) => /no network at all/.test(l)),
    );
  });
});

describe('Show Sandbox Status', () => {
  test('names the failing check, its fix, and what is not enforced', () => {
    const report = sandboxReport(
      'preview',
      {
        mode: 'none',
        reason: 'The sandbox cannot start: bubblewrap is not installed.',
        fix: 'sudo apt install bubblewrap',
      },
      noBwrap,
      [],
    );
    assert.match(report, /\*\*No sandbox\*\*/);
    assert.match(report, /\*\*Fix:\*\* sudo apt install bubblewrap/);
    assert.match(report, /❌ \*\*bubblewrap\*\* \(needed for sandbox\): bubblewrap is not installed\./);
    for (const item of NOT_ENFORCED) assert.ok(report.includes(item));
  });

  test('when on, lists the limits and the allowed domains', () => {
    const report = sandboxReport('preview', { mode: 'preview' }, healthy, ['registry.npmjs.org']);
    assert.match(report, /## Enforced for every command/);
    assert.match(report, /Allowed domains: `registry\.npmjs\.org`/);
    assert.match(report, /✅ \*\*Copy-on-write overlay\*\*/);
  });
});
