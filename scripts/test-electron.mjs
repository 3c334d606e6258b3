// `npm run test:electron`: the same integration suites through @vscode/test-electron, for machines that
// can download VS Code. Where they cannot (this project's offline machines), set
// WARDEN_VSCODE_EXECUTABLE=scripts/codeServerShim.sh: the shim takes the desktop CLI arguments and runs
// the suites in code-server instead (what `npm run test:integration` does directly).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runTests, TestRunFailedError } from '@vscode/test-electron';
import { buildExtension, bundleHostTests } from './lib/build.mjs';
import { repoRoot } from './lib/repoPaths.mjs';
import { copySampleWorkspace } from './lib/sampleWorkspace.mjs';

const workDir = mkdtempSync(join(tmpdir(), 'warden-electron-'));
const vscodeExecutablePath = process.env.WARDEN_VSCODE_EXECUTABLE
  ? resolve(process.env.WARDEN_VSCODE_EXECUTABLE)
  : undefined;
let exitCode = 1;
let phase = 'build';
const resultsFile = join(workDir, 'results.json');
try {
  await buildExtension();
  const extensionTestsPath = await bundleHostTests();
  const workspace = copySampleWorkspace(join(workDir, 'workspace'));
  phase = 'run';
  exitCode = await runTests({
    ...(vscodeExecutablePath ? { vscodeExecutablePath } : {}),
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath,
    launchArgs: [workspace, '--disable-extensions'],
    extensionTestsEnv: { WARDEN_TEST_RESULTS: resultsFile },
  });
} catch (error) {
  // anything but a failed test run, without an executable given, happened while fetching VS Code
  const downloadFailed = phase === 'run' && !vscodeExecutablePath && !(error instanceof TestRunFailedError);
  console.error(`test:electron: ${error?.message ?? error}`);
  if (downloadFailed) {
    console.error(
      '\nVS Code could not be downloaded from this machine (offline?). The same suites run in code-server:',
    );
    console.error('  npm run test:integration');
    console.error(
      '  WARDEN_VSCODE_EXECUTABLE=scripts/codeServerShim.sh npm run test:electron   (this entry point, through the ' +
        'shim)',
    );
  }
  exitCode = error instanceof TestRunFailedError && typeof error.code === 'number' ? error.code : 1;
} finally {
  if (existsSync(resultsFile)) {
    const { passed, failed } = JSON.parse(readFileSync(resultsFile, 'utf8'));
    console.log(`integration (test-electron): ${passed.length} passed, ${failed.length} failed`);
  }
  rmSync(workDir, { recursive: true, force: true });
}
process.exit(exitCode);
