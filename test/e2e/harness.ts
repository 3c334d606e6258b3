// What e2e tests drive: a real VS Code workbench (the code-server scripts/test-host.mjs e2e started, with
// Warden installed) in Debian's Chromium, the Warden chat webview inside it, and the scripted model
// server that the harness pointed warden.model.baseUrl at. Run through `npm run test:e2e`.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import type { FallbackMode, RecordedRequest, ScriptStep } from '../fixtures/scriptedModelServer';

const extensionId = 'warden-dev.warden';
const repoRoot = path.resolve(__dirname, '../..');

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(`${name} is not set: run e2e tests through \`npm run test:e2e\` (scripts/test-host.mjs e2e)`);
  return value;
}

/** What scripts/test-host.mjs e2e hands every test file. */
export const e2eEnv = {
  get serverUrl() {
    return requiredEnv('WARDEN_E2E_URL');
  },
  /** A writable copy of test/fixtures/workspaces/sample, shared by the tests of one run. */
  get workspace() {
    return requiredEnv('WARDEN_E2E_WORKSPACE');
  },
  /** The server's user settings.json: the extension sees edits live. */
  get userSettingsFile() {
    return requiredEnv('WARDEN_E2E_USER_SETTINGS');
  },
  get modelUrl() {
    return requiredEnv('WARDEN_E2E_MODEL_URL');
  },
  get artifactsDir() {
    return process.env.WARDEN_E2E_ARTIFACTS ?? path.join(repoRoot, 'test-results/e2e');
  },
};

/** The accessible names the chat UI guarantees. */
export type ChatButton = 'Send' | 'Stop' | 'New Task' | 'Approve' | 'Reject';

export class Workbench {
  constructor(
    readonly page: Page,
    private readonly closeBrowser: () => Promise<void>,
  ) {}

  /** Runs a command by its palette label, e.g. "Warden: Open Chat". */
  async runCommand(label: string): Promise<void> {
    const { runCommand } = await import('../../scripts/lib/workbench.mjs');
    await runCommand(this.page, label);
  }

  /**
   * The document inside Warden's chat webview. Each webview is an outer iframe (its src names the
   * extension that owns it) around an inner #active-frame holding the extension's HTML.
   */
  chatFrame(): FrameLocator {
    return this.page
      .frameLocator(`iframe.webview.ready[src*="extensionId=${extensionId}&"]`)
      .first()
      .frameLocator('#active-frame');
  }

  messageBox(): Locator {
    return this.chatFrame().getByRole('textbox', { name: 'Message' });
  }

  chatButton(name: ChatButton): Locator {
    return this.chatFrame().getByRole('button', { name, exact: true });
  }

  /** Opens the chat from the palette and waits until its message box is there. */
  /** Opens the chat and waits for the host's first state: before it the transcript is empty only because it
   *  is still loading, so a scenario would read it wrong. */
  async openChat(): Promise<void> {
    await this.runCommand('Warden: Open Chat');
    await this.messageBox().waitFor({ timeout: 30_000 });
    await this.chatFrame().locator('.transcript-loading').waitFor({ state: 'hidden', timeout: 30_000 });
  }

  async sendMessage(text: string): Promise<void> {
    await this.messageBox().fill(text);
    await this.chatButton('Send').click();
  }

  /** Saves test-results/e2e/<name>.png and returns its path. */
  async screenshot(name: string): Promise<string> {
    mkdirSync(e2eEnv.artifactsDir, { recursive: true });
    const file = path.join(e2eEnv.artifactsDir, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  async close(): Promise<void> {
    await this.closeBrowser();
  }
}

/** Launches Chromium on a fresh profile and opens the workbench on `workspace` (default: the run's copy). */
export async function openWorkbench(
  options: { workspace?: string; viewport?: { width: number; height: number } } = {},
): Promise<Workbench> {
  const { launchChromium } = await import('../../scripts/lib/chromium.mjs');
  const { waitForWorkbench, workbenchUrl } = await import('../../scripts/lib/workbench.mjs');
  const browser = await launchChromium({ viewport: options.viewport, tmpDir: process.env.WARDEN_E2E_TMPDIR });
  try {
    await browser.page.goto(workbenchUrl(e2eEnv.serverUrl, options.workspace ?? e2eEnv.workspace));
    await waitForWorkbench(browser.page);
    // the activity bar entry appears once the extension's contributions are registered
    await browser.page.locator('.activitybar [aria-label^="Warden"]').first().waitFor({ timeout: 60_000 });
  } catch (error) {
    await browser.page
      .screenshot({ path: path.join(e2eEnv.artifactsDir, 'open-workbench-failure.png') })
      .catch(() => {});
    await browser.close();
    throw error;
  }
  return new Workbench(browser.page, browser.close);
}

/**
 * Opens a workbench, runs `body`, and always closes it; on failure saves `<name>-failure.png` first,
 * so a red CI run shows what the screen looked like.
 */
export async function withWorkbench<T>(
  name: string,
  body: (workbench: Workbench) => Promise<T>,
  options?: Parameters<typeof openWorkbench>[0],
): Promise<T> {
  const workbench = await openWorkbench(options);
  try {
    return await body(workbench);
  } catch (error) {
    await workbench.screenshot(`${name}-failure`).catch(() => {});
    throw error;
  } finally {
    await workbench.close();
  }
}

let workspaceCopies = 0;
/** A fresh writable copy of the sample workspace, for a test that must not see another test's edits. */
export function freshWorkspace(name: string): string {
  const destination = path.join(requiredEnv('WARDEN_E2E_WORK_DIR'), 'workspaces', `${name}-${++workspaceCopies}`);
  cpSync(path.join(repoRoot, 'test/fixtures/workspaces/sample'), destination, { recursive: true });
  return destination;
}

/** Sets (or with `undefined`, removes) user settings; the running workbench picks the change up. */
export function setUserSettings(patch: Record<string, unknown>): void {
  const settings = JSON.parse(readFileSync(e2eEnv.userSettingsFile, 'utf8')) as Record<string, unknown>;
  writeFileSync(e2eEnv.userSettingsFile, JSON.stringify({ ...settings, ...patch }, null, 2));
}

async function modelControl(route: string, init?: RequestInit): Promise<Response> {
  // the control API lives at the server's origin, beside (not under) the /v1 endpoint the extension uses
  const response = await fetch(new URL(`/__script/${route}`, e2eEnv.modelUrl), init);
  if (!response.ok)
    throw new Error(`scripted model server: ${route} answered ${response.status} ${await response.text()}`);
  return response;
}

const postJson = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** Queues the model's next replies, consumed one per chat-completion request. */
export async function scriptModel(steps: readonly ScriptStep[]): Promise<void> {
  await modelControl('enqueue', postJson(steps));
}

/** What the model answers once the queue is empty: a step, `{ echo: true }` or `{ demo: true }`. */
export async function setModelFallback(fallback: ScriptStep | FallbackMode): Promise<void> {
  await modelControl('fallback', postJson(fallback));
}

/** Drops queued steps, recorded requests and the fallback. */
export async function resetModel(): Promise<void> {
  await modelControl('reset', { method: 'POST' });
}

/** The requests the model server received, oldest first. */
export async function modelRequests(): Promise<RecordedRequest[]> {
  return (await (await modelControl('requests')).json()) as RecordedRequest[];
}
