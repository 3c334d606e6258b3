// Driving the VS Code web workbench that code-server serves: its URL (with the test payload), the
// command palette, and running an extension's mocha suites inside the real extension host.
import { launchChromium } from './chromium.mjs';

/** `vscode-remote://host:port/abs/path`: how the workbench addresses a path on code-server's machine. */
export function remoteUri(serverUrl, absolutePath) {
  return `vscode-remote://${new URL(serverUrl).host}${absolutePath}`;
}

/**
 * The workbench URL for `folder`. With `extensionDevelopmentPath` / `extensionTestsPath` it carries the
 * payload @vscode/test-web uses; code-server honours it only when started with
 * `--vscode-option enable-smoke-test-driver` (it rejects --extensionDevelopmentPath on its command line).
 */
export function workbenchUrl(serverUrl, folder, { extensionDevelopmentPath, extensionTestsPath } = {}) {
  const url = new URL(serverUrl);
  url.searchParams.set('folder', folder);
  const payload = [];
  if (extensionDevelopmentPath)
    payload.push(['extensionDevelopmentPath', remoteUri(serverUrl, extensionDevelopmentPath)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remoteUri(serverUrl, extensionTestsPath)]);
  if (payload.length > 0) url.searchParams.set('payload', JSON.stringify(payload));
  return url.toString();
}

export async function waitForWorkbench(page, timeout = 60000) {
  await page.locator('.monaco-workbench').waitFor({ timeout });
}

/** Runs a command by its palette label ("Warden: Open Chat") and waits for the palette to close. */
export async function runCommand(page, label, { timeout = 15000 } = {}) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input[type="text"]');
  await input.waitFor({ timeout });
  await input.fill(`>${label}`);
  // click the row whose label is exactly `label`: Enter would run whichever fuzzy match is first
  const row = page
    .locator('.quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name').getByText(label, { exact: true }) });
  await row.first().click({ timeout });
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout });
}

// Workbench chatter that says nothing about the extension under test (offline machine, web embedder).
const consoleNoise = new RegExp(
  [
    'Failed to load resource',
    'ERR_NAME_NOT_RESOLVED',
    'ENOTFOUND',
    '\\[AgentHost',
    'ChatModelSelection',
    'AccountPolicyGate',
    'An unknown error occurred',
    'allow-scripts and allow-same-origin',
    'same-origin iframe',
    'Creating a socket',
    'Resolving connection token',
    'Resolved connection token',
    'reconnection-grace-time',
    'Service Worker',
    'additional builtin extensions',
    'Creation of workbench contribution',
    '^\\s+at ',
  ].join('|'),
);

/**
 * A suite in the extension host asks the workbench to act (something no extension API can do, such as
 * granting Workspace Trust) by logging `[warden-host-action] <name>`; runHostTests runs that action.
 */
export const HOST_ACTION_PREFIX = '[warden-host-action] ';

/**
 * Trusts the open folder the way a user does: the Trust button of the Workspace Trust editor, which the
 * suite opens first (`workbench.trust.manage`: the palette cannot be relied on while a webview has focus).
 */
export async function grantWorkspaceTrust(page, { timeout = 30000 } = {}) {
  await page
    .getByRole('button', { name: /^Trust\b/ })
    .first()
    .click({ timeout });
}

/** The page-console text with the extension host's `%c EXTHOST color: …` styling prefix removed. */
export function consoleText(message) {
  return message.text().replace(/^%c\s+\w+\s+color: #[0-9a-f]+\s?/i, '');
}

/**
 * Opens the workbench with the test payload, echoes the extension host's console (mocha's reporter)
 * and resolves the exit code the workbench hands to window.codeAutomationExit, or 'timeout'.
 * `hostActions` maps action names to `(page) => Promise` run when a suite logs HOST_ACTION_PREFIX + name.
 */
export async function runHostTests({
  serverUrl,
  folder,
  extensionDevelopmentPath,
  extensionTestsPath,
  timeoutMs = 300000,
  verbose = false,
  tmpDir,
  log = console.log,
  hostActions = {},
}) {
  const browser = await launchChromium({ tmpDir });
  try {
    const { page } = browser;
    const exited = new Promise((resolve) => page.exposeFunction('codeAutomationExit', (code) => resolve(code)));
    page.on('console', (message) => {
      const text = consoleText(message);
      if (verbose || !consoleNoise.test(text)) log(text);
      if (!text.startsWith(HOST_ACTION_PREFIX)) return;
      const name = text.slice(HOST_ACTION_PREFIX.length).trim();
      const action = hostActions[name];
      if (!action) log(`[host action] no action named "${name}"`);
      else action(page).catch((error) => log(`[host action] ${name} failed: ${error}`));
    });
    page.on('pageerror', (error) => log(`[pageerror] ${error}`));
    await page.goto(workbenchUrl(serverUrl, folder, { extensionDevelopmentPath, extensionTestsPath }));
    let timer;
    const timedOut = new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    const result = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    return result;
  } finally {
    await browser.close();
  }
}
