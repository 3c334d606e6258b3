import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import type { McpServerConnection } from '../../../src/core/mcp/mcpTypes';
import { bundleLoader } from '../../../src/node/mcp/loadMcpRuntime';
import { connectionOptions, repoRoot, stdioLaunch } from './fixtureProcess';

interface BuildOptions extends esbuild.BuildOptions {
  outfile: string;
}

const outDir = mkdtempSync(join(tmpdir(), 'warden-mcp-bundle-'));
const connections: McpServerConnection[] = [];
after(async () => {
  await Promise.all(connections.map((c) => c.close()));
  rmSync(outDir, { recursive: true, force: true });
});

async function buildOptions(outfile: string): Promise<BuildOptions> {
  const { builds } = (await import(join(repoRoot, 'esbuild.mjs'))) as { builds: BuildOptions[] };
  const options = builds.find((b) => b.outfile === outfile);
  assert.ok(options, `esbuild.mjs builds ${outfile}`);
  return {
    ...options,
    absWorkingDir: repoRoot,
    outfile: join(outDir, outfile),
    minify: true,
    sourcemap: false,
    logLevel: 'silent',
  };
}

describe('the lazily loaded MCP bundle', () => {
  test('dist/warden.js does not contain the MCP SDK or the schema validator', async () => {
    const result = await esbuild.build({ ...(await buildOptions('dist/warden.js')), metafile: true, write: false });
    const inputs = Object.keys(result.metafile.inputs);
    assert.ok(inputs.length > 10);
    const offending = inputs.filter((p) => /@modelcontextprotocol|@cfworker|src\/node\/mcp\/mcpRuntime/.test(p));
    assert.deepEqual(offending, []);
  });

  test('dist/mcp.js loads by path, connects to a real server and validates arguments', async () => {
    const options = await buildOptions('dist/mcp.js');
    await esbuild.build(options);
    const runtime = bundleLoader(options.outfile)();
    const connection = runtime.connect(stdioLaunch(), connectionOptions());
    connections.push(connection);
    const listed = await connection.tools();
    assert.ok(listed.ok);
    assert.ok(listed.tools.some((t) => t.name === 'echo'));
    const check = runtime.schemaCompiler.compile(listed.tools[0].inputSchema);
    assert.equal(check({ text: 'x' }).valid, true);
    assert.equal(check({}).valid, false);
  });

  test('dist/mcp.js carries no ajv: the client validates with @cfworker/json-schema', async () => {
    const result = await esbuild.build({ ...(await buildOptions('dist/mcp.js')), metafile: true, write: false });
    const inputs = Object.keys(result.metafile.inputs);
    assert.ok(inputs.some((p) => /@cfworker\/json-schema/.test(p)));
    assert.deepEqual(
      inputs.filter((p) => /node_modules\/(ajv|ajv-formats)\//.test(p)),
      [],
    );
  });

  test('a bundle that does not export the runtime is refused with its path', async () => {
    const { writeFileSync } = await import('node:fs');
    const path = join(outDir, 'empty.js');
    writeFileSync(path, 'module.exports = {};');
    assert.throws(() => bundleLoader(path)(), /does not export the MCP runtime/);
  });
});
