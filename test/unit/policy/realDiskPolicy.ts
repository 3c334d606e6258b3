// The whole policy over a real folder in a temp dir, as the extension builds it (the Node host's environment, the
// denied files listed by the walk the extension runs): for tests that check decisions against bash on disk.
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPolicy } from '../../../src/core/policy/createPolicy';
import type { Policy } from '../../../src/core/policy/policy';
import { mergeSettings } from '../../../src/core/policy/settingsMerge';
import { walkDeniedFiles } from '../../../src/node/deniedFileWalk';
import { nodePolicyEnvironment } from '../../../src/node/policyEnvironment';
import { runToEnd } from '../../../src/node/walkDrivers';
import { loadParser } from './commandsFixture';

export interface RealDisk {
  /** The temp dir (real path); the workspace folder is `root/ws`, anything else in `root` is outside it. */
  root: string;
  workspace: string;
  policy: Policy;
  remove(): void;
}

/** A temp dir with `ws` in it; `build` fills it, then the policy lists the denied files as the extension does. */
export async function realDiskPolicy(
  prefix: string,
  allow: readonly string[],
  build: (root: string, workspace: string) => void,
): Promise<RealDisk> {
  const root = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  const workspace = join(root, 'ws');
  build(root, workspace);
  const listed: { denied: readonly string[] } = { denied: [] };
  const env = nodePolicyEnvironment([workspace], {
    deniedFiles: () => listed.denied,
    trackedDeniedFiles: () => [],
    deniedIdentities: () => undefined,
  });
  const settings = mergeSettings({ 'commands.allow': { globalValue: [...allow] } });
  const policy = createPolicy(settings, env, await loadParser());
  listed.denied = runToEnd(walkDeniedFiles([workspace], policy))?.found ?? [];
  return { root, workspace, policy, remove: () => rmSync(root, { recursive: true, force: true }) };
}
