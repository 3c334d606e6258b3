// Activation time of the real extension in the real extension host, for scripts/bench.mjs: the wall time of
// `extension.activate()` from here, which is what the host records as one activation — requiring dist/extension.js
// (code loading), the activate() call and its result. The extension's own figure (api.activationMs, the body of
// activate() only) is reported beside it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';

describe('activation time', () => {
  it('is measured and written to $WARDEN_BENCH_RESULTS', async () => {
    const extension = vscode.extensions.getExtension('warden-dev.warden');
    assert.ok(extension, 'warden-dev.warden is loaded');
    const alreadyActive = extension.isActive;
    // The host's own cost, measured the same way on an extension that does nothing (when the bench linked it). It
    // goes first: the first activation in a host pays one-time costs of the host that are no extension's own.
    const baseline = vscode.extensions.getExtension('warden-dev.warden-activation-baseline');
    let baselineMs: number | undefined;
    if (baseline && !baseline.isActive) {
      const baselineStart = performance.now();
      await baseline.activate();
      baselineMs = performance.now() - baselineStart;
    }
    const start = performance.now();
    const api: unknown = await extension.activate();
    const wallMs = performance.now() - start;
    const reported = (api as { activationMs?: unknown } | undefined)?.activationMs;
    const measurement = {
      activationMs: wallMs,
      ...(baselineMs === undefined ? {} : { baselineMs }),
      ...(typeof reported === 'number' ? { activateBodyMs: reported } : {}),
      alreadyActive,
      vscodeVersion: vscode.version,
    };
    console.log(`activation: ${JSON.stringify(measurement)}`);
    if (process.env.WARDEN_BENCH_RESULTS)
      fs.writeFileSync(process.env.WARDEN_BENCH_RESULTS, JSON.stringify(measurement));
  });
});
