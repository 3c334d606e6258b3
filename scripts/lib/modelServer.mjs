// The scripted OpenAI-compatible model server (test/fixtures/scriptedModelServerCli.ts) as a child
// process: tests script it over HTTP (POST {url}/__script/enqueue, POST {url}/__script/reset,
// GET {url}/__script/requests); `--demo` makes it answer like a friendly canned assistant for `npm start`.
import { createWriteStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { spawnGroup, stopGroup } from './processGroups.mjs';
import { repoRoot } from './repoPaths.mjs';

export const scriptedModelServerCli =
  process.env.WARDEN_MODEL_SERVER_CLI ?? join(repoRoot, 'test/fixtures/scriptedModelServerCli.ts');

/**
 * Starts the server and resolves `{ url, stop }` once it prints `SCRIPTED_MODEL_URL=<url>`;
 * resolves undefined when the CLI does not exist (yet). Its output goes to `logFile`.
 */
export async function startScriptedModelServer({ demo = false, logFile, timeoutMs = 30000 } = {}) {
  if (!existsSync(scriptedModelServerCli)) return undefined;
  const child = spawnGroup(process.execPath, ['--import', 'tsx', scriptedModelServerCli, ...(demo ? ['--demo'] : [])], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = logFile ? createWriteStream(logFile) : undefined;
  child.stderr.on('data', (chunk) => log?.write(chunk));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no SCRIPTED_MODEL_URL= line within ${timeoutMs} ms`)), timeoutMs);
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      log?.write(`${line}\n`);
      const match = /^SCRIPTED_MODEL_URL=(\S+)/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(
        new Error(`exited with ${code} before printing SCRIPTED_MODEL_URL=${logFile ? ` (log: ${logFile})` : ''}`),
      );
    });
  }).catch(async (error) => {
    await stopGroup(child);
    throw new Error(`scripted model server ${scriptedModelServerCli}: ${error.message}`);
  });
  return {
    url,
    async stop() {
      await stopGroup(child);
      log?.end();
    },
  };
}
