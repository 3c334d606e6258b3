import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  effectiveSandbox,
  sandboxLimits,
  summarizeChecks,
  type SandboxCheck,
} from '../../../src/core/sandbox/sandboxStatus';

const ok = (id: SandboxCheck['id'], needed: SandboxCheck['needed']): SandboxCheck => ({
  id,
  ok: true,
  needed,
  detail: id,
});
const failed = (id: SandboxCheck['id'], needed: SandboxCheck['needed'], fix?: string): SandboxCheck => ({
  id,
  ok: false,
  needed,
  detail: `${id} failed`,
  fix,
});

const ALL_OK = [ok('bwrap', 'sandbox'), ok('overlay', 'preview'), ok('socat', 'network')];

describe('summarizeChecks says what can start', () => {
  test('all checks passing: preview, enforce and network', () => {
    const s = summarizeChecks('linux', ALL_OK);
    assert.deepEqual([s.preview, s.enforce, s.network], [true, true, true]);
  });

  test('a failing preview check leaves enforce', () => {
    const s = summarizeChecks('linux', [ok('bwrap', 'sandbox'), failed('overlay', 'preview')]);
    assert.deepEqual([s.preview, s.enforce], [false, true]);
  });

  test('a failing sandbox check leaves nothing, network included', () => {
    const s = summarizeChecks('linux', [failed('bwrap', 'sandbox'), ok('socat', 'network')]);
    assert.deepEqual([s.preview, s.enforce, s.network], [false, false, false]);
  });

  test('no checks at all (an unknown platform) is no sandbox', () => {
    assert.equal(summarizeChecks('aix', []).enforce, false);
  });
});

describe('effectiveSandbox never gives a weaker sandbox than the mode asks for', () => {
  test('the mode asked for, when it can start', () => {
    assert.deepEqual(effectiveSandbox('preview', summarizeChecks('linux', ALL_OK)), { mode: 'preview' });
    assert.deepEqual(effectiveSandbox('enforce', summarizeChecks('linux', ALL_OK)), { mode: 'enforce' });
  });

  test('off means every command asks', () => {
    const e = effectiveSandbox('off', summarizeChecks('linux', ALL_OK));
    assert.equal(e.mode, 'none');
  });

  test('preview that cannot start asks, names the reason and points at enforce', () => {
    const e = effectiveSandbox(
      'preview',
      summarizeChecks('linux', [ok('bwrap', 'sandbox'), failed('overlay', 'preview')]),
    );
    assert.equal(e.mode, 'none');
    if (e.mode === 'none') {
      assert.match(e.reason, /overlay failed/);
      assert.match(e.reason, /enforce/);
    }
  });

  test('a missing sandbox names the failing check and its fix', () => {
    const e = effectiveSandbox(
      'enforce',
      summarizeChecks('linux', [failed('bwrap', 'sandbox', 'Install bubblewrap.')]),
    );
    assert.deepEqual(e, {
      mode: 'none',
      reason: 'The sandbox cannot start, so every command asks first: bwrap failed',
      fix: 'Install bubblewrap.',
    });
  });

  test('a missing network forwarder does not stop the sandbox (it only means no network at all)', () => {
    const e = effectiveSandbox(
      'preview',
      summarizeChecks('linux', [ok('bwrap', 'sandbox'), failed('socat', 'network')]),
    );
    assert.deepEqual(e, { mode: 'preview' });
  });
});

test('sandboxLimits describes the limits per mode and platform', () => {
  assert.match(sandboxLimits('preview', 'linux', 0).join(' '), /shown for approval.*Network: none/s);
  assert.match(sandboxLimits('enforce', 'darwin', 2).join(' '), /land directly.*read-only.*2 allowed domain/s);
});
