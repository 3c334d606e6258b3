// Fresh, writable copies of test/fixtures/workspaces/sample: tests may edit them freely.
import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { sampleWorkspaceFixture } from './repoPaths.mjs';

export function copySampleWorkspace(destination) {
  // the fixture's own .gitignore lists .env, so a plain `git add` skips it: fail loudly, not with odd test results
  if (!existsSync(join(sampleWorkspaceFixture, '.env'))) {
    throw new Error(
      `${sampleWorkspaceFixture}/.env is missing (it is git-ignored by the fixture: commit it with git add -f)`,
    );
  }
  cpSync(sampleWorkspaceFixture, destination, { recursive: true });
  return destination;
}
