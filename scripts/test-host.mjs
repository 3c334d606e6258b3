// Runs Warden in a real VS Code (code-server from scripts/setup-host.sh) and reports like the other layers.
//   integration  mocha suites (test/integration) inside the real extension host, then those that need
//                Workspace Trust on (test/integration-restricted) on a second server
//   e2e          node:test files (test/e2e/**/*.e2e.test.ts) driving the workbench in Chromium
// usage: node scripts/test-host.mjs integration|e2e [e2e test files…] [--grep TEXT] [--summary FILE]
//        [--vsix | --vsix-file F] [--extension DIR] [--workspace DIR] [--tests-module FILE]
//        [--no-build] [--keep] [--verbose]
// Prints `<layer>: N passed, N failed`; the combined `N passed, N failed` line is test-all's.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildExtension, bundleHostTests, packageExtension } from './lib/build.mjs';
import { runInExtensionHost } from './lib/extensionHostRun.mjs';
import { startScriptedModelServer } from './lib/modelServer.mjs';
import { runToCompletion, stopAllGroups, stopGroupsOnExit } from './lib/processGroups.mjs';
import { repoRoot, testResultsDir } from './lib/repoPaths.mjs';
import { copySampleWorkspace } from './lib/sampleWorkspace.mjs';
import { modelSettingsFor } from './lib/userSettings.mjs';
import { ensureHost, installVsix, startCodeServer, withoutModelCredentials } from './lib/vscodeHost.mjs';
import { grantWorkspaceTrust } from './lib/workbench.mjs';

const { positionals, values: options } = parseArgs({
  allowPositionals: true,
  options: {
    grep: { type: 'string' },
    summary: { type: 'string' },
    // e2e: install dist/warden.vsix (built by npm run package) instead of a symlink
    vsix: { type: 'boolean', default: false },
    'vsix-file': { type: 'string' },
    extension: { type: 'string' }, // an extension folder other than the repo (e.g. an unpacked build)
    workspace: { type: 'string' }, // open this folder instead of a fresh copy of the sample workspace
    'tests-module': { type: 'string' }, // integration: an already-built extensionTestsPath module
    'no-build': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false }, // keep the temp dir (server logs, user data)
    verbose: { type: 'boolean', default: false }, // show the workbench console unfiltered
  },
});
const layer = positionals[0];
if (layer !== 'integration' && layer !== 'e2e') {
  console.error('usage: node scripts/test-host.mjs integration|e2e [--grep TEXT] [--summary FILE] [--vsix] [--keep]');
  process.exit(2);
}
const extensionDir = resolve(options.extension ?? repoRoot);
const vsixFile = options['vsix-file']
  ? resolve(options['vsix-file'])
  : options.vsix
    ? join(repoRoot, 'dist/warden.vsix')
    : undefined;
const startedAt = Date.now();
const seconds = () => ((Date.now() - startedAt) / 1000).toFixed(1);
const say = (message) => console.log(`[${layer} ${seconds()}s] ${message}`);

const workDir = mkdtempSync(join(tmpdir(), `warden-${layer}-`));
const artifactsDir = join(testResultsDir, layer);
const removeWorkDir = () =>
  options.keep ? console.log(`kept ${workDir}`) : rmSync(workDir, { recursive: true, force: true });
stopGroupsOnExit(removeWorkDir);

function writeSummary(passed, failed) {
  console.log(`${layer}: ${passed} passed, ${failed} failed (${seconds()} s)`);
  if (options.summary)
    writeFileSync(options.summary, JSON.stringify({ suite: layer, passed, failed, seconds: Number(seconds()) }));
}

/** Server and model-server logs are kept in test-results/<layer>/ for a failed CI run. */
function keepLogs(serverLogFile, name = 'code-server.log') {
  mkdirSync(artifactsDir, { recursive: true });
  if (existsSync(serverLogFile)) cpSync(serverLogFile, join(artifactsDir, name));
  if (existsSync(join(workDir, 'model-server.log')))
    cpSync(join(workDir, 'model-server.log'), join(artifactsDir, 'model-server.log'));
}

async function prepare() {
  await ensureHost();
  const building = extensionDir === repoRoot && !options['no-build'];
  if (building && layer === 'e2e' && options.vsix && !options['vsix-file']) await packageExtension();
  else if (building) await buildExtension();
  say(building ? 'host ready, extension built' : 'host ready');
  const model = await startScriptedModelServer({ logFile: join(workDir, 'model-server.log') });
  if (model) say(`scripted model server at ${model.url}`);
  else say('test/fixtures/scriptedModelServerCli.ts not found: the model settings keep their defaults');
  const workspace = options.workspace ? resolve(options.workspace) : copySampleWorkspace(join(workDir, 'workspace'));
  return { model, workspace, userSettings: model ? modelSettingsFor(model.url) : {} };
}

