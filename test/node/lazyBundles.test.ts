// What activation loads: dist/warden.js holds neither the model SDK nor web-tree-sitter's glue, the
// tokenizer or the MCP SDK; each is its own bundle, required on first use, and works from there. The SDK's
// bundle is the SDK alone, so the classes the client checks errors against exist once.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import type { loadBashGrammar } from '../../src/core/policy/bashGrammar';
import type { createPolicy } from '../../src/core/policy/createPolicy';
import { mergeSettings } from '../../src/core/policy/settingsMerge';
import { lazyBundle } from '../../src/node/lazyBundle';
import { fakeEnv } from '../unit/policy/pathTestEnvironment';
import { repoRoot } from './mcp/fixtureProcess';

const outDir = mkdtempSync(join(tmpdir(), 'warden-lazy-bundles-'));
after(() => rmSync(outDir, { recursive: true, force: true }));

async function buildOf(entry: string): Promise<esbuild.BuildOptions> {
  const { builds } = (await import(join(repoRoot, 'esbuild.mjs'))) as { builds: esbuild.BuildOptions[] };
  const options = builds.find((b) => b.outfile === entry || JSON.stringify(b.entryPoints).includes(entry));
  assert.ok(options, `esbuild.mjs builds ${entry}`);
  return { ...options, absWorkingDir: repoRoot, minify: true, sourcemap: false, logLevel: 'silent' };
}

/** What dist/warden.js reads (`loaded`) and what ends up in it (`bundled`), built once for the tests below. */
let wardenBuild: Promise<{ loaded: string[]; bundled: string[] }> | undefined;
function wardenInputs(): Promise<{ loaded: string[]; bundled: string[] }> {
  wardenBuild ??= (async () => {
    const options = await buildOf('dist/warden.js');
    const result = await esbuild.build({
      ...options,
      outfile: join(outDir, 'warden.js'),
      metafile: true,
      write: false,
    });
    return {
      loaded: Object.keys(result.metafile.inputs),
      bundled: Object.keys(Object.values(result.metafile.outputs)[0].inputs),
    };
  })();
  return wardenBuild;
}

describe('bundles loaded on first use', () => {
  test('dist/warden.js holds no model SDK, grammar glue, tokenizer or MCP SDK', async () => {
    const inputs = (await wardenInputs()).loaded;
    assert.ok(inputs.some((p) => p.startsWith('src/vscode/')));
    const heavy = /node_modules\/(openai|web-tree-sitter|gpt-tokenizer|@modelcontextprotocol)\//;
    assert.deepEqual(
      inputs.filter((p) => heavy.test(p) || /src\/core\/policy\/bashGrammar\.ts$/.test(p)),
      [],
    );
  });

  test('dist/warden.js leaves the policy compiler, the command knowledge and the agent to their bundles', async () => {
    const { bundled } = await wardenInputs();
    assert.ok(bundled.includes('src/vscode/policyHost.ts'));
    assert.deepEqual(
      bundled.filter((p) => /src\/core\/policy\/(createPolicy|commands\/(registry|commandPolicy|families\/))/.test(p)),
      [],
    );
    assert.deepEqual(
      bundled.filter((p) =>
        /src\/core\/(agent\/(session|loop)|edits\/(editEngine|locateBlock)|tools\/(toolRegistry|runCommand))\.ts$/.test(
          p,
        ),
      ),
      [],
    );
  });

  test('dist/policy.js loads through the code cache, once, and compiles a policy', async () => {
    await esbuild.build({ ...(await buildOf('src/core/policy/policyModule.ts')), outdir: outDir });
    const cacheDir = join(outDir, 'code-cache');
    const compiler = lazyBundle<typeof createPolicy>(join(outDir, 'policy.js'), 'createPolicy', cacheDir);
    const compile = compiler();
    assert.equal(compiler(), compile);
    assert.equal(lazyBundle(join(outDir, 'policy.js'), 'createPolicy')(), compile, 'one copy of the bundle');
    const env = fakeEnv({ workspaceFolders: ['/ws'], homeDir: '/home/u', tree: { files: ['/ws', '/home/u'] } });
    const policy = compile(mergeSettings({}), env, undefined);
    assert.equal(policy.decidePath('read', '/ws/.env').decision, 'deny');
    assert.equal(policy.decideCommand('ls', '/ws').decision, 'ask', 'no grammar yet: every command asks');
  });

  test('dist/grammar.js loads by path and parses bash with the shipped wasm', async () => {
    const result = await esbuild.build({
      ...(await buildOf('src/core/policy/bashGrammar.ts')),
      outdir: outDir,
      metafile: true,
    });
    const openaiInputs = Object.entries(result.metafile.outputs).find(([file]) => file.endsWith('openai.js'))![1]
      .inputs;
    assert.deepEqual(
      Object.keys(openaiInputs).filter((p) => p.startsWith('src/')),
      [],
      'dist/openai.js holds only the SDK',
    );
    const load = lazyBundle<typeof loadBashGrammar>(join(outDir, 'grammar.js'), 'loadBashGrammar')();
    const resolve = createRequire(join(repoRoot, 'package.json')).resolve;
    const parser = await load({
      treeSitter: readFileSync(resolve('web-tree-sitter/tree-sitter.wasm')),
      bash: readFileSync(resolve('tree-sitter-bash/tree-sitter-bash.wasm')),
    });
    const tree = parser.parse('echo hi | grep h');
    try {
      assert.equal(tree.rootNode.child(0)?.type, 'pipeline');
    } finally {
      tree.delete();
    }
  });

  test('dist/openai.js loads by path and is the SDK', () => {
    const sdk = createRequire(__filename)(join(outDir, 'openai.js')) as typeof import('openai');
    assert.equal(typeof sdk.OpenAI, 'function');
    assert.ok(new sdk.APIConnectionError({ message: 'x' }) instanceof sdk.APIError);
  });

  test('a bundle without the export is refused with its path', () => {
    assert.throws(
      () => lazyBundle(join(outDir, 'grammar.js'), 'nothingHere')(),
      /grammar\.js does not export nothingHere/,
    );
  });
});
