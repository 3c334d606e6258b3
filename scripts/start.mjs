// `npm start`: Warden in a VS Code you can use. With desktop `code` on PATH: an Extension Development
// Host on a copy of the sample workspace. Otherwise: code-server (from scripts/setup-host.sh) on
// 127.0.0.1 with the extension linked in, state kept in the host cache between runs.
// The local demo model (test/fixtures/scriptedModelServerCli.ts --demo) is started and configured with
// --demo, or when neither OPENAI_API_KEY nor a warden.model endpoint of your own is set. Ctrl+C stops all.
// usage: npm start [-- --demo | --no-demo] [--port N] [--no-build]
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildExtension } from './lib/build.mjs';
import { startScriptedModelServer } from './lib/modelServer.mjs';
import { spawnGroup, stopAllGroups, stopGroupsOnExit } from './lib/processGroups.mjs';
import { hostDir, repoRoot, sampleWorkspaceFixture } from './lib/repoPaths.mjs';
import { modelSettingsFor, readUserSettings } from './lib/userSettings.mjs';
import { ensureHost, startCodeServer } from './lib/vscodeHost.mjs';

const { values: options } = parseArgs({
  options: {
    demo: { type: 'boolean' },
    'no-demo': { type: 'boolean' },
    port: { type: 'string' },
    'no-build': { type: 'boolean' }, // e.g. while `npm run watch` keeps dist/ fresh
  },
});

function onPath(command) {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, command)));
}

/** A writable copy of the sample workspace that survives between runs (your edits stay). */
function sampleWorkspace() {
  const workspace = join(hostDir, 'sample-workspace');
  if (!existsSync(workspace)) cpSync(sampleWorkspaceFixture, workspace, { recursive: true });
  return workspace;
}

if (!options['no-build']) await buildExtension();
const workspace = sampleWorkspace();

if (onPath('code')) {
  console.log(`Opening ${workspace} in an Extension Development Host (desktop VS Code).`);
  const child = spawnGroup('code', [`--extensionDevelopmentPath=${repoRoot}`, workspace], { stdio: 'inherit' });
  child.once('exit', (code) => process.exit(code ?? 0));
} else {
  stopGroupsOnExit();
  await ensureHost();
  const stateDir = join(hostDir, 'dev-server');
  mkdirSync(stateDir, { recursive: true });
  const userSettingsFile = join(stateDir, 'user-data/User/settings.json');
  // remembers the endpoint the demo wrote, to tell it from an endpoint the user chose
  const demoStateFile = join(stateDir, 'demo-model.json');
  const demoBaseUrl = existsSync(demoStateFile) ? JSON.parse(readFileSync(demoStateFile, 'utf8')).baseUrl : undefined;
  const current = readUserSettings(userSettingsFile);
  const ownEndpoint = current['warden.model.baseUrl'] && current['warden.model.baseUrl'] !== demoBaseUrl;
  const demo = options.demo || (!options['no-demo'] && !process.env.OPENAI_API_KEY && !ownEndpoint);

  let userSettings = {};
  if (demo) {
    const model = await startScriptedModelServer({ demo: true, logFile: join(stateDir, 'model-server.log') });
    if (!model) throw new Error('test/fixtures/scriptedModelServerCli.ts is missing: cannot start the demo model');
    userSettings = modelSettingsFor(model.url);
    writeFileSync(demoStateFile, JSON.stringify({ baseUrl: model.url }));
    console.log(`Demo model: a scripted server at ${model.url} (nothing leaves this machine).`);
    console.log('  User settings now point warden.model.provider = openai-compatible and warden.model.baseUrl at it.');
    console.log('  Use a real model: set OPENAI_API_KEY or your own warden.model.baseUrl, or pass --no-demo.');
  } else if (demoBaseUrl && current['warden.model.baseUrl'] === demoBaseUrl) {
    // the demo endpoint is gone
    userSettings = { 'warden.model.provider': undefined, 'warden.model.baseUrl': undefined };
  }

  const server = await startCodeServer({
    stateDir,
    linkExtensions: [repoRoot],
    userSettings,
    port: Number(options.port ?? 8080),
  });
  server.child.once('exit', async (code) => {
    console.log(`code-server exited (${code}); log: ${server.logFile}`);
    await stopAllGroups();
    process.exit(1);
  });
  const url = `${server.url}/?folder=${encodeURIComponent(workspace).replaceAll('%2F', '/')}`;
  console.log('');
  console.log(`  Warden in VS Code (code-server):  ${url}`);
  console.log('');
  console.log(`  Workspace: ${workspace}  (delete it to start from the sample again)`);
  console.log(`  After a rebuild (npm run watch), run "Developer: Reload Window". Log: ${server.logFile}`);
  console.log('  Ctrl+C stops everything.');
}
