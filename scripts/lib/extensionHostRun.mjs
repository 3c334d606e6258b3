// One run of a mocha runner module inside the real extension host: a throw-away code-server with the
// smoke-test driver, the workbench opened with the extension-test payload, the runner's exit code back.
import { join } from 'node:path';
import { startCodeServer } from './vscodeHost.mjs';
import { runHostTests } from './workbench.mjs';

/**
 * @returns {Promise<{ exit: number | 'timeout', logFile: string }>}
 * `env` reaches the extension host (it inherits code-server's environment). `linkExtensions`: unpacked
 * extensions installed beside the one under test (fixtures such as a scripted language model provider).
 * `workspaceTrust` keeps Workspace Trust on; `hostActions` are workbench actions the suites may ask for (see
 * runHostTests).
 */
export async function runInExtensionHost({
  workDir,
  extensionDir,
  testsModule,
  workspace,
  userSettings = {},
  env = {},
  linkExtensions = [],
  verbose = false,
  log = console.log,
  onServerReady = () => {},
  workspaceTrust = false,
  hostActions = {},
}) {
  const server = await startCodeServer({
    stateDir: join(workDir, 'server'),
    smokeTestDriver: true,
    userSettings,
    env,
    linkExtensions,
    workspaceTrust,
  });
  try {
    onServerReady(server);
    const exit = await runHostTests({
      serverUrl: server.url,
      folder: workspace,
      extensionDevelopmentPath: extensionDir,
      extensionTestsPath: testsModule,
      timeoutMs: Number(process.env.WARDEN_HOST_TEST_TIMEOUT_MS ?? 900000),
      verbose,
      tmpDir: server.tmpDir,
      log,
      hostActions,
    });
    return { exit, logFile: server.logFile };
  } finally {
    await server.stop();
  }
}
