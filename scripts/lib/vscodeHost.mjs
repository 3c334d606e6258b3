// code-server (a real VS Code 1.139: web workbench + Node extension host) from the cache that
// scripts/setup-host.sh fills: install check, starting a throw-away or persistent server, VSIX installs.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, waitForHttpOk } from './localPorts.mjs';
import { runToCompletion, spawnGroup, stopGroup } from './processGroups.mjs';
import { codeServerBin, node24BinDir, repoRoot } from './repoPaths.mjs';
import { updateUserSettings } from './userSettings.mjs';

/** Runs the idempotent installer (under a second when the host is already there). */
export async function ensureHost() {
  const code = await runToCompletion('bash', [join(repoRoot, 'scripts/setup-host.sh')]);
  if (code !== 0) throw new Error(`scripts/setup-host.sh failed with exit code ${code}`);
}

/** Folders one server keeps its state in; all under `stateDir`. */
function serverDirs(stateDir) {
  const dirs = {
    userDataDir: join(stateDir, 'user-data'),
    extensionsDir: join(stateDir, 'extensions'),
    xdgDir: join(stateDir, 'xdg'),
    tmpDir: join(stateDir, 'tmp'),
  };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  return {
    ...dirs,
    userSettingsFile: join(dirs.userDataDir, 'User/settings.json'),
    logFile: join(stateDir, 'server.log'),
  };
}

/**
 * Environment for code-server and everything it forks: Node 24 first on PATH, XDG dirs and TMPDIR
 * (vscode-ipc sockets, tsserver, git askpass) inside the server's own state dir.
 * The extension host inherits it, which is how tests receive WARDEN_TEST_* variables.
 */
function serverEnv(dirs, extraEnv) {
  const env = { ...process.env, ...extraEnv };
  for (const [name, value] of Object.entries(extraEnv)) if (value === undefined) delete env[name];
  return {
    ...env,
    PATH: `${node24BinDir}:${process.env.PATH}`,
    XDG_CONFIG_HOME: join(dirs.xdgDir, 'config'),
    XDG_DATA_HOME: join(dirs.xdgDir, 'data'),
    TMPDIR: dirs.tmpDir,
  };
}

function extensionFolderName(extensionDir) {
  const manifest = JSON.parse(readFileSync(join(extensionDir, 'package.json'), 'utf8'));
  return `${manifest.publisher}.${manifest.name}-${manifest.version}`;
}

/** "Installs" an unpacked extension by symlink, replacing a stale link from an earlier run. */
function linkExtension(extensionsDir, extensionDir) {
  const link = join(extensionsDir, extensionFolderName(extensionDir));
  let current;
  try {
    current = readlinkSync(link);
  } catch {
    // no link yet
  }
  if (current === extensionDir) return;
  rmSync(link, { recursive: true, force: true });
  symlinkSync(extensionDir, link);
}

/** Credentials a developer may have exported: a test run must never reach a real model with them. */
export const withoutModelCredentials = {
  OPENAI_API_KEY: undefined,
  OPENAI_BASE_URL: undefined,
  AZURE_OPENAI_API_KEY: undefined,
  AZURE_OPENAI_ENDPOINT: undefined,
};

/** `code-server --install-extension <vsix>` into the server's extensions dir (before it starts). */
export async function installVsix(stateDir, vsixFile) {
  const dirs = serverDirs(stateDir);
  const args = [
    '--user-data-dir',
    dirs.userDataDir,
    '--extensions-dir',
    dirs.extensionsDir,
    '--install-extension',
    vsixFile,
  ];
  const code = await runToCompletion(codeServerBin, args, { env: serverEnv(dirs, {}) });
  if (code !== 0) throw new Error(`code-server --install-extension ${vsixFile} failed with exit code ${code}`);
}

/**
 * Starts code-server in its own process group and waits for /healthz.
 * @param {object} options
 * @param {string} options.stateDir          user data, extensions, XDG and TMPDIR live here
 * @param {boolean} [options.smokeTestDriver] lets the workbench URL carry an extension-test payload
 * @param {string[]} [options.linkExtensions] unpacked extension folders to symlink into --extensions-dir
 * @param {object} [options.userSettings]    merged into User/settings.json before start
 * @param {object} [options.env]             extra environment (inherited by the extension host); `undefined` removes a
 * variable
 * @param {number} [options.port]            preferred port (falls back to a free one)
 * @param {string} [options.host]            bind address, default 127.0.0.1
 * @param {boolean} [options.workspaceTrust]  keep Workspace Trust on (folders open in Restricted Mode until trusted)
 */
export async function startCodeServer({
  stateDir,
  smokeTestDriver = false,
  linkExtensions = [],
  userSettings = {},
  env = {},
  port,
  host = '127.0.0.1',
  workspaceTrust = false,
}) {
  const dirs = serverDirs(stateDir);
  updateUserSettings(dirs.userSettingsFile, userSettings);
  for (const extensionDir of linkExtensions) linkExtension(dirs.extensionsDir, extensionDir);
  const boundPort = await freePort(port ?? 0);
  const args = [
    '--bind-addr',
    `${host}:${boundPort}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--user-data-dir',
    dirs.userDataDir,
    '--extensions-dir',
    dirs.extensionsDir,
    ...(smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
  ];
  const log = openSync(dirs.logFile, 'a');
  const child = spawnGroup(codeServerBin, args, { env: serverEnv(dirs, env), stdio: ['ignore', log, log] });
  closeSync(log);
  let exit;
  child.once('exit', (code, signal) => (exit = `exited with ${code ?? signal}`));
  const url = `http://${host}:${boundPort}`;
  try {
    await waitForHttpOk(`${url}/healthz`, { timeoutMs: 60000, abandon: () => exit });
  } catch (error) {
    await stopGroup(child);
    const log = existsSync(dirs.logFile) ? readFileSync(dirs.logFile, 'utf8').split('\n').slice(-30).join('\n') : '';
    throw new Error(`code-server did not start: ${error.message}\n${log}`);
  }
  return { url, port: boundPort, child, ...dirs, stop: () => stopGroup(child) };
}
