// Types for chromium.mjs, for TypeScript callers (test/e2e/harness.ts).
import type { BrowserContext, Page } from 'playwright-core';

export declare const chromiumExecutable: string;
export declare const chromiumArgs: readonly string[];
export interface LaunchedChromium {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}
export declare function launchChromium(options?: {
  viewport?: { width: number; height: number };
  tmpDir?: string;
}): Promise<LaunchedChromium>;