/** One code-server run of bundled suites in the extension host; `runDir` holds its server and results. */
async function runSuites(
  { model, workspace, userSettings },
  { runDir, testsModule, workspaceTrust = false, label, logName },
) {
  const resultsFile = join(runDir, 'results.json');
  const { exit, logFile } = await runInExtensionHost({
    workDir: runDir,
    extensionDir,
    testsModule,
    workspace,
    userSettings,
    // A scripted provider for VS Code's language model API (vscode-lm profiles are tested through it).
    linkExtensions: [join(repoRoot, 'test/fixtures/languageModelProvider')],
    workspaceTrust,
    hostActions: { 'grant-workspace-trust': (page) => grantWorkspaceTrust(page) },
    env: {
      ...withoutModelCredentials,
      WARDEN_TEST_RESULTS: resultsFile,
      WARDEN_TEST_WORKSPACE: workspace,
      ...(options.grep ? { WARDEN_TEST_GREP: options.grep } : {}),
      ...(model ? { WARDEN_TEST_MODEL_URL: model.url } : {}),
    },
    verbose: options.verbose,
    onServerReady: (server) =>
      say(`code-server ${server.url} (smoke-test driver), running the ${label} in the extension host`),
  });
  if (exit === 'timeout') say('TIMEOUT: the extension host never reported an exit code');
  else say(`extension host test runner exited with ${exit}`);
  keepLogs(logFile, logName);
  if (!existsSync(resultsFile)) {
    const log = join(artifactsDir, logName ?? 'code-server.log');
    say(`no results file (runner exit ${exit}): the suites did not run — see ${log}`);
    return { passed: 0, failed: 1 };
  }
  const results = JSON.parse(readFileSync(resultsFile, 'utf8'));
  const failed = results.failed.length || (exit === 0 ? 0 : 1);
  return { passed: results.passed.length, failed };
}

/** Suites that need Workspace Trust ON (Restricted Mode), so a second server: test/integration-restricted. */
const restrictedSuiteDir = join(repoRoot, 'test/integration-restricted');

/** With --grep, the second server starts only when some restricted suite file holds the text (titles are literal). */
function restrictedSuitesWanted() {
  if (!existsSync(restrictedSuiteDir) || options['tests-module']) return false;
  if (!options.grep) return true;
  return readdirSync(restrictedSuiteDir).some(
    (name) => name.endsWith('.ts') && readFileSync(join(restrictedSuiteDir, name), 'utf8').includes(options.grep),
  );
}

async function runIntegration(prepared) {
  const testsModule = options['tests-module'] ? resolve(options['tests-module']) : await bundleHostTests();
  const main = await runSuites(prepared, { runDir: workDir, testsModule, label: 'suites' });
  if (!restrictedSuitesWanted()) return main;
  const runDir = join(workDir, 'restricted');
  mkdirSync(runDir, { recursive: true });
  const restricted = await runSuites(
    {
      ...prepared,
      workspace: options.workspace ? prepared.workspace : copySampleWorkspace(join(runDir, 'workspace')),
      // Restricted Mode without the startup dialog: the suite grants trust itself, as a user would.
      userSettings: { ...prepared.userSettings, 'security.workspace.trust.startupPrompt': 'never' },
    },
    {
      runDir,
      testsModule: await bundleHostTests({
        suiteDir: restrictedSuiteDir,
        outDir: join(repoRoot, 'out/test/integration-restricted'),
      }),
      workspaceTrust: true,
      label: 'Restricted Mode suites (Workspace Trust on)',
      logName: 'code-server-restricted.log',
    },
  );
  return { passed: main.passed + restricted.passed, failed: main.failed + restricted.failed };
}

function e2eTestFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return e2eTestFiles(full);
    return entry.name.endsWith('.e2e.test.ts') ? [full] : [];
  });
}

async function runE2e({ model, workspace, userSettings }) {
  const stateDir = join(workDir, 'server');
  if (vsixFile) {
    await installVsix(stateDir, vsixFile);
    say(`installed ${vsixFile}`);
  }
  const server = await startCodeServer({
    stateDir,
    linkExtensions: vsixFile ? [] : [extensionDir],
    userSettings,
    env: withoutModelCredentials,
  });
  say(`code-server ${server.url} with the extension ${vsixFile ? 'installed from the VSIX' : 'symlinked'}`);
  const files =
    positionals.length > 1
      ? positionals.slice(1).map((file) => resolve(file))
      : e2eTestFiles(join(repoRoot, 'test/e2e')).sort();
  if (files.length === 0) {
    say('no test/e2e/**/*.e2e.test.ts files');
    return { passed: 0, failed: 0 };
  }
  let output = '';
  const exit = await runToCompletion(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      '--test-concurrency=1',
      '--test-timeout=600000',
      '--test-reporter=spec',
      ...(options.grep ? [`--test-name-pattern=${options.grep}`] : []),
      ...files,
    ],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        WARDEN_E2E_URL: server.url,
        WARDEN_E2E_WORKSPACE: workspace,
        WARDEN_E2E_USER_SETTINGS: server.userSettingsFile,
        WARDEN_E2E_ARTIFACTS: artifactsDir,
        WARDEN_E2E_WORK_DIR: workDir,
        WARDEN_E2E_TMPDIR: server.tmpDir,
        ...(model ? { WARDEN_E2E_MODEL_URL: model.url } : {}),
      },
      onOutput: (chunk, stream) => {
        if (stream === 'stdout') output += chunk;
        (stream === 'stdout' ? process.stdout : process.stderr).write(chunk);
      },
    },
  );
  keepLogs(server.logFile);
  const count = (label) => Number((output.match(new RegExp(`^ℹ ${label} (\\d+)$`, 'm')) ?? [])[1] ?? 0);
  const failed = count('fail') + count('cancelled');
  return { passed: count('pass'), failed: failed || (exit === 0 ? 0 : 1) };
}

let outcome = { passed: 0, failed: 1 };
try {
  rmSync(artifactsDir, { recursive: true, force: true }); // screenshots and logs of this run only
  mkdirSync(artifactsDir, { recursive: true });
  const prepared = await prepare();
  outcome = layer === 'integration' ? await runIntegration(prepared) : await runE2e(prepared);
} catch (error) {
  console.error(`${layer}: ${error.stack ?? error}`);
} finally {
  await stopAllGroups();
  say('servers stopped');
  removeWorkDir();
}
writeSummary(outcome.passed, outcome.failed);
process.exit(outcome.failed > 0 ? 1 : 0);
