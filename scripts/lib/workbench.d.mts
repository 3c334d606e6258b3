// Types for workbench.mjs, for TypeScript callers (test/e2e/harness.ts).
import type { ConsoleMessage, Page } from 'playwright-core';

export declare function remoteUri(serverUrl: string, absolutePath: string): string;
export declare function workbenchUrl(
  serverUrl: string,
  folder: string,
  payload?: { extensionDevelopmentPath?: string; extensionTestsPath?: string },
): string;
export declare function waitForWorkbench(page: Page, timeout?: number): Promise<void>;
export declare function runCommand(page: Page, label: string, options?: { timeout?: number }): Promise<void>;
export declare function consoleText(message: ConsoleMessage): string;
export declare const HOST_ACTION_PREFIX: string;
export declare function grantWorkspaceTrust(page: Page, options?: { timeout?: number }): Promise<void>;
export declare function runHostTests(options: {
  serverUrl: string;
  folder: string;
  extensionDevelopmentPath?: string;
  extensionTestsPath?: string;
  timeoutMs?: number;
  verbose?: boolean;
  tmpDir?: string;
  log?: (line: string) => void;
  hostActions?: Record<string, (page: Page) => Promise<void>>;
}): Promise<number | 'timeout'>;
