// Debian's Chromium driven by playwright-core (no browser download): the flags measured to work here.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const chromiumExecutable = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const chromiumArgs = [
  '--no-sandbox', // runs as root in containers
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking', // no calls home: the machine is offline
  '--disable-component-update',
  '--disable-sync',
];

/** A headless persistent context on a fresh profile; `close()` also removes the profile. */
export async function launchChromium({ viewport = { width: 1400, height: 900 }, tmpDir } = {}) {
  const profileDir = mkdtempSync(join(tmpDir ?? tmpdir(), 'warden-chromium-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumExecutable,
    headless: true,
    viewport,
    args: chromiumArgs,
    env: { ...process.env, ...(tmpDir ? { TMPDIR: tmpDir } : {}) },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close().catch(() => {});
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
}
