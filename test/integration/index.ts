// Mocha runner the extension host loads (extensionTestsPath): runs every *.test.js bundled beside it and
// writes {passed, failed, pending} to $WARDEN_TEST_RESULTS for scripts/test-host.mjs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as util from 'node:util';
import Mocha from 'mocha';

interface TestResults {
  passed: string[];
  failed: { title: string; error: string }[];
  pending: string[];
}

// The remote extension host forwards console.* to the browser with the raw printf-style arguments:
// give mocha's reporter finished lines, so the harness prints them as mocha wrote them.
(Mocha.reporters.Base as unknown as { consoleLog: (...args: unknown[]) => void }).consoleLog = (...args) =>
  console.log(util.format(...args));

function testFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(full);
    return entry.name.endsWith('.test.js') ? [full] : [];
  });
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  if (process.env.WARDEN_TEST_GREP) mocha.grep(process.env.WARDEN_TEST_GREP);
  for (const file of testFiles(__dirname).sort()) mocha.addFile(file);

  const results: TestResults = { passed: [], failed: [], pending: [] };
  const writeResults = () => {
    if (!process.env.WARDEN_TEST_RESULTS) return;
    try {
      fs.writeFileSync(process.env.WARDEN_TEST_RESULTS, JSON.stringify(results, null, 2));
    } catch (error) {
      console.error(`cannot write ${process.env.WARDEN_TEST_RESULTS}:`, error);
    }
  };
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        writeResults();
        if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
        else resolve();
      });
      runner.on('pass', (test) => results.passed.push(test.fullTitle()));
      runner.on('pending', (test) => results.pending.push(test.fullTitle()));
      runner.on('fail', (test, error: unknown) => {
        results.failed.push({ title: test.fullTitle(), error: String((error as Error)?.stack ?? error) });
      });
    } catch (error) {
      // a test file that throws while loading: count it, so the run cannot look green
      results.failed.push({
        title: 'loading the integration test files',
        error: String((error as Error)?.stack ?? error),
      });
      writeResults();
      reject(error);
    }
  });
}
